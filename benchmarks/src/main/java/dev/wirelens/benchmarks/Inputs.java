package dev.wirelens.benchmarks;

import dev.wirelens.benchmarks.generator.CaptureFileWriter;
import dev.wirelens.benchmarks.generator.SyntheticCapture;
import dev.wirelens.benchmarks.generator.SyntheticTraffic;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Arrays;

/** Loads the benchmarks' inputs: the synthetic capture, and single frames taken from the same traffic. */
public final class Inputs {
  private Inputs() {
  }

  /** The synthetic capture of {@code size} (e.g. {@code 1g}) with the default seed, generated if needed. */
  public static SyntheticCapture capture(String size) throws IOException {
    return SyntheticCapture.ensure(SyntheticCapture.parseSize(size), SyntheticCapture.DEFAULT_SEED);
  }

  /** The whole file as a byte array (files up to 2 GiB). */
  public static byte[] bytes(SyntheticCapture capture, CaptureFileWriter.Format format) throws IOException {
    return Files.readAllBytes(capture.file(format));
  }

  /** Reads the whole file once and drops the bytes, so that the file benchmarks start from a warm page cache. */
  public static void warmPageCache(SyntheticCapture capture, CaptureFileWriter.Format format) throws IOException {
    byte[] chunk = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(capture.file(format))) {
      while (in.read(chunk) >= 0) {
        // discard
      }
    }
  }

  /**
   * The bytes in a heap buffer (over {@code bytes}, no copy) or a new direct buffer, made unreleasable so that the
   * code under test may release what it is given ({@code retainedDuplicate()}) without freeing the input.
   */
  public static ByteBuf buffer(byte[] bytes, String kind) {
    ByteBuf buf;
    if ("direct".equals(kind)) {
      buf = Unpooled.directBuffer(bytes.length, bytes.length).writeBytes(bytes);
    } else if ("heap".equals(kind)) {
      buf = Unpooled.wrappedBuffer(bytes);
    } else {
      throw new IllegalArgumentException("buffer must be heap or direct: " + kind);
    }
    return Unpooled.unreleasableBuffer(buf);
  }

  /**
   * The first full-size TCP data frame (1514 bytes: 1448 payload bytes over IPv4, 1428 over IPv6) of the default
   * seed's traffic, over IPv4 or IPv6.
   */
  public static byte[] hotFrame(boolean ipv6) {
    SyntheticTraffic traffic = new SyntheticTraffic(SyntheticCapture.DEFAULT_SEED, SyntheticCapture.CONCURRENT_FLOWS,
        SyntheticCapture.IPV6_SHARE, SyntheticCapture.START_MICROS);
    byte[] frame = new byte[SyntheticTraffic.MAX_FRAME_LENGTH];
    while (true) {
      int len = traffic.next(frame);
      if (len == SyntheticTraffic.MAX_FRAME_LENGTH && traffic.lastWasIpv6() == ipv6) {
        return Arrays.copyOf(frame, len);
      }
    }
  }
}
