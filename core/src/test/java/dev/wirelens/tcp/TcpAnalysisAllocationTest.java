package dev.wirelens.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/** The analysis of a segment allocates nothing (its Javadoc promises it; the reassembler calls it per segment). */
class TcpAnalysisAllocationTest {
  @Test
  void analysingSegmentsAllocatesNothing() throws ReflectiveOperationException {
    // Through reflection: the core module does not read java.management / jdk.management (and must not for a test).
    Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
    Method allocatedBytes = Class.forName("com.sun.management.ThreadMXBean")
        .getMethod("getCurrentThreadAllocatedBytes");
    TcpAnalysis client = new TcpAnalysis();
    TcpAnalysis server = new TcpAnalysis();
    int sink = run(client, server, 20_000, 0); // warm up (and let the JIT settle)
    for (int i = 0; i < 50; i++) {
      sink += ((Long) allocatedBytes.invoke(bean)).intValue() & 1; // past reflection's own one-time set-up
    }
    long allocated = Long.MAX_VALUE;
    long first = 0;
    for (int round = 1; round <= 3; round++) { // the least of 3 rounds: one-time work is not per segment
      long before = (Long) allocatedBytes.invoke(bean);
      first = first == 0 ? before : first;
      sink += run(client, server, 200_000, round * (1L << 40));
      allocated = Math.min(allocated, (Long) allocatedBytes.invoke(bean) - before);
    }
    assertThat(first).as("allocation measurement supported").isPositive();
    assertThat(sink).isNotNegative();
    // the reflective call itself allocates a few bytes; 200,000 segments would allocate megabytes if each did
    assertThat(allocated).isLessThan(1_000);
    assertThat(client.retransmissions() + client.outOfOrder()).isPositive();
  }

  /** A mix of new data, duplicate ACKs, retransmissions, zero windows and keep-alives. */
  private static int run(TcpAnalysis client, TcpAnalysis server, int segments, long start) {
    int flags = 0;
    long ts = start;
    long seq = 1000;
    for (int i = 0; i < segments; i++) {
      ts += 1_000_000L;
      int kind = i % 5;
      if (kind == 0 || kind == 1) {
        flags |= TcpAnalysis.analyze(client, server, seq & 0xffffffffL, 5001, 100, TcpSegment.ACK, 512, ts,
            3_000_000L);
        seq += 100;
      } else if (kind == 2) {
        flags |= TcpAnalysis.analyze(server, client, 5001, (seq - 100) & 0xffffffffL, 0, TcpSegment.ACK,
            i % 10 == 2 ? 0 : 512, ts, 3_000_000L);
      } else if (kind == 3) {
        flags |= TcpAnalysis.analyze(client, server, (seq - 200) & 0xffffffffL, 5001, 100, TcpSegment.ACK, 512,
            ts, 3_000_000L);
      } else {
        flags |= TcpAnalysis.analyze(client, server, (seq - 1) & 0xffffffffL, 5001, 0, TcpSegment.ACK, 512, ts,
            3_000_000L);
      }
    }
    return flags;
  }
}
