package dev.wirelens.pcapng;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks the records of a Name Resolution Block (draft-ietf-opsawg-pcapng §4.5).
 *
 * <pre>
 * +---------------------------------------------------------------+
 * |      Record Type              |      Record Value Length      |
 * /                       Record Value (padded to 32 bits)        /
 * +---------------------------------------------------------------+
 * types: 0 nrb_record_end, 1 nrb_record_ipv4 (4-byte address + NUL-terminated names),
 *        2 nrb_record_ipv6 (16-byte address + names), 3 EUI-48, 4 EUI-64; others pass through.
 * </pre>
 *
 * <p>{@link #next()} returns false at nrb_record_end, at the end of the region, or at a record that runs past the
 * block ({@link #report()}: TRUNCATED, {@link LengthSource#OPTION_LENGTH}).
 *
 * <p>Lifetime: borrows the wrapped buffer. Allocation: none, except {@link #namesAsStrings()}.
 * Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * NameResolutionRecordCursor r = nrb.records();
 * while (r.next()) if (r.recordType() == NameResolutionRecordCursor.IPV4) names = r.namesAsStrings();
 * }</pre>
 */
public final class NameResolutionRecordCursor {
  /** nrb_record_end. */
  public static final int END = 0;
  /** nrb_record_ipv4. */
  public static final int IPV4 = 1;
  /** nrb_record_ipv6. */
  public static final int IPV6 = 2;
  /** nrb_record_eui48. */
  public static final int EUI48 = 3;
  /** nrb_record_eui64. */
  public static final int EUI64 = 4;

  private final MalformationReport report = new MalformationReport();
  private ByteBuf buf;
  private int start;
  private int end;
  private int pos;
  private boolean le;
  private int type = -1;
  private int length;
  private int valueOffset;
  private boolean ended;

  /** Creates an unwrapped cursor. */
  public NameResolutionRecordCursor() {}

  /** Starts a walk over the record bytes {@code [offset, offset+length)}. */
  public boolean wrap(ByteBuf buf, int offset, int length, boolean littleEndian) {
    this.buf = buf;
    this.start = offset;
    this.end = offset + length;
    this.le = littleEndian;
    rewind();
    return true;
  }

  /** Goes back to the first record. */
  public void rewind() {
    pos = start;
    type = -1;
    length = 0;
    ended = false;
    report.clear();
  }

  /** Moves to the next record; false at the end or at a malformed record. */
  public boolean next() {
    if (buf == null || ended || pos >= end || report.isMalformed()) {
      return false;
    }
    int left = end - pos;
    if (left < 4) {
      return report.truncated(Layer.CAPTURE, pos, 4, left, LengthSource.HEADER_MINIMUM);
    }
    int t = Bytes.u16(buf, pos, le);
    int len = Bytes.u16(buf, pos + 2, le);
    if (t == END) {
      ended = true;
      pos += 4;
      return false;
    }
    if (len > left - 4) {
      return report.truncated(Layer.CAPTURE, pos, 4L + len, left, LengthSource.OPTION_LENGTH);
    }
    type = t;
    length = len;
    valueOffset = pos + 4;
    pos = Math.min(end, pos + 4 + Bytes.pad4(len));
    return true;
  }

  /** True once the walk met nrb_record_end. */
  public boolean sawEnd() {
    return ended;
  }

  /** Index just after the last record read (after nrb_record_end when it was met): where the options start. */
  public int position() {
    return pos;
  }

  /** Bytes 0–1: record type. */
  public int recordType() {
    return type;
  }

  /** Bytes 2–3: record value length. */
  public int recordLength() {
    return length;
  }

  /** Index of the record value in the wrapped buffer. */
  public int valueOffset() {
    return valueOffset;
  }

  /** The record value, a non-retained slice. */
  public ByteBuf value() {
    return buf.slice(valueOffset, length);
  }

  /** Address length of this record type: 4 (IPv4), 16 (IPv6), 6, 8, or 0 for other types. */
  public int addressLength() {
    switch (type) {
      case IPV4: return 4;
      case IPV6: return 16;
      case EUI48: return 6;
      case EUI64: return 8;
      default: return 0;
    }
  }

  /** Copies the address bytes of an IPv4/IPv6/EUI record into {@code dst}; returns how many were copied. */
  public int copyAddressTo(byte[] dst, int dstOffset) {
    int n = Math.min(addressLength(), length);
    buf.getBytes(valueOffset, dst, dstOffset, n);
    return n;
  }

  /** The NUL-terminated UTF-8 names after the address of an IPv4/IPv6 record. Allocates. */
  public List<String> namesAsStrings() {
    List<String> names = new ArrayList<>();
    if (type != IPV4 && type != IPV6) {
      return names;
    }
    int i = valueOffset + Math.min(addressLength(), length);
    int stop = valueOffset + length;
    while (i < stop) {
      int z = i;
      while (z < stop && buf.getByte(z) != 0) {
        z++;
      }
      if (z > i) {
        names.add(buf.toString(i, z - i, StandardCharsets.UTF_8));
      }
      i = z + 1;
    }
    return names;
  }

  /** Why the walk stopped early. */
  public MalformationReport report() {
    return report;
  }
}
