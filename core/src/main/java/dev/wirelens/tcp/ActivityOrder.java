package dev.wirelens.tcp;

/**
 * The reassembler's connections in order of their last packet, least recently active first: a log of positions, one
 * entry per connection, where a packet moves its connection to the end by clearing its old entry and appending a
 * new one. Unlike a doubly linked list, moving a connection writes nothing into its neighbours (two other
 * connections' objects, rarely in cache with thousands of flows interleaved: two cache misses per packet); the cost
 * is the cleared entries, skipped when read and squeezed out when the log is full (amortised O(1) per move, since a
 * log is squeezed only when at least half of it is cleared, else doubled).
 *
 * <p>Positions ({@link #start()} to {@link #end()}, exclusive) only grow between squeezes; a squeeze renumbers
 * every entry from 0 (and maps the one position the owner keeps, {@link #mark()}). Each connection's entry position
 * is {@link TcpConnection#activityPosition}, -1 when not listed.
 *
 * <p>Allocation: when the log doubles (two arrays: it is squeezed into the spare one). Thread safety: not thread safe.
 */
final class ActivityOrder {
  private static final int INITIAL_CAPACITY = 64;
  private TcpConnection[] log = new TcpConnection[INITIAL_CAPACITY];
  private TcpConnection[] spare = new TcpConnection[INITIAL_CAPACITY];
  private long start;
  private long end;
  private int size;
  /** A position the owner keeps ({@link #mark()}), renumbered by squeezes; -1 when none. */
  private long mark = -1;

  /** Connections listed. */
  int size() {
    return size;
  }

  /** Lists {@code c} (not listed) as the most recently active. */
  void add(TcpConnection c) {
    append(c);
    size++;
  }

  /** Moves listed {@code c} to the end: the most recently active. */
  void touch(TcpConnection c) {
    long p = c.activityPosition;
    if (p == end - 1) {
      return; // already last
    }
    log[(int) p & (log.length - 1)] = null;
    append(c);
  }

  /** Unlists {@code c}, when listed. */
  void remove(TcpConnection c) {
    long p = c.activityPosition;
    if (p < 0) {
      return;
    }
    log[(int) p & (log.length - 1)] = null;
    c.activityPosition = -1;
    size--;
  }

  /** The least recently active connection, or null when none is listed. */
  TcpConnection first() {
    TcpConnection[] l = log;
    int mask = l.length - 1;
    while (start < end) {
      TcpConnection c = l[(int) start & mask];
      if (c != null) {
        return c;
      }
      start++;
    }
    return null;
  }

  /** Position of the first entry (cleared or not). */
  long start() {
    return start;
  }

  /** Position after the last entry. */
  long end() {
    return end;
  }

  /** The connection at position {@code p} (from {@link #start()} to {@link #end()}), null when cleared. */
  TcpConnection at(long p) {
    return log[(int) p & (log.length - 1)];
  }

  /**
   * The kept position: set by {@link #mark(long)}, -1 when none; a squeeze moves it to the new position of the last
   * listed entry at or before it (-1 when there is none), so the entries up to it stay the same.
   */
  long mark() {
    return mark;
  }

  /** Keeps position {@code p} (-1: none); see {@link #mark()}. */
  void mark(long p) {
    mark = p;
  }

  /** Unlists every connection. */
  void clear() {
    java.util.Arrays.fill(log, null);
    start = end = 0;
    size = 0;
    mark = -1;
  }

  private void append(TcpConnection c) {
    if (end - start == log.length) {
      squeeze();
    }
    log[(int) end & (log.length - 1)] = c;
    c.activityPosition = end++;
  }

  /** Moves the listed entries, in order, to positions 0.. of the spare log (doubled when more than half is listed). */
  private void squeeze() {
    int capacity = log.length;
    if (size * 2 > capacity) {
      capacity *= 2;
      spare = new TcpConnection[capacity];
    }
    TcpConnection[] from = log;
    TcpConnection[] to = spare;
    int mask = from.length - 1;
    long newMark = -1;
    int k = 0;
    for (long p = start; p < end; p++) {
      TcpConnection c = from[(int) p & mask];
      if (c != null) {
        to[k] = c;
        c.activityPosition = k;
        if (p <= mark) {
          newMark = k;
        }
        k++;
      }
    }
    java.util.Arrays.fill(from, null);
    log = to;
    spare = from.length == to.length ? from : new TcpConnection[to.length];
    start = 0;
    end = k;
    mark = newMark;
  }
}
