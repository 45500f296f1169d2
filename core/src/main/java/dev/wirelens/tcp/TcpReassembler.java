package dev.wirelens.tcp;

import dev.wirelens.Layer;
import dev.wirelens.Limits;
import dev.wirelens.ip.FragmentListener;
import dev.wirelens.ip.IpDefragmenter;
import dev.wirelens.ip.IpProtocols;
import dev.wirelens.link.LinkTypes;
import dev.wirelens.packet.PacketDissector;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Tracks TCP connections and reassembles each direction's byte stream (RFC 9293), pushing it to a
 * {@link TcpStreamListener} per connection: the demultiplexing point between packets and protocol readers.
 *
 * <p>Connections: a flow table keyed by the 5-tuple in canonical order (one entry for both directions; allocation
 * only when a connection starts). Roles come from the SYN (see {@link TcpConnection}). A connection closes when
 * both FINs were delivered ({@link CloseReason#FIN}); on an RST whose sequence number lies in the receiver's window
 * ({@link CloseReason#RST}; other RSTs are ignored, RFC 5961 §3; when bytes are missing before data or a FIN
 * already captured, the close waits up to {@link #RESET_GRACE_NANOS} of capture time for segments that were in
 * flight); after {@link Limits#idleTimeout()} of capture time without packets; when the table is full
 * ({@link Limits#maxFlows()}: the least recently active connection is evicted); when a new SYN with another initial
 * sequence number reuses the tuple; and at {@link #close()}. A closed connection's tuple stays known until it
 * expires, so its last ACKs (or a late copy of its SYN) do not start a new connection; a new SYN on it does (port
 * reuse).
 *
 * <p>Reassembly, per direction:
 * <ul>
 *   <li>In-order payload is handed to {@link TcpStreamListener#onData} at once, through a reusable view of the
 *       packet buffer ({@code data.unwrap()} is that buffer): no copy, no slice, nothing retained. The packet
 *       buffer's reader and writer indices are set around the payload for the call and put back afterwards, so a
 *       listener reads from {@code data.readerIndex()} (never from index 0), must not keep {@code data} itself, and
 *       keeps bytes with {@code retainedSlice()} or a copy.
 *   <li>Out-of-order payload is held until the hole before it fills: as a retained slice, or as a heap copy when the
 *       piece is at most {@link #COPY_AT_MOST} bytes or smaller than 1/{@link #COPY_WHEN_PARENT_RATIO} of the buffer
 *       it would pin (a small retained slice would keep a whole capture chunk alive).
 *   <li>Overlaps: the bytes received first win; a byte received again with other content counts as a conflict
 *       ({@link TcpConnection#conflicts}). Retransmissions of delivered bytes are dropped (their content is not
 *       compared: delivered bytes are not kept, unless {@link #compareRetransmissions(int)} asks for it). Sequence
 *       numbers wrap mod 2^32; stream offsets are 64-bit.
 *   <li>A hole becomes a gap ({@link TcpStreamListener#onGap}) when the peer acknowledges past it and, a round
 *       trip later, also acknowledges data sent after that acknowledgment (or acknowledges the FIN), so that a
 *       capture which merely reordered the two directions is not taken for loss; when the connection closes; when
 *       holding what follows it would exceed {@link Limits#maxBufferedBytesPerFlow()}
 *       ({@link GapReason#FLOW_BUFFER_LIMIT}: the own direction's holes go first) or
 *       {@link Limits#maxBufferedBytesTotal()} ({@link GapReason#TOTAL_BUFFER_LIMIT}: the own flow's holes go first,
 *       then those of the least recently active connections; the connections found holding nothing are not walked
 *       again until they get a packet, so a flood of holes costs the same per piece whatever the flow table's
 *       size); or when the snap length cut the payload. Each gap names one reason, so a cap's gaps can be counted
 *       apart from the other's. Bytes are never invented.
 *   <li>The FIN is reported ({@link TcpStreamListener#onFin}) after every byte before it; bytes numbered from the
 *       first captured FIN on are not part of the stream (RFC 9293 §3.4) and are dropped, whether they came in the
 *       same segment as bytes before it or not, so a stream is the same whole or in pieces. Keep-alives (one byte or
 *       none below the next expected byte) are not data; a zero-window probe is held until confirmed.
 * </ul>
 *
 * <p>IP fragments: reassembled before TCP, as tshark does by default, by an {@link IpDefragmenter} this reassembler
 * owns ({@link #defragment()}: bounded by the same {@link Limits}, which it applies separately from the TCP bytes;
 * expired with every packet's capture time; closed by {@link #close()}). {@link #defragmentWith(IpDefragmenter)}
 * sets one the caller keeps instead, or, with null, turns reassembly off: fragmented segments are then ignored
 * ({@link #onPacket} returns false). Not handled here: checksums (not verified, as tshark by
 * default).
 *
 * <p>Lifetime: {@link #onPacket} borrows the dissector's buffer for the call; everything retained is released by the
 * time the connection closes, and {@link #close()} closes every connection.
 *
 * <p>Allocation: per new connection (its state and key); per out-of-order piece (a copy or retained slice and its
 * map entry); when a listener leaves bytes unconsumed. In-order segments allocate nothing (measured by
 * {@code benchmarks}' {@code TcpReassemblyBenchmark}: under 1 byte per segment in steady state).
 *
 * <p>Thread safety: this class is not thread safe. Scale by hashing flows (e.g. {@link FlowKey#connectionHashCode()})
 * to one reassembler per thread.
 *
 * <pre>{@code
 * PacketDissector d = new PacketDissector();
 * try (CaptureReader in = CaptureReader.open(path);
 *      TcpReassembler tcp = new TcpReassembler(Limits.defaults(), connection -> new MyStreamListener())) {
 *   while (in.next() == DecodeStatus.FRAME) {
 *     d.dissect(in); // in place: no slice per frame, and the payload view is reused
 *     tcp.onPacket(d, in.timestampNanos());
 *   }
 * }
 * }</pre>
 */
public final class TcpReassembler implements AutoCloseable {
  /** Out-of-order pieces of at most this many bytes are always copied rather than retained. */
  public static final int COPY_AT_MOST = 256;
  /** Out-of-order pieces smaller than 1/this of the buffer they would pin are copied rather than retained. */
  public static final int COPY_WHEN_PARENT_RATIO = 8;
  /**
   * Capture time an RST waits, when the connection misses bytes before data or a FIN already captured, for
   * segments that were in flight when the RST was sent: 1 second.
   */
  public static final long RESET_GRACE_NANOS = 1_000_000_000L;

  final Limits limits;
  private final Function<? super TcpConnection, ? extends TcpStreamListener> factory;
  private final FlowTable table = new FlowTable();
  private final java.util.ArrayDeque<TcpConnection> pendingResets = new java.util.ArrayDeque<>();
  private final FlowKey lookup = new FlowKey();
  private final FlowKey packetKey = new FlowKey();
  private final TcpOptionCursor options = new TcpOptionCursor();
  private TcpConnection recent; // the last packet's connection, while it is in the table
  private PayloadView payloadView; // over the last packet buffer seen; identity only, never read after the call
  private final long idleNanos;
  // least recently active first; its mark: the end of a prefix known to hold no bytes (-1: none)
  private final ActivityOrder order = new ActivityOrder();
  private long nextId;
  private boolean closed;
  private boolean busy;
  long buffered;
  long unconsumedBytesDropped;
  int historyBytes;
  private long evictions;
  private long ignoredResets;
  private IpDefragmenter defragmenter;
  private PacketDissector fragmentDissector;
  private boolean ownsDefragmenter;

  /** A reassembler that sends every connection's events to one {@code listener}. */
  public TcpReassembler(Limits limits, TcpStreamListener listener) {
    this(limits, connection -> listener);
    Objects.requireNonNull(listener, "listener");
  }

  /** A reassembler that asks {@code listenerFactory} for one listener per new connection (before its onOpen). */
  public TcpReassembler(Limits limits, Function<? super TcpConnection, ? extends TcpStreamListener> listenerFactory) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.factory = Objects.requireNonNull(listenerFactory, "listenerFactory");
    long idle;
    try {
      idle = limits.idleTimeout().toNanos();
    } catch (ArithmeticException tooLong) {
      idle = Long.MAX_VALUE;
    }
    this.idleNanos = idle;
    this.defragmenter = new IpDefragmenter(limits);
    this.ownsDefragmenter = true;
  }

  /**
   * Also compares retransmissions with bytes already delivered: each direction of each connection keeps a copy of
   * its last {@code bytesPerDirection} delivered bytes, and a retransmitted byte that differs from its kept copy
   * counts as a conflict ({@link TcpConnection#conflicts}), as one that differs from held bytes always does. Costs
   * a copy of every delivered byte and {@code 2 * bytesPerDirection} bytes of heap per connection (not counted in
   * {@link Limits#maxBufferedBytesTotal()}); off (0) by default. Call before the first packet; returns this.
   */
  public TcpReassembler compareRetransmissions(int bytesPerDirection) {
    if (bytesPerDirection < 0) {
      throw new IllegalArgumentException("bytesPerDirection must not be negative: " + bytesPerDirection);
    }
    if (nextId != 0) {
      throw new IllegalStateException("compareRetransmissions must be set before the first packet");
    }
    this.historyBytes = bytesPerDirection;
    return this;
  }

  /**
   * Reassembles IP fragments with {@code defragmenter} before TCP: {@link #onPacket} then offers every fragment to
   * it and, when a fragment completes a datagram, takes the TCP segment of the reassembled datagram. The caller
   * keeps the defragmenter (its counters and events; closing it); its bytes are bounded by its own {@link Limits},
   * apart from this reassembler's {@link Limits#maxBufferedBytesTotal()}. With null, fragmented segments are ignored.
   * Closes the defragmenter this reassembler owned (by default, one made by {@link #defragment()}). Returns this.
   */
  public TcpReassembler defragmentWith(IpDefragmenter defragmenter) {
    setDefragmenter(defragmenter, false);
    return this;
  }

  /**
   * Reassembles IP fragments before TCP with a defragmenter this reassembler owns (the default: a new reassembler
   * starts with one made so), bounded by this reassembler's
   * {@link Limits} ({@link Limits#maxFragmentedDatagrams()}, {@link Limits#maxBufferedBytesTotal()}) and timing out
   * after {@link IpDefragmenter#DEFAULT_TIMEOUT} of capture time; its events are ignored. Same as
   * {@link #defragment(Limits, FragmentListener) defragment(limits, FragmentListener.NONE)}. Returns this.
   */
  public TcpReassembler defragment() {
    return defragment(limits, FragmentListener.NONE);
  }

  /**
   * Reassembles IP fragments before TCP (see {@link #defragmentWith}) with a new {@link IpDefragmenter} bounded by
   * {@code fragmentLimits}, timing out after {@link IpDefragmenter#DEFAULT_TIMEOUT}, that sends its events to
   * {@code listener}. This reassembler owns it: {@link #onPacket} and {@link #expireIdle} expire it by capture time,
   * and {@link #close()} closes it, so the datagrams still in progress are reported to {@code listener} as
   * {@link dev.wirelens.ip.FragmentEvent#INCOMPLETE_AT_END}. Replaces (and closes, if owned) any defragmenter set
   * before. Its counters stay readable through {@link #defragmenter()}. Returns this.
   */
  public TcpReassembler defragment(Limits fragmentLimits, FragmentListener listener) {
    IpDefragmenter owned = new IpDefragmenter(Objects.requireNonNull(fragmentLimits, "fragmentLimits"),
        IpDefragmenter.DEFAULT_TIMEOUT, Objects.requireNonNull(listener, "listener"));
    setDefragmenter(owned, true);
    return this;
  }

  /** The defragmenter set by {@link #defragment()} or {@link #defragmentWith}, or null when fragments are ignored. */
  public IpDefragmenter defragmenter() {
    return defragmenter;
  }

  private void setDefragmenter(IpDefragmenter defragmenter, boolean owned) {
    ensureOpen();
    if (ownsDefragmenter && this.defragmenter != null && this.defragmenter != defragmenter) {
      this.defragmenter.close();
    }
    this.defragmenter = defragmenter;
    this.ownsDefragmenter = owned && defragmenter != null;
  }

  /**
   * Takes the TCP segment of the packet last dissected by {@code dissector}, captured at {@code timestampNanos}
   * (epoch nanoseconds). Returns false, doing nothing but expiring idle connections, when the packet has no TCP
   * header, or is an IP fragment that completed no TCP datagram (or fragments are ignored: {@link #defragmentWith}
   * null).
   */
  public boolean onPacket(PacketDissector dissector, long timestampNanos) {
    ensureOpen();
    expireIdle(timestampNanos);
    if (dissector.isFragment()) {
      return defragmenter != null && onFragment(dissector, timestampNanos);
    }
    if (!dissector.has(Layer.TCP) || !dissector.flowKey(packetKey)) {
      return false;
    }
    return enter(packetKey, dissector.tcp(), timestampNanos, false); // expired above
  }

  private boolean onFragment(PacketDissector dissector, long timestampNanos) {
    if (dissector.transportProtocol() != IpProtocols.TCP) {
      return false;
    }
    ByteBuf whole = defragmenter.offer(dissector, timestampNanos);
    if (whole == null) {
      return false;
    }
    try {
      if (fragmentDissector == null) {
        fragmentDissector = new PacketDissector(limits);
      }
      PacketDissector inner = fragmentDissector;
      inner.dissect(whole, LinkTypes.RAW);
      if (!inner.has(Layer.TCP) || !inner.flowKey(packetKey)) {
        return false;
      }
      return onSegment(packetKey, inner.tcp(), timestampNanos); // held pieces retain or copy what they keep
    } finally {
      whole.release();
    }
  }

  /**
   * Takes one TCP segment: {@code key} is its 5-tuple directed from sender to receiver, {@code segment} a wrapped
   * view. For callers that decode packets themselves. Returns true (the segment was assigned to a connection).
   */
  public boolean onSegment(FlowKey key, TcpSegment segment, long timestampNanos) {
    ensureOpen();
    return enter(key, segment, timestampNanos, true);
  }

  private boolean enter(FlowKey key, TcpSegment segment, long timestampNanos, boolean expire) {
    if (busy) {
      throw new IllegalStateException("a listener called back into the reassembler");
    }
    busy = true;
    try {
      if (expire) {
        expireIdle(timestampNanos);
      }
      return segment(key, segment, timestampNanos);
    } finally {
      busy = false;
    }
  }

  private boolean segment(FlowKey key, TcpSegment segment, long timestampNanos) {
    int flags = segment.flags();
    boolean syn = (flags & (TcpSegment.SYN | TcpSegment.ACK)) == TcpSegment.SYN;
    // Packets come in bursts per connection: a repeat of the last packet's connection is recognised by comparing
    // the packet's key with its table key both ways, without copying, canonicalizing or hashing the key. A SYN takes
    // the full way: it may open a new connection, which needs the canonical key in lookup.
    TcpConnection c = recent;
    int way = c == null || syn ? 0 : c.tableKey.direction(key);
    boolean swapped;
    int hash;
    if (way != 0) {
      swapped = way < 0; // the table key is canonical: the packet's key is so exactly when it equals it
      hash = c.tableHash;
    } else {
      lookup.copyFrom(key);
      swapped = lookup.canonicalize();
      hash = FlowTable.hash(lookup);
      if (c == null || c.tableHash != hash || !c.tableKey.equals(lookup)) {
        c = table.get(lookup, hash);
      }
    }
    if (c != null && syn && isNewConnection(c, key, segment.sequenceNumber())) {
      if (!c.isClosed()) {
        closeConnection(c, unlessReset(c, CloseReason.PORT_REUSED));
      }
      remove(c);
      c = null;
    }
    if (c == null) {
      c = open(key, hash, segment, timestampNanos);
    } else {
      order.touch(c);
    }
    recent = c;
    // the sender is the client when the packet's key is canonical exactly when the client's key is (no key compare)
    Direction dir = swapped != c.clientKeyCanonical ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT;
    process(c, dir, segment, timestampNanos);
    return true;
  }

  /**
   * A SYN on a known tuple starts a new connection unless it repeats the SYN of this one (same initial sequence
   * number, also after the close: a late retransmission), or it is the first SYN seen of an open connection whose
   * client has sent nothing yet.
   */
  private boolean isNewConnection(TcpConnection c, FlowKey key, long seq) {
    if (!key.equals(c.clientKey)) {
      return true;
    }
    HalfStream h = c.toServer;
    if (!h.initialized) {
      return c.isClosed();
    }
    boolean sameStart = h.synSeen ? seq == h.isn : h.offsetOf((seq + 1) & 0xffffffffL) == 0;
    if (sameStart) {
      return false;
    }
    return c.isClosed() || h.synSeen || h.next > 0 || h.hasHeld();
  }

  private TcpConnection open(FlowKey key, int hash, TcpSegment segment, long timestampNanos) {
    TcpConnection victim;
    while (table.size() >= limits.maxFlows() && (victim = order.first()) != null) {
      if (!victim.isClosed()) {
        evictions++;
        closeConnection(victim, unlessReset(victim, CloseReason.EVICTED));
      }
      remove(victim);
    }
    int flags = segment.flags();
    boolean senderIsClient;
    if ((flags & TcpSegment.SYN) != 0) {
      senderIsClient = (flags & TcpSegment.ACK) == 0;
    } else {
      senderIsClient = !(isServerPort(key.sourcePort()) && !isServerPort(key.destinationPort()));
    }
    FlowKey clientKey = key.copy();
    if (!senderIsClient) {
      clientKey.reverse();
    }
    FlowKey tableKey = lookup.copy();
    TcpConnection c = new TcpConnection(nextId++, clientKey, this, factory, timestampNanos);
    c.tableKey = tableKey;
    c.clientKeyCanonical = clientKey.isCanonical();
    table.add(c, hash);
    order.add(c);
    c.listener.onOpen(c);
    return c;
  }

  /**
   * True for ports where a server listens, used to pick the client when no SYN was captured: the well-known ports
   * (below 1024) and a few registered ones commonly run as servers (8080, 8443, 8084, 8000, 8888, 3306, 5432, 6379,
   * 27017, 1883, 5672, 9092, 9200).
   */
  public static boolean isServerPort(int port) {
    if (port < 1024) {
      return true;
    }
    switch (port) {
      case 8080: case 8443: case 8084: case 8000: case 8888: case 3306: case 5432: case 6379: case 27017:
      case 1883: case 5672: case 9092: case 9200:
        return true;
      default:
        return false;
    }
  }

  private void process(TcpConnection c, Direction dir, TcpSegment segment, long ts) {
    HalfStream d = c.half(dir);
    HalfStream p = c.half(dir.opposite());
    d.packets++;
    if (ts > c.lastTimestampNanos) {
      c.lastTimestampNanos = ts;
    }
    int flags = segment.flags();
    long seq = segment.sequenceNumber(); // each header field read once per segment
    long ackNumber = segment.acknowledgmentNumber();
    int window = segment.window();
    analyze(c, dir, d, p, seq, ackNumber, segment.payloadLength(), flags, window, ts);
    boolean ack = (flags & TcpSegment.ACK) != 0;
    if ((flags & TcpSegment.RST) != 0) {
      if (d.acceptsReset(seq, ack, ackNumber, p)) {
        d.rstSeen = true; // also after a FIN close: the audit's "rst wins when both were seen"
        if (c.firstRst == null) {
          c.firstRst = dir;
        }
        if (!c.isClosed() && !c.resetPending) {
          if (hasFillableHole(c)) {
            // Segments sent before the peer saw the RST may still arrive: wait a little for the missing ones.
            c.resetPending = true;
            c.resetAtNanos = ts;
            pendingResets.add(c);
          } else {
            closeConnection(c, CloseReason.RST);
          }
        }
      } else {
        ignoredResets++;
      }
      return;
    }
    if (c.isClosed()) {
      return;
    }
    long dataSeq = seq;
    if ((flags & TcpSegment.SYN) != 0) {
      dataSeq = (seq + 1) & 0xffffffffL;
      if (!d.synSeen) {
        d.synSeen = true;
        d.isn = seq;
        d.windowShift = windowShift(segment);
        if (!d.initialized || (d.next == 0 && !d.hasHeld())) {
          d.init(dataSeq);
        }
      }
      if (ack && !p.initialized) {
        p.init(ackNumber); // the SYN-ACK acknowledges the uncaptured SYN
      }
    } else if (ack && dir == Direction.CLIENT_TO_SERVER && p.synSeen && d.synSeen && !c.handshakeAcked) {
      // RFC 9293 §3.10.7.3: the ACK completing the handshake acknowledges the SYN-ACK and nothing not yet sent
      long acked = p.offsetOf(ackNumber);
      c.handshakeAcked = acked >= 0 && acked <= p.next;
    }
    if (!d.initialized) {
      d.init(dataSeq);
    }
    if (ack) {
      d.lastWindow = window;
    }
    int length = segment.payloadLength();
    if (length > 0) {
      // No slice per segment: the packet's own buffer is handed on with its indices around the payload, and the
      // caller's indices are put back afterwards (listeners borrow data for the call only, from its reader index).
      ByteBuf buf = segment.buffer();
      PayloadView view = payloadView;
      if (view == null || !view.wraps(buf)) {
        payloadView = view = new PayloadView(buf);
      }
      int savedReader = buf.readerIndex();
      int savedWriter = buf.writerIndex();
      int from = segment.payloadOffset();
      int captured = segment.capturedPayloadLength();
      buf.setIndex(from, from + captured);
      try {
        boolean probe = length == 1 && p.lastWindow == 0 && d.offsetOf(dataSeq) == d.next;
        d.segment(dataSeq, view, captured, length - captured, probe);
      } finally {
        buf.setIndex(savedReader, savedWriter);
      }
    }
    if ((flags & TcpSegment.FIN) != 0) {
      d.fin((dataSeq + length) & 0xffffffffL);
    }
    if (ack) {
      p.acknowledged(ackNumber);
    }
    if (d.finished && p.finished) {
      closeConnection(c, c.resetPending ? CloseReason.RST : CloseReason.FIN);
    } else if (c.resetPending && !hasFillableHole(c)) {
      closeConnection(c, CloseReason.RST);
    }
  }

  /**
   * Sequence analysis of every segment of the connection, also stray ones after its close (Wireshark analyses every
   * packet of a stream); the listener hears of flagged segments while the connection is open, before their data.
   */
  private static void analyze(TcpConnection c, Direction dir, HalfStream d, HalfStream p, long seq, long ack,
      int payloadLength, int flags, int window, long ts) {
    long rtt = c.firstRttNanos;
    int f = TcpAnalysis.analyze(d.analysis, p.analysis, seq, ack, payloadLength, flags, window, ts,
        rtt == 0 ? TcpAnalysis.OUT_OF_ORDER_DEFAULT_NANOS : rtt);
    if ((flags & (TcpSegment.SYN | TcpSegment.ACK)) == TcpSegment.SYN) {
      c.synTimed = true;
      c.synNanos = ts; // Wireshark's "most recent SYN"
    } else if ((flags & (TcpSegment.SYN | TcpSegment.ACK)) == TcpSegment.ACK && c.synTimed && c.firstRttNanos == 0) {
      c.firstRttNanos = ts - c.synNanos;
    }
    if (f != 0 && !c.isClosed()) {
      c.listener.onAnalysis(c, dir, f);
    }
  }

  /** True when a direction misses bytes that the capture may still bring: held data or a FIN after a hole. */
  private static boolean hasFillableHole(TcpConnection c) {
    return c.toServer.hasHeld() || c.toServer.finOffset > c.toServer.next
        || c.toClient.hasHeld() || c.toClient.finOffset > c.toClient.next;
  }

  /** {@code why}, unless an RST already ended the connection while missing segments were awaited. */
  private static CloseReason unlessReset(TcpConnection c, CloseReason why) {
    return c.resetPending ? CloseReason.RST : why;
  }

  private int windowShift(TcpSegment segment) {
    if (!options.wrap(segment)) {
      return -1;
    }
    while (options.next()) {
      if (options.kind() == TcpOptionCursor.WINDOW_SCALE) {
        return Math.min(options.windowScale(), 14); // RFC 7323 §2.3: larger shifts are used as 14
      }
    }
    return -1;
  }

  /** Holds {@code length} bytes of {@code src} at absolute {@code index}: a retained slice, or a copy when small. */
  ByteBuf hold(ByteBuf src, int index, int length) {
    ByteBuf parent = src;
    while (parent.unwrap() != null) {
      parent = parent.unwrap(); // the buffer a retained slice would pin: the root, not a view or slice of it
    }
    if (length <= COPY_AT_MOST || (long) length * COPY_WHEN_PARENT_RATIO < parent.capacity()) {
      ByteBuf copy = src.alloc().heapBuffer(length, length);
      copy.writeBytes(src, index, length);
      return copy;
    }
    return src.retainedSlice(index, length);
  }

  /**
   * Makes room for {@code need} more held bytes of {@code stream}: first by turning its own holes into gaps, then
   * those of the least recently active connections. Null when there is room; else the cap that leaves none
   * ({@link GapReason#FLOW_BUFFER_LIMIT} or {@link GapReason#TOTAL_BUFFER_LIMIT}). Each forced hole is reported with
   * the cap it was given up for: the per-flow cap first, then the total. A per-flow cap at least the total never
   * binds first (a flow's bytes count in the total too), so then the total is named: the cap that must be raised.
   */
  GapReason makeRoom(HalfStream stream, long need) {
    int perFlow = limits.maxBufferedBytesPerFlow();
    long total = limits.maxBufferedBytesTotal();
    GapReason flowCap = perFlow < total ? GapReason.FLOW_BUFFER_LIMIT : GapReason.TOTAL_BUFFER_LIMIT;
    while (stream.bufferedBytes() + need > perFlow && stream.hasHeld()) {
      stream.forceFirstHole(flowCap);
    }
    if (stream.bufferedBytes() + need > perFlow) {
      return flowCap;
    }
    while (buffered + need > total && stream.hasHeld()) {
      stream.forceFirstHole(GapReason.TOTAL_BUFFER_LIMIT);
    }
    // connections up to the order's mark hold nothing: they were scanned and not touched since (a packet moves its
    // connection to the end), so a flood of holes does not rescan them for every piece (which made makeRoom O(flows))
    boolean clean = true;
    for (long at = Math.max(order.start(), order.mark() + 1); at < order.end() && buffered + need > total; at++) {
      TcpConnection c = order.at(at);
      if (c == null) {
        continue; // the connection moved on (or left): its entry was cleared
      }
      for (HalfStream h = c.toServer; h != null; h = h == c.toServer ? c.toClient : null) {
        while (buffered + need > total && h.hasHeld()) {
          h.forceFirstHole(GapReason.TOTAL_BUFFER_LIMIT);
        }
      }
      if (c != stream.connection && !c.isClosed()) {
        if (c.toServer.finished && c.toClient.finished) {
          closeConnection(c, unlessReset(c, CloseReason.FIN)); // its forced holes let both FINs through
        } else if (c.resetPending && !hasFillableHole(c)) {
          closeConnection(c, CloseReason.RST);
        }
      }
      if (clean && c != stream.connection && c.toServer.bufferedBytes() == 0 && c.toClient.bufferedBytes() == 0) {
        order.mark(at);
      } else {
        clean = false;
      }
    }
    return buffered + need <= total ? null : GapReason.TOTAL_BUFFER_LIMIT;
  }

  /**
   * Closes, with {@link CloseReason#IDLE_TIMEOUT}, every connection without a packet for longer than
   * {@link Limits#idleTimeout()} before {@code nowNanos}, and forgets closed ones as old. {@link #onPacket} does this
   * with each packet's time; a live reader calls it when no packet came for a while.
   */
  public void expireIdle(long nowNanos) {
    if (ownsDefragmenter) {
      defragmenter.expire(nowNanos);
    }
    while (!pendingResets.isEmpty() && nowNanos - pendingResets.peekFirst().resetAtNanos > RESET_GRACE_NANOS) {
      TcpConnection c = pendingResets.pollFirst();
      if (!c.isClosed()) {
        closeConnection(c, CloseReason.RST);
      }
    }
    TcpConnection c;
    while ((c = order.first()) != null && nowNanos - c.lastTimestampNanos > idleNanos) {
      if (!c.isClosed()) {
        closeConnection(c, unlessReset(c, CloseReason.IDLE_TIMEOUT));
      }
      remove(c);
    }
  }

  /**
   * The end of the input: closes every open connection with {@link CloseReason#END_OF_INPUT}, in order of their ids,
   * after delivering what can be delivered and reporting the rest as gaps. The reassembler takes no more packets.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<TcpConnection> open = new ArrayList<>();
    for (long at = order.start(); at < order.end(); at++) {
      TcpConnection c = order.at(at);
      if (c != null && !c.isClosed()) {
        open.add(c);
      }
    }
    open.sort((a, b) -> Long.compare(a.id, b.id));
    try {
      for (TcpConnection c : open) {
        closeConnection(c, unlessReset(c, CloseReason.END_OF_INPUT));
      }
    } finally {
      for (long at = order.start(); at < order.end(); at++) {
        TcpConnection c = order.at(at);
        if (c != null) {
          c.toServer.release();
          c.toClient.release();
        }
      }
      table.clear();
      pendingResets.clear();
      payloadView = null;
      recent = null;
      order.clear();
      if (ownsDefragmenter) {
        defragmenter.close();
      }
    }
  }

  private void closeConnection(TcpConnection c, CloseReason why) {
    try {
      c.toServer.flush();
      c.toClient.flush();
    } finally {
      c.toServer.release();
      c.toClient.release();
      c.closeReason = why;
    }
    c.listener.onClose(c, why);
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the reassembler was closed");
    }
  }

  /** Connections in the flow table: open ones and closed ones whose tuple is still remembered. */
  public int connectionCount() {
    return table.size();
  }

  /** Connections seen so far (the next connection's id). */
  public long connectionsSeen() {
    return nextId;
  }

  /** Bytes held now across all connections: out-of-order pieces and bytes listeners left unconsumed. */
  public long bufferedBytes() {
    return buffered;
  }

  /** Open connections closed with {@link CloseReason#EVICTED} because the flow table was full. */
  public long evictions() {
    return evictions;
  }

  /** RSTs ignored because their sequence number was outside the receiver's window. */
  public long ignoredResets() {
    return ignoredResets;
  }

  /** Bytes that listeners left unconsumed and that were dropped at a gap, a FIN, a close or the per-flow limit. */
  public long unconsumedBytesDropped() {
    return unconsumedBytesDropped;
  }

  private void remove(TcpConnection c) {
    if (recent == c) {
      recent = null;
    }
    table.remove(c);
    order.remove(c);
  }
}
