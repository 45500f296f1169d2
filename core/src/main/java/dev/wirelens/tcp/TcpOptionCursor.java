package dev.wirelens.tcp;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * Walks the options of a TCP header (RFC 9293 §3.1, §3.2). An option is one byte of kind, then for every kind but
 * End of Option List (0) and No-Operation (1) one byte of length (counting kind and length) and the value:
 *
 * <pre>
 * +--------+--------+--------- - -
 * |  Kind  | Length | Value ...
 * +--------+--------+--------- - -
 * </pre>
 *
 * Known kinds: MSS (2, length 4, RFC 9293 §3.2), window scale (3, length 3, RFC 7323 §2), SACK-permitted (4, length 2,
 * RFC 2018), SACK (5, length 2 + 8n, RFC 2018 §3), timestamps (8, length 10, RFC 7323 §3). Other kinds pass through
 * with their raw value ({@link #valueOffset()}, {@link #valueLength()}).
 *
 * <p>The walk ends after End of Option List (which is returned once), at the end of the options, or at a bad option:
 * a length below 2, a length running past the options area, or a known kind with a length its RFC does not allow
 * (all BAD_LENGTH_FIELD at the length byte), or a kind whose length byte is missing (TRUNCATED,
 * {@link LengthSource#OPTION_LENGTH}); {@link #report()} then says which. Grammar: {@code wrap (next)*}.
 *
 * <p>Lifetime: {@code wrap} borrows the buffer. Allocation: none, except {@link #value()}. Thread safety: this class
 * is not thread safe.
 *
 * <pre>{@code
 * options.wrap(tcp);
 * while (options.next()) {
 *   switch (options.kind()) {
 *     case TcpOptionCursor.MSS: mss = options.mss(); break;
 *     case TcpOptionCursor.WINDOW_SCALE: shift = options.windowScale(); break;
 *     default: break;
 *   }
 * }
 * }</pre>
 */
public final class TcpOptionCursor {
  /** Kind 0: End of Option List. */
  public static final int EOL = 0;
  /** Kind 1: No-Operation. */
  public static final int NOP = 1;
  /** Kind 2: Maximum Segment Size. */
  public static final int MSS = 2;
  /** Kind 3: Window Scale. */
  public static final int WINDOW_SCALE = 3;
  /** Kind 4: SACK permitted. */
  public static final int SACK_PERMITTED = 4;
  /** Kind 5: SACK blocks. */
  public static final int SACK = 5;
  /** Kind 8: Timestamps. */
  public static final int TIMESTAMPS = 8;
  /** Kind 19: MD5 signature (RFC 2385). */
  public static final int MD5_SIGNATURE = 19;
  /** Kind 29: TCP Authentication Option (RFC 5925). */
  public static final int AUTHENTICATION = 29;
  /** Kind 30: Multipath TCP (RFC 8684). */
  public static final int MULTIPATH = 30;
  /** Kind 34: TCP Fast Open cookie (RFC 7413). */
  public static final int FAST_OPEN = 34;

  private final MalformationReport report = new MalformationReport();
  private ByteBuf buf;
  private int position;
  private int end;
  private int kind = -1;
  private int optionOffset;
  private int optionLength;
  private boolean done;

  /** Creates an empty cursor. */
  public TcpOptionCursor() {}

  /** Starts a walk over the options of {@code segment}. */
  public boolean wrap(TcpSegment segment) {
    return wrap(segment.buffer(), segment.optionsOffset(), segment.optionsLength());
  }

  /** Starts a walk over {@code length} option bytes at {@code offset}. Always true: problems come from next(). */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    report.clear();
    if (this.buf != buf) {
      this.buf = buf; // a conditional store skips the GC write barrier when re-wrapping the same buffer
    }
    this.position = offset;
    this.end = offset + length;
    this.kind = -1;
    this.done = buf == null || length <= 0;
    return true;
  }

  /** Advances to the next option; false at the end or at a bad option ({@link #report()}). */
  public boolean next() {
    if (done) {
      kind = -1;
      return false;
    }
    int p = position;
    if (p >= end) {
      done = true;
      kind = -1;
      return false;
    }
    int k = buf.getUnsignedByte(p);
    if (k == EOL || k == NOP) {
      kind = k;
      optionOffset = p;
      optionLength = 1;
      position = p + 1;
      done = k == EOL;
      return true;
    }
    int available = end - p;
    if (available < 2) {
      return fail(report.truncated(Layer.TCP, p, 2, available, LengthSource.OPTION_LENGTH));
    }
    int len = buf.getUnsignedByte(p + 1);
    if (len < 2 || len > available || !lengthAllowed(k, len)) {
      return fail(report.invalid(Layer.TCP, Malformation.BAD_LENGTH_FIELD, p + 1));
    }
    kind = k;
    optionOffset = p;
    optionLength = len;
    position = p + len;
    return true;
  }

  private boolean fail(boolean result) {
    done = true;
    kind = -1;
    return result;
  }

  private static boolean lengthAllowed(int kind, int len) {
    switch (kind) {
      case MSS: return len == 4;
      case WINDOW_SCALE: return len == 3;
      case SACK_PERMITTED: return len == 2;
      case SACK: return len >= 10 && ((len - 2) & 7) == 0;
      case TIMESTAMPS: return len == 10;
      default: return true;
    }
  }

  /** The malformation that stopped the walk, or NONE. */
  public MalformationReport report() {
    return report;
  }

  /** Byte 0: the current option's kind, -1 before the first or after the last option. */
  public int kind() {
    return kind;
  }

  /** Absolute offset of the current option's kind byte. */
  public int offset() {
    return optionOffset;
  }

  /** Byte 1: the current option's length including kind and length bytes (1 for EOL and NOP). */
  public int length() {
    return optionLength;
  }

  /** Absolute offset of the current option's value (after kind and length). */
  public int valueOffset() {
    return optionLength == 1 ? optionOffset + 1 : optionOffset + 2;
  }

  /** Bytes of the current option's value. */
  public int valueLength() {
    return optionLength == 1 ? 0 : optionLength - 2;
  }

  /** The current option's value as a non-retained slice. */
  public ByteBuf value() {
    return kind < 0 ? io.netty.buffer.Unpooled.EMPTY_BUFFER : buf.slice(valueOffset(), valueLength());
  }

  /** MSS only: the maximum segment size (value bytes 0-1), else -1. */
  public int mss() {
    // bounds: checked in next()
    return kind == MSS ? buf.getUnsignedShort(optionOffset + 2) : -1;
  }

  /** Window scale only: the shift count (value byte 0), else -1. */
  public int windowScale() {
    return kind == WINDOW_SCALE ? buf.getUnsignedByte(optionOffset + 2) : -1;
  }

  /** SACK only: the number of blocks, (length - 2) / 8. */
  public int sackBlockCount() {
    return kind == SACK ? (optionLength - 2) >>> 3 : 0;
  }

  /** SACK only: the left edge of block {@code i} (0-based, below {@link #sackBlockCount()}), else -1. */
  public long sackLeftEdge(int i) {
    if (i < 0 || i >= sackBlockCount()) {
      return -1;
    }
    return buf.getUnsignedInt(optionOffset + 2 + 8 * i);
  }

  /** SACK only: the right edge of block {@code i} (0-based, below {@link #sackBlockCount()}), else -1. */
  public long sackRightEdge(int i) {
    if (i < 0 || i >= sackBlockCount()) {
      return -1;
    }
    return buf.getUnsignedInt(optionOffset + 6 + 8 * i);
  }

  /** Timestamps only: TSval (value bytes 0-3), else -1. */
  public long timestampValue() {
    return kind == TIMESTAMPS ? buf.getUnsignedInt(optionOffset + 2) : -1;
  }

  /** Timestamps only: TSecr (value bytes 4-7), else -1. */
  public long timestampEchoReply() {
    return kind == TIMESTAMPS ? buf.getUnsignedInt(optionOffset + 6) : -1;
  }
}
