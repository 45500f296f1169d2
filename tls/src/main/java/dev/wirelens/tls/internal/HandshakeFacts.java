package dev.wirelens.tls.internal;

import dev.wirelens.tls.ExtensionTypes;
import dev.wirelens.tls.handshake.Certificate;
import dev.wirelens.tls.handshake.CertificateEntryCursor;
import dev.wirelens.tls.handshake.ClientHello;
import dev.wirelens.tls.handshake.EncryptedExtensions;
import dev.wirelens.tls.handshake.ServerHello;
import dev.wirelens.tls.handshake.TlsExtensionCursor;
import dev.wirelens.tls.handshake.TlsNameCursor;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Internal: not exported; no compatibility promise. The few facts of ClientHello, ServerHello, EncryptedExtensions
 * and Certificate bodies that the connection dissector's session summary and key schedule need, read through the
 * views of {@code dev.wirelens.tls.handshake} (a malformed body returns false, never throws) and kept as plain
 * values, because the dissector needs them after the handshake buffers are gone.
 *
 * <p>Layouts (RFC 8446 §4.1.2, §4.1.3, §4.3.1, §4.4.2; RFC 5246 §7.4.1.2, §7.4.1.3, §7.4.2):
 * <pre>
 * ClientHello: legacy_version(2) random(32) session_id<0..32> cipher_suites<2..2^16-2>
 *              legacy_compression_methods<1..2^8-1> [extensions<8..2^16-1>]
 * ServerHello: legacy_version(2) random(32) session_id<0..32> cipher_suite(2) compression(1) [extensions<6..2^16-1>]
 *              (TLS 1.3 drafts before 22, version 0x7fNN: version(2) random(32) cipher_suite(2) extensions)
 * EncryptedExtensions: extensions<0..2^16-1>
 * Certificate: [certificate_request_context<0..2^8-1> (TLS 1.3)] certificate_list<0..2^24-1> of
 *              cert_data<1..2^24-1> [extensions<0..2^16-1> (TLS 1.3)]
 * Extension:   extension_type(2) extension_data<0..2^16-1>
 * </pre>
 *
 * <p>Thread safety: this class is not thread safe.
 */
public final class HandshakeFacts {

  /** legacy_version of the hello. */
  public int legacyVersion;
  /** 32 random bytes. */
  public byte[] random;
  /** The session id (possibly empty). */
  public byte[] sessionId;
  /** ServerHello: the selected cipher suite; -1 for a ClientHello. */
  public int cipherSuite = -1;
  /** ServerHello: the compression method (0 null, 1 DEFLATE per RFC 3749), or -1. */
  public int compressionMethod = -1;
  /** ServerHello: the supported_versions selection, or -1. */
  public int selectedVersion = -1;
  /** ClientHello: first host_name of server_name, or null. */
  public String serverName;
  /** ALPN protocols (ClientHello: offered; ServerHello/EncryptedExtensions: the chosen one). */
  public final List<String> alpn = new ArrayList<>();
  /** True when the extension list has encrypt_then_mac. */
  public boolean encryptThenMac;
  /** True when the extension list has pre_shared_key. */
  public boolean preSharedKey;
  /** True when the extension list has early_data. */
  public boolean earlyData;
  /** Length of session_ticket data, or -1 without the extension. */
  public int sessionTicketLength = -1;
  /** True when a ServerHello carries the HelloRetryRequest random. */
  public boolean helloRetryRequest;
  /** Certificate: the DER of each entry, in order. */
  public final List<byte[]> certificates = new ArrayList<>();

  private void clear() {
    legacyVersion = -1;
    random = null;
    sessionId = null;
    cipherSuite = -1;
    compressionMethod = -1;
    selectedVersion = -1;
    serverName = null;
    alpn.clear();
    encryptThenMac = false;
    preSharedKey = false;
    earlyData = false;
    sessionTicketLength = -1;
    helloRetryRequest = false;
    certificates.clear();
  }

  private final ClientHello clientHelloView = new ClientHello();
  private final ServerHello serverHelloView = new ServerHello();
  private final EncryptedExtensions encryptedExtensionsView = new EncryptedExtensions();
  private final Certificate certificateView = new Certificate();
  private final CertificateEntryCursor entries = new CertificateEntryCursor();
  private final TlsExtensionCursor extensions = new TlsExtensionCursor();
  private final TlsNameCursor names = new TlsNameCursor();

  /** Reads a ClientHello body; false when it is malformed (the facts read before the problem stay). */
  public boolean clientHello(ByteBuf b, int off, int len) {
    clear();
    if (!clientHelloView.wrap(b, off, len)) {
      return false;
    }
    legacyVersion = clientHelloView.legacyVersion();
    random = new byte[32];
    clientHelloView.copyRandomTo(random, 0);
    sessionId = bytes(clientHelloView.sessionId());
    return !clientHelloView.hasExtensions() || extensions(clientHelloView.extensions(extensions), true);
  }

  /** Reads a ServerHello body (also the draft layout of TLS 1.3 drafts before 22); false when malformed. */
  public boolean serverHello(ByteBuf b, int off, int len) {
    clear();
    if (!serverHelloView.wrap(b, off, len)) {
      return false;
    }
    legacyVersion = serverHelloView.legacyVersion();
    random = new byte[32];
    serverHelloView.copyRandomTo(random, 0);
    helloRetryRequest = serverHelloView.isHelloRetryRequest();
    sessionId = bytes(serverHelloView.sessionId());
    cipherSuite = serverHelloView.cipherSuite();
    compressionMethod = serverHelloView.isDraftLayout() ? 0 : serverHelloView.compressionMethod();
    int v = serverHelloView.selectedVersion();
    selectedVersion = serverHelloView.supportedVersion() >= 0 || serverHelloView.isDraftLayout() ? v : -1;
    return !serverHelloView.hasExtensions() || extensions(serverHelloView.extensions(extensions), false);
  }

  /** Reads an EncryptedExtensions body; false when malformed. */
  public boolean encryptedExtensions(ByteBuf b, int off, int len) {
    clear();
    return encryptedExtensionsView.wrap(b, off, len)
        && extensions(encryptedExtensionsView.extensions(extensions), false);
  }

  /** Reads a Certificate body (TLS 1.3 layout when {@code tls13}); false when malformed. */
  public boolean certificate(ByteBuf b, int off, int len, boolean tls13) {
    clear();
    if (!(tls13 ? certificateView.wrapTls13(b, off, len) : certificateView.wrap(b, off, len))) {
      return false;
    }
    CertificateEntryCursor c = certificateView.entries(entries);
    while (c.next()) {
      certificates.add(c.certDataToArray());
    }
    return true; // the entries' bounds were checked by wrap
  }

  private boolean extensions(TlsExtensionCursor e, boolean client) {
    while (e.next()) {
      switch (e.type()) {
        case ExtensionTypes.SERVER_NAME:
          if (client && e.names(names)) {
            while (names.next()) {
              if (names.nameType() == TlsNameCursor.HOST_NAME && serverName == null) {
                serverName = names.nameAsString();
              }
            }
          }
          break;
        case ExtensionTypes.APPLICATION_LAYER_PROTOCOL_NEGOTIATION:
          if (e.names(names)) {
            while (names.next()) {
              alpn.add(names.nameAsString());
            }
          }
          break;
        case ExtensionTypes.ENCRYPT_THEN_MAC:
          encryptThenMac = true;
          break;
        case ExtensionTypes.SESSION_TICKET:
          sessionTicketLength = e.dataLength();
          break;
        case ExtensionTypes.PRE_SHARED_KEY:
          preSharedKey = true;
          break;
        case ExtensionTypes.EARLY_DATA:
          earlyData = true;
          break;
        default:
          break;
      }
    }
    return !e.report().isMalformed();
  }

  private static byte[] bytes(ByteBuf b) {
    byte[] out = new byte[b.readableBytes()];
    b.getBytes(b.readerIndex(), out);
    return out;
  }

  private static byte[] bytes(ByteBuf b, int off, int n) {
    byte[] out = new byte[n];
    b.getBytes(off, out);
    return out;
  }
}
