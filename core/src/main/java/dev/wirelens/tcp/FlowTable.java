package dev.wirelens.tcp;

/**
 * The reassembler's flow table: connections by their canonical 5-tuple ({@link TcpConnection#tableKey}), in one
 * open-addressing array with linear probing, so that the lookup every packet makes compares the key's fields in
 * place (no {@code hashCode}/{@code equals} calls through {@code Object}, no node per entry, no boxing), and the
 * cached hash of each slot skips most key comparisons. Removal shifts the following entries of the run back
 * (no tombstones), so a table with many short-lived connections does not slow down. Load factor at most 1/2; the
 * array doubles when it is reached, and never shrinks (like the {@code HashMap} it replaces).
 *
 * <p>Allocation: when the array grows. Thread safety: not thread safe (owned by one reassembler).
 */
final class FlowTable {
  private static final int INITIAL_CAPACITY = 64;
  private TcpConnection[] slots = new TcpConnection[INITIAL_CAPACITY];
  private int[] hashes = new int[INITIAL_CAPACITY];
  private int size;

  /** The slot hash of {@code key}: its field hash, spread so that the low bits index the array. */
  static int hash(FlowKey key) {
    int h = key.hashCode();
    return h ^ (h >>> 16);
  }

  int size() {
    return size;
  }

  /** The connection whose table key equals {@code key} (whose slot hash is {@code hash}), or null. */
  TcpConnection get(FlowKey key, int hash) {
    TcpConnection[] s = slots;
    int[] h = hashes;
    int mask = s.length - 1;
    for (int i = hash & mask; ; i = (i + 1) & mask) {
      TcpConnection c = s[i];
      if (c == null) {
        return null;
      }
      if (h[i] == hash && c.tableKey.equals(key)) {
        return c;
      }
    }
  }

  /** Adds {@code c}, whose table key is not in the table, under slot hash {@code hash}. */
  void add(TcpConnection c, int hash) {
    if ((size + 1) * 2 > slots.length) {
      grow();
    }
    c.tableHash = hash;
    insert(slots, hashes, c, hash);
    size++;
  }

  private static void insert(TcpConnection[] s, int[] h, TcpConnection c, int hash) {
    int mask = s.length - 1;
    int i = hash & mask;
    while (s[i] != null) {
      i = (i + 1) & mask;
    }
    s[i] = c;
    h[i] = hash;
  }

  private void grow() {
    TcpConnection[] old = slots;
    int[] oldHashes = hashes;
    TcpConnection[] s = new TcpConnection[old.length * 2];
    int[] h = new int[old.length * 2];
    for (int i = 0; i < old.length; i++) {
      if (old[i] != null) {
        insert(s, h, old[i], oldHashes[i]);
      }
    }
    slots = s;
    hashes = h;
  }

  /** Removes {@code c} (by identity); nothing when it is not in the table. */
  void remove(TcpConnection c) {
    TcpConnection[] s = slots;
    int[] h = hashes;
    int mask = s.length - 1;
    int i = c.tableHash & mask;
    while (s[i] != c) {
      if (s[i] == null) {
        return;
      }
      i = (i + 1) & mask;
    }
    // backward-shift deletion: move each later entry of the run into the hole when its home slot is not between
    // the hole and the entry (cyclically), so that every entry stays reachable from its home slot without tombstones
    int hole = i;
    for (int j = (hole + 1) & mask; s[j] != null; j = (j + 1) & mask) {
      int home = h[j] & mask;
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        s[hole] = s[j];
        h[hole] = h[j];
        hole = j;
      }
    }
    s[hole] = null;
    h[hole] = 0;
    size--;
  }

  /** Removes every connection. */
  void clear() {
    java.util.Arrays.fill(slots, null);
    java.util.Arrays.fill(hashes, 0);
    size = 0;
  }
}
