package dev.wirelens.tls.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * Arbitrary bytes (and mutations of a real ClientHello) never make a view throw: {@code wrap} answers true or false,
 * and after true every accessor and cursor walk stays inside the wrapped range (the buffer is a slice of exactly
 * that range, so a read outside it would throw).
 */
class ViewRobustnessPropertiesTest {
  static byte[] bytes(List<Byte> data) {
    byte[] b = new byte[data.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = data.get(i);
    }
    return b;
  }

  @Property(tries = 500)
  void randomBodiesNeverThrow(@ForAll @Size(max = 300) List<Byte> data) {
    exercise(bytes(data));
  }

  @Property(tries = 500)
  void mutatedClientHellosNeverThrow(@ForAll @Size(min = 1, max = 8) List<Integer> positions,
      @ForAll @Size(min = 1, max = 8) List<Byte> values) {
    byte[] body = HandBuiltHandshakeTest.browserHello();
    for (int i = 0; i < positions.size(); i++) {
      body[Math.floorMod(positions.get(i), body.length)] = values.get(i % values.size());
    }
    exercise(body);
  }

  static void exercise(byte[] body) {
    ByteBuf whole = Unpooled.wrappedBuffer(body);
    ByteBuf b = whole.slice(0, body.length);
    TlsExtensionCursor c = new TlsExtensionCursor();
    ClientHello ch = new ClientHello();
    if (ch.wrap(b, 0, body.length)) {
      for (int i = 0; i < ch.cipherSuiteCount(); i++) {
        ch.cipherSuite(i);
      }
      walk(ch.extensions(c));
    }
    ServerHello sh = new ServerHello();
    if (sh.wrap(b, 0, body.length)) {
      sh.cipherSuite();
      sh.compressionMethod();
      sh.isHelloRetryRequest();
      sh.downgradeSentinel();
      sh.selectedVersion();
      walk(sh.extensions(c));
    }
    for (boolean tls13 : new boolean[] {false, true}) {
      Certificate cert = new Certificate();
      if (tls13 ? cert.wrapTls13(b, 0, body.length) : cert.wrap(b, 0, body.length)) {
        CertificateEntryCursor e = cert.entries(new CertificateEntryCursor());
        int n = 0;
        while (e.next()) {
          e.certData();
          walk(e.extensions(c));
          n++;
        }
        assertThat(n).isEqualTo(cert.certificateCount());
      }
      NewSessionTicket t = new NewSessionTicket();
      if (tls13 ? t.wrapTls13(b, 0, body.length) : t.wrap(b, 0, body.length)) {
        t.ticket();
        walk(t.extensions(c));
      }
      CertificateRequest r = new CertificateRequest();
      if (tls13 ? r.wrapTls13(b, 0, body.length) : r.wrap(b, 0, body.length)) {
        r.signatureAlgorithms(new TlsValueList());
        walk(r.extensions(c));
      }
    }
    ServerKeyExchange k = new ServerKeyExchange();
    if (k.wrap(b, 0, body.length)) {
      k.signature();
    }
    if (k.wrapDhe(b, 0, body.length)) {
      k.publicValue();
    }
    new ClientKeyExchange().wrap(b, 0, body.length);
    new CertificateVerify().wrap(b, 0, body.length);
    EncryptedExtensions ee = new EncryptedExtensions();
    if (ee.wrap(b, 0, body.length)) {
      walk(ee.extensions(c));
    }
    c.wrap(b, 0, body.length);
    walk(c);
    whole.release();
  }

  static void walk(TlsExtensionCursor c) {
    TlsValueList list = new TlsValueList();
    TlsNameCursor names = new TlsNameCursor();
    KeyShareCursor shares = new KeyShareCursor();
    while (c.next()) {
      c.data();
      c.selectedVersion();
      c.keyShareGroup();
      c.keyShareKeyExchangeLength();
      c.selectedIdentity();
      c.pskIdentityCount();
      c.maxEarlyDataSize();
      c.statusType();
      c.renegotiatedConnectionLength();
      c.echClientHelloType();
      if (c.values(list)) {
        for (int i = 0; i < list.count(); i++) {
          list.value(i);
        }
      }
      if (c.names(names)) {
        while (names.next()) {
          names.name();
          names.nameAsString();
        }
      }
      if (c.keyShares(shares)) {
        while (shares.next()) {
          shares.keyExchange();
        }
      }
    }
  }
}
