package dev.wirelens.tls;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * One TLS record (RFC 8446 §5.1, RFC 5246 §6.2.1): a 5-byte header and a fragment of {@code length} bytes.
 *
 * <pre>
 *  0        1        2        3        4        5
 * +--------+--------+--------+--------+--------+------------- - -
 * |  type  |  legacy_version |     length      |  fragment ...
 * +--------+--------+--------+--------+--------+------------- - -
 * </pre>
 *
 * The content type passes through as an int, known or not (20 change_cipher_spec, 21 alert, 22 handshake,
 * 23 application_data, 24 heartbeat; see the constants). The fragment is plaintext, compressed or protected
 * depending on the connection state, which this view does not know.
 *
 * <p><b>SSLv2 records</b> (RFC 6101 Appendix E; the SSLv2-compatible ClientHello of RFC 5246 Appendix E.2): when
 * {@link TlsRecordReader} frames an SSLv2 record (see there for when), it has {@link #isSsl2()} true,
 * {@link #contentType()} {@link #SSL2} (256, outside the 8-bit range, so it never collides with a TLS content
 * type), {@link #headerLength()} 2, and a {@link #fragment()} that starts at the SSLv2 msg_type byte and is
 * {@link #length()} bytes long. {@link #isSsl2ClientHello()} marks a CLIENT-HELLO at the start of the stream; for it
 * {@link #legacyVersion()} is the client's version (message bytes 1-2), for a SERVER-HELLO at the start the server's
 * version (message bytes 3-4), else 0. Such a fragment is <i>not</i> a TLS handshake message and must not be fed to
 * a {@code HandshakeReader}.
 *
 * <p>Lifetime: borrowed. A record from {@link TlsRecordReader#record()} is valid until the reader's next call; one
 * set by {@link #wrap(ByteBuf, int, int)} while the wrapped buffer is. {@link #fragment()} is a non-retained slice
 * with the same lifetime; {@link #retainedFragment()} returns a reference the caller releases.
 *
 * <p>A record from a reader with a {@link TlsRecordReader.FragmentFilter} may come without its fragment
 * ({@link #hasFragment()} false): then only the header fields are known.
 *
 * <p>Allocation: none, except the slice objects of {@link #fragment()} and {@link #retainedFragment()}.
 *
 * <p>Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * TlsRecord r = new TlsRecord();
 * if (r.wrap(buf, 0, buf.readableBytes()) && r.contentType() == ContentTypes.HANDSHAKE) {
 *   handshakes.feed(r.retainedFragment());
 * }
 * }</pre>
 */
public final class TlsRecord {
  /** The pseudo content type of an SSLv2 record (see the class comment): 256, outside the 8-bit range. */
  public static final int SSL2 = 256;
  /** The same value as {@link #SSL2}, the name of the first version of this API; prefer {@link #isSsl2ClientHello()}. */
  public static final int SSL2_CLIENT_HELLO = SSL2;
  /** Bytes of a TLS record header. */
  public static final int HEADER_LENGTH = 5;

  private final MalformationReport report = new MalformationReport();
  private ByteBuf buf;
  private int offset;
  private int contentType = -1;
  private int legacyVersion;
  private int length;
  private long streamOffset;
  private boolean ssl2ClientHello;

  /** Creates an empty view. */
  public TlsRecord() {}

  /**
   * Wraps the record whose header starts at {@code offset}; {@code length} bytes are available. False with
   * TRUNCATED (HEADER_MINIMUM below 5 bytes, TLS_LENGTH when the fragment is cut short) in {@link #report()}.
   * Does not recognise SSLv2 (only the reader does, at a stream's start); {@link #streamOffset()} becomes
   * {@code offset}.
   */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    report.clear();
    contentType = -1;
    if (length < HEADER_LENGTH) {
      return report.truncated(Layer.TLS, offset, HEADER_LENGTH, length, LengthSource.HEADER_MINIMUM);
    }
    int len = buf.getUnsignedShort(offset + 3);
    if (HEADER_LENGTH + len > length) {
      return report.truncated(Layer.TLS, offset, HEADER_LENGTH + len, length, LengthSource.TLS_LENGTH);
    }
    set(buf, offset, buf.getUnsignedByte(offset), buf.getUnsignedShort(offset + 1), len, offset);
    return true;
  }

  void set(ByteBuf buf, int offset, int contentType, int legacyVersion, int length, long streamOffset) {
    if (this.buf != buf) {
      this.buf = buf; // a conditional store skips the GC write barrier when records come from the same buffer
    }
    this.offset = offset;
    this.contentType = contentType;
    this.legacyVersion = legacyVersion;
    this.length = length;
    this.streamOffset = streamOffset;
  }

  /**
   * A record whose fragment the reader passed over ({@link TlsRecordReader.FragmentFilter}): header fields only. A
   * null {@link #buffer()} is what marks it, so that {@link #set} (the hot path) stores no extra flag.
   */
  void setHeaderOnly(int contentType, int legacyVersion, int length, long streamOffset) {
    this.buf = null;
    this.offset = 0;
    this.contentType = contentType;
    this.legacyVersion = legacyVersion;
    this.length = length;
    this.streamOffset = streamOffset;
    this.ssl2ClientHello = false;
  }

  void ssl2ClientHello(boolean value) {
    this.ssl2ClientHello = value;
  }

  void clear() {
    contentType = -1;
  }

  void forget() {
    buf = null;
    contentType = -1;
  }

  /** The malformation of the last {@link #wrap(ByteBuf, int, int)}, or NONE. */
  public MalformationReport report() {
    return report;
  }

  /** Byte 0: ContentType; {@link #SSL2} for an SSLv2 record; -1 when empty. */
  public int contentType() {
    return contentType;
  }

  /** Bytes 1-2: legacy_record_version (0x0301 for TLS 1.0 ... 0x0303); for SSLv2 the ClientHello's version. */
  public int legacyVersion() {
    return legacyVersion;
  }

  /** Bytes 3-4: length of the fragment (for SSLv2 the 15-bit record length). */
  public int length() {
    return length;
  }

  /** Bytes of the header: 5, or 2 for an SSLv2 record. */
  public int headerLength() {
    return contentType == SSL2 ? 2 : HEADER_LENGTH;
  }

  /** True for an SSLv2 record (see the class comment). */
  public boolean isSsl2() {
    return contentType == SSL2;
  }

  /** True for an SSLv2 CLIENT-HELLO at the start of a stream, the SSLv2-compatible ClientHello. */
  public boolean isSsl2ClientHello() {
    return contentType == SSL2 && ssl2ClientHello;
  }

  /** Offset of the record header in its direction's byte stream (from the reader), or the wrapped offset. */
  public long streamOffset() {
    return streamOffset;
  }

  /**
   * False for a record from a {@link TlsRecordReader} whose {@link TlsRecordReader.FragmentFilter} said its fragment
   * is not needed: the reader passed over those bytes without keeping them, so only the header fields are known and
   * {@link #buffer()} is null.
   */
  public boolean hasFragment() {
    return buf != null && contentType != -1;
  }

  /** The buffer the record lies in (a fed buffer, or the reader's assembly buffer); null without a fragment. */
  public ByteBuf buffer() {
    return buf;
  }

  /** Absolute offset of the record header in {@link #buffer()}. */
  public int offset() {
    return offset;
  }

  /** Absolute offset of the fragment in {@link #buffer()}. */
  public int fragmentOffset() {
    return offset + headerLength();
  }

  /** The fragment as a non-retained slice, valid as long as this record. */
  public ByteBuf fragment() {
    requireFragment();
    // bounds: checked in wrap() or by the reader
    return buf.slice(offset + headerLength(), length);
  }

  /** The fragment as a retained slice: a new reference the caller releases (or feeds on). */
  public ByteBuf retainedFragment() {
    requireFragment();
    return buf.retainedSlice(offset + headerLength(), length);
  }

  private void requireFragment() {
    if (buf == null) {
      throw new IllegalStateException("the reader passed over this record's fragment (FragmentFilter)");
    }
  }

  /** Debugging only. */
  @Override
  public String toString() {
    return "TlsRecord[type=" + contentType + ", version=0x" + Integer.toHexString(legacyVersion) + ", length=" + length
        + ", streamOffset=" + streamOffset + "]";
  }
}
