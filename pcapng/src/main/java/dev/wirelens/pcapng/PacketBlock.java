package dev.wirelens.pcapng;

import dev.wirelens.Layer;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * Packet Block, obsolete (draft-ietf-opsawg-pcapng Appendix A): the predecessor of the Enhanced Packet Block.
 *
 * <pre>
 *    +---------------------------------------------------------------+
 *  0 |                    Block Type = 0x00000002                    |
 *  4 |                      Block Total Length                       |
 *  8 |         Interface ID          |          Drops Count          |
 * 12 |                        Timestamp (High)                       |
 * 16 |                        Timestamp (Low)                        |
 * 20 |                    Captured Packet Length                     |
 * 24 |                    Original Packet Length                     |
 * 28 /                          Packet Data (padded)                 /
 *    /                      Options (variable)                       /
 *    |                      Block Total Length                       |
 *    +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Lifetime: borrows the wrapped buffer until the next {@code wrap}; slices have the same lifetime.
 * Allocation: none. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * PacketBlock pb = reader.packet();
 * ByteBuf frame = pb.packetData();
 * }</pre>
 */
public final class PacketBlock {
  /** Minimum Block Total Length: 32. */
  public static final int MIN_LENGTH = 32;

  private final MalformationReport report = new MalformationReport();
  private final PcapngOptionCursor options = new PcapngOptionCursor();
  private ByteBuf buf;
  private int offset;
  private int total;
  private int capturedLength;
  private boolean le;

  /** Creates an unwrapped view. */
  public PacketBlock() {}

  /** Wraps the PB at {@code offset}, {@code length} bytes available, in a section of the given byte order. */
  public boolean wrap(ByteBuf buf, int offset, int length, boolean littleEndian) {
    int t = Blocks.frame(report, buf, offset, length, littleEndian, MIN_LENGTH);
    if (t < 0) {
      return false;
    }
    long cap = Bytes.u32(buf, offset + 20, littleEndian);
    if (cap > t - MIN_LENGTH) {
      return report.invalid(Layer.CAPTURE, Malformation.BAD_LENGTH_FIELD, offset + 20);
    }
    this.buf = buf;
    this.offset = offset;
    this.total = t;
    this.capturedLength = (int) cap;
    this.le = littleEndian;
    return true;
  }

  // bounds: the accessors below read fixed fields inside MIN_LENGTH and slices inside the lengths checked in
  // wrap(); they do no checks of their own.

  /** Bytes 8–9: interface id. */
  public int interfaceId() {
    return Bytes.u16(buf, offset + 8, le);
  }

  /** Bytes 10–11: drops count, 0xFFFF when unknown. */
  public int dropsCount() {
    return Bytes.u16(buf, offset + 10, le);
  }

  /** Bytes 12–19: timestamp in if_tsresol units. */
  public long timestamp() {
    return Bytes.hiLo(buf, offset + 12, le);
  }

  /** Bytes 20–23: captured packet length. */
  public int capturedLength() {
    return capturedLength;
  }

  /** Bytes 24–27: original packet length. */
  public long originalLength() {
    return Bytes.u32(buf, offset + 24, le);
  }

  /** Index of the packet data (byte 28) in the wrapped buffer. */
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

  /** The options, rewound. */
  public PcapngOptionCursor options() {
    int start = 28 + Bytes.pad4(capturedLength);
    options.wrap(buf, offset + start, Math.max(0, total - 4 - start), le);
    return options;
  }

  /** Why the last {@code wrap} failed. */
  public MalformationReport report() {
    return report;
  }
}
