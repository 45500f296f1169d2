package dev.wirelens.websocket;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.websocket.internal.HeldBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.Objects;

/**
 * Pull reader of the WebSocket frames (RFC 6455 §5.2, diagram at {@link WebSocketFrame}) of one direction of a
 * connection, after the opening handshake.
 *
 * <p>Grammar: {@code (feed next* )* endOfInput? next* close}. {@link #next()} returns {@link DecodeStatus#FRAME}
 * (a frame or a part of one is in {@link #frame()}), {@link DecodeStatus#NEED_MORE}, {@link DecodeStatus#MALFORMED}
 * (terminal; {@link #report()} says why and where) or, after {@link #endOfInput()} at a frame boundary, {@link
 * DecodeStatus#END}.
 *
 * <p>The reader enforces framing only; protocol rules (masking direction, control frame size, fragmentation,
 * reserved bits and opcodes) are reported by {@link WebSocketConnectionDissector} as {@link WebSocketViolation}s.
 * Malformed are: a 64-bit length with its most significant bit set ({@link Malformation#BAD_LENGTH_FIELD} at the
 * length field, RFC 6455 §5.2 "the most significant bit MUST be 0"), a payload length above {@link
 * Limits#maxWebSocketFrameLength()} ({@link Malformation#LIMIT_EXCEEDED} at the frame), and input that ends inside
 * a frame ({@link Malformation#TRUNCATED} after {@link #endOfInput()}). A non-minimal length encoding is delivered
 * and flagged ({@link WebSocketFrame#isNonMinimalLength()}). Offsets are stream offsets: bytes since the first byte
 * fed.
 *
 * <p>Lifetime: {@link #feed} transfers one reference of its argument to the reader, which keeps the input as the
 * buffer fed or, when bytes remain, as a {@link CompositeByteBuf} of the buffers fed (no copy) and releases them as
 * they are consumed. {@link #frame()} and its payload are borrowed until the next {@code next()}, {@code feed()} or
 * {@code close()}. {@link #close()} releases everything.
 *
 * <p>Memory: fed buffers are usually slices of a capture reader's large read chunks. When {@link #next()} returns
 * {@code NEED_MORE}, the bytes kept for the next feed (an unfinished header or frame, at most {@link
 * #MAX_PART_LENGTH} plus a header) are compacted: each fed piece of them that is at most {@code
 * TcpReassembler.COPY_AT_MOST} bytes or less than 1/{@code TcpReassembler.COPY_WHEN_PARENT_RATIO} of the buffer it
 * would keep alive is replaced by a heap copy of exactly its bytes; larger shares stay slices. So what the reader
 * holds between feeds is about the bytes it has not delivered ({@link #retainedCapacity()}), never a whole chunk.
 *
 * <p>Allocation: none per frame (the payload slice is made only when asked for); a composite buffer header when
 * bytes remain between feeds, and the copies of remainders that would pin a much larger buffer; its frame's
 * 8 KiB unmasking scratch, once, if a masked part is ever unmasked into a buffer without an array ({@link
 * WebSocketFrame#unmaskTo(ByteBuf)}).
 *
 * <p>Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * reader.feed(bytes);
 * DecodeStatus s;
 * while ((s = reader.next()) == DecodeStatus.FRAME) {
 *   WebSocketFrame f = reader.frame();
 *   if (f.isLastPart()) frames++;
 * }
 * }</pre>
 */
public final class WebSocketFrameReader implements AutoCloseable {
  /**
   * Largest payload part delivered at once, and the largest frame payload that is waited for to be delivered whole:
   * 64 KiB.
   */
  public static final int MAX_PART_LENGTH = 64 * 1024;

  private final Limits limits;
  private final ByteBufAllocator alloc;
  private final WebSocketFrame frame = new WebSocketFrame(this);
  private int generation;
  private final MalformationReport report = new MalformationReport();
  private ByteBuf in;
  private boolean ownComposite;
  private long inOffset;
  private int pendingSkip;
  private boolean inPayload;
  private long remaining;
  private long partOffset;
  private long frameCount;
  private boolean ended;
  private boolean malformed;

  /** A reader with the given limits, composing buffers with {@code alloc}. */
  public WebSocketFrameReader(Limits limits, ByteBufAllocator alloc) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.alloc = Objects.requireNonNull(alloc, "alloc");
  }

  /** A reader with the given limits and {@link ByteBufAllocator#DEFAULT}. */
  public WebSocketFrameReader(Limits limits) {
    this(limits, ByteBufAllocator.DEFAULT);
  }

  /** Appends {@code data} to the input, taking over one reference (released even if the reader is closed). */
  public void feed(ByteBuf data) {
    moveOn();
    if (ended || malformed) {
      data.release();
      return;
    }
    applySkip();
    if (!data.isReadable()) {
      data.release();
      return;
    }
    if (in == null) {
      in = data;
      ownComposite = false;
    } else if (!in.isReadable()) {
      in.release();
      in = data;
      ownComposite = false;
    } else {
      if (!ownComposite) {
        // a composite of our own: one fed by the caller may be shared, so it is never appended to
        CompositeByteBuf c = alloc.compositeBuffer(Integer.MAX_VALUE);
        c.addComponent(true, in);
        in = c;
        ownComposite = true;
      }
      ((CompositeByteBuf) in).addComponent(true, data);
    }
  }

  /** Declares that no more bytes follow: {@link #next()} then returns {@code END} at a frame boundary. */
  public void endOfInput() {
    ended = true;
  }

  /** Finds the next frame or payload part. */
  public DecodeStatus next() {
    moveOn();
    applySkip();
    if (malformed) {
      return DecodeStatus.MALFORMED;
    }
    int available = in == null ? 0 : in.readableBytes();
    if (!inPayload) {
      if (available < 2) {
        return available == 0 && ended ? DecodeStatus.END : needMore(2, available, LengthSource.HEADER_MINIMUM);
      }
      int r = in.readerIndex();
      int b0 = in.getUnsignedByte(r);
      int b1 = in.getUnsignedByte(r + 1);
      int len7 = b1 & 0x7F;
      int headerLength = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((b1 & 0x80) != 0 ? 4 : 0);
      if (available < headerLength) {
        return needMore(headerLength, available, LengthSource.HEADER_LENGTH_FIELD);
      }
      long length;
      boolean nonMinimal = false;
      if (len7 == 126) {
        length = in.getUnsignedShort(r + 2);
        nonMinimal = length < 126;
      } else if (len7 == 127) {
        length = in.getLong(r + 2);
        if (length < 0) {
          malformed = true;
          report.invalid(Layer.WEBSOCKET, Malformation.BAD_LENGTH_FIELD, inOffset + 2);
          return DecodeStatus.MALFORMED;
        }
        nonMinimal = length <= 0xFFFF;
      } else {
        length = len7;
      }
      if (length > limits.maxWebSocketFrameLength()) {
        malformed = true;
        report.invalid(Layer.WEBSOCKET, Malformation.LIMIT_EXCEEDED, inOffset);
        return DecodeStatus.MALFORMED;
      }
      if (length <= MAX_PART_LENGTH && available < headerLength + length) {
        return needMore(headerLength + length, available, LengthSource.WEBSOCKET_PAYLOAD_LENGTH);
      }
      int key = (b1 & 0x80) != 0 ? in.getInt(r + headerLength - 4) : 0;
      frame.header(frameCount++, inOffset, headerLength, b0, b1, key, length, nonMinimal);
      in.skipBytes(headerLength);
      inOffset += headerLength;
      available -= headerLength;
      inPayload = true;
      remaining = length;
      partOffset = 0;
    }
    if (remaining > 0 && available == 0) {
      return needMore(1, 0, LengthSource.WEBSOCKET_PAYLOAD_LENGTH);
    }
    int n = (int) Math.min(Math.min(remaining, available), MAX_PART_LENGTH);
    frame.part(in, in.readerIndex(), n, partOffset);
    pendingSkip = n;
    partOffset += n;
    remaining -= n;
    if (remaining == 0) {
      inPayload = false;
    }
    report.clear();
    return DecodeStatus.FRAME;
  }

  private DecodeStatus needMore(long required, long available, LengthSource source) {
    if (!ended) {
      compact();
      return DecodeStatus.NEED_MORE;
    }
    malformed = true;
    report.truncated(Layer.WEBSOCKET, inPayload ? frame.frameOffset() : inOffset,
        inPayload ? frame.headerLength() + frame.payloadLength() : required,
        inPayload ? frame.headerLength() + partOffset + available : available, source);
    return DecodeStatus.MALFORMED;
  }

  /**
   * Between frames, when no frame is borrowed: replaces kept bytes that would pin a much larger buffer by copies
   * (see the class comment); invalidates {@link #frame()}.
   */
  void compact() {
    moveOn();
    applySkip();
    if (in == null) {
      return;
    }
    if (!in.isReadable()) {
      in.release();
      in = null;
      ownComposite = false;
      return;
    }
    ByteBuf kept = HeldBytes.compact(in, alloc);
    if (kept != in) {
      in = kept;
      ownComposite = kept instanceof CompositeByteBuf;
    }
  }

  private void applySkip() {
    if (pendingSkip > 0) {
      in.skipBytes(pendingSkip);
      inOffset += pendingSkip;
      pendingSkip = 0;
      if (ownComposite) {
        ((CompositeByteBuf) in).discardReadComponents();
      }
    }
  }

  /** The borrowed frame becomes stale: a new generation, and its lent payload view is revoked. */
  private void moveOn() {
    generation++;
    frame.revokePayload();
  }

  int generation() {
    return generation;
  }

  /** The frame (part) found by the last {@code next()} that returned {@code FRAME}; borrowed until the next call. */
  public WebSocketFrame frame() {
    return frame;
  }

  /** The malformation met by the last {@code next()}; {@link Malformation#NONE} otherwise. */
  public MalformationReport report() {
    return report;
  }

  /** Number of frames whose header was read so far. */
  public long frameCount() {
    return frameCount;
  }

  /** Stream offset of the next unread byte. */
  public long streamOffset() {
    return inOffset + pendingSkip;
  }

  /** Bytes fed but not yet delivered. */
  public int bufferedBytes() {
    return in == null ? 0 : in.readableBytes() - pendingSkip;
  }

  /**
   * Bytes this reader keeps alive: the capacity of each distinct buffer under its input (the root of each fed
   * slice, or the copies it made), 0 when it holds nothing.
   */
  public long retainedCapacity() {
    return HeldBytes.retainedCapacity(in);
  }

  /** True inside a frame whose header was delivered and whose last part was not. */
  public boolean isInsideFrame() {
    return inPayload;
  }

  /** Releases the input; the reader then returns {@code END} (or stays {@code MALFORMED}). */
  @Override
  public void close() {
    moveOn();
    pendingSkip = 0;
    ended = true;
    inPayload = false;
    if (in != null) {
      in.release();
      in = null;
    }
  }
}
