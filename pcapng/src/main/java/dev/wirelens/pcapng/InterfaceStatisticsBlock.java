package dev.wirelens.pcapng;

import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * Interface Statistics Block (draft-ietf-opsawg-pcapng §4.6).
 *
 * <pre>
 *    +---------------------------------------------------------------+
 *  0 |                    Block Type = 0x00000005                    |
 *  4 |                      Block Total Length                       |
 *  8 |                         Interface ID                          |
 * 12 |                        Timestamp (High)                       |
 * 16 |                        Timestamp (Low)                        |
 * 20 /                      Options (variable)                       /
 *    |                      Block Total Length                       |
 *    +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Options: isb_starttime, isb_endtime, isb_ifrecv, isb_ifdrop, isb_filteraccept, isb_osdrop, isb_usrdeliv.
 *
 * <p>Lifetime: borrows the wrapped buffer until the next {@code wrap}. Allocation: none.
 * Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * InterfaceStatisticsBlock isb = reader.interfaceStatistics();
 * if (isb.options().seek(PcapngOptionCodes.ISB_IFDROP)) drops = isb.options().valueI64();
 * }</pre>
 */
public final class InterfaceStatisticsBlock {
  /** Minimum Block Total Length: 24. */
  public static final int MIN_LENGTH = 24;

  private final MalformationReport report = new MalformationReport();
  private final PcapngOptionCursor options = new PcapngOptionCursor();
  private ByteBuf buf;
  private int offset;
  private int total;
  private boolean le;

  /** Creates an unwrapped view. */
  public InterfaceStatisticsBlock() {}

  /** Wraps the ISB at {@code offset}, {@code length} bytes available, in a section of the given byte order. */
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

  /** Bytes 8–11: interface id. */
  public long interfaceId() {
    return Bytes.u32(buf, offset + 8, le);
  }

  /** Bytes 12–19: timestamp in if_tsresol units. */
  public long timestamp() {
    return Bytes.hiLo(buf, offset + 12, le);
  }

  /** Bytes 4–7: Block Total Length. */
  public int blockTotalLength() {
    return total;
  }

  /** The options (from byte 20), rewound. */
  public PcapngOptionCursor options() {
    options.wrap(buf, offset + 20, total - 24, le);
    return options;
  }

  /** Why the last {@code wrap} failed. */
  public MalformationReport report() {
    return report;
  }
}
