package dev.wirelens.websocket;

import dev.wirelens.BorrowedViews;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * One WebSocket frame (RFC 6455 §5.2) as found by a {@link WebSocketFrameReader}: the header fields, and one part of
 * the payload.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-------+-+-------------+-------------------------------+
 *  |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 *  |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 *  |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 *  | |1|2|3|       |K|             |                               |
 *  +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 *  |     Extended payload length continued, if payload len == 127  |
 *  + - - - - - - - - - - - - - - - +-------------------------------+
 *  |                               |Masking-key, if MASK set to 1  |
 *  +-------------------------------+-------------------------------+
 *  | Masking-key (continued)       |          Payload Data         |
 *  +-------------------------------- - - - - - - - - - - - - - - - +
 * </pre>
 *
 * <p>Parts: a frame whose payload is at most {@link WebSocketFrameReader#MAX_PART_LENGTH} bytes is delivered once,
 * whole ({@link #isFirstPart()} and {@link #isLastPart()} both true). A longer frame is delivered as the bytes
 * arrive, in parts of at most that many bytes, each with the same header fields and its own {@link
 * #payloadPartOffset()}; so no frame is ever buffered whole.
 *
 * <p>Lifetime: owned by its reader and rewritten by every {@code next()}; {@link #payload()} is a non-retained
 * slice of the reader's input, valid until the reader's next {@code next()}, {@code feed()} or {@code close()}. Use
 * {@link #retainedPayload()} or {@link #unmaskTo(ByteBuf)} to keep bytes. Under the stale-view debug mode
 * ({@link BorrowedViews}, on by default with {@code -ea}) the payload view is revoked when the reader moves on: a kept
 * reference throws {@link IllegalStateException} "view used after its callback returned" on its next read.
 *
 * <p>Allocation: accessors none; {@link #payload()} makes one slice object on its first call per part; {@link
 * #unmaskedCopy(ByteBufAllocator)} allocates from the given allocator; the first {@link #unmaskTo(ByteBuf)} of a
 * masked part of at least 512 bytes into a buffer without a backing array (direct, composite) makes an 8 KiB scratch
 * array, kept and reused for the reader's life (unmasking through it is about twice as fast as through the
 * buffer's {@code getLong}/{@code setLong}).
 *
 * <p>Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * while (reader.next() == DecodeStatus.FRAME) {
 *   WebSocketFrame f = reader.frame();
 *   if (f.opcode() == WebSocketOpcodes.TEXT) f.unmaskTo(out);
 * }
 * }</pre>
 */
public final class WebSocketFrame {
  private long frameIndex;
  private long frameOffset;
  private int headerLength;
  private boolean fin;
  private int rsv;
  private int opcode;
  private boolean masked;
  private int maskingKey;
  private long payloadLength;
  private boolean nonMinimalLength;
  private ByteBuf source;
  private int sourceIndex;
  private int partLength;
  private ByteBuf part;
  private long partOffset;

  private final WebSocketFrameReader owner;
  private int generation;
  /** Unmasking into a destination without an array (direct, composite): made on first need, then reused. */
  private byte[] scratch;

  WebSocketFrame(WebSocketFrameReader owner) {
    this.owner = owner;
  }

  /** With {@code -ea}: the payload is read after the reader moved on (house style, "stale access is caught"). */
  private boolean current() {
    return generation == owner.generation();
  }

  void header(long index, long offset, int headerLength, int b0, int b1, int maskingKey, long payloadLength,
      boolean nonMinimal) {
    this.frameIndex = index;
    this.frameOffset = offset;
    this.headerLength = headerLength;
    this.fin = (b0 & 0x80) != 0;
    this.rsv = (b0 >>> 4) & 0x7;
    this.opcode = b0 & 0x0F;
    this.masked = (b1 & 0x80) != 0;
    this.maskingKey = maskingKey;
    this.payloadLength = payloadLength;
    this.nonMinimalLength = nonMinimal;
  }

  void part(ByteBuf source, int index, int length, long partOffset) {
    this.source = source;
    this.sourceIndex = index;
    this.partLength = length;
    this.part = null; // the slice is made on demand: reading a frame allocates nothing
    this.partOffset = partOffset;
    this.generation = owner.generation();
  }

  /**
   * The reader moved on: under the stale-view debug mode ({@link BorrowedViews}), the {@link #payload()} view handed
   * out is revoked, so a kept reference throws on its next read instead of reading later bytes.
   */
  void revokePayload() {
    if (BorrowedViews.ENABLED && part != null) {
      BorrowedViews.revoke(part, null);
      part = null;
    }
  }

  ByteBuf source() {
    return source;
  }

  int sourceIndex() {
    return sourceIndex;
  }

  /** 0-based index of this frame among the frames of its stream (one direction). */
  public long frameIndex() {
    return frameIndex;
  }

  /** Offset of the frame's first header byte in its stream (bytes since the reader's first byte). */
  public long frameOffset() {
    return frameOffset;
  }

  /** Header length: 2, plus 2 or 8 extended length bytes, plus 4 masking key bytes when masked. */
  public int headerLength() {
    return headerLength;
  }

  /** Byte 0 bit 7: FIN, this is the final fragment of a message. */
  public boolean isFin() {
    return fin;
  }

  /** Byte 0 bits 6-4: RSV1 (bit 2 of the result), RSV2, RSV3. */
  public int rsv() {
    return rsv;
  }

  /** Byte 0 bit 6: RSV1 (RFC 7692: "Per-Message Compressed" on the first frame of a message). */
  public boolean isRsv1() {
    return (rsv & 4) != 0;
  }

  /** Byte 0 bit 5: RSV2. */
  public boolean isRsv2() {
    return (rsv & 2) != 0;
  }

  /** Byte 0 bit 4: RSV3. */
  public boolean isRsv3() {
    return (rsv & 1) != 0;
  }

  /** Byte 0 bits 3-0: opcode, see {@link WebSocketOpcodes}. */
  public int opcode() {
    return opcode;
  }

  /** True for opcodes 0x8-0xF (control frames). */
  public boolean isControl() {
    return WebSocketOpcodes.isControl(opcode);
  }

  /** Byte 1 bit 7: MASK, the payload is masked with {@link #maskingKey()}. */
  public boolean isMasked() {
    return masked;
  }

  /** The 4 masking key bytes after the length, big-endian in an {@code int}; 0 when not masked. */
  public int maskingKey() {
    return maskingKey;
  }

  /** Payload length: byte 1 bits 6-0, or the 16-bit (126) or 64-bit (127) extended length that follows. */
  public long payloadLength() {
    return payloadLength;
  }

  /**
   * True when the length used more bytes than needed (a 16-bit length below 126, a 64-bit length below 65536),
   * which RFC 6455 §5.2 forbids ("the minimal number of bytes MUST be used"); the frame is still delivered.
   */
  public boolean isNonMinimalLength() {
    return nonMinimalLength;
  }

  /**
   * The bytes of this part of the payload, still masked: a non-retained slice (made on the first call), borrowed
   * until the next call of the reader.
   */
  public ByteBuf payload() {
    assert current() : "WebSocketFrame used after its reader's next(), feed() or close()";
    if (part == null) {
      part = partLength == 0 ? Unpooled.EMPTY_BUFFER
          : BorrowedViews.lend(source.slice(sourceIndex, partLength), "WebSocketFrame.payload()");
    }
    return part;
  }

  /** A retained slice of this part's payload; the caller releases it. */
  public ByteBuf retainedPayload() {
    assert current() : "WebSocketFrame used after its reader's next(), feed() or close()";
    return partLength == 0 ? Unpooled.EMPTY_BUFFER : source.retainedSlice(sourceIndex, partLength);
  }

  /** Number of payload bytes in this part. */
  public int payloadPartLength() {
    return partLength;
  }

  /** Position of this part's first byte within the frame's payload. */
  public long payloadPartOffset() {
    return partOffset;
  }

  /** True when this part starts the payload (always true for a frame delivered whole). */
  public boolean isFirstPart() {
    return partOffset == 0;
  }

  /** True when this part ends the payload (always true for a frame delivered whole). */
  public boolean isLastPart() {
    return partOffset + partLength == payloadLength;
  }

  /** Writes this part's payload, unmasked, to {@code dst} (copied unchanged when not masked). */
  public void unmaskTo(ByteBuf dst) {
    assert current() : "WebSocketFrame used after its reader's next(), feed() or close()";
    if (masked) {
      byte[] s = scratch;
      if (s == null && partLength >= WebSocketUnmasker.SCRATCH_FROM && !dst.hasArray()) {
        s = scratch = new byte[WebSocketUnmasker.SCRATCH_LENGTH];
      }
      WebSocketUnmasker.unmask(source, sourceIndex, partLength, maskingKey, partOffset, dst, s);
    } else if (partLength > 0) {
      dst.writeBytes(source, sourceIndex, partLength);
    }
  }

  /** This part's payload, unmasked, in a new buffer from {@code alloc}; the caller releases it. */
  public ByteBuf unmaskedCopy(ByteBufAllocator alloc) {
    ByteBuf out = alloc.buffer(partLength);
    try {
      unmaskTo(out);
      ByteBuf result = out;
      out = null;
      return result;
    } finally {
      if (out != null) {
        out.release();
      }
    }
  }

  @Override
  public String toString() {
    return "WebSocketFrame[#" + frameIndex + " @" + frameOffset + " fin=" + fin + " rsv=" + rsv + " opcode=" + opcode
        + " masked=" + masked + " len=" + payloadLength + " part=" + partOffset + "+"
        + partLength + "]";
  }
}
