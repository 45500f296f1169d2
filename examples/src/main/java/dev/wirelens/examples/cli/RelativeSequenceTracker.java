package dev.wirelens.examples.cli;

import dev.wirelens.tcp.FlowKey;
import dev.wirelens.tcp.TcpOptionCursor;
import dev.wirelens.tcp.TcpSegment;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns raw TCP sequence and acknowledgment numbers into the relative numbers tshark prints, and raw window
 * fields into the scaled window, one connection at a time.
 *
 * <p>Rules (those of tshark with {@code tcp.relative_sequence_numbers} on): each direction's base is the
 * sequence number of its SYN, so the SYN shows {@code Seq=0}; a direction first seen without a SYN gets
 * {@code seq - 1} as its base, so its first segment shows {@code Seq=1}; an acknowledgment seen before the other
 * direction's SYN sets that direction's base to {@code ack - 1}, so it shows {@code Ack=1}. An acknowledgment is
 * relative to the other direction's base. A new SYN with another initial sequence
 * number starts the connection afresh (port reuse). The window is shifted by the scale a direction announced in
 * its SYN when both SYNs carried the window scale option (RFC 7323 §2.2); it is shown raw in SYN segments and when
 * the handshake was not seen.
 *
 * <p>Allocation: one entry per connection. Memory stays bounded on an endless live pipe: at most
 * {@link #MAX_CONNECTIONS} connections are remembered, the least recently seen is forgotten first (its next
 * segment then counts as a mid-stream start). Thread safety: not thread safe.
 */
final class RelativeSequenceTracker {
  /** Relative numbers of the last segment given to {@link #track}. */
  private long seq;
  private long ack;
  private long window;
  private long sackBase;

  /** Connections remembered at most; the least recently seen is forgotten first. */
  static final int MAX_CONNECTIONS = 65_536;

  /** Keyed by the connection's canonical key; value: the two directions, [0] sent by the canonical source. */
  private final Map<FlowKey, Direction[]> connections =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<FlowKey, Direction[]> eldest) {
          return size() > MAX_CONNECTIONS;
        }
      };
  private final FlowKey lookup = new FlowKey();
  private final TcpOptionCursor options = new TcpOptionCursor();

  private static final class Direction {
    long base;
    boolean baseSet;
    /** Shift announced in this direction's SYN; -1: none announced; -2: no SYN seen. */
    int scale = -2;
  }

  /** Records one segment of the connection {@code key} (directed: source is the sender). */
  void track(FlowKey key, TcpSegment tcp) {
    lookup.copyFrom(key);
    boolean swapped = lookup.canonicalize();
    Direction[] pair = connections.get(lookup);
    if (pair == null) {
      pair = new Direction[] {new Direction(), new Direction()};
      connections.put(lookup.copy(), pair);
    }
    Direction fwd = pair[swapped ? 1 : 0];
    Direction rev = pair[swapped ? 0 : 1];
    long rawSeq = tcp.sequenceNumber();
    if (tcp.isSyn()) {
      if (fwd.baseSet && fwd.base != rawSeq && !tcp.isAck()) {
        // A new connection on the same ports: forget the old one's numbers.
        fwd.baseSet = false;
        rev.baseSet = false;
        rev.scale = -2;
      }
      fwd.base = rawSeq;
      fwd.baseSet = true;
      fwd.scale = announcedScale(tcp);
    } else if (!fwd.baseSet) {
      fwd.base = (rawSeq - 1) & 0xFFFFFFFFL;
      fwd.baseSet = true;
    }
    seq = (rawSeq - fwd.base) & 0xFFFFFFFFL;
    long rawAck = tcp.acknowledgmentNumber();
    if (!rev.baseSet && tcp.isAck()) {
      // The peer's SYN was not captured: its next byte is what this segment acknowledges, so that is its 1.
      rev.base = (rawAck - 1) & 0xFFFFFFFFL;
      rev.baseSet = true;
    }
    ack = rev.baseSet ? (rawAck - rev.base) & 0xFFFFFFFFL : rawAck;
    sackBase = rev.baseSet ? rev.base : 0;
    int shift = 0;
    if (!tcp.isSyn() && fwd.scale >= 0 && rev.scale >= 0) {
      shift = Math.min(fwd.scale, 14);
    }
    window = ((long) tcp.window()) << shift;
  }

  /** Relative sequence number of the last tracked segment. */
  long sequence() {
    return seq;
  }

  /** Relative acknowledgment number of the last tracked segment (raw while the peer's base is unknown). */
  long acknowledgment() {
    return ack;
  }

  /** Window of the last tracked segment, scaled when the scale is known. */
  long window() {
    return window;
  }

  /** Makes a SACK block edge of the last tracked segment relative, as its acknowledgment is. */
  long relativeSackEdge(long edge) {
    return (edge - sackBase) & 0xFFFFFFFFL;
  }

  /** Number of connections remembered. */
  int size() {
    return connections.size();
  }

  private int announcedScale(TcpSegment tcp) {
    if (!options.wrap(tcp)) {
      return -1;
    }
    while (options.next()) {
      if (options.kind() == TcpOptionCursor.WINDOW_SCALE) {
        return options.windowScale();
      }
    }
    return -1;
  }
}
