package dev.wirelens.pcapng;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Walks the options of a pcapng block (draft-ietf-opsawg-pcapng §3.5).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Option Code              |         Option Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * /                       Option Value                            /
 * /              variable length, padded to 32 bits               /
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * ...  opt_endofopt (code 0, length 0) ends the list; it may be omitted.
 * </pre>
 *
 * <p>Grammar: {@code wrap (next (code length value...)*)*}; {@link #next()} returns false at opt_endofopt, at the
 * end of the region, or at a malformed option, which {@link #report()} then describes ({@link Malformation#TRUNCATED}
 * with {@link LengthSource#OPTION_LENGTH} when an option runs past its block). Offsets in the report are indices of
 * the wrapped buffer.
 *
 * <p>Lifetime: borrows the wrapped buffer; {@link #value()} is a non-retained slice with the same lifetime.
 * Allocation: none, except {@link #valueAsString()}. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * PcapngOptionCursor o = idb.options();
 * while (o.next()) {
 *   if (o.code() == PcapngOptionCodes.IF_NAME) name = o.valueAsString();
 * }
 * }</pre>
 */
public final class PcapngOptionCursor {
  private final MalformationReport report = new MalformationReport();
  private ByteBuf buf;
  private int start;
  private int end;
  private int pos;
  private boolean le;
  private int code = -1;
  private int length;
  private int valueOffset;
  private boolean endOfOptions;

  /** Creates an unwrapped cursor. */
  public PcapngOptionCursor() {}

  /** Starts a walk over the option bytes {@code [offset, offset+length)} of a section in the given byte order. */
  public boolean wrap(ByteBuf buf, int offset, int length, boolean littleEndian) {
    this.buf = buf;
    this.start = offset;
    this.end = offset + length;
    this.le = littleEndian;
    rewind();
    return true;
  }

  /** Goes back to the first option. */
  public void rewind() {
    pos = start;
    code = -1;
    length = 0;
    valueOffset = start;
    endOfOptions = false;
    report.clear();
  }

  /** Moves to the next option; false at the end of the options or at a malformed option (see {@link #report()}). */
  public boolean next() {
    if (buf == null || pos >= end || endOfOptions || report.isMalformed()) {
      return false;
    }
    int left = end - pos;
    if (left < 4) {
      return report.truncated(Layer.CAPTURE, pos, 4, left, LengthSource.HEADER_MINIMUM);
    }
    // bounds: 4 bytes checked above
    int c = Bytes.u16(buf, pos, le);
    int len = Bytes.u16(buf, pos + 2, le);
    if (c == PcapngOptionCodes.END_OF_OPT) {
      endOfOptions = true;
      pos = end;
      return false;
    }
    if (len > left - 4) {
      return report.truncated(Layer.CAPTURE, pos, 4L + len, left, LengthSource.OPTION_LENGTH);
    }
    code = c;
    length = len;
    valueOffset = pos + 4;
    // The last option's padding may be cut off by a careless writer: tolerate it.
    pos = Math.min(end, pos + 4 + Bytes.pad4(len));
    return true;
  }

  /** Moves to the first option with {@code optionCode}, from the start; false if there is none. */
  public boolean seek(int optionCode) {
    rewind();
    while (next()) {
      if (code == optionCode) {
        return true;
      }
    }
    return false;
  }

  /** Bytes 0–1: option code. */
  public int code() {
    return code;
  }

  /** Bytes 2–3: option length, without padding. */
  public int length() {
    return length;
  }

  /** Index in the wrapped buffer of the option value. */
  public int valueOffset() {
    return valueOffset;
  }

  /** The option value, a non-retained slice. */
  public ByteBuf value() {
    return buf.slice(valueOffset, length);
  }

  /** The value as UTF-8 text (comments, names), without trailing NUL bytes. Allocates. */
  public String valueAsString() {
    int n = length;
    while (n > 0 && buf.getByte(valueOffset + n - 1) == 0) {
      n--;
    }
    return buf.toString(valueOffset, n, StandardCharsets.UTF_8);
  }

  /** The first value byte, unsigned ({@code if_tsresol}, {@code if_fcslen}); -1 if the value is empty. */
  public int valueU8() {
    return length < 1 ? -1 : buf.getUnsignedByte(valueOffset);
  }

  /** The value as a u32 in the section's byte order ({@code epb_flags}); -1 if shorter than 4 bytes. */
  public long valueU32() {
    return length < 4 ? -1 : Bytes.u32(buf, valueOffset, le);
  }

  /**
   * The value as a 64-bit integer in the section's byte order ({@code if_tsoffset}, {@code isb_ifrecv});
   * 0 if shorter than 8 bytes.
   */
  public long valueI64() {
    return length < 8 ? 0 : Bytes.i64(buf, valueOffset, le);
  }

  /** A 64-bit pcapng timestamp value stored high word first ({@code isb_starttime}); 0 if shorter than 8 bytes. */
  public long valueTimestamp() {
    return length < 8 ? 0 : Bytes.hiLo(buf, valueOffset, le);
  }

  /** True if the walk ended at an opt_endofopt option. */
  public boolean sawEndOfOptions() {
    return endOfOptions;
  }

  /** Why the last {@link #next()} stopped early, or {@link Malformation#NONE}. */
  public MalformationReport report() {
    return report;
  }
}
