package dev.wirelens.pcapng;

import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * Interface Description Block (draft-ietf-opsawg-pcapng §4.2): declares interface id {@code n} of its section, the
 * n-th IDB.
 *
 * <pre>
 *    +---------------------------------------------------------------+
 *  0 |                    Block Type = 0x00000001                    |
 *  4 |                      Block Total Length                       |
 *  8 |           LinkType            |           Reserved            |
 * 12 |                            SnapLen                            |
 * 16 /                      Options (variable)                       /
 *    |                      Block Total Length                       |
 *    +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Options: if_name, if_description, if_tsresol (default 6: microseconds), if_tsoffset (seconds), if_fcslen, ...
 * ({@link PcapngOptionCodes}). The reader keeps a {@link PcapngInterface} snapshot per IDB.
 *
 * <p>Lifetime: borrows the wrapped buffer until the next {@code wrap}. Allocation: none.
 * Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * InterfaceDescriptionBlock idb = reader.interfaceDescription();
 * int linkType = idb.linkType();
 * }</pre>
 */
public final class InterfaceDescriptionBlock {
  /** Minimum Block Total Length: 20. */
  public static final int MIN_LENGTH = 20;

  private final MalformationReport report = new MalformationReport();
  private final PcapngOptionCursor options = new PcapngOptionCursor();
  private ByteBuf buf;
  private int offset;
  private int total;
  private boolean le;

  /** Creates an unwrapped view. */
  public InterfaceDescriptionBlock() {}

  /** Wraps the IDB at {@code offset}, {@code length} bytes available, in a section of the given byte order. */
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

  /** Bytes 8–9: link type (LINKTYPE_* number). */
  public int linkType() {
    return Bytes.u16(buf, offset + 8, le);
  }

  /** Bytes 10–11: reserved, should be 0. */
  public int reserved() {
    return Bytes.u16(buf, offset + 10, le);
  }

  /** Bytes 12–15: maximum number of octets captured per packet, 0 for no limit. */
  public long snapLength() {
    return Bytes.u32(buf, offset + 12, le);
  }

  /** Bytes 4–7: Block Total Length. */
  public int blockTotalLength() {
    return total;
  }

  /** The options (from byte 16), rewound. */
  public PcapngOptionCursor options() {
    options.wrap(buf, offset + 16, total - 20, le);
    return options;
  }

  /** Why the last {@code wrap} failed. */
  public MalformationReport report() {
    return report;
  }
}
