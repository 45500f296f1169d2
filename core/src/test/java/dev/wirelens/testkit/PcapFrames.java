package dev.wirelens.testkit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the frames of a classic pcap file (either byte order, micro- or nanosecond magic) for core tests, which
 * cannot depend on the pcapng module. Minimal on purpose: no validation beyond what the tests need.
 */
public final class PcapFrames {
  /** The link type from the file header (the low 28 bits). */
  public final int linkType;
  /** The captured bytes of each record. */
  public final List<byte[]> frames = new ArrayList<>();
  /** The original length of each record. */
  public final List<Long> originalLengths = new ArrayList<>();
  /** The capture time of each record, epoch nanoseconds. */
  public final List<Long> timestampsNanos = new ArrayList<>();

  private PcapFrames(int linkType) {
    this.linkType = linkType;
  }

  /** Reads every record of {@code file}. */
  public static PcapFrames read(Path file) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
    int magic = b.getInt(0);
    if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
      b.order(ByteOrder.LITTLE_ENDIAN);
    } else if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
      throw new IOException("not a classic pcap file: " + file);
    }
    long fractionNanos = magic == 0xa1b23c4d || magic == 0x4d3cb2a1 ? 1 : 1000;
    PcapFrames out = new PcapFrames(b.getInt(20) & 0x0fffffff);
    int pos = 24;
    while (pos + 16 <= b.limit()) {
      int incl = b.getInt(pos + 8);
      long orig = b.getInt(pos + 12) & 0xffffffffL;
      byte[] f = new byte[incl];
      b.position(pos + 16);
      b.get(f);
      out.frames.add(f);
      out.originalLengths.add(orig);
      out.timestampsNanos.add((b.getInt(pos) & 0xffffffffL) * 1_000_000_000L
          + (b.getInt(pos + 4) & 0xffffffffL) * fractionNanos);
      pos += 16 + incl;
    }
    return out;
  }
}
