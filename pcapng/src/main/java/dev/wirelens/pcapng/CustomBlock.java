package dev.wirelens.pcapng;

import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * Custom Block (draft-ietf-opsawg-pcapng §4.8), types {@code 0x00000BAD} (copyable) and {@code 0x40000BAD} (must
 * not be copied by rewriters): vendor data under a Private Enterprise Number, kept as raw bytes.
 *
 * <pre>
 *    +---------------------------------------------------------------+
 *  0 |             Block Type = 0x00000BAD or 0x40000BAD             |
 *  4 |                      Block Total Length                       |
 *  8 |                Private Enterprise Number (PEN)                |
 * 12 /                          Custom Data                          /
 *    /                      Options (variable)                       /
 *    |                      Block Total Length                       |
 *    +---------------------------------------------------------------+
 * </pre>
 *
 * <p>The format does not say where the custom data ends and the options begin, so {@link #customData()} is every
 * byte from 12 up to the trailing length, options included.
 *
 * <p>Lifetime: borrows the wrapped buffer until the next {@code wrap}; slices have the same lifetime.
 * Allocation: none. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * CustomBlock cb = reader.custom();
 * long pen = cb.privateEnterpriseNumber();
 * }</pre>
 */
public final class CustomBlock {
  /** Minimum Block Total Length: 16. */
  public static final int MIN_LENGTH = 16;

  private final MalformationReport report = new MalformationReport();
  private ByteBuf buf;
  private int offset;
  private int total;
  private boolean le;

  /** Creates an unwrapped view. */
  public CustomBlock() {}

  /** Wraps the custom block at {@code offset}, {@code length} bytes available, in a section of the given byte order. */
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

  /** Bytes 0–3: block type. */
  public int blockType() {
    return Bytes.i32(buf, offset, le);
  }

  /** True for {@code 0x00000BAD}, which rewriters may copy. */
  public boolean isCopyable() {
    return blockType() == PcapngBlockTypes.CUSTOM_COPYABLE;
  }

  /** Bytes 8–11: IANA Private Enterprise Number. */
  public long privateEnterpriseNumber() {
    return Bytes.u32(buf, offset + 8, le);
  }

  /** Bytes 12 to the trailing length: custom data and options, a non-retained slice. */
  public ByteBuf customData() {
    return buf.slice(offset + 12, total - MIN_LENGTH);
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
