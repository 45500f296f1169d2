package dev.wirelens.examples.audit;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Internal: the per-audit state behind the reconnect-storm rule. For each (client address, server address and
 * port) it keeps the start times of the connections within the policy's window (at most {@link #MAX_STARTS}
 * per pair; beyond it the oldest are dropped and the count says "at least"); pairs quiet for longer than the
 * window are forgotten when the table doubles, so memory follows the connections of one window, not the capture's
 * length. Not thread safe.
 */
final class ReconnectTracker {
  private final int maxReconnects;
  private final long windowNanos;
  private final String windowText;
  private final Map<String, ArrayDeque<Long>> starts = new HashMap<>();
  /** Start times kept per client/server pair. */
  static final int MAX_STARTS = 1 << 16;
  private int purgeAt = 1024;

  ReconnectTracker(AuditPolicy policy) {
    maxReconnects = policy.maxReconnects();
    windowNanos = policy.reconnectWindow().toNanos();
    windowText = BigDecimal.valueOf(windowNanos, 9).stripTrailingZeros().toPlainString() + " s";
  }

  /**
   * A connection from {@code client} to {@code server} began at {@code nanos}: the storm reason when the client has
   * now reconnected more than the policy allows within the window, else null.
   */
  String opened(String client, Endpoint server, long nanos) {
    String key = client + " " + server;
    ArrayDeque<Long> q = starts.computeIfAbsent(key, k -> new ArrayDeque<>());
    while (!q.isEmpty() && nanos - q.peekFirst() > windowNanos) {
      q.pollFirst();
    }
    q.addLast(nanos);
    if (q.size() > MAX_STARTS) {
      q.pollFirst();
    }
    long inWindow = q.size();
    if (starts.size() > purgeAt) {
      purge(nanos);
    }
    long reconnects = inWindow - 1;
    if (reconnects > maxReconnects) {
      return "client " + client + " reconnected " + reconnects + " times to " + server + " within " + windowText;
    }
    return null;
  }

  private void purge(long nanos) {
    for (Iterator<Map.Entry<String, ArrayDeque<Long>>> it = starts.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, ArrayDeque<Long>> e = it.next();
      Long last = e.getValue().peekLast();
      if (last == null || nanos - last > windowNanos) {
        it.remove();
      }
    }
    purgeAt = Math.max(1024, starts.size() * 2);
  }
}
