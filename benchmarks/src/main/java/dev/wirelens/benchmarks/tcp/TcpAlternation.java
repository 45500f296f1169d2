package dev.wirelens.benchmarks.tcp;

import dev.wirelens.benchmarks.Inputs;
import dev.wirelens.benchmarks.WirelensPaths;
import dev.wirelens.benchmarks.generator.CaptureFileWriter.Format;
import dev.wirelens.benchmarks.generator.SyntheticCapture;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.tcp.FlowKey;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.Locale;

/**
 * A cross-check of {@link TcpReassemblyBenchmark} on a noisy machine: one JVM alternates passes over the in-memory
 * captures, decode only ({@code WirelensPaths.decode}: read, dissect, flow key), in-order reassembly and impaired
 * reassembly (both {@link TcpReassemblyBenchmark#reassemble}), so all three see the same interference, and prints
 * each one's median ns/packet and payload GB/s and the median per-round ratios. Not a JMH benchmark; run it with the
 * forks' JVM flags:
 *
 * <pre>
 * java -Xms4g -Xmx4g -XX:+AlwaysPreTouch -da -Dio.netty.leakDetection.level=disabled \
 *   -cp benchmarks/target/benchmarks.jar dev.wirelens.benchmarks.tcp.TcpAlternation [rounds] [size]
 * </pre>
 */
public final class TcpAlternation {
  private TcpAlternation() {
  }

  /** Runs 2 warm-up rounds, then {@code rounds} (default 6) measured ones. */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
    String size = args.length > 1 ? args[1] : "1g";
    SyntheticCapture clean = Inputs.capture(size);
    SyntheticCapture lossy = SyntheticCapture.ensureImpaired(SyntheticCapture.parseSize(size),
        SyntheticCapture.DEFAULT_SEED);
    ByteBuf inOrder = Inputs.buffer(Inputs.bytes(clean, Format.PCAP), "heap");
    ByteBuf impaired = Inputs.buffer(Inputs.bytes(lossy, Format.PCAP), "heap");
    PacketDissector dissector = new PacketDissector();
    FlowKey key = new FlowKey();
    TcpReassemblyBenchmark.Worker worker = new TcpReassemblyBenchmark.Worker();
    String[] names = {"decodeOnly", "inOrder", "impaired"};
    double[][] ns = new double[3][rounds];
    double[][] gbps = new double[3][rounds];
    long sink = 0;
    for (int r = -2; r < rounds; r++) {
      for (int m = 0; m < 3; m++) {
        TcpReassemblyBenchmark.Rates rates = new TcpReassemblyBenchmark.Rates();
        long t0 = System.nanoTime();
        switch (m) {
          case 0: sink += WirelensPaths.decode(inOrder, dissector, key); break;
          case 1: sink += TcpReassemblyBenchmark.reassemble(inOrder, worker, rates); break;
          default: sink += TcpReassemblyBenchmark.reassemble(impaired, worker, rates);
        }
        long t = System.nanoTime() - t0;
        if (r >= 0) {
          ns[m][r] = t / (double) (m == 2 ? lossy.packets() : clean.packets());
          gbps[m][r] = rates.payloadBytes / (double) t;
        }
      }
    }
    for (int m = 0; m < 3; m++) {
      double[] s = ns[m].clone();
      Arrays.sort(s);
      double[] g = gbps[m].clone();
      Arrays.sort(g);
      System.out.printf(Locale.ROOT, "%-10s median %.1f ns/packet (min %.1f, max %.1f)%s%n", names[m], s[rounds / 2],
          s[0], s[rounds - 1], m == 0 ? "" : String.format(Locale.ROOT, ", payload median %.2f GB/s (max %.2f)",
              g[rounds / 2], g[rounds - 1]));
    }
    for (int[] pair : new int[][] {{1, 0}, {2, 1}}) {
      double[] ratio = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        ratio[r] = ns[pair[0]][r] * (pair[0] == 2 ? lossy.packets() : clean.packets())
            / (ns[pair[1]][r] * clean.packets()); // whole-pass time ratio
      }
      Arrays.sort(ratio);
      System.out.printf(Locale.ROOT, "%s / %s (time per pass): median %.2f (min %.2f, max %.2f)%n", names[pair[0]],
          names[pair[1]], ratio[rounds / 2], ratio[0], ratio[rounds - 1]);
    }
    System.out.println(sink == 42 ? "" : "done");
  }
}
