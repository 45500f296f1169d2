package dev.wirelens.tls.fuzz;

import dev.wirelens.tls.HandshakeTypes;
import dev.wirelens.tls.fingerprint.Ja3;
import dev.wirelens.tls.fingerprint.Ja4;
import dev.wirelens.tls.handshake.Certificate;
import dev.wirelens.tls.handshake.CertificateEntryCursor;
import dev.wirelens.tls.handshake.CertificateRequest;
import dev.wirelens.tls.handshake.CertificateVerify;
import dev.wirelens.tls.handshake.ClientHello;
import dev.wirelens.tls.handshake.ClientKeyExchange;
import dev.wirelens.tls.handshake.EncryptedExtensions;
import dev.wirelens.tls.handshake.Finished;
import dev.wirelens.tls.handshake.KeyShareCursor;
import dev.wirelens.tls.handshake.KeyUpdate;
import dev.wirelens.tls.handshake.NewSessionTicket;
import dev.wirelens.tls.handshake.ServerHello;
import dev.wirelens.tls.handshake.ServerKeyExchange;
import dev.wirelens.tls.handshake.TlsExtensionCursor;
import dev.wirelens.tls.handshake.TlsNameCursor;
import dev.wirelens.tls.handshake.TlsValueList;
import dev.wirelens.tls.x509.CertificateSummary;
import dev.wirelens.testkit.FuzzInput;
import io.netty.buffer.ByteBuf;

/**
 * Wraps every handshake message view that fits a message type over a body and calls every accessor, walking every
 * cursor to its end; returns a digest of what it saw. The body is given as an exact buffer (see
 * {@link FuzzInput#exact}), so an accessor reading outside the message throws. Both TLS 1.2 and TLS 1.3 layouts are
 * tried where they differ.
 */
final class HandshakeViews {
  private final ClientHello clientHello = new ClientHello();
  private final ServerHello serverHello = new ServerHello();
  private final Certificate certificate = new Certificate();
  private final CertificateEntryCursor entries = new CertificateEntryCursor();
  private final CertificateRequest certificateRequest = new CertificateRequest();
  private final CertificateVerify certificateVerify = new CertificateVerify();
  private final ClientKeyExchange clientKeyExchange = new ClientKeyExchange();
  private final ServerKeyExchange serverKeyExchange = new ServerKeyExchange();
  private final EncryptedExtensions encryptedExtensions = new EncryptedExtensions();
  private final NewSessionTicket ticket = new NewSessionTicket();
  private final Finished finished = new Finished();
  private final KeyUpdate keyUpdate = new KeyUpdate();
  private final TlsExtensionCursor ext = new TlsExtensionCursor();
  private final TlsExtensionCursor inner = new TlsExtensionCursor();
  private final TlsValueList values = new TlsValueList();
  private final TlsNameCursor names = new TlsNameCursor();
  private final KeyShareCursor shares = new KeyShareCursor();
  private final boolean parseCertificates;

  HandshakeViews(boolean parseCertificates) {
    this.parseCertificates = parseCertificates;
  }

  String walk(int msgType, ByteBuf body) {
    StringBuilder d = new StringBuilder();
    int n = body.readableBytes();
    int o = body.readerIndex();
    switch (msgType) {
      case HandshakeTypes.CLIENT_HELLO:
        if (clientHello.wrap(body, o, n)) {
          d.append("CH").append(clientHello.legacyVersion()).append(',').append(clientHello.randomOffset());
          byte[] random = new byte[32];
          clientHello.copyRandomTo(random, 0);
          d.append(clientHello.random().readableBytes()).append(clientHello.sessionIdLength())
              .append(clientHello.sessionId().readableBytes()).append(clientHello.sessionIdOffset());
          for (int i = 0; i < clientHello.cipherSuiteCount(); i++) {
            d.append(',').append(clientHello.cipherSuite(i));
          }
          d.append(clientHello.cipherSuites(values)).append(values.count());
          for (int i = 0; i < clientHello.compressionMethodCount(); i++) {
            d.append(',').append(clientHello.compressionMethod(i));
          }
          d.append(clientHello.hasExtensions()).append(clientHello.extensionsOffset())
              .append(clientHello.cipherSuitesOffset());
          extensions(clientHello.extensions(ext), d);
          d.append(Ja3.of(clientHello).fullString()).append(Ja4.of(clientHello).raw());
        } else {
          d.append(clientHello.report());
        }
        break;
      case HandshakeTypes.SERVER_HELLO:
        if (serverHello.wrap(body, o, n)) {
          d.append("SH").append(serverHello.legacyVersion()).append(serverHello.selectedVersion())
              .append(serverHello.supportedVersion()).append(serverHello.randomOffset())
              .append(serverHello.random().readableBytes()).append(serverHello.isHelloRetryRequest())
              .append(serverHello.downgradeSentinel()).append(serverHello.isDraftLayout())
              .append(serverHello.sessionIdLength()).append(serverHello.sessionIdOffset())
              .append(serverHello.sessionId().readableBytes()).append(serverHello.cipherSuite())
              .append(serverHello.compressionMethod()).append(serverHello.hasExtensions())
              .append(serverHello.extensionsOffset());
          byte[] random = new byte[32];
          serverHello.copyRandomTo(random, 0);
          extensions(serverHello.extensions(ext), d);
        } else {
          d.append(serverHello.report());
        }
        break;
      case HandshakeTypes.CERTIFICATE:
        d.append(certificate(certificate.wrap(body, o, n)));
        d.append(certificate(certificate.wrapTls13(body, o, n)));
        break;
      case HandshakeTypes.CERTIFICATE_REQUEST:
        for (int layout = 0; layout < 3; layout++) {
          boolean ok = layout == 0 ? certificateRequest.wrap(body, o, n)
              : layout == 1 ? certificateRequest.wrapTls11(body, o, n) : certificateRequest.wrapTls13(body, o, n);
          if (ok) {
            d.append("CR").append(certificateRequest.isTls13()).append(certificateRequest.certificateTypeCount());
            for (int i = 0; i < certificateRequest.certificateTypeCount(); i++) {
              d.append(certificateRequest.certificateType(i));
            }
            d.append(certificateRequest.signatureAlgorithms(values)).append(values.count())
                .append(certificateRequest.certificateAuthoritiesLength())
                .append(certificateRequest.certificateRequestContextLength())
                .append(certificateRequest.extensionsLength());
            extensions(certificateRequest.extensions(ext), d);
          } else {
            d.append(certificateRequest.report());
          }
        }
        break;
      case HandshakeTypes.CERTIFICATE_VERIFY:
        d.append(certificateVerify.wrap(body, o, n)
            ? "CV" + certificateVerify.algorithm() + "," + certificateVerify.signatureLength() + ","
                + certificateVerify.signature().readableBytes()
            : certificateVerify.report().toString());
        break;
      case HandshakeTypes.CLIENT_KEY_EXCHANGE:
        d.append(clientKeyExchange.wrap(body, o, n)
            ? "CKE" + clientKeyExchange.isEcdhForm() + clientKeyExchange.exchangeKeysLength()
                + clientKeyExchange.exchangeKeys().readableBytes()
            : clientKeyExchange.report().toString());
        break;
      case HandshakeTypes.SERVER_KEY_EXCHANGE:
        for (int layout = 0; layout < 2; layout++) {
          boolean ok = layout == 0 ? serverKeyExchange.wrap(body, o, n) : serverKeyExchange.wrapDhe(body, o, n);
          d.append(ok
              ? "SKE" + serverKeyExchange.isDhe() + serverKeyExchange.curveType() + "," + serverKeyExchange.namedCurve()
                  + "," + serverKeyExchange.publicLength() + "," + serverKeyExchange.publicValue().readableBytes()
                  + "," + serverKeyExchange.primeLength() + "," + serverKeyExchange.signatureAlgorithm() + ","
                  + serverKeyExchange.signatureLength() + "," + serverKeyExchange.signature().readableBytes()
              : serverKeyExchange.report().toString());
        }
        break;
      case HandshakeTypes.ENCRYPTED_EXTENSIONS:
        if (encryptedExtensions.wrap(body, o, n)) {
          d.append("EE").append(encryptedExtensions.extensionsLength());
          extensions(encryptedExtensions.extensions(ext), d);
        } else {
          d.append(encryptedExtensions.report());
        }
        break;
      case HandshakeTypes.NEW_SESSION_TICKET:
        for (int layout = 0; layout < 2; layout++) {
          boolean ok = layout == 0 ? ticket.wrap(body, o, n) : ticket.wrapTls13(body, o, n);
          if (ok) {
            d.append("NST").append(ticket.isTls13()).append(ticket.ticketLifetime()).append(ticket.ticketAgeAdd())
                .append(ticket.ticketNonceLength()).append(ticket.ticketNonce().readableBytes())
                .append(ticket.ticketLength()).append(ticket.ticket().readableBytes())
                .append(ticket.extensionsLength());
            extensions(ticket.extensions(ext), d);
          } else {
            d.append(ticket.report());
          }
        }
        break;
      case HandshakeTypes.FINISHED:
        d.append(finished.wrap(body, o, n)
            ? "FIN" + finished.verifyDataLength() + finished.verifyData().readableBytes()
            : finished.report().toString());
        break;
      case HandshakeTypes.KEY_UPDATE:
        d.append(keyUpdate.wrap(body, o, n)
            ? "KU" + keyUpdate.requestUpdate() + keyUpdate.isUpdateRequested() : keyUpdate.report().toString());
        break;
      default:
        d.append("other");
    }
    return d.toString();
  }

  private String certificate(boolean ok) {
    if (!ok) {
      return certificate.report().toString();
    }
    StringBuilder d = new StringBuilder("CERT").append(certificate.isTls13())
        .append(certificate.certificateRequestContextLength())
        .append(certificate.certificateRequestContext().readableBytes()).append(certificate.certificateListLength())
        .append(certificate.certificateCount());
    certificate.entries(entries);
    while (entries.next()) {
      d.append('[').append(entries.index()).append(',').append(entries.certDataOffset()).append(',')
          .append(entries.certDataLength()).append(',').append(entries.certData().readableBytes())
          .append(entries.certDataToArray().length).append(',').append(entries.extensionsLength());
      extensions(entries.extensions(inner), d);
      if (parseCertificates) {
        CertificateSummary s = CertificateSummary.parse(entries.certData(), entries.certData().readerIndex(),
            entries.certDataLength());
        d.append(s.isMalformed() ? "bad:" + s.malformation() : s.sha256() + s.subject() + s.issuer()
            + s.subjectCommonName() + s.notBefore() + s.notAfter() + s.subjectAlternativeNames()
            + s.subjectAlternativeNamesMalformed() + s.dnsNames() + s.ipAddresses() + s.emailAddresses()
            + s.uris() + s.keyType() + s.keySize() + s.keyCurve() + s.keyDescription() + s.signatureAlgorithm()
            + s.signatureAlgorithmOid() + s.matchesHostName("console.test") + s.isValidAt(java.time.Instant.EPOCH));
      }
      d.append(']');
    }
    return d.toString();
  }

  private void extensions(TlsExtensionCursor c, StringBuilder d) {
    while (c.next()) {
      d.append('{').append(c.type()).append(',').append(c.offset()).append(',').append(c.dataLength()).append(',')
          .append(c.dataOffset()).append(',').append(c.data().readableBytes()).append(c.buffer() != null)
          .append(c.isGrease());
      if (c.values(values)) {
        d.append("v");
        for (int i = 0; i < values.count(); i++) {
          d.append(values.value(i)).append(' ');
        }
        d.append(values.contains(0x0304)).append(values.valuesOffset()).append(values.width());
      }
      if (c.names(names)) {
        while (names.next()) {
          d.append("n").append(names.nameType()).append(names.nameOffset()).append(names.nameLength())
              .append(names.name().readableBytes()).append(names.nameAsString());
        }
        d.append(names.report());
      }
      if (c.keyShares(shares)) {
        while (shares.next()) {
          d.append("k").append(shares.group()).append(shares.keyExchangeLength()).append(shares.keyExchangeOffset())
              .append(shares.keyExchange().readableBytes());
        }
        d.append(shares.report());
      }
      d.append(c.selectedVersion()).append(c.keyShareGroup()).append(c.keyShareKeyExchangeLength())
          .append(c.selectedIdentity()).append(c.pskIdentityCount()).append(c.maxEarlyDataSize())
          .append(c.statusType()).append(c.renegotiatedConnectionLength()).append(c.echClientHelloType()).append('}');
    }
    d.append(c.report());
    int first = c.seek(0) ? 0 : -1;
    d.append(first);
  }
}
