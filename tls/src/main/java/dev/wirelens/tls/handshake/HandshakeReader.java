package dev.wirelens.tls.handshake;

import dev.wirelens.DecodeStatus;
import dev.wirelens.LengthSource;
import dev.wirelens.Limits;
import dev.wirelens.MalformationReport;
import dev.wirelens.tls.internal.ByteQueue;
import dev.wirelens.tls.internal.Framer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * Reassembles the handshake messages of one direction (RFC 8446 §4, RFC 5246 §7.4; the header is drawn in
 * {@link HandshakeMessage}) from the fragments of its handshake records (content type 22) and, in TLS 1.3, from
 * decrypted handshake plaintext. A message may span records; a record may hold several messages (RFC 8446 §5.1).
 *
 * <p>Grammar: {@code (feed* next)* [endOfInput next] close}. {@link #next()} returns
 * <ul>
 *   <li>{@link DecodeStatus#RECORD}: the handshake stream's unit, a message, is in {@link #message()};
 *   <li>{@link DecodeStatus#NEED_MORE}: feed the next handshake fragment;
 *   <li>{@link DecodeStatus#MALFORMED}: terminal until {@link #reset()}. A length above
 *       {@link Limits#maxTlsHandshakeMessageLength()} is LIMIT_EXCEEDED at the handshake-stream offset of the length
 *       field (header + 1); after {@link #endOfInput()}, a partial message is TRUNCATED at its header's offset;
 *   <li>{@link DecodeStatus#END}: {@link #endOfInput()} was called and the stream ended at a message boundary.
 * </ul>
 * Offsets are positions in the handshake byte stream: the concatenation of everything fed since construction or
 * {@link #reset()}. Unknown msg_types are values.
 *
 * <p>Lifetime: {@link #feed(ByteBuf)} transfers one reference (feed a record's {@code retainedFragment()}). The
 * message from {@link #message()} is valid until the next {@code feed}, {@code next}, {@code reset} or
 * {@code close}.
 *
 * <p>Allocation: none for a message inside one fed fragment (a slice of it); a message spanning fragments is copied
 * into one heap buffer of exactly its size, at most {@code 4 + maxTlsHandshakeMessageLength()} bytes.
 *
 * <p>Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * handshakes.feed(record.retainedFragment());
 * while (handshakes.next() == DecodeStatus.RECORD) {
 *   HandshakeMessage m = handshakes.message();
 *   if (m.msgType() == HandshakeTypes.SERVER_HELLO) serverHello.wrap(m.buffer(), m.bodyOffset(), m.length());
 * }
 * }</pre>
 */
public final class HandshakeReader implements AutoCloseable {
  private final int maxLength;
  private final Framer framer;
  private final ByteQueue input;
  private final HandshakeMessage message = new HandshakeMessage();

  /** Creates a reader with the caps of {@code limits}, copying spanning messages into unpooled heap buffers. */
  public HandshakeReader(Limits limits) {
    this(limits, UnpooledByteBufAllocator.DEFAULT);
  }

  /** Creates a reader with the caps of {@code limits}, copying spanning messages into buffers of {@code allocator}. */
  public HandshakeReader(Limits limits, ByteBufAllocator allocator) {
    this.maxLength = limits.maxTlsHandshakeMessageLength();
    this.framer = new Framer(allocator);
    this.input = framer.input();
  }

  /** Appends the readable bytes of {@code fragment} to the handshake stream; takes ownership of one reference. */
  public void feed(ByteBuf fragment) {
    framer.requireOpen(fragment);
    message.clear();
    input.add(fragment);
  }

  /** Declares that no more fragments follow; {@link #next()} then returns END at a boundary or TRUNCATED. */
  public void endOfInput() {
    framer.endOfInput();
  }

  /** Frames the next message. See the class comment for the statuses. */
  public DecodeStatus next() {
    message.clear();
    DecodeStatus boundary = framer.atBoundary();
    if (boundary != null) {
      return boundary;
    }
    int avail = input.available();
    long at = input.position();
    if (avail < HandshakeMessage.HEADER_LENGTH) {
      return framer.needMore(at, HandshakeMessage.HEADER_LENGTH, avail, LengthSource.HEADER_MINIMUM);
    }
    int len = (input.getUnsignedByte(1) << 16) | (input.getUnsignedByte(2) << 8) | input.getUnsignedByte(3);
    if (len > maxLength) {
      return framer.limitExceeded(at + 1);
    }
    int total = HandshakeMessage.HEADER_LENGTH + len;
    if (avail < total) {
      return framer.needMore(at, total, avail, LengthSource.TLS_LENGTH);
    }
    int type = input.getUnsignedByte(0);
    ByteBuf b = input.take(total);
    message.set(b, input.takenOffset(), type, len, at);
    return DecodeStatus.RECORD;
  }

  /** The message found by the last {@link #next()} that returned RECORD; borrowed until the next call. */
  public HandshakeMessage message() {
    return message;
  }

  /**
   * The malformation after MALFORMED, else NONE; its offset is a handshake-stream offset (see the class comment),
   * not a TCP stream offset: record headers are not in the handshake stream.
   */
  public MalformationReport report() {
    return framer.report();
  }

  /**
   * The msg_type byte at {@link #streamOffset()} (after a LIMIT_EXCEEDED, that of the refused message), or -1 when
   * no byte is buffered there.
   */
  public int pendingMsgType() {
    return input.available() > 0 ? input.getUnsignedByte(0) : -1;
  }

  /** Handshake-stream offset of the first byte not yet framed. */
  public long streamOffset() {
    return input.position();
  }

  /** Bytes fed and not yet framed (a partial message). */
  public int bufferedBytes() {
    return input.available();
  }

  /**
   * Between calls, when the caller keeps nothing of the last message: lets go of what only the last message needed
   * (a spanning message's copy) and copies the unframed remainder (a partial message) where it would otherwise keep
   * alive a much larger fed buffer (a record of a capture reader's read chunk). The last message is invalid
   * afterwards. Allocation: a heap copy of each such remainder.
   */
  public void compact() {
    message.clear();
    input.compact();
  }

  /** Bytes of memory the reader keeps alive: the capacity of each distinct buffer under what it holds. */
  public long retainedCapacity() {
    return input.retainedCapacity();
  }

  /** Releases all buffered bytes and starts a new handshake stream at offset 0. */
  public void reset() {
    message.clear();
    framer.reset();
  }

  /** Releases all buffered bytes; the same as {@link #release()}. */
  @Override
  public void close() {
    release();
  }

  /** Releases all buffered bytes. The reader may be reused after {@link #reset()}. */
  public void release() {
    message.clear();
    framer.release();
  }
}
