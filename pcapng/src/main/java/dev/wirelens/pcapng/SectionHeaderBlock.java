package dev.wirelens.pcapng;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * Section Header Block (draft-ietf-opsawg-pcapng §4.1): starts a section and fixes its byte order.
 *
 * <pre>
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *    +---------------------------------------------------------------+
 *  0 |                   Block Type = 0x0A0D0D0A                     |
 *    +---------------------------------------------------------------+
 *  4 |                      Block Total Length                       |
 *    +---------------------------------------------------------------+
 *  8 |                      Byte-Order Magic = 0x1A2B3C4D            |
 *    +---------------------------------------------------------------+
 * 12 |          Major Version        |         Minor Version         |
 *    +---------------------------------------------------------------+
 * 16 |                          Section Length (64 bits, -1 = unknown)|
 *    +---------------------------------------------------------------+
 * 24 /                      Options (variable)                       /
 *    +---------------------------------------------------------------+
 *    |                      Block Total Length                       |
 *    +---------------------------------------------------------------+
 * </pre>
 *
 * <p>{@link #wrap} fails with {@link Malformation#BAD_MAGIC} for a wrong type or byte-order magic and with
 * {@link Malformation#BAD_VERSION} for a major version other than 1 (the specification forbids reading such a
 * section). Options: shb_hardware, shb_os, shb_userappl, opt_comment ({@link PcapngOptionCodes}).
 *
 * <p>Lifetime: borrows the wrapped buffer until the next {@code wrap}. Allocation: none.
 * Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * if (reader.next() == DecodeStatus.BLOCK && reader.blockType() == PcapngBlockTypes.SECTION_HEADER) {
 *   SectionHeaderBlock shb = reader.sectionHeader();
 *   if (shb.options().seek(PcapngOptionCodes.SHB_USERAPPL)) app = shb.options().valueAsString();
 * }
 * }</pre>
 */
public final class SectionHeaderBlock {
  /** Byte-order magic as read in the section's own byte order. */
  public static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
  /** Minimum Block Total Length: 28. */
  public static final int MIN_LENGTH = 28;

  private final MalformationReport report = new MalformationReport();
  private final PcapngOptionCursor options = new PcapngOptionCursor();
  private ByteBuf buf;
  private int offset;
  private int total;
  private boolean le;

  /** Creates an unwrapped view. */
  public SectionHeaderBlock() {}

  /** Wraps the SHB at {@code offset} with {@code length} bytes available; detects the byte order. */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    report.clear();
    if (length < 12) {
      return report.truncated(Layer.CAPTURE, offset, 12, Math.max(0, length), LengthSource.HEADER_MINIMUM);
    }
    if (buf.getInt(offset) != PcapngBlockTypes.SECTION_HEADER) {
      return report.invalid(Layer.CAPTURE, Malformation.BAD_MAGIC, offset);
    }
    int bom = buf.getInt(offset + 8);
    boolean little;
    if (bom == BYTE_ORDER_MAGIC) {
      little = false;
    } else if (bom == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
      little = true;
    } else {
      return report.invalid(Layer.CAPTURE, Malformation.BAD_MAGIC, offset + 8);
    }
    int t = Blocks.frame(report, buf, offset, length, little, MIN_LENGTH);
    if (t < 0) {
      return false;
    }
    // bounds: t >= 28 checked by frame()
    if (Bytes.u16(buf, offset + 12, little) != 1) {
      return report.invalid(Layer.CAPTURE, Malformation.BAD_VERSION, offset + 12);
    }
    this.buf = buf;
    this.offset = offset;
    this.total = t;
    this.le = little;
    return true;
  }

  // bounds: the accessors below read fixed fields inside MIN_LENGTH and slices inside the lengths checked in
  // wrap(); they do no checks of their own.

  /** True if the section is little-endian (byte-order magic read as {@code 4d 3c 2b 1a}). */
  public boolean isLittleEndian() {
    return le;
  }

  /** Bytes 12–13: major version (always 1 after a successful wrap). */
  public int majorVersion() {
    return Bytes.u16(buf, offset + 12, le);
  }

  /** Bytes 14–15: minor version (0; 2 was used by some old writers). */
  public int minorVersion() {
    return Bytes.u16(buf, offset + 14, le);
  }

  /** Bytes 16–23: section length in bytes after this block, or -1 when not specified. */
  public long sectionLength() {
    return Bytes.i64(buf, offset + 16, le);
  }

  /** Bytes 4–7: Block Total Length. */
  public int blockTotalLength() {
    return total;
  }

  /** The options (from byte 24), rewound. */
  public PcapngOptionCursor options() {
    options.wrap(buf, offset + 24, total - 28, le);
    return options;
  }

  /** Why the last {@code wrap} failed. */
  public MalformationReport report() {
    return report;
  }
}
