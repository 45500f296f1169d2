package dev.wirelens.tls.handshake;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.tls.ExtensionTypes;
import io.netty.buffer.ByteBuf;

/**
 * The body of a ClientHello handshake message (msg_type 1; RFC 8446 §4.1.2, RFC 5246 §7.4.1.2).
 *
 * <pre>
 * struct {
 *     ProtocolVersion legacy_version;                      // u16
 *     Random random;                                       // 32 bytes
 *     opaque legacy_session_id&lt;0..32&gt;;                // u8 length
 *     CipherSuite cipher_suites&lt;2..2^16-2&gt;;            // u16 length, u16 values
 *     opaque legacy_compression_methods&lt;1..2^8-1&gt;;    // u8 length, u8 values
 *     Extension extensions&lt;8..2^16-1&gt;;                 // u16 length; absent before TLS 1.2 extensions
 * } ClientHello;
 * </pre>
 *
 * {@link #wrap(ByteBuf, int, int)} validates the framing once: fewer bytes than the fixed part and the vector length
 * fields need is TRUNCATED ({@link LengthSource#HEADER_MINIMUM} or {@link LengthSource#OPTION_LENGTH}) at the field;
 * a session id longer than 32, a cipher-suite length that is odd, a vector or the extensions block running past the
 * body, bytes left after the extensions, or an extension running past its block are BAD_LENGTH_FIELD at the length
 * field (for a cut extension header inside the block: TRUNCATED at it). After a successful wrap, accessors and the
 * extension walk do not fail. Values (versions, suites, extension types) pass through, GREASE included.
 *
 * <p>Lifetime: borrows the wrapped buffer (usually a {@link HandshakeMessage}'s). Allocation: none, except the
 * slices of {@link #random()} and {@link #sessionId()}. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * if (hello.wrap(m.buffer(), m.bodyOffset(), m.length())) {
 *   hello.extensions(extensions);
 *   if (extensions.seek(ExtensionTypes.SERVER_NAME) && extensions.names(names) && names.next()) {
 *     sni = names.nameAsString();
 *   }
 * }
 * }</pre>
 */
public final class ClientHello {
  /** Bytes of the Random field. */
  public static final int RANDOM_LENGTH = 32;

  private final MalformationReport report = new MalformationReport();
  private final ExtensionBlock extensionBlock = new ExtensionBlock();
  private ByteBuf buf;
  private int offset;
  private int sessionIdLength;
  private int cipherSuitesOffset;
  private int cipherSuitesLength;
  private int compressionOffset;
  private int compressionLength;
  private int extensionsOffset;
  private int extensionsLength;
  private boolean hasExtensions;

  /** Creates an empty view. */
  public ClientHello() {}

  /** Wraps the ClientHello body of {@code length} bytes at {@code offset}; false with {@link #report()} if malformed. */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    report.clear();
    this.buf = null;
    int end = offset + length;
    int p = offset + 2 + RANDOM_LENGTH;
    if (end < p + 1) {
      return report.truncated(Layer.TLS, offset, 2 + RANDOM_LENGTH + 1, length, LengthSource.HEADER_MINIMUM);
    }
    int sid = buf.getUnsignedByte(p);
    if (sid > 32 || p + 1 + sid > end) {
      return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, p);
    }
    p += 1 + sid;
    if (end - p < 2) {
      return report.truncated(Layer.TLS, p, 2, end - p, LengthSource.OPTION_LENGTH);
    }
    int cs = buf.getUnsignedShort(p);
    if ((cs & 1) != 0 || p + 2 + cs > end) {
      return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, p);
    }
    int csOffset = p + 2;
    p = csOffset + cs;
    if (end - p < 1) {
      return report.truncated(Layer.TLS, p, 1, end - p, LengthSource.OPTION_LENGTH);
    }
    int cm = buf.getUnsignedByte(p);
    if (p + 1 + cm > end) {
      return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, p);
    }
    int cmOffset = p + 1;
    p = cmOffset + cm;
    boolean ext = p < end;
    int extOffset = p;
    int extLength = 0;
    if (ext) {
      if (!extensionBlock.check(buf, p, end, report)) {
        return false;
      }
      extOffset = p + 2;
      extLength = extensionBlock.length();
    }
    this.buf = buf;
    this.offset = offset;
    this.sessionIdLength = sid;
    this.cipherSuitesOffset = csOffset;
    this.cipherSuitesLength = cs;
    this.compressionOffset = cmOffset;
    this.compressionLength = cm;
    this.hasExtensions = ext;
    this.extensionsOffset = extOffset;
    this.extensionsLength = extLength;
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

  /** Bytes 0-1: legacy_version (client_version before TLS 1.3; 0x0303 in TLS 1.3 ClientHellos). */
  public int legacyVersion() {
    // bounds: checked in wrap()
    return buf.getUnsignedShort(offset);
  }

  /** Absolute offset of the 32-byte random (bytes 2-33). */
  public int randomOffset() {
    return offset + 2;
  }

  /** Bytes 2-33: random, as a non-retained slice. */
  public ByteBuf random() {
    return buf.slice(offset + 2, RANDOM_LENGTH);
  }

  /** Copies the random into {@code dst} at {@code dstOffset} (e.g. for a key-log lookup). */
  public void copyRandomTo(byte[] dst, int dstOffset) {
    buf.getBytes(offset + 2, dst, dstOffset, RANDOM_LENGTH);
  }

  /** Byte 34: length of legacy_session_id (0..32). */
  public int sessionIdLength() {
    return sessionIdLength;
  }

  /** Absolute offset of legacy_session_id. */
  public int sessionIdOffset() {
    return offset + 2 + RANDOM_LENGTH + 1;
  }

  /** legacy_session_id as a non-retained slice. */
  public ByteBuf sessionId() {
    return buf.slice(sessionIdOffset(), sessionIdLength);
  }

  /** Number of cipher suites (the cipher_suites length / 2). */
  public int cipherSuiteCount() {
    return cipherSuitesLength >>> 1;
  }

  /** Cipher suite {@code i} (0-based, below {@link #cipherSuiteCount()}), GREASE included. */
  public int cipherSuite(int i) {
    if (i < 0 || i >= cipherSuiteCount()) {
      throw new IndexOutOfBoundsException(i);
    }
    return buf.getUnsignedShort(cipherSuitesOffset + 2 * i);
  }

  /** Absolute offset of the first cipher suite. */
  public int cipherSuitesOffset() {
    return cipherSuitesOffset;
  }

  /** Wraps {@code list} over cipher_suites (always succeeds after a successful wrap of this view). */
  public boolean cipherSuites(TlsValueList list) {
    return list.wrapU16Values(buf, cipherSuitesOffset - 2, cipherSuitesLength + 2);
  }

  /** Number of legacy_compression_methods. */
  public int compressionMethodCount() {
    return compressionLength;
  }

  /** Compression method {@code i} (0 = null). */
  public int compressionMethod(int i) {
    if (i < 0 || i >= compressionLength) {
      throw new IndexOutOfBoundsException(i);
    }
    return buf.getUnsignedByte(compressionOffset + i);
  }

  /** True if the body has an extensions block (possibly empty). */
  public boolean hasExtensions() {
    return hasExtensions;
  }

  /** Absolute offset of the first extension (after the block's 2-byte length). */
  public int extensionsOffset() {
    return extensionsOffset;
  }

  /** Bytes of the extensions block (without its 2-byte length); 0 when absent. */
  public int extensionsLength() {
    return extensionsLength;
  }

  /** Starts {@code cursor} over the extensions (an empty walk when there are none). */
  public TlsExtensionCursor extensions(TlsExtensionCursor cursor) {
    cursor.wrap(buf, extensionsOffset, extensionsLength);
    return cursor;
  }
}
