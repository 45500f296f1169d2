package dev.wirelens.tls.internal;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Internal: not exported; no compatibility promise. The few facts of ClientHello, ServerHello, EncryptedExtensions
 * and Certificate bodies that the connection dissector's session summary and key schedule need, read with a bounds
 * check at every length (a short or inconsistent body returns false, never throws).
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
  /** The ServerHello.random of a HelloRetryRequest: SHA-256("HelloRetryRequest") (RFC 8446 §4.1.3). */
  private static final byte[] HRR_RANDOM = {
      (byte) 0xCF, 0x21, (byte) 0xAD, 0x74, (byte) 0xE5, (byte) 0x9A, 0x61, 0x11, (byte) 0xBE, 0x1D, (byte) 0x8C, 0x02,
      0x1E, 0x65, (byte) 0xB8, (byte) 0x91, (byte) 0xC2, (byte) 0xA2, 0x11, 0x16, 0x7A, (byte) 0xBB, (byte) 0x8C, 0x5E,
      0x07, (byte) 0x9E, 0x09, (byte) 0xE2, (byte) 0xC8, (byte) 0xA8, 0x33, (byte) 0x9C};

  private static final int EXT_SERVER_NAME = 0;
  private static final int EXT_ALPN = 16;
  private static final int EXT_ENCRYPT_THEN_MAC = 22;
  private static final int EXT_SESSION_TICKET = 35;
  private static final int EXT_PRE_SHARED_KEY = 41;
  private static final int EXT_EARLY_DATA = 42;
  private static final int EXT_SUPPORTED_VERSIONS = 43;

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

  /** Reads a ClientHello body; false when it is cut short or inconsistent (fields read so far stay). */
  public boolean clientHello(ByteBuf b, int off, int len) {
    clear();
    int end = off + len;
    int p = off;
    if (p + 35 > end) {
      return false;
    }
    legacyVersion = b.getUnsignedShort(p);
    random = bytes(b, p + 2, 32);
    p += 34;
    int sid = b.getUnsignedByte(p++);
    if (p + sid > end) {
      return false;
    }
    sessionId = bytes(b, p, sid);
    p += sid;
    if (p + 2 > end) {
      return false;
    }
    int cs = b.getUnsignedShort(p);
    p += 2 + cs;
    if (p + 1 > end) {
      return false;
    }
    int comp = b.getUnsignedByte(p);
    p += 1 + comp;
    if (p > end) {
      return false;
    }
    return p == end || extensions(b, p, end, true);
  }

  /** Reads a ServerHello body; false when it is cut short or inconsistent. */
  public boolean serverHello(ByteBuf b, int off, int len) {
    clear();
    int end = off + len;
    int p = off;
    if (p + 35 > end) {
      return false;
    }
    legacyVersion = b.getUnsignedShort(p);
    random = bytes(b, p + 2, 32);
    helloRetryRequest = java.util.Arrays.equals(random, HRR_RANDOM);
    p += 34;
    if ((legacyVersion & 0xFF00) == 0x7F00) {
      // TLS 1.3 drafts before 22 (draft-ietf-tls-tls13-21 §4.1.3): version random cipher_suite extensions
      if (p + 2 > end) {
        return false;
      }
      selectedVersion = legacyVersion;
      cipherSuite = b.getUnsignedShort(p);
      p += 2;
      return p == end || extensions(b, p, end, false);
    }
    int sid = b.getUnsignedByte(p++);
    if (p + sid + 3 > end) {
      return false;
    }
    sessionId = bytes(b, p, sid);
    p += sid;
    cipherSuite = b.getUnsignedShort(p);
    compressionMethod = b.getUnsignedByte(p + 2);
    p += 3;
    return p == end || extensions(b, p, end, false);
  }

  /** Reads an EncryptedExtensions body; false when it is cut short or inconsistent. */
  public boolean encryptedExtensions(ByteBuf b, int off, int len) {
    clear();
    return extensions(b, off, off + len, false);
  }

  /** Reads a Certificate body (TLS 1.3 layout when {@code tls13}); false when it is cut short or inconsistent. */
  public boolean certificate(ByteBuf b, int off, int len, boolean tls13) {
    clear();
    int end = off + len;
    int p = off;
    if (tls13) {
      if (p + 1 > end) {
        return false;
      }
      p += 1 + b.getUnsignedByte(p);
    }
    if (p + 3 > end) {
      return false;
    }
    int listEnd = p + 3 + b.getUnsignedMedium(p);
    p += 3;
    if (listEnd > end) {
      return false;
    }
    while (p < listEnd) {
      if (p + 3 > listEnd) {
        return false;
      }
      int n = b.getUnsignedMedium(p);
      p += 3;
      if (p + n > listEnd) {
        return false;
      }
      certificates.add(bytes(b, p, n));
      p += n;
      if (tls13) {
        if (p + 2 > listEnd) {
          return false;
        }
        p += 2 + b.getUnsignedShort(p);
      }
    }
    return p == listEnd;
  }

  private boolean extensions(ByteBuf b, int p, int end, boolean client) {
    if (p + 2 > end) {
      return false;
    }
    int extEnd = p + 2 + b.getUnsignedShort(p);
    p += 2;
    if (extEnd > end) {
      return false;
    }
    while (p + 4 <= extEnd) {
      int type = b.getUnsignedShort(p);
      int n = b.getUnsignedShort(p + 2);
      p += 4;
      if (p + n > extEnd) {
        return false;
      }
      switch (type) {
        case EXT_SERVER_NAME:
          if (client) {
            serverName(b, p, p + n);
          }
          break;
        case EXT_ALPN:
          alpn(b, p, p + n);
          break;
        case EXT_ENCRYPT_THEN_MAC:
          encryptThenMac = true;
          break;
        case EXT_SESSION_TICKET:
          sessionTicketLength = n;
          break;
        case EXT_PRE_SHARED_KEY:
          preSharedKey = true;
          break;
        case EXT_EARLY_DATA:
          earlyData = true;
          break;
        case EXT_SUPPORTED_VERSIONS:
          if (!client && n == 2) {
            selectedVersion = b.getUnsignedShort(p);
          }
          break;
        default:
          break;
      }
      p += n;
    }
    return p == extEnd;
  }

  // server_name: ServerNameList server_name_list<1..2^16-1>; ServerName: name_type(1) HostName<1..2^16-1>
  private void serverName(ByteBuf b, int p, int end) {
    if (p + 2 > end) {
      return;
    }
    int listEnd = Math.min(end, p + 2 + b.getUnsignedShort(p));
    p += 2;
    while (p + 3 <= listEnd) {
      int type = b.getUnsignedByte(p);
      int n = b.getUnsignedShort(p + 1);
      p += 3;
      if (p + n > listEnd) {
        return;
      }
      if (type == 0 && serverName == null) {
        serverName = b.toString(p, n, java.nio.charset.StandardCharsets.US_ASCII);
      }
      p += n;
    }
  }

  // ALPN: ProtocolName protocol_name_list<2..2^16-1>; ProtocolName: opaque<1..2^8-1>
  private void alpn(ByteBuf b, int p, int end) {
    if (p + 2 > end) {
      return;
    }
    int listEnd = Math.min(end, p + 2 + b.getUnsignedShort(p));
    p += 2;
    while (p + 1 <= listEnd) {
      int n = b.getUnsignedByte(p++);
      if (p + n > listEnd) {
        return;
      }
      alpn.add(b.toString(p, n, java.nio.charset.StandardCharsets.ISO_8859_1));
      p += n;
    }
  }

  private static byte[] bytes(ByteBuf b, int off, int n) {
    byte[] out = new byte[n];
    b.getBytes(off, out);
    return out;
  }
}
