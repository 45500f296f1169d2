package dev.wirelens.pcapng;

import dev.wirelens.Layer;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * Enhanced Packet Block (draft-ietf-opsawg-pcapng §4.3): one captured packet with interface and timestamp.
 *
 * <pre>
 *    +---------------------------------------------------------------+
 *  0 |                    Block Type = 0x00000006                    |
 *  4 |                      Block Total Length                       |
 *  8 |                         Interface ID                          |
 * 12 |                        Timestamp (High)                       |
 * 16 |                        Timestamp (Low)                        |
 * 20 |                    Captured Packet Length                     |
 * 24 |                    Original Packet Length                     |
 * 28 /                          Packet Data                          /
 *    /              variable length, padded to 32 bits               /
 *    /                      Options (variable)                       /
 *    |                      Block Total Length                       |
 *    +---------------------------------------------------------------+
 * </pre>
 *
 * <p>{@link #wrap} fails with {@link Malformation#BAD_LENGTH_FIELD} at byte 20 if the captured length runs past the
 * block. The timestamp is in units of the interface's if_tsresol; {@link PcapngInterface#toEpochNanos(long)}
 * converts it. Options: epb_flags, epb_hash, epb_dropcount, epb_packetid, epb_queue, epb_verdict, opt_comment.
 *
 * <p>Lifetime: borrows the wrapped buffer until the next {@code wrap}; {@link #packetData()} is a non-retained
 * slice with the same lifetime. Allocation: none. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * EnhancedPacketBlock epb = reader.enhancedPacket();
 * ByteBuf frame = epb.packetData();
 * }</pre>
 */
public final class EnhancedPacketBlock {
  /** Minimum Block Total Length: 32. */
  public static final int MIN_LENGTH = 32;

  private final MalformationReport report = new MalformationReport();
  private final PcapngOptionCursor options = new PcapngOptionCursor();
  private ByteBuf buf;
  private int offset;
  private int total;
  private int capturedLength;
  private boolean le;
  private long interfaceId;
  private long timestamp;

  /** Creates an unwrapped view. */
  public EnhancedPacketBlock() {}

  /** Wraps the EPB at {@code offset}, {@code length} bytes available, in a section of the given byte order. */
  public boolean wrap(ByteBuf buf, int offset, int length, boolean littleEndian) {
    int t = Blocks.frame(report, buf, offset, length, littleEndian, MIN_LENGTH);
    return t >= 0 && fields(buf, offset, t, littleEndian);
  }

  /**
   * {@link #wrap} for a block whose type and total length {@code t} the reader has already read and checked
   * ({@code t >= 12}, a multiple of 4, all {@code t} bytes available): the same checks and reports, without
   * reading the length again.
   */
  boolean wrapFramed(ByteBuf buf, int offset, int t, boolean littleEndian) {
    report.clear();
    if (t < MIN_LENGTH) {
      return report.invalid(Layer.CAPTURE, Malformation.BAD_LENGTH_FIELD, offset + 4);
    }
    if (Bytes.u32(buf, offset + t - 4, littleEndian) != t) {
      return report.invalid(Layer.CAPTURE, Malformation.BAD_LENGTH_FIELD, offset + t - 4);
    }
    return fields(buf, offset, t, littleEndian);
  }

  /** Reads bytes 8–23 (interface id, timestamp, captured length) with two 8-byte reads. */
  private boolean fields(ByteBuf buf, int offset, int t, boolean littleEndian) {
    long idHigh;
    long lowCap;
    if (littleEndian) {
      long x = buf.getLongLE(offset + 8);
      long y = buf.getLongLE(offset + 16);
      idHigh = (x << 32) | (x >>> 32);
      lowCap = (y << 32) | (y >>> 32);
    } else {
      idHigh = buf.getLong(offset + 8);
      lowCap = buf.getLong(offset + 16);
    }
    long cap = lowCap & 0xFFFFFFFFL;
    if (cap > t - MIN_LENGTH) {
      return report.invalid(Layer.CAPTURE, Malformation.BAD_LENGTH_FIELD, offset + 20);
    }
    this.buf = buf;
    this.offset = offset;
    this.total = t;
    this.capturedLength = (int) cap;
    this.le = littleEndian;
    this.interfaceId = idHigh >>> 32;
    this.timestamp = (idHigh << 32) | (lowCap >>> 32);
    return true;
  }

  // bounds: the accessors below read fixed fields inside MIN_LENGTH and slices inside the lengths checked in
  // wrap(); they do no checks of their own.

  /** Bytes 8–11: interface id, the index of an IDB of this section. */
  public long interfaceId() {
    return interfaceId;
  }

  /** Bytes 12–19: timestamp, upper and lower 32 bits, in if_tsresol units (an unsigned 64-bit count). */
  public long timestamp() {
    return timestamp;
  }

  /** Bytes 20–23: captured packet length (bounds: within the block, checked in wrap()). */
  public int capturedLength() {
    return capturedLength;
  }

  /** Bytes 24–27: original packet length on the wire. */
  public long originalLength() {
    return Bytes.u32(buf, offset + 24, le);
  }

  /** Index of the packet data (byte 28 of the block) in the wrapped buffer. */
  public int packetDataOffset() {
    return offset + 28;
  }

  /** The packet data, a non-retained slice. */
  public ByteBuf packetData() {
    return buf.slice(offset + 28, capturedLength);
  }

  /** Bytes 4–7: Block Total Length. */
  public int blockTotalLength() {
    return total;
  }

  /** The options (after the padded packet data), rewound. */
  public PcapngOptionCursor options() {
    int start = 28 + Bytes.pad4(capturedLength);
    options.wrap(buf, offset + start, Math.max(0, total - 4 - start), le);
    return options;
  }

  /** The epb_flags option value, or -1 when absent. */
  public long flags() {
    return options().seek(PcapngOptionCodes.EPB_FLAGS) ? options.valueU32() : -1;
  }

  /** Why the last {@code wrap} failed. */
  public MalformationReport report() {
    return report;
  }
}
