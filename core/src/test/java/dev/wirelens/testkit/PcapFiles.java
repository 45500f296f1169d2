package dev.wirelens.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a minimal classic pcap file (little-endian, microsecond magic) for tests that need a capture on disk, e.g.
 * to record tshark's view of frames built with {@link PacketBuilder}. Independent of the pcapng module on purpose
 * (core cannot depend on it).
 */
public final class PcapFiles {
  private PcapFiles() {}

  /** Writes {@code frames} with link type {@code linkType}; a frame longer than {@code snaplen} is cut to it. */
  public static void write(Path file, int linkType, int snaplen, List<byte[]> frames) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int32(out, 0xa1b2c3d4);
    int16(out, 2);
    int16(out, 4);
    int32(out, 0);
    int32(out, 0);
    int32(out, snaplen);
    int32(out, linkType);
    int second = 1_700_000_000;
    for (byte[] f : frames) {
      int captured = Math.min(f.length, snaplen);
      int32(out, second++);
      int32(out, 0);
      int32(out, captured);
      int32(out, f.length);
      out.write(f, 0, captured);
    }
    Files.write(file, out.toByteArray());
  }

  private static void int32(ByteArrayOutputStream out, int v) {
    out.write(v);
    out.write(v >>> 8);
    out.write(v >>> 16);
    out.write(v >>> 24);
  }

  private static void int16(ByteArrayOutputStream out, int v) {
    out.write(v);
    out.write(v >>> 8);
  }
}
