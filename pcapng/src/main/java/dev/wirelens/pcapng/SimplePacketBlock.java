package dev.wirelens.pcapng;

import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * Simple Packet Block (draft-ietf-opsawg-pcapng §4.4): a packet of interface 0 without timestamp or options.
 *
 * <pre>
 *    +---------------------------------------------------------------+
 *  0 |                    Block Type = 0x00000003                    |
 *  4 |                      Block Total Length                       |
 *  8 |                    Original Packet Length                     |
 * 12 /                          Packet Data                          /
 *    /              variable length, padded to 32 bits               /
 *    |                      Block Total Length                       |
 *    +---------------------------------------------------------------+
 * </pre>
 *
 * <p>The captured length is not stored: it is the smaller of the original length and interface 0's snaplen (§4.4),
 * and never more than the block holds; see {@link #capturedLength(long)}.
 *
 * <p>Lifetime: borrows the wrapped buffer until the next {@code wrap}; slices have the same lifetime.
 * Allocation: none. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * SimplePacketBlock spb = reader.simplePacket();
 * ByteBuf frame = spb.packetData(reader.interfaces().get(0).snapLength());
 * }</pre>
 */
public final class SimplePacketBlock {
  /** Minimum Block Total Length: 16. */
  public static final int MIN_LENGTH = 16;

  private final MalformationReport report = new MalformationReport();
  private ByteBuf buf;
  private int offset;
  private int total;
  private boolean le;

  /** Creates an unwrapped view. */
  public SimplePacketBlock() {}

  /** Wraps the SPB at {@code offset}, {@code length} bytes available, in a section of the given byte order. */
  public boolean wrap(ByteBuf buf, int offset, int length, boolean littleEndian) {
    int t = Blocks.frame(report, buf, offset, length, littleEndian, MIN_LENGTH);
    if (t < 0) {
      return false;
    }
    this.buf = buf;
    this.offset = offset;
    this.total = t;
    this.le = littleEndian;
    return true;
  }

  // bounds: the accessors below read fixed fields inside MIN_LENGTH and slices inside the lengths checked in
  // wrap(); they do no checks of their own.

  /** Bytes 8–11: original packet length. */
  public long originalLength() {
    return Bytes.u32(buf, offset + 8, le);
  }

  /** Captured length: min(original length, {@code snapLength} unless 0, bytes in the block). */
  public int capturedLength(long snapLength) {
    long n = Math.min(originalLength(), total - MIN_LENGTH);
    if (snapLength > 0) {
      n = Math.min(n, snapLength);
    }
    return (int) n;
  }

  /** Index of the packet data (byte 12) in the wrapped buffer. */
  public int packetDataOffset() {
    return offset + 12;
  }

  /** The packet data for an interface with {@code snapLength}, a non-retained slice. */
  public ByteBuf packetData(long snapLength) {
    return buf.slice(offset + 12, capturedLength(snapLength));
  }

  /** Bytes 4–7: Block Total Length. */
  public int blockTotalLength() {
    return total;
  }

  /** Why the last {@code wrap} failed. */
  public MalformationReport report() {
    return report;
  }
}
