package dev.wirelens.benchmarks.tls;

import java.util.Arrays;

/**
 * The ratio check for a shared, noisy machine: {@link TlsRecordReaderBenchmark}'s {@code reader} and
 * {@code nettyFloor} alternated in one JVM, round after round, over the same {@code hot64} and {@code mix} inputs, so
 * both see the same noise. Rounds are short (a few milliseconds) so that some run while this thread has a core to
 * itself: the minimum over rounds is the figure of an unloaded core, the median that of the loaded machine. Prints
 * ns/record (minimum and median) of each path, the median per-round ratio reader/floor and, for {@code mix}, GB/s of
 * stream framed at the minimum. Run with the heap of the JMH fork, which matters here (a 4 GiB heap gives zero-based
 * compressed oops; see the README): {@code java -da -Xms4g -Xmx4g -Dio.netty.leakDetection.level=disabled -cp
 * benchmarks.jar dev.wirelens.benchmarks.tls.TlsRecordReaderAlternation [rounds]}.
 */
public final class TlsRecordReaderAlternation {
  private TlsRecordReaderAlternation() {}

  /** Runs {@code args[0]} rounds (default 300) per input after as many warm-up rounds. */
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    TlsRecordReaderBenchmark bench = new TlsRecordReaderBenchmark();
    System.out.println("records  reader_ns_min  reader_ns_median  floor_ns_min  floor_ns_median  median_ratio  GB/s_min");
    for (String records : new String[] {"hot64", "mix"}) {
      TlsRecordReaderBenchmark.Input in = new TlsRecordReaderBenchmark.Input();
      in.records = records;
      in.setUp();
      TlsRecordReaderBenchmark.Reader reader = new TlsRecordReaderBenchmark.Reader();
      TlsRecordReaderBenchmark.Rates rates = new TlsRecordReaderBenchmark.Rates();
      int passes = "hot64".equals(records) ? 100 : 2;
      long sink = 0;
      double[] ours = new double[rounds];
      double[] floor = new double[rounds];
      double[] ratio = new double[rounds];
      for (int round = -rounds; round < rounds; round++) { // the first half warms up
        long t0 = System.nanoTime();
        for (int i = 0; i < passes; i++) {
          sink += bench.reader(in, reader, rates);
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < passes; i++) {
          sink += bench.nettyFloor(in, rates);
        }
        long t2 = System.nanoTime();
        if (round >= 0) {
          ours[round] = (t1 - t0) / (double) passes / in.count;
          floor[round] = (t2 - t1) / (double) passes / in.count;
          ratio[round] = ours[round] / floor[round];
        }
      }
      reader.close();
      double oursMin = Arrays.stream(ours).min().getAsDouble();
      System.out.printf("%-6s  %6.2f  %6.2f  %6.2f  %6.2f  %5.2f  %7.0f   (%d)%n", records, oursMin, median(ours),
          Arrays.stream(floor).min().getAsDouble(), median(floor), median(ratio), in.bytes / (oursMin * in.count),
          sink & 1);
    }
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
