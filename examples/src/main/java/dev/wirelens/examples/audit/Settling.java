package dev.wirelens.examples.audit;

import dev.wirelens.tcp.TcpConnection;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Internal: closed connections whose report is not taken yet. A closed connection still counts its stray packets
 * (the last ACK after the FINs, an RST after them) as tshark does, so its report is taken {@link #SETTLE_NANOS} of
 * capture time after it closed, at the end of the input, or when more than {@code max} connections wait here (the
 * oldest first). Not thread safe.
 */
final class Settling {
  /** Capture time a closed connection's report waits for stray packets: one second. */
  static final long SETTLE_NANOS = 1_000_000_000L;
  private final int max;
  private final Consumer<TcpConnection> settled;
  private final ArrayDeque<TcpConnection> closed = new ArrayDeque<>();
  private final ArrayDeque<Long> closedAt = new ArrayDeque<>();
  /** The first of closedAt, unboxed: {@link #now} compares it for every packet. */
  private long firstClosedAt;

  Settling(int max, Consumer<TcpConnection> settled) {
    this.max = max;
    this.settled = settled;
  }

  void closed(TcpConnection c) {
    if (closed.isEmpty()) {
      firstClosedAt = c.lastTimestampNanos();
    }
    closed.addLast(c);
    closedAt.addLast(c.lastTimestampNanos());
    while (closed.size() > max) {
      settle();
    }
  }

  /** Capture time is now {@code nanos}: takes the reports of connections closed long enough ago. */
  void now(long nanos) {
    while (!closed.isEmpty() && nanos - firstClosedAt > SETTLE_NANOS) {
      settle();
    }
  }

  /** The input ended (or went quiet): takes every report. */
  void all() {
    while (!closed.isEmpty()) {
      settle();
    }
  }

  /** Connections waiting to settle. */
  int size() {
    return closed.size();
  }

  private void settle() {
    closedAt.pollFirst();
    TcpConnection c = closed.pollFirst();
    Long next = closedAt.peekFirst();
    if (next != null) {
      firstClosedAt = next;
    }
    settled.accept(c);
  }
}
