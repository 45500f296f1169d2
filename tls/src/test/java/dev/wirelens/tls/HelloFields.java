package dev.wirelens.tls;

import dev.wirelens.tls.handshake.ClientHello;
import dev.wirelens.tls.handshake.KeyShareCursor;
import dev.wirelens.tls.handshake.ServerHello;
import dev.wirelens.tls.handshake.TlsExtensionCursor;
import dev.wirelens.tls.handshake.TlsNameCursor;
import dev.wirelens.tls.handshake.TlsValueList;
import java.util.function.BiConsumer;

/** Hello fields read through our views, in the names and formats of tshark's {@code -T fields} output. */
final class HelloFields {
  private HelloFields() {}

  static String hex4(int v) {
    return String.format("0x%04x", v);
  }

  static void clientHello(ClientHello h, BiConsumer<String, String> out) {
    out.accept("tls.handshake.type", "1");
    out.accept("tls.handshake.version", hex4(h.legacyVersion()));
    for (int i = 0; i < h.cipherSuiteCount(); i++) {
      out.accept("tls.handshake.ciphersuite", hex4(h.cipherSuite(i)));
    }
    extensions(h.extensions(new TlsExtensionCursor()), true, false, out);
  }

  static void serverHello(ServerHello h, BiConsumer<String, String> out) {
    out.accept("tls.handshake.type", "2");
    out.accept("tls.handshake.version", hex4(h.legacyVersion()));
    out.accept("tls.handshake.ciphersuite", hex4(h.cipherSuite()));
    extensions(h.extensions(new TlsExtensionCursor()), false, h.isHelloRetryRequest(), out);
  }

  static void extensions(TlsExtensionCursor c, boolean client, boolean hrr, BiConsumer<String, String> out) {
    TlsValueList list = new TlsValueList();
    TlsNameCursor names = new TlsNameCursor();
    KeyShareCursor shares = new KeyShareCursor();
    while (c.next()) {
      out.accept("tls.handshake.extension.type", Integer.toString(c.type()));
      switch (c.type()) {
        case ExtensionTypes.SERVER_NAME:
          if (c.names(names)) {
            while (names.next()) {
              out.accept("tls.handshake.extensions_server_name", names.nameAsString());
            }
          }
          break;
        case ExtensionTypes.APPLICATION_LAYER_PROTOCOL_NEGOTIATION:
          if (c.names(names)) {
            while (names.next()) {
              out.accept("tls.handshake.extensions_alpn_str", names.nameAsString());
            }
          }
          break;
        case ExtensionTypes.SUPPORTED_VERSIONS:
          if (c.selectedVersion() >= 0) {
            out.accept("tls.handshake.extensions.supported_version", hex4(c.selectedVersion()));
          } else if (c.values(list)) {
            for (int i = 0; i < list.count(); i++) {
              out.accept("tls.handshake.extensions.supported_version", hex4(list.value(i)));
            }
          }
          break;
        case ExtensionTypes.SUPPORTED_GROUPS:
          if (c.values(list)) {
            for (int i = 0; i < list.count(); i++) {
              out.accept("tls.handshake.extensions_supported_group", hex4(list.value(i)));
            }
          }
          break;
        case ExtensionTypes.KEY_SHARE:
        case TlsExtensionCursor.KEY_SHARE_DRAFT:
          if (hrr) {
            break; // tshark names the HelloRetryRequest's group extensions_key_share_selected_group
          }
          if (!client) {
            out.accept("tls.handshake.extensions_key_share_group", Integer.toString(c.keyShareGroup()));
          } else if (c.keyShares(shares)) {
            while (shares.next()) {
              out.accept("tls.handshake.extensions_key_share_group", Integer.toString(shares.group()));
            }
          }
          break;
        default:
          break;
      }
    }
  }
}
