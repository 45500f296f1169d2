package dev.wirelens.tls.handshake;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.tls.ExtensionTypes;
import io.netty.buffer.ByteBuf;

/**
 * The body of a ServerHello handshake message (msg_type 2; RFC 8446 §4.1.3, RFC 5246 §7.4.1.3), which in TLS 1.3 is
 * also the HelloRetryRequest.
 *
 * <pre>
 * struct {
 *     ProtocolVersion legacy_version;                // u16, 0x0303 in TLS 1.3
 *     Random random;                                 // 32 bytes; the HelloRetryRequest constant in an HRR
 *     opaque legacy_session_id_echo&lt;0..32&gt;;     // u8 length
 *     CipherSuite cipher_suite;                      // u16
 *     uint8 legacy_compression_method;               // 0 in TLS 1.3
 *     Extension extensions&lt;6..2^16-1&gt;;          // u16 length; may be absent before TLS 1.3
 * } ServerHello;
 * </pre>
 *
 * ServerHellos of TLS 1.3 drafts up to -21 (legacy_version 0x7fNN, or 0x0304 in the earliest drafts; never sent by
 * RFC 8446, whose legacy_version is 0x0303) lack session id and compression method and are read in that layout
 * ({@link #isDraftLayout()}).
 *
 * <p>{@link #selectedVersion()} is the negotiated version: supported_versions' selected_version when present (TLS 1.3
 * never negotiates through legacy_version), else legacy_version. {@link #isHelloRetryRequest()} compares the random
 * with SHA-256("HelloRetryRequest") (RFC 8446 §4.1.3). {@link #downgradeSentinel()} reports the TLS 1.3 downgrade
 * protection values in the last 8 bytes of the random.
 *
 * <p>Framing is validated once in {@link #wrap(ByteBuf, int, int)}, with the malformations of {@link ClientHello}
 * (TRUNCATED for missing fixed fields and length fields, BAD_LENGTH_FIELD for a session id above 32 or a vector that
 * does not fit the body, extensions walked once).
 *
 * <p>Lifetime: borrows the wrapped buffer. Allocation: none, except the slices of {@link #random()} and
 * {@link #sessionId()}. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * if (serverHello.wrap(m.buffer(), m.bodyOffset(), m.length())) {
 *   version = serverHello.selectedVersion();
 *   suite = serverHello.cipherSuite();
 *   hrr = serverHello.isHelloRetryRequest();
 * }
 * }</pre>
 */
public final class ServerHello {
  /** Bytes of the Random field. */
  public static final int RANDOM_LENGTH = 32;
  /** {@link #downgradeSentinel()}: the random ends with "DOWNGRD" 01, a TLS 1.3 server negotiating TLS 1.2. */
  public static final int DOWNGRADE_TLS12 = 1;
  /** {@link #downgradeSentinel()}: the random ends with "DOWNGRD" 00, a TLS 1.3 server negotiating TLS 1.1 or below. */
  public static final int DOWNGRADE_TLS11 = 0;

  // SHA-256("HelloRetryRequest"), RFC 8446 §4.1.3
  private static final long[] HRR_RANDOM = {
    0xCF21AD74E59A6111L, 0xBE1D8C021E65B891L, 0xC2A211167ABB8C5EL, 0x079E09E2C8A8339CL
  };
  // "DOWNGRD" in ASCII, RFC 8446 §4.1.3
  private static final long DOWNGRD = 0x444F574E475244L;

  private final MalformationReport report = new MalformationReport();
  private final ExtensionBlock extensionBlock = new ExtensionBlock();
  private ByteBuf buf;
  private int offset;
  private int sessionIdLength;
  private int extensionsOffset;
  private int extensionsLength;
  private boolean hasExtensions;
  private boolean draft;
  private int supportedVersion;

  /** Creates an empty view. */
  public ServerHello() {}

  /** Wraps the ServerHello body of {@code length} bytes at {@code offset}; false with {@link #report()} if malformed. */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    report.clear();
    this.buf = null;
    int end = offset + length;
    int p = offset + 2 + RANDOM_LENGTH;
    if (end < p + 1) {
      return report.truncated(Layer.TLS, offset, 2 + RANDOM_LENGTH + 1, length, LengthSource.HEADER_MINIMUM);
    }
    boolean draft = buf.getUnsignedShort(offset) >= 0x0304;
    int sid = 0;
    if (draft) {
      // TLS 1.3 drafts up to -21 (version 0x7f00 + n, or 0x0304 itself in the earliest ones): version, random,
      // cipher_suite, extensions; no session id and no compression method (draft-ietf-tls-tls13-21 §4.1.3). A
      // final RFC 8446 ServerHello always has legacy_version 0x0303.
      if (end - p < 2) {
        return report.truncated(Layer.TLS, p, 2, end - p, LengthSource.HEADER_MINIMUM);
      }
      p += 2;
    } else {
      sid = buf.getUnsignedByte(p);
      if (sid > 32 || p + 1 + sid > end) {
        return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, p);
      }
      p += 1 + sid;
      if (end - p < 3) {
        return report.truncated(Layer.TLS, p, 3, end - p, LengthSource.HEADER_MINIMUM);
      }
      p += 3;
    }
    boolean ext = p < end;
    int extOffset = p;
    int extLength = 0;
    int selected = -1;
    if (ext) {
      if (!extensionBlock.check(buf, p, end, report)) {
        return false;
      }
      extOffset = p + 2;
      extLength = extensionBlock.length();
      TlsExtensionCursor c = extensionBlock.rewind();
      while (c.next()) {
        if (c.type() == ExtensionTypes.SUPPORTED_VERSIONS && selected < 0) {
          selected = c.selectedVersion();
        }
      }
    }
    this.buf = buf;
    this.offset = offset;
    this.sessionIdLength = sid;
    this.draft = draft;
    this.hasExtensions = ext;
    this.extensionsOffset = extOffset;
    this.extensionsLength = extLength;
    this.supportedVersion = selected;
    return true;
  }

  /** The malformation of the last wrap, or NONE. */
  public MalformationReport report() {
    return report;
  }

  /** The wrapped buffer. */
  public ByteBuf buffer() {
    return buf;
  }

  /** Bytes 0-1: legacy_version (server_version before TLS 1.3). */
  public int legacyVersion() {
    // bounds: checked in wrap()
    return buf.getUnsignedShort(offset);
  }

  /**
   * The negotiated version: the supported_versions extension's selected_version if present and well formed
   * (RFC 8446 §4.2.1), else {@link #legacyVersion()}.
   */
  public int selectedVersion() {
    return supportedVersion >= 0 ? supportedVersion : legacyVersion();
  }

  /** The supported_versions extension's selected_version, or -1 if absent or malformed. */
  public int supportedVersion() {
    return supportedVersion;
  }

  /** Absolute offset of the random (bytes 2-33). */
  public int randomOffset() {
    return offset + 2;
  }

  /** Bytes 2-33: random, as a non-retained slice. */
  public ByteBuf random() {
    return buf.slice(offset + 2, RANDOM_LENGTH);
  }

  /** Copies the random into {@code dst} at {@code dstOffset}. */
  public void copyRandomTo(byte[] dst, int dstOffset) {
    buf.getBytes(offset + 2, dst, dstOffset, RANDOM_LENGTH);
  }

  /** True if the random is SHA-256("HelloRetryRequest"): this message is a HelloRetryRequest (RFC 8446 §4.1.3). */
  public boolean isHelloRetryRequest() {
    int r = offset + 2;
    for (int i = 0; i < 4; i++) {
      if (buf.getLong(r + 8 * i) != HRR_RANDOM[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The TLS 1.3 downgrade sentinel in the last 8 bytes of the random (RFC 8446 §4.1.3): {@link #DOWNGRADE_TLS12},
   * {@link #DOWNGRADE_TLS11}, or -1 when absent.
   */
  public int downgradeSentinel() {
    long tail = buf.getLong(offset + 2 + 24);
    if ((tail >>> 8) != DOWNGRD) {
      return -1;
    }
    int last = (int) (tail & 0xff);
    return last <= 1 ? last : -1;
  }

  /**
   * True for the ServerHello of a TLS 1.3 draft up to -21 (legacy_version 0x0304 or above), which has neither
   * session id nor compression method: {@link #sessionIdLength()} is then 0 and {@link #compressionMethod()} -1.
   */
  public boolean isDraftLayout() {
    return draft;
  }

  /** Byte 34: length of legacy_session_id_echo. */
  public int sessionIdLength() {
    return sessionIdLength;
  }

  /** Absolute offset of legacy_session_id_echo (of the cipher suite in the draft layout). */
  public int sessionIdOffset() {
    return offset + 2 + RANDOM_LENGTH + (draft ? 0 : 1);
  }

  /** legacy_session_id_echo as a non-retained slice. */
  public ByteBuf sessionId() {
    return buf.slice(sessionIdOffset(), sessionIdLength);
  }

  /** cipher_suite: the suite the server selected (2 bytes after the session id). */
  public int cipherSuite() {
    return buf.getUnsignedShort(sessionIdOffset() + sessionIdLength);
  }

  /** legacy_compression_method (the byte after the cipher suite); -1 in the draft layout. */
  public int compressionMethod() {
    return draft ? -1 : buf.getUnsignedByte(sessionIdOffset() + sessionIdLength + 2);
  }

  /** True if the body has an extensions block. */
  public boolean hasExtensions() {
    return hasExtensions;
  }

  /** Absolute offset of the first extension (after the block's 2-byte length). */
  public int extensionsOffset() {
    return extensionsOffset;
  }

  /** Bytes of the extensions block without its length; 0 when absent. */
  public int extensionsLength() {
    return extensionsLength;
  }

  /** Starts {@code cursor} over the extensions (an empty walk when there are none). */
  public TlsExtensionCursor extensions(TlsExtensionCursor cursor) {
    cursor.wrap(buf, extensionsOffset, extensionsLength);
    return cursor;
  }
}
