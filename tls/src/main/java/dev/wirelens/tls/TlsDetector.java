package dev.wirelens.tls;

import io.netty.buffer.ByteBuf;

/**
 * Recognises TLS by content, on any port: checks that bytes look like a TLS record header (RFC 8446 §5.1, RFC 5246
 * §6.2.1) or an SSLv2-compatible ClientHello header (RFC 5246 Appendix E.2).
 *
 * <p>A TLS record header is plausible when
 * <ul>
 *   <li>byte 0, the content type, is 20 change_cipher_spec, 21 alert, 22 handshake or 23 application_data;
 *   <li>bytes 1-2, the legacy version, are 0x0300 (SSL 3.0) to 0x0304;
 *   <li>bytes 3-4, the length, are at most 2^14 + 2048 (the TLSCiphertext limit of RFC 5246 §6.2.3) and fit the
 *       type: at least 1 for change_cipher_spec, at least 2 for an alert, at least 4 (one handshake header) for a
 *       handshake; application data may be empty.
 * </ul>
 * An SSLv2 header (RFC 6101 Appendix E) is plausible when byte 0 has the high bit set and either byte 2 (msg_type) is
 * 1 (CLIENT-HELLO, the SSLv2-compatible ClientHello of RFC 5246 Appendix E.2), the 15-bit length is at least 9
 * (msg_type, version and three length fields) and the version (bytes 3-4) is 0x0002 or 0x0300..0x0304; or msg_type
 * is 4 (SERVER-HELLO), the length at least 11 and the server version (bytes 5-6) 0x0002. The 3-byte SSLv2 header
 * (high bit clear, with a padding length) is not recognised: RFC 5246 Appendix E.2 requires the high bit of the
 * compatible ClientHello's length, and tshark 4.0.17 does not take such a hello for one either (see
 * {@link TlsRecordReader}); those bytes are judged as a TLS header, and are not TLS.
 *
 * <p>Use it on the first bytes of a stream to choose the TLS dissector, and at each later record boundary to notice a
 * stream that stops looking like TLS ({@code NO}) instead of reading garbage as records.
 *
 * <p>Allocation: none. Thread safety: stateless, safe from any thread.
 *
 * <pre>{@code
 * switch (TlsDetector.looksLikeTls(firstBytes)) {
 *   case YES: dissector = new TlsConnectionDissector(...); break;
 *   case NO: dissector = plaintext; break;
 *   case NEED_MORE: return 0; // offered again with more bytes
 * }
 * }</pre>
 */
public final class TlsDetector {
  /** The largest TLSCiphertext length any version allows: 2^14 + 2048 (RFC 5246 §6.2.3). */
  public static final int MAX_PLAUSIBLE_LENGTH = (1 << 14) + 2048;

  private TlsDetector() {}

  /** Looks at {@code firstBytes}' readable bytes (indices are not moved). */
  public static TlsDetection looksLikeTls(ByteBuf firstBytes) {
    return looksLikeTls(firstBytes, firstBytes.readerIndex(), firstBytes.readableBytes());
  }

  /** Looks at the {@code length} bytes at absolute {@code offset} of {@code buf}. */
  public static TlsDetection looksLikeTls(ByteBuf buf, int offset, int length) {
    if (length < 1) {
      return TlsDetection.NEED_MORE;
    }
    int type = buf.getUnsignedByte(offset);
    if ((type & 0x80) != 0) {
      return looksLikeSsl2ClientHello(buf, offset, length, type);
    }
    if (type < ContentTypes.CHANGE_CIPHER_SPEC || type > ContentTypes.APPLICATION_DATA) {
      return TlsDetection.NO;
    }
    if (length < 2) {
      return TlsDetection.NEED_MORE;
    }
    if (buf.getUnsignedByte(offset + 1) != 3) {
      return TlsDetection.NO;
    }
    if (length < 3) {
      return TlsDetection.NEED_MORE;
    }
    if (buf.getUnsignedByte(offset + 2) > 4) {
      return TlsDetection.NO;
    }
    if (length < 5) {
      return TlsDetection.NEED_MORE;
    }
    int len = buf.getUnsignedShort(offset + 3);
    int min;
    switch (type) {
      case ContentTypes.CHANGE_CIPHER_SPEC: min = 1; break;
      case ContentTypes.ALERT: min = 2; break;
      case ContentTypes.HANDSHAKE: min = 4; break;
      default: min = 0; break;
    }
    return len >= min && len <= MAX_PLAUSIBLE_LENGTH ? TlsDetection.YES : TlsDetection.NO;
  }

  /**
   * Whether a record header with this content type and legacy_record_version can start a TLS record once a stream is
   * known to be TLS: the version's major byte is 3 (RFC 8446 §5.1, RFC 5246 §6.2.1 and Appendix E: every TLS and SSL
   * 3.0 record) and the content type is 20 change_cipher_spec to 25 tls12_cid (RFC 9146), the types tshark 4.0 frames
   * as TLS records over TCP (26 ACK and above are "Ignored Unknown Record" there). Looser than
   * {@link #looksLikeTls}, which judges a stream's first bytes: a later record may be a heartbeat (RFC 6520), carry any
   * minor version or length. Plaintext read as a header ("GET /" is type 0x47, version 0x4554) fails it.
   */
  static boolean canStartRecord(int contentType, int legacyVersion) {
    return contentType >= ContentTypes.CHANGE_CIPHER_SPEC && contentType <= ContentTypes.TLS12_CID
        && (legacyVersion >> 8) == 3;
  }

  private static TlsDetection looksLikeSsl2ClientHello(ByteBuf buf, int offset, int length, int b0) {
    if (length < 3) {
      return TlsDetection.NEED_MORE;
    }
    int len = ((b0 & 0x7f) << 8) | buf.getUnsignedByte(offset + 1);
    int msgType = buf.getUnsignedByte(offset + 2);
    if (msgType == 1) {
      if (length < 5) {
        return TlsDetection.NEED_MORE;
      }
      int version = buf.getUnsignedShort(offset + 3);
      boolean ok = len >= 9 && (version == 0x0002 || (version >= 0x0300 && version <= 0x0304));
      return ok ? TlsDetection.YES : TlsDetection.NO;
    }
    if (msgType == 4) {
      if (length < 7) {
        return TlsDetection.NEED_MORE;
      }
      return len >= 11 && buf.getUnsignedShort(offset + 5) == 0x0002 ? TlsDetection.YES : TlsDetection.NO;
    }
    return TlsDetection.NO;
  }
}
