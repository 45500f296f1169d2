package dev.wirelens.tls.fingerprint;

import dev.wirelens.tls.ExtensionTypes;
import dev.wirelens.tls.handshake.ClientHello;
import dev.wirelens.tls.handshake.Grease;
import dev.wirelens.tls.handshake.TlsExtensionCursor;
import dev.wirelens.tls.handshake.TlsNameCursor;
import dev.wirelens.tls.handshake.TlsValueList;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/** The lists of one ClientHello that the fingerprints use, read once, GREASE kept (each fingerprint filters). */
final class Hello {
  final int legacyVersion;
  final int[] cipherSuites;
  final int[] extensionTypes;
  final int[] supportedGroups;
  final int[] ecPointFormats;
  final int[] signatureAlgorithms;
  /** null when the ClientHello has no supported_versions extension. */
  final int[] supportedVersions;
  /** null when there is no ALPN extension or it has no name. */
  final byte[] firstAlpn;

  private Hello(ClientHello hello) {
    ByteBuf buf = hello.buffer();
    if (buf == null) {
      throw new IllegalArgumentException("the ClientHello view is not wrapped (or its last wrap failed)");
    }
    legacyVersion = hello.legacyVersion();
    cipherSuites = new int[hello.cipherSuiteCount()];
    for (int i = 0; i < cipherSuites.length; i++) {
      cipherSuites[i] = hello.cipherSuite(i);
    }
    TlsExtensionCursor ext = hello.extensions(new TlsExtensionCursor());
    TlsValueList list = new TlsValueList();
    int[] types = new int[8];
    int n = 0;
    int[] groups = null;
    int[] formats = null;
    int[] sigs = null;
    int[] versions = null;
    byte[] alpn = null;
    boolean alpnSeen = false;
    while (ext.next()) {
      int type = ext.type();
      if (n == types.length) {
        types = Arrays.copyOf(types, n * 2);
      }
      types[n++] = type;
      // the first occurrence of each extension counts, as for every TLS implementation (duplicates are illegal)
      switch (type) {
        case ExtensionTypes.SUPPORTED_GROUPS:
          groups = groups != null ? groups : values(ext, list);
          break;
        case ExtensionTypes.EC_POINT_FORMATS:
          formats = formats != null ? formats : values(ext, list);
          break;
        case ExtensionTypes.SIGNATURE_ALGORITHMS:
          sigs = sigs != null ? sigs : values(ext, list);
          break;
        case ExtensionTypes.SUPPORTED_VERSIONS:
          versions = versions != null ? versions : values(ext, list);
          break;
        case ExtensionTypes.APPLICATION_LAYER_PROTOCOL_NEGOTIATION:
          if (!alpnSeen) {
            alpnSeen = true;
            TlsNameCursor names = new TlsNameCursor();
            if (ext.names(names) && names.next()) {
              alpn = new byte[names.nameLength()];
              buf.getBytes(names.nameOffset(), alpn);
            }
          }
          break;
        default:
          break;
      }
    }
    extensionTypes = Arrays.copyOf(types, n);
    supportedGroups = groups != null ? groups : new int[0];
    ecPointFormats = formats != null ? formats : new int[0];
    signatureAlgorithms = sigs != null ? sigs : new int[0];
    supportedVersions = versions;
    firstAlpn = alpn;
  }

  static Hello of(ClientHello hello) {
    return new Hello(hello);
  }

  /** The extension's values; a malformed list counts as empty (the ClientHello view already framed the block). */
  private static int[] values(TlsExtensionCursor ext, TlsValueList list) {
    if (!ext.values(list)) {
      return new int[0];
    }
    int[] v = new int[list.count()];
    for (int i = 0; i < v.length; i++) {
      v[i] = list.value(i);
    }
    return v;
  }

  static int[] withoutGrease(int[] values) {
    int[] out = new int[values.length];
    int n = 0;
    for (int v : values) {
      if (!Grease.isGrease(v)) {
        out[n++] = v;
      }
    }
    return Arrays.copyOf(out, n);
  }
}
