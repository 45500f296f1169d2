package dev.wirelens.tcp;

import dev.wirelens.ip.IpProtocols;
import dev.wirelens.ip.Ipv4Packet;
import dev.wirelens.ip.Ipv6Packet;

/**
 * A mutable 5-tuple: IP version, source and destination address, IP protocol, source and destination port. Filled
 * in place by {@code PacketDissector.flowKey(FlowKey)} without allocation, so one instance can be reused for every
 * packet; {@link #copy()} makes a snapshot to keep, e.g. as a map key.
 *
 * <p>Addresses are held as two longs each: an IPv6 address as its high and low 64 bits, an IPv4 address as its 32
 * bits (unsigned) in the low long with a high long of 0. Ports are 0 for protocols without ports (ICMP).
 *
 * <p>Direction: a key is directed (source to destination). {@link #isCanonical()} orders the two endpoints
 * (address, then port, unsigned), {@link #canonicalize()} swaps a key into that order, and
 * {@link #sameConnection(FlowKey)} / {@link #connectionHashCode()} compare and hash without regard to direction, so
 * both directions of a connection map to one flow.
 *
 * <p>Lifetime: owned by the caller. Allocation: none, except {@link #copy()} and {@link #toString()}.
 *
 * <p>Thread safety: this class is not thread safe; a copy used as a map key must not be mutated.
 *
 * <pre>{@code
 * FlowKey key = new FlowKey();
 * if (dissector.flowKey(key)) {
 *   boolean fromClient = key.canonicalize();  // false when the key was already in canonical order
 *   Flow f = flows.computeIfAbsent(key, k -> new Flow());  // lookups with the reused key, insert a copy():
 * }
 * }</pre>
 */
public final class FlowKey {
  private int ipVersion;
  private long sourceHigh;
  private long sourceLow;
  private long destinationHigh;
  private long destinationLow;
  private int protocol;
  private int sourcePort;
  private int destinationPort;

  /** An empty key (IP version 0). */
  public FlowKey() {}

  /** Sets an IPv4 key; addresses are 32-bit patterns in network order, ports 0..65535. Returns this key. */
  public FlowKey setIpv4(int source, int destination, int protocol, int sourcePort, int destinationPort) {
    this.ipVersion = 4;
    this.sourceHigh = 0;
    this.sourceLow = source & 0xffffffffL;
    this.destinationHigh = 0;
    this.destinationLow = destination & 0xffffffffL;
    this.protocol = protocol;
    this.sourcePort = sourcePort;
    this.destinationPort = destinationPort;
    return this;
  }

  /** Sets an IPv6 key from the high and low 64 bits of each address. Returns this key. */
  public FlowKey setIpv6(long sourceHigh, long sourceLow, long destinationHigh, long destinationLow, int protocol,
      int sourcePort, int destinationPort) {
    this.ipVersion = 6;
    this.sourceHigh = sourceHigh;
    this.sourceLow = sourceLow;
    this.destinationHigh = destinationHigh;
    this.destinationLow = destinationLow;
    this.protocol = protocol;
    this.sourcePort = sourcePort;
    this.destinationPort = destinationPort;
    return this;
  }

  /** Copies every field of {@code other} into this key. Returns this key. */
  public FlowKey copyFrom(FlowKey other) {
    this.ipVersion = other.ipVersion;
    this.sourceHigh = other.sourceHigh;
    this.sourceLow = other.sourceLow;
    this.destinationHigh = other.destinationHigh;
    this.destinationLow = other.destinationLow;
    this.protocol = other.protocol;
    this.sourcePort = other.sourcePort;
    this.destinationPort = other.destinationPort;
    return this;
  }

  /** A new key with the same fields. Allocates. */
  public FlowKey copy() {
    return new FlowKey().copyFrom(this);
  }

  /** Resets to the empty key. */
  public void clear() {
    ipVersion = 0;
    sourceHigh = sourceLow = destinationHigh = destinationLow = 0;
    protocol = sourcePort = destinationPort = 0;
  }

  /** 4 or 6; 0 for an empty key. */
  public int ipVersion() {
    return ipVersion;
  }

  /** The IP protocol number ({@link IpProtocols}). */
  public int protocol() {
    return protocol;
  }

  /** Source port, 0 for protocols without ports. */
  public int sourcePort() {
    return sourcePort;
  }

  /** Destination port, 0 for protocols without ports. */
  public int destinationPort() {
    return destinationPort;
  }

  /** IPv4 only: the source address bits. */
  public int sourceIpv4() {
    return (int) sourceLow;
  }

  /** IPv4 only: the destination address bits. */
  public int destinationIpv4() {
    return (int) destinationLow;
  }

  /** High 64 bits of the source address (0 for IPv4). */
  public long sourceHigh() {
    return sourceHigh;
  }

  /** Low 64 bits of the source address (the 32 IPv4 bits, unsigned, for IPv4). */
  public long sourceLow() {
    return sourceLow;
  }

  /** High 64 bits of the destination address (0 for IPv4). */
  public long destinationHigh() {
    return destinationHigh;
  }

  /** Low 64 bits of the destination address (the 32 IPv4 bits, unsigned, for IPv4). */
  public long destinationLow() {
    return destinationLow;
  }

  /** Swaps source and destination in place. Returns this key. */
  public FlowKey reverse() {
    long h = sourceHigh;
    long l = sourceLow;
    int p = sourcePort;
    sourceHigh = destinationHigh;
    sourceLow = destinationLow;
    sourcePort = destinationPort;
    destinationHigh = h;
    destinationLow = l;
    destinationPort = p;
    return this;
  }

  /** True when the source endpoint sorts at or before the destination (address, then port, unsigned). */
  public boolean isCanonical() {
    int c = Long.compareUnsigned(sourceHigh, destinationHigh);
    if (c == 0) {
      c = Long.compareUnsigned(sourceLow, destinationLow);
    }
    if (c == 0) {
      c = Integer.compare(sourcePort, destinationPort);
    }
    return c <= 0;
  }

  /** Puts the key in canonical order; returns true when it had to swap the endpoints. */
  public boolean canonicalize() {
    if (isCanonical()) {
      return false;
    }
    reverse();
    return true;
  }

  /**
   * Which way {@code other} is this key: 1 when equal, -1 when reversed (and not equal), 0 when neither. For the
   * reassembler's repeat-connection check, without {@code equals(Object)}'s type test or a copy of the key.
   */
  int direction(FlowKey other) {
    if (ipVersion != other.ipVersion || protocol != other.protocol) {
      return 0;
    }
    if (sourcePort == other.sourcePort && destinationPort == other.destinationPort && sourceLow == other.sourceLow
        && destinationLow == other.destinationLow && sourceHigh == other.sourceHigh
        && destinationHigh == other.destinationHigh) {
      return 1;
    }
    if (sourcePort == other.destinationPort && destinationPort == other.sourcePort
        && sourceLow == other.destinationLow && destinationLow == other.sourceLow
        && sourceHigh == other.destinationHigh && destinationHigh == other.sourceHigh) {
      return -1;
    }
    return 0;
  }

  /** True when {@code other} is this key in either direction. */
  public boolean sameConnection(FlowKey other) {
    if (ipVersion != other.ipVersion || protocol != other.protocol) {
      return false;
    }
    return (sourceHigh == other.sourceHigh && sourceLow == other.sourceLow && sourcePort == other.sourcePort
            && destinationHigh == other.destinationHigh && destinationLow == other.destinationLow
            && destinationPort == other.destinationPort)
        || (sourceHigh == other.destinationHigh && sourceLow == other.destinationLow
            && sourcePort == other.destinationPort && destinationHigh == other.sourceHigh
            && destinationLow == other.sourceLow && destinationPort == other.sourcePort);
  }

  /** A hash that is the same for both directions of a connection (consistent with {@link #sameConnection}). */
  public int connectionHashCode() {
    int a = endpointHash(sourceHigh, sourceLow, sourcePort);
    int b = endpointHash(destinationHigh, destinationLow, destinationPort);
    return (a ^ b) * 31 + (a + b) + protocol * 977 + ipVersion;
  }

  private static int endpointHash(long high, long low, int port) {
    long h = high * 0x9E3779B97F4A7C15L + low;
    h = (h ^ (h >>> 29)) * 0xBF58476D1CE4E5B9L + port;
    return (int) (h ^ (h >>> 32));
  }

  /** Equal when every field is equal (directed). */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof FlowKey)) {
      return false;
    }
    FlowKey k = (FlowKey) o;
    return ipVersion == k.ipVersion && protocol == k.protocol && sourcePort == k.sourcePort
        && destinationPort == k.destinationPort && sourceHigh == k.sourceHigh && sourceLow == k.sourceLow
        && destinationHigh == k.destinationHigh && destinationLow == k.destinationLow;
  }

  /** Hash of every field (directed). */
  @Override
  public int hashCode() {
    int h = ipVersion * 31 + protocol;
    h = h * 31 + endpointHash(sourceHigh, sourceLow, sourcePort);
    h = h * 31 + endpointHash(destinationHigh, destinationLow, destinationPort);
    return h;
  }

  /**
   * {@code "10.0.0.1:51234 -> 10.0.0.2:8084 TCP"}; IPv6 addresses in brackets ({@code "[2001:db8::1]:443"}); no
   * ports for protocols other than TCP, UDP and SCTP. Allocates.
   */
  @Override
  public String toString() {
    if (ipVersion == 0) {
      return "FlowKey{empty}";
    }
    boolean ports = protocol == IpProtocols.TCP || protocol == IpProtocols.UDP || protocol == IpProtocols.SCTP;
    StringBuilder s = new StringBuilder(64);
    endpoint(s, sourceHigh, sourceLow, sourcePort, ports);
    s.append(" -> ");
    endpoint(s, destinationHigh, destinationLow, destinationPort, ports);
    String name = IpProtocols.nameOf(protocol);
    return s.append(' ').append(name).toString();
  }

  private void endpoint(StringBuilder s, long high, long low, int port, boolean ports) {
    if (ipVersion == 4) {
      s.append(Ipv4Packet.formatAddress((int) low));
      if (ports) {
        s.append(':').append(port);
      }
    } else if (ports) {
      s.append('[').append(Ipv6Packet.formatAddress(high, low)).append("]:").append(port);
    } else {
      s.append(Ipv6Packet.formatAddress(high, low));
    }
  }
}
