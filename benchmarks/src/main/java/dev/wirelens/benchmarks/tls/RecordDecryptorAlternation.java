package dev.wirelens.benchmarks.tls;

import java.util.Arrays;

/**
 * The ratio check for a shared, noisy machine: {@link RecordDecryptorBenchmark}'s two paths alternated in one JVM,
 * round after round (each round decrypts the 64 records 50 times per path), so both see the same noise; prints the
 * median time per 16 KiB record of each path and the median of the per-round throughput ratios
 * (RecordDecryptor / JDK limit). Run with {@code java -da -Dio.netty.leakDetection.level=disabled -cp
 * benchmarks.jar dev.wirelens.benchmarks.tls.RecordDecryptorAlternation [rounds]}.
 */
public final class RecordDecryptorAlternation {
  private RecordDecryptorAlternation() {}

  /** Runs {@code args[0]} rounds (default 30) per suite and memory kind. */
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    RecordDecryptorBenchmark bench = new RecordDecryptorBenchmark();
    System.out.println("suite  memory  decrypt_us_per_record  jdk_limit_us_per_record  median_ratio  MB/s_decrypt");
    for (String suite : new String[] {"0x1301", "0x1302", "0x1303"}) {
      for (String memory : new String[] {"heap", "direct"}) {
        RecordDecryptorBenchmark.Records r = new RecordDecryptorBenchmark.Records();
        r.suite = suite;
        r.memory = memory;
        r.setUp();
        int perRound = RecordDecryptorBenchmark.RECORDS * ("0x1303".equals(suite) ? 5 : 50);
        long sink = 0;
        for (int i = 0; i < perRound * 4; i++) { // warm-up
          sink += bench.decrypt(r) + bench.jdkCipherLimit(r);
        }
        double[] ours = new double[rounds];
        double[] jdk = new double[rounds];
        double[] ratio = new double[rounds];
        for (int round = 0; round < rounds; round++) {
          long t0 = System.nanoTime();
          for (int i = 0; i < perRound; i++) {
            sink += bench.decrypt(r);
          }
          long t1 = System.nanoTime();
          for (int i = 0; i < perRound; i++) {
            sink += bench.jdkCipherLimit(r);
          }
          long t2 = System.nanoTime();
          ours[round] = (t1 - t0) / 1000.0 / perRound;
          jdk[round] = (t2 - t1) / 1000.0 / perRound;
          ratio[round] = jdk[round] / ours[round];
        }
        double oursMedian = median(ours);
        System.out.printf("%s  %-6s  %8.2f  %8.2f  %5.2f  %7.0f   (%d)%n", suite, memory, oursMedian, median(jdk),
            median(ratio), RecordDecryptorBenchmark.PLAINTEXT / oursMedian, sink & 1);
      }
    }
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
