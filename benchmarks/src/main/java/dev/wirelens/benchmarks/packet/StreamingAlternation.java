package dev.wirelens.benchmarks.packet;

import dev.wirelens.benchmarks.Inputs;
import dev.wirelens.benchmarks.WirelensPaths;
import dev.wirelens.benchmarks.floor.FloorWalk;
import dev.wirelens.benchmarks.generator.CaptureFileWriter.Format;
import dev.wirelens.benchmarks.generator.SyntheticCapture;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.tcp.FlowKey;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Locale;

/**
 * A cross-check of {@link StreamingDecodeBenchmark}'s ratio to the floor on a noisy machine: one JVM alternates
 * floor and Wirelens passes over the same in-memory captures (pcap, then pcapng), so that both see the same
 * interference, and prints the median ratio per round. Not a JMH benchmark; run it with the forks' JVM flags:
 *
 * <pre>
 * java -Xms4g -Xmx4g -XX:+AlwaysPreTouch -da -Dio.netty.leakDetection.level=disabled \
 *   -cp benchmarks/target/benchmarks.jar dev.wirelens.benchmarks.packet.StreamingAlternation [rounds] [size]
 * </pre>
 */
public final class StreamingAlternation {
  private StreamingAlternation() {
  }

  /** Runs 3 warm-up rounds, then {@code rounds} (default 8) measured ones. */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    SyntheticCapture capture = Inputs.capture(args.length > 1 ? args[1] : "1g");
    ByteBuf pcap = Inputs.buffer(Inputs.bytes(capture, Format.PCAP), "heap");
    ByteBuf pcapng = Inputs.buffer(Inputs.bytes(capture, Format.PCAPNG), "heap");
    PacketDissector dissector = new PacketDissector();
    FlowKey key = new FlowKey();
    String[] names = {"floorPcap", "wirelensPcap", "floorPcapng", "wirelensPcapng"};
    double[][] ns = new double[4][rounds];
    long sink = 0;
    for (int r = -3; r < rounds; r++) {
      for (int m = 0; m < 4; m++) {
        long t0 = System.nanoTime();
        switch (m) {
          case 0: sink += FloorWalk.decodePcap(pcap); break;
          case 1: sink += WirelensPaths.decode(pcap, dissector, key); break;
          case 2: sink += FloorWalk.decodePcapng(pcapng); break;
          default: sink += WirelensPaths.decode(pcapng, dissector, key);
        }
        if (r >= 0) {
          ns[m][r] = (System.nanoTime() - t0) / (double) capture.packets();
        }
      }
    }
    for (int m = 0; m < 4; m++) {
      double[] s = ns[m].clone();
      Arrays.sort(s);
      System.out.printf(Locale.ROOT, "%-15s median %.1f ns/packet (min %.1f, max %.1f)%n", names[m], s[rounds / 2],
          s[0], s[rounds - 1]);
    }
    for (int f = 0; f < 2; f++) {
      double[] ratio = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        ratio[r] = ns[2 * f + 1][r] / ns[2 * f][r];
      }
      Arrays.sort(ratio);
      System.out.printf(Locale.ROOT, "%s: Wirelens / floor median %.2f (min %.2f, max %.2f)%n",
          f == 0 ? "pcap" : "pcapng", ratio[rounds / 2], ratio[0], ratio[rounds - 1]);
    }
    System.out.println(sink == 42 ? "" : "done");
  }
}
