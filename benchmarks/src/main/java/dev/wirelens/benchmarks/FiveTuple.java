package dev.wirelens.benchmarks;

/**
 * How every benchmarked path "touches the 5-tuple": it folds addresses, protocol and ports into one long the same
 * way, so the floor, Wirelens and the peers can be checked to have decoded the same thing (equal results over the
 * same capture) and the JIT cannot drop any of the reads.
 */
public final class FiveTuple {
  private FiveTuple() {
  }

  /** Folds an IPv4 5-tuple; ports count only for TCP (6) and UDP (17). */
  public static long ipv4(int source, int destination, int protocol, int sourcePort, int destinationPort) {
    long acc = ((long) source << 32) ^ (destination & 0xFFFFFFFFL);
    return ports(acc * 31 + protocol, protocol, sourcePort, destinationPort);
  }

  /** Folds an IPv6 5-tuple given each address as its high and low 64 bits. */
  public static long ipv6(long sourceHigh, long sourceLow, long destinationHigh, long destinationLow, int protocol,
      int sourcePort, int destinationPort) {
    long acc = sourceHigh ^ sourceLow * 31 ^ destinationHigh * 961 ^ destinationLow;
    return ports(acc * 31 + protocol, protocol, sourcePort, destinationPort);
  }

  private static long ports(long acc, int protocol, int sourcePort, int destinationPort) {
    return protocol == 6 || protocol == 17 ? acc * 31 + ((sourcePort << 16) | destinationPort) : acc;
  }

  /** Adds one frame's fold to a running result (0 for a frame that is not IP). */
  public static long add(long acc, long frameFold) {
    return acc * 31 + frameFold;
  }

  /** Big-endian long at {@code off} of {@code b}. */
  public static long longAt(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }

  /** Big-endian int at {@code off} of {@code b}. */
  public static int intAt(byte[] b, int off) {
    return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
  }
}
