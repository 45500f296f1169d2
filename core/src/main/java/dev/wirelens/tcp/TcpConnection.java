package dev.wirelens.tcp;

import dev.wirelens.ip.Ipv4Packet;
import dev.wirelens.ip.Ipv6Packet;

/**
 * One TCP connection tracked by a {@link TcpReassembler}: its endpoints and roles, handshake, close state, and per
 * direction counters. A read-only view for listeners and reports; the reassembler updates it as packets arrive.
 *
 * <p>Roles: the client is the side that sent the SYN (RFC 9293 §3.5). Without a captured SYN, a SYN-ACK names the
 * server; otherwise the sender of the first packet is the client, unless only its port is a well-known server port
 * ({@link TcpReassembler#isServerPort(int)}), in which case the other side is.
 *
 * <p>Counters (per {@link Direction}): {@link #packets} counts every TCP segment of the direction, including
 * retransmissions and pure ACKs; {@link #bytes} counts unique payload bytes delivered in stream order (gaps
 * excluded, each byte once, however often the listener left it unconsumed); {@link #gapCount}/{@link #gapBytes}
 * count the gaps reported; {@link #conflicts} counts overlapping bytes received twice with different content (the
 * first copy was kept). {@link #analysis} holds the direction's Wireshark sequence analysis (the audit's
 * {@code tcp.retransmissions}, {@code tcp.out_of_order}, {@code tcp.zero_windows}, {@code tcp.duplicate_acks}), and
 * {@link #initialRttNanos()} the handshake round trip.
 *
 * <p>Lifetime: owned by the reassembler; valid for reading during and after the callbacks. After
 * {@link TcpStreamListener#onClose} the view no longer changes except for {@link #packets},
 * {@link #lastTimestampNanos()} and {@link #isRstSeen}, which still follow stray packets of the closed connection
 * (the last ACK, a retransmitted FIN, an RST after the FINs) until the tuple is reused or expires.
 *
 * <p>Allocation: none, except the {@code …AsString()} methods and {@link #toString()}.
 *
 * <p>Thread safety: this class is not thread safe; read it on the reassembler's thread.
 *
 * <pre>{@code
 * public void onClose(TcpConnection c, CloseReason why) {
 *   System.out.printf("%d %s:%d -> %s:%d %s %s %d/%d bytes%n", c.id(), c.clientAddressAsString(), c.clientPort(),
 *       c.serverAddressAsString(), c.serverPort(), c.handshake().jsonName(), why,
 *       c.bytes(Direction.CLIENT_TO_SERVER), c.bytes(Direction.SERVER_TO_CLIENT));
 * }
 * }</pre>
 */
public final class TcpConnection {
  final long id;
  final FlowKey clientKey;
  final TcpStreamListener listener;
  final HalfStream toServer;
  final HalfStream toClient;
  long firstTimestampNanos;
  long lastTimestampNanos;
  boolean handshakeAcked;
  boolean synTimed; // a SYN (without ACK) was seen, at synNanos
  long synNanos;
  long firstRttNanos; // 0 while unknown, as Wireshark's ts_first_rtt
  Direction firstFin;
  Direction firstRst;
  CloseReason closeReason;
  boolean resetPending;
  long resetAtNanos;
  // intrusive least-recently-active list of the reassembler's flow table
  long activityPosition = -1; // its entry in the reassembler's ActivityOrder, -1 when not listed
  FlowKey tableKey;
  int tableHash; // FlowTable.hash(tableKey), set when added to the table
  boolean clientKeyCanonical; // clientKey is in canonical order (tableKey == clientKey)

  TcpConnection(long id, FlowKey clientKey, TcpReassembler owner,
      java.util.function.Function<? super TcpConnection, ? extends TcpStreamListener> factory, long timestampNanos) {
    this.id = id;
    this.clientKey = clientKey;
    this.firstTimestampNanos = timestampNanos;
    this.lastTimestampNanos = timestampNanos;
    this.toServer = new HalfStream(this, Direction.CLIENT_TO_SERVER, owner);
    this.toClient = new HalfStream(this, Direction.SERVER_TO_CLIENT, owner);
    TcpStreamListener l = factory.apply(this);
    if (l == null) {
      throw new IllegalStateException("the listener factory returned null for connection " + id);
    }
    this.listener = l;
  }

  HalfStream half(Direction d) {
    return d == Direction.CLIENT_TO_SERVER ? toServer : toClient;
  }

  /** Number of the connection: 0-based, in order of each connection's first packet (the audit's {@code id}). */
  public long id() {
    return id;
  }

  /** 4 or 6. */
  public int ipVersion() {
    return clientKey.ipVersion();
  }

  /** The client's TCP port. */
  public int clientPort() {
    return clientKey.sourcePort();
  }

  /** The server's TCP port. */
  public int serverPort() {
    return clientKey.destinationPort();
  }

  /** Copies the 5-tuple, directed from client to server, into {@code into}; returns {@code into}. */
  public FlowKey copyFlowKeyTo(FlowKey into) {
    return into.copyFrom(clientKey);
  }

  /** The client's address as text ({@code 10.0.0.2}, {@code 2001:db8::1}). Allocates. */
  public String clientAddressAsString() {
    return clientKey.ipVersion() == 4 ? Ipv4Packet.formatAddress(clientKey.sourceIpv4())
        : Ipv6Packet.formatAddress(clientKey.sourceHigh(), clientKey.sourceLow());
  }

  /** The server's address as text. Allocates. */
  public String serverAddressAsString() {
    return clientKey.ipVersion() == 4 ? Ipv4Packet.formatAddress(clientKey.destinationIpv4())
        : Ipv6Packet.formatAddress(clientKey.destinationHigh(), clientKey.destinationLow());
  }

  /** How much of the three-way handshake was captured. */
  public TcpHandshake handshake() {
    if (!toServer.synSeen) {
      return TcpHandshake.MISSING;
    }
    if (!toClient.synSeen) {
      return TcpHandshake.SYN_ONLY;
    }
    return handshakeAcked ? TcpHandshake.COMPLETE : TcpHandshake.SYN_SYNACK;
  }

  /** Capture time of the first packet, epoch nanoseconds. */
  public long firstTimestampNanos() {
    return firstTimestampNanos;
  }

  /** Capture time of the last packet so far, epoch nanoseconds. */
  public long lastTimestampNanos() {
    return lastTimestampNanos;
  }

  /** TCP segments sent in {@code direction}, retransmissions and pure ACKs included. */
  public long packets(Direction direction) {
    return half(direction).packets;
  }

  /** Unique payload bytes delivered in order in {@code direction}, gaps excluded. */
  public long bytes(Direction direction) {
    return half(direction).bytes;
  }

  /** Gaps reported in {@code direction}. */
  public long gapCount(Direction direction) {
    return half(direction).gapCount;
  }

  /** Bytes of the gaps reported in {@code direction}. */
  public long gapBytes(Direction direction) {
    return half(direction).gapBytes;
  }

  /** Overlapping bytes received again with different content in {@code direction} (the first copy was kept). */
  public long conflicts(Direction direction) {
    return half(direction).conflicts;
  }

  /**
   * The sequence analysis ({@code tcp.analysis.*} flags and counts, Wireshark's meanings) of the segments sent in
   * {@code direction}; see {@link TcpAnalysis}.
   */
  public TcpAnalysis analysis(Direction direction) {
    return half(direction).analysis;
  }

  /**
   * The handshake round-trip time as Wireshark's {@code tcp.analysis.initial_rtt}: from the last SYN (without ACK)
   * seen before it to the first segment with ACK and without SYN, in either direction, in nanoseconds of capture
   * time; -1 while unknown (no SYN, no such ACK yet, or a difference of 0, which Wireshark does not show either).
   */
  public long initialRttNanos() {
    return firstRttNanos == 0 ? -1 : firstRttNanos;
  }

  /** True when a FIN was seen from the sender of {@code direction}. */
  public boolean isFinSeen(Direction direction) {
    return half(direction).finOffset >= 0;
  }

  /**
   * True when an acceptable RST was seen from the sender of {@code direction}, also one that arrived after the
   * connection closed with FINs.
   */
  public boolean isRstSeen(Direction direction) {
    return half(direction).rstSeen;
  }

  /**
   * The side that closed: the sender of the first acceptable RST, else of the first FIN, as the direction it sent
   * in; {@code null} when neither was seen (the audit's {@code tcp.closed_by}).
   */
  public Direction closedBy() {
    return firstRst != null ? firstRst : firstFin;
  }

  /** True once {@link TcpStreamListener#onClose} was called for this connection. */
  public boolean isClosed() {
    return closeReason != null;
  }

  /** Why the connection closed, {@code null} while it is open. */
  public CloseReason closeReason() {
    return closeReason;
  }

  /** The endpoints and state, for debugging. Allocates. */
  @Override
  public String toString() {
    return "TcpConnection{" + id + ' ' + clientKey + ", " + handshake().jsonName()
        + (closeReason == null ? ", open" : ", closed " + closeReason) + ", c2s=" + bytes(Direction.CLIENT_TO_SERVER)
        + "B, s2c=" + bytes(Direction.SERVER_TO_CLIENT) + "B}";
  }
}
