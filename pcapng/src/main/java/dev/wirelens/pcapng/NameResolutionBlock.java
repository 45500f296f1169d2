package dev.wirelens.pcapng;

import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * Name Resolution Block (draft-ietf-opsawg-pcapng §4.5): address-to-name records, then options.
 *
 * <pre>
 *    +---------------------------------------------------------------+
 *  0 |                    Block Type = 0x00000004                    |
 *  4 |                      Block Total Length                       |
 *  8 /                 Records ({@link NameResolutionRecordCursor}), ended by nrb_record_end  /
 *    /                      Options (variable)                       /
 *    |                      Block Total Length                       |
 *    +---------------------------------------------------------------+
 * </pre>
 *
 * <p>{@link #wrap} walks the records once to find the options and fails if a record runs past the block.
 *
 * <p>Lifetime: borrows the wrapped buffer until the next {@code wrap}. Allocation: none.
 * Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * NameResolutionRecordCursor records = reader.nameResolution().records();
 * }</pre>
 */
public final class NameResolutionBlock {
  /** Minimum Block Total Length: 12. */
  public static final int MIN_LENGTH = 12;

  private final MalformationReport report = new MalformationReport();
  private final NameResolutionRecordCursor records = new NameResolutionRecordCursor();
  private final PcapngOptionCursor options = new PcapngOptionCursor();
  private ByteBuf buf;
  private int offset;
  private int total;
  private int optionsOffset;
  private boolean le;

  /** Creates an unwrapped view. */
  public NameResolutionBlock() {}

  /** Wraps the NRB at {@code offset}, {@code length} bytes available, in a section of the given byte order. */
  public boolean wrap(ByteBuf buf, int offset, int length, boolean littleEndian) {
    int t = Blocks.frame(report, buf, offset, length, littleEndian, MIN_LENGTH);
    if (t < 0) {
      return false;
    }
    records.wrap(buf, offset + 8, t - 12, littleEndian);
    while (records.next()) {
      // walk to the end record
    }
    if (records.report().isMalformed()) {
      report.copyFrom(records.report());
      return false;
    }
    this.buf = buf;
    this.offset = offset;
    this.total = t;
    this.optionsOffset = records.position();
    this.le = littleEndian;
    return true;
  }

  /** The records, rewound. */
  public NameResolutionRecordCursor records() {
    records.wrap(buf, offset + 8, total - 12, le);
    return records;
  }

  /** The options after nrb_record_end, rewound. */
  public PcapngOptionCursor options() {
    options.wrap(buf, optionsOffset, Math.max(0, offset + total - 4 - optionsOffset), le);
    return options;
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
