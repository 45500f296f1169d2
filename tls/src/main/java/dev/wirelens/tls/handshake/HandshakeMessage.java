package dev.wirelens.tls.handshake;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * One handshake message (RFC 8446 §4, RFC 5246 §7.4): a 4-byte header and a body of {@code length} bytes.
 *
 * <pre>
 *  0        1        2        3        4
 * +--------+--------+--------+--------+------------- - -
 * |msg_type|       length (u24)       |  body ...
 * +--------+--------+--------+--------+------------- - -
 * </pre>
 *
 * msg_type passes through as an int ({@link HandshakeTypes} lists the known ones). Wrap the body with the view of
 * its type: {@code clientHello.wrap(m.buffer(), m.bodyOffset(), m.length())}.
 *
 * <p>Lifetime: borrowed. A message from {@link HandshakeReader#message()} is valid until the reader's next call; one
 * set by {@link #wrap(ByteBuf, int, int)} while the wrapped buffer is. {@link #body()} is a non-retained slice with
 * the same lifetime.
 *
 * <p>Allocation: none, except the slice objects of {@link #body()} and {@link #retainedBody()}.
 *
 * <p>Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * if (message.msgType() == HandshakeTypes.CLIENT_HELLO
 *     && hello.wrap(message.buffer(), message.bodyOffset(), message.length())) {
 *   use(hello.cipherSuiteCount());
 * }
 * }</pre>
 */
public final class HandshakeMessage {
  /** Bytes of a handshake message header. */
  public static final int HEADER_LENGTH = 4;

  private final MalformationReport report = new MalformationReport();
  private ByteBuf buf;
  private int offset;
  private int msgType = -1;
  private int length;
  private long streamOffset;

  /** Creates an empty view. */
  public HandshakeMessage() {}

  /**
   * Wraps the message whose header starts at {@code offset}; {@code length} bytes are available. False with
   * TRUNCATED (HEADER_MINIMUM below 4 bytes, TLS_LENGTH when the body is cut short) in {@link #report()}.
   */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    report.clear();
    msgType = -1;
    if (length < HEADER_LENGTH) {
      return report.truncated(Layer.TLS, offset, HEADER_LENGTH, length, LengthSource.HEADER_MINIMUM);
    }
    int len = buf.getUnsignedMedium(offset + 1);
    if ((long) HEADER_LENGTH + len > length) {
      return report.truncated(Layer.TLS, offset, HEADER_LENGTH + (long) len, length, LengthSource.TLS_LENGTH);
    }
    set(buf, offset, buf.getUnsignedByte(offset), len, offset);
    return true;
  }

  void set(ByteBuf buf, int offset, int msgType, int length, long streamOffset) {
    this.buf = buf;
    this.offset = offset;
    this.msgType = msgType;
    this.length = length;
    this.streamOffset = streamOffset;
  }

  void clear() {
    buf = null;
    msgType = -1;
  }

  /** The malformation of the last {@link #wrap(ByteBuf, int, int)}, or NONE. */
  public MalformationReport report() {
    return report;
  }

  /** Byte 0: msg_type; -1 when empty. */
  public int msgType() {
    return msgType;
  }

  /** Bytes 1-3: length of the body. */
  public int length() {
    return length;
  }

  /**
   * Offset of the message header in the handshake byte stream of its direction (the concatenated fragments fed to
   * the reader), or the wrapped offset.
   */
  public long streamOffset() {
    return streamOffset;
  }

  /** The buffer the message lies in. */
  public ByteBuf buffer() {
    return buf;
  }

  /** Absolute offset of the header in {@link #buffer()}. */
  public int offset() {
    return offset;
  }

  /** Absolute offset of the body in {@link #buffer()}. */
  public int bodyOffset() {
    return offset + HEADER_LENGTH;
  }

  /** The body as a non-retained slice, valid as long as this message. */
  public ByteBuf body() {
    // bounds: checked in wrap() or by the reader
    return buf.slice(offset + HEADER_LENGTH, length);
  }

  /** The body as a retained slice the caller releases. */
  public ByteBuf retainedBody() {
    return buf.retainedSlice(offset + HEADER_LENGTH, length);
  }

  /** The whole message, header and body, as a non-retained slice (e.g. for a transcript hash). */
  public ByteBuf message() {
    return buf.slice(offset, HEADER_LENGTH + length);
  }

  /** Debugging only. */
  @Override
  public String toString() {
    return "HandshakeMessage[type=" + msgType + ", length=" + length + ", streamOffset=" + streamOffset + "]";
  }
}
