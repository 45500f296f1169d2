package dev.wirelens.pcapng;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/** Framing checks shared by the block views (draft-ietf-opsawg-pcapng §3.1). */
final class Blocks {
  private Blocks() {}

  /**
   * Checks the general block structure of the block at {@code offset} with {@code available} bytes:
   *
   * <pre>
   * | Block Type (4) | Block Total Length (4) | Block Body ... | Block Total Length (4) |
   * </pre>
   *
   * @return the block total length, or -1 with {@code report} filled
   */
  static int frame(MalformationReport report, ByteBuf buf, int offset, int available, boolean le, int minimum) {
    report.clear();
    if (available < 8) {
      report.truncated(Layer.CAPTURE, offset, 8, Math.max(0, available), LengthSource.HEADER_MINIMUM);
      return -1;
    }
    long total = Bytes.u32(buf, offset + 4, le);
    if (total < minimum || (total & 3) != 0) {
      report.invalid(Layer.CAPTURE, Malformation.BAD_LENGTH_FIELD, offset + 4);
      return -1;
    }
    if (total > available) {
      report.truncated(Layer.CAPTURE, offset, total, available, LengthSource.PCAPNG_BLOCK_LENGTH);
      return -1;
    }
    int t = (int) total;
    if (Bytes.u32(buf, offset + t - 4, le) != total) {
      report.invalid(Layer.CAPTURE, Malformation.BAD_LENGTH_FIELD, offset + t - 4);
      return -1;
    }
    return t;
  }
}
