package dev.wirelens.examples.audit;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Internal: delivers the audit's connection reports (of type {@code T}) in id order (order of each connection's first packet) although
 * connections close in another order. A report waits here until every lower id was printed or filtered out.
 *
 * <p>Bound: at most {@code maxWaiting} finished connections (reports and filtered-out ids) wait. When one more
 * would exceed it, the lowest id still open is given up on: the waiting reports after it are printed, and that
 * connection is printed out of order when it closes (the {@code onLate} callback is told once per such id). Given-up
 * ids are at most the connections open at once, which the reassembler bounds ({@code Limits.maxFlows()}).
 */
final class AuditOrder<T> {
  private final int maxWaiting;
  private final Consumer<T> print;
  private final LongConsumer onLate;
  /** Finished connections with an id above {@link #next}; a null value is a filtered-out connection. */
  private final TreeMap<Long, T> waiting = new TreeMap<>();
  private final Set<Long> late = new HashSet<>();
  private long next;
  private long printedLate;

  AuditOrder(int maxWaiting, Consumer<T> print, LongConsumer onLate) {
    if (maxWaiting < 0) {
      throw new IllegalArgumentException("maxWaiting must not be negative: " + maxWaiting);
    }
    this.maxWaiting = maxWaiting;
    this.print = print;
    this.onLate = onLate;
  }

  /** Connection {@code id} closed; {@code report} is null when the filter left it out. */
  void finished(long id, T report) {
    if (late.remove(id)) {
      if (report != null) {
        print.accept(report);
        printedLate++;
      }
      return;
    }
    waiting.put(id, report);
    drain();
    while (waiting.size() > maxWaiting) {
      late.add(next); // the lowest id: it is still open, or it would have drained
      onLate.accept(next);
      next++;
      drain();
    }
  }

  private void drain() {
    while (true) {
      Map.Entry<Long, T> first = waiting.firstEntry();
      if (first == null || first.getKey() != next) {
        return;
      }
      waiting.pollFirstEntry();
      if (first.getValue() != null) {
        print.accept(first.getValue());
      }
      next++;
    }
  }

  /** Reports waiting now. */
  int waiting() {
    return waiting.size();
  }

  /** Connections printed out of id order so far. */
  long printedLate() {
    return printedLate;
  }
}
