package dev.wirelens.tcp;

import dev.wirelens.BorrowedViews;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import java.util.Map;
import java.util.TreeMap;

/**
 * Internal: one direction of a {@link TcpConnection}: sequence tracking, out-of-order pieces, delivery, gaps, FIN.
 *
 * <p>Stream offsets are 64-bit; a 32-bit sequence number is placed next to the expected one ({@link #offsetOf}), so
 * wraparound mod 2^32 needs no special case. Held pieces never overlap each other nor the delivered range: a new
 * segment is trimmed against them (the first bytes received win, RFC 9293 §3.10.7.4 "segments with higher beginning
 * sequence numbers may be held"), and differing overlapped bytes are counted as conflicts.
 */
final class HalfStream {
  private static final long MASK = 0xffffffffL;

  /** A held out-of-order piece: {@code data == null} marks bytes cut by the snap length. */
  private static final class Piece {
    final long start;
    final int length;
    final ByteBuf data;

    Piece(long start, int length, ByteBuf data) {
      this.start = start;
      this.length = length;
      this.data = data;
    }

    long end() {
      return start + length;
    }
  }

  final TcpConnection connection;
  final Direction direction;
  private final TcpReassembler owner;

  boolean initialized;
  long base; // sequence number of stream offset 0
  long next; // next stream offset to deliver
  boolean synSeen;
  long isn;
  int windowShift = -1; // from this side's SYN window scale option, -1 when absent
  int lastWindow = -1; // raw window field of this side's last ACK segment, -1 before one
  long peerAcked = Long.MIN_VALUE; // highest offset of this stream the peer acknowledged
  long ackedUpTo = Long.MIN_VALUE; // acknowledged beyond next with nothing held yet (ACKed unseen)
  long movedOn = -1; // start of the first segment sent from ackedUpTo on while a hole waited, -1 when none
  long finOffset = -1;
  boolean finished;
  boolean rstSeen;

  private TreeMap<Long, Piece> held;
  /** The last delivered bytes, by stream offset mod its length, when retransmissions are compared; else null. */
  private final byte[] history;
  private long historyStart; // lowest offset whose byte is in history (bytes below next only)
  private long heldBytes;
  private ByteBuf leftover;
  private long leftoverOffset;

  /** The sequence analysis of the segments this side sends. */
  final TcpAnalysis analysis = new TcpAnalysis();

  long packets;
  long bytes;
  long gapCount;
  long gapBytes;
  long conflicts;

  HalfStream(TcpConnection connection, Direction direction, TcpReassembler owner) {
    this.connection = connection;
    this.direction = direction;
    this.owner = owner;
    this.history = owner.historyBytes > 0 ? new byte[owner.historyBytes] : null;
  }

  /** Keeps a copy of delivered bytes {@code [offset, offset + n)} for comparing retransmissions. */
  private void remember(long offset, ByteBuf data, int n) {
    int cap = history.length;
    int skip = Math.max(0, n - cap); // only the last cap bytes can stay
    long from = offset + skip;
    int index = data.readerIndex() + skip;
    int left = n - skip;
    while (left > 0) {
      int pos = (int) Math.floorMod(from, (long) cap);
      int chunk = Math.min(left, cap - pos);
      data.getBytes(index, history, pos, chunk);
      from += chunk;
      index += chunk;
      left -= chunk;
    }
    if (offset + n - historyStart > cap) {
      historyStart = offset + n - cap;
    }
  }

  /** Counts the bytes of a segment at {@code s} that overlap kept delivered bytes and differ from them. */
  private void compareWithHistory(long s, ByteBuf data, int n) {
    long from = Math.max(s, historyStart);
    long to = Math.min(s + n, next);
    int cap = history.length;
    int base = data.readerIndex();
    for (long o = from; o < to; o++) {
      if (history[(int) Math.floorMod(o, (long) cap)] != data.getByte(base + (int) (o - s))) {
        conflicts++;
      }
    }
  }

  void init(long seq) {
    initialized = true;
    base = seq & MASK;
    next = 0;
    historyStart = 0;
  }

  /** The stream offset of 32-bit sequence number {@code seq}, the one within 2^31 of the next expected offset. */
  long offsetOf(long seq) {
    long expected = (base + next) & MASK;
    return next + (int) (seq - expected);
  }

  boolean hasHeld() {
    return held != null && !held.isEmpty();
  }

  long bufferedBytes() {
    return heldBytes + (leftover == null ? 0 : leftover.readableBytes());
  }

  /**
   * A segment's payload: {@code data} holds the captured bytes from {@code seq} on, {@code cut} more were sent but
   * not captured. A zero-window probe is held, not delivered, until the data after it or an ACK confirms it.
   * {@code n} is data's readable bytes, known to the caller (each read through the packet buffer's layers costs).
   */
  void segment(long seq, ByteBuf data, int n, int cut, boolean zeroWindowProbe) {
    if (finished) {
      return; // bytes after a delivered FIN are not part of the stream
    }
    long s = offsetOf(seq);
    if (finOffset >= 0 && s + n + cut > finOffset) {
      // RFC 9293 §3.4: the FIN takes the sequence number after the sender's last data byte, so bytes numbered from
      // the FIN on are not part of the stream. Cut them off here, so that a segment crossing a captured FIN yields
      // the same bytes whether it came whole or in pieces (the caller puts the buffer's indices back).
      if (s >= finOffset) {
        return;
      }
      long keep = finOffset - s;
      if (keep < n) {
        n = (int) keep;
        data.writerIndex(data.readerIndex() + n);
        cut = 0;
      } else {
        cut = (int) (keep - n);
      }
    }
    long e = s + n + cut;
    if (history != null && s < next && !(n == 1 && s == next - 1)) { // a keep-alive's byte may be garbage
      compareWithHistory(s, data, n);
    }
    if (e <= next) {
      return; // retransmission of delivered bytes, or a keep-alive (one byte below next)
    }
    if (!zeroWindowProbe && s <= next && !hasHeld()) {
      deliverFrom(s, data, n, cut);
      checkFin();
      return;
    }
    long dataStart = Math.max(s, next);
    long need = Math.max(0, s + n - dataStart);
    GapReason full = owner.makeRoom(this, need);
    if (finished) {
      return; // making room forced holes that let the FIN through: this segment lies after it
    }
    if (full != null) {
      // This flow, or the reassembler (the cap full names), may not hold more: whatever is missing before this
      // segment is lost.
      while (hasHeld()) {
        forceFirstHole(full);
      }
      if (finished) {
        return; // the forced holes let the FIN through: this segment lies after it
      }
      if (s > next) {
        gap(s - next, full);
      }
      deliverFrom(s, data, n, cut);
      checkFin();
      return;
    }
    if (held == null) {
      held = new TreeMap<>();
    }
    insert(dataStart, s + n, data, s);
    if (cut > 0) {
      insert(Math.max(s + n, next), e, null, 0);
    }
    if (!zeroWindowProbe) {
      drain();
      movedOn(s);
    }
  }

  /** Delivers an in-order segment at once (no copy): the part from {@link #next} on, then its snapped tail. */
  private void deliverFrom(long s, ByteBuf data, int n, int cut) {
    long skip = next - s;
    if (skip < n) {
      int readable = n;
      if (skip > 0) {
        data.skipBytes((int) skip); // the caller restores the buffer's indices after the segment
        readable -= (int) skip;
      }
      deliver(data, readable);
    }
    long end = s + n + cut;
    if (end > next) {
      gap(end - next, GapReason.SNAPLEN);
    }
  }

  private void insert(long s, long e, ByteBuf src, long srcStart) {
    if (s >= e) {
      return;
    }
    Map.Entry<Long, Piece> en = held.floorEntry(s);
    if (en == null || en.getValue().end() <= s) {
      en = held.higherEntry(s);
    }
    Piece h = en == null ? null : en.getValue();
    while (h != null && h.start < e) {
      if (s < h.start) {
        add(s, h.start, src, srcStart);
      }
      long os = Math.max(s, h.start);
      long oe = Math.min(e, h.end());
      if (os < oe && src != null && h.data != null) {
        conflicts += differing(h.data, (int) (os - h.start), src, (int) (os - srcStart), (int) (oe - os));
      }
      s = Math.max(s, h.end());
      if (s >= e) {
        return;
      }
      h = higher(h);
    }
    add(s, e, src, srcStart);
  }

  private Piece higher(Piece p) {
    Map.Entry<Long, Piece> en = held.higherEntry(p.start);
    return en == null ? null : en.getValue();
  }

  private static int differing(ByteBuf a, int aOff, ByteBuf b, int bOff, int length) {
    int ai = a.readerIndex() + aOff;
    int bi = b.readerIndex() + bOff;
    int count = 0;
    for (int i = 0; i < length; i++) {
      if (a.getByte(ai + i) != b.getByte(bi + i)) {
        count++;
      }
    }
    return count;
  }

  private void add(long s, long e, ByteBuf src, long srcStart) {
    int length = (int) (e - s);
    ByteBuf piece = null;
    if (src != null) {
      piece = owner.hold(src, src.readerIndex() + (int) (s - srcStart), length);
      heldBytes += length;
      owner.buffered += length;
    }
    held.put(s, new Piece(s, length, piece));
  }

  /** Delivers the held pieces that start at {@link #next}. */
  void drain() {
    while (hasHeld()) {
      Piece p = held.firstEntry().getValue();
      if (p.start > next) {
        break;
      }
      held.pollFirstEntry();
      if (p.data == null) {
        gap(p.end() - next, GapReason.SNAPLEN);
        continue;
      }
      heldBytes -= p.length;
      owner.buffered -= p.length;
      try {
        deliver(p.data, p.data.readableBytes());
      } finally {
        p.data.release();
      }
    }
    checkFin();
  }

  /** Reports the hole before the first held piece as a gap and delivers what follows it. */
  void forceFirstHole(GapReason why) {
    Piece p = held.firstEntry().getValue();
    if (p.start > next) {
      gap(p.start - next, why);
    }
    drain();
  }

  /**
   * The peer acknowledged {@code ack}. A hole it passed is reported as a gap only when the peer also acknowledges
   * data (or the FIN) that this side sent from the acknowledged point on, after that acknowledgment was captured: a
   * full round trip later the hole cannot be a segment the capture merely reordered (it was lost to the capture).
   */
  void acknowledged(long ack) {
    if (!initialized) {
      return;
    }
    long a = offsetOf(ack);
    if (a > peerAcked) {
      peerAcked = a;
    }
    // Confirmed lost: the peer acknowledged data sent after its earlier acknowledgment passed the hole, or it
    // acknowledged the FIN itself (everything before the FIN arrived).
    boolean confirmed = (movedOn >= 0 && a > movedOn) || (finOffset >= 0 && a > finOffset);
    if (finOffset >= 0 && a > finOffset) {
      a = finOffset; // the FIN takes one sequence number but is not data
    }
    if (a > ackedUpTo) {
      ackedUpTo = a;
    }
    if (hasHeld()) {
      drain();
    }
    if (confirmed) {
      movedOn = -1;
      applyAcknowledged();
    }
  }

  /** This side sent data or a FIN from offset {@code s}: past what the peer acknowledged, if there is a hole. */
  private void movedOn(long s) {
    if (movedOn < 0 && s >= ackedUpTo && ackedUpTo > next) {
      movedOn = s;
    }
  }

  private void applyAcknowledged() {
    while (next < ackedUpTo && hasHeld()) {
      Piece p = held.firstEntry().getValue();
      gap(Math.min(ackedUpTo, p.start) - next, GapReason.ACKNOWLEDGED);
      drain();
    }
    // Nothing held, but a captured FIN lies past the hole and the peer acknowledged up to it: the bytes were sent
    // and lost to the capture. (Without the FIN, acknowledgments alone never make a gap: they can be bogus.)
    if (next < ackedUpTo && finOffset >= 0 && ackedUpTo <= finOffset) {
      gap(ackedUpTo - next, GapReason.ACKNOWLEDGED);
      checkFin();
    }
  }

  /** FIN at sequence number {@code seq} (after the segment's data). */
  void fin(long seq) {
    if (finOffset < 0) {
      finOffset = offsetOf(seq);
      connection.firstFin = connection.firstFin == null ? direction : connection.firstFin;
      dropHeldFrom(finOffset);
      movedOn(finOffset);
    }
    checkFin();
  }

  /** Drops the held bytes at {@code offset} and after: they lie after the FIN, outside the stream (see segment). */
  private void dropHeldFrom(long offset) {
    while (hasHeld()) {
      Piece p = held.lastEntry().getValue();
      if (p.end() <= offset) {
        return;
      }
      held.pollLastEntry();
      long keep = Math.max(0, offset - p.start);
      if (p.data != null) {
        long dropped = p.length - keep;
        heldBytes -= dropped;
        owner.buffered -= dropped;
        if (keep == 0) {
          p.data.release();
        } else {
          p.data.writerIndex(p.data.readerIndex() + (int) keep); // the piece's own buffer (a copy or a slice)
        }
      }
      if (keep > 0) {
        held.put(p.start, new Piece(p.start, (int) keep, p.data));
        return;
      }
    }
  }

  private void checkFin() {
    if (finOffset >= 0 && !finished && next >= finOffset && !hasHeld()) {
      finished = true;
      dropLeftover();
      connection.listener.onFin(connection, direction);
    }
  }

  /** The connection closes: every hole becomes a gap, everything held is delivered, the FIN (if any) follows. */
  void flush() {
    while (hasHeld()) {
      forceFirstHole(GapReason.CONNECTION_CLOSED);
    }
    // Bytes missing before a captured FIN are certain; bytes only acknowledged past the last captured ones are not
    // reported: acknowledgments alone can be bogus (middleboxes, crafted traffic) and would invent huge gaps.
    if (initialized && finOffset > next) {
      gap(finOffset - next, GapReason.CONNECTION_CLOSED);
    }
    checkFin();
    dropLeftover();
  }

  /** True when an RST from this side with sequence number {@code seq} is acceptable to the peer. */
  boolean acceptsReset(long seq, boolean hasAck, long ack, HalfStream peer) {
    if (!initialized) {
      if (peer.synSeen && peer.next == 0 && !peer.hasHeld()) {
        // RFC 9293 §3.10.7.3, SYN-SENT: an RST is acceptable only if it acknowledges the SYN
        return hasAck && peer.offsetOf(ack) == 0;
      }
      return true; // nothing known of this side's sequence numbers
    }
    long off = offsetOf(seq);
    long lower = peerAcked == Long.MIN_VALUE ? next : Math.min(next, peerAcked);
    long window;
    if (peer.lastWindow < 0) {
      window = 1L << 30;
    } else {
      boolean scaled = windowShift >= 0 && peer.windowShift >= 0;
      window = (long) peer.lastWindow << (scaled ? peer.windowShift : 0);
    }
    return off >= lower - 1 && off <= next + Math.max(window, 1);
  }

  private void gap(long length, GapReason why) {
    if (length <= 0) {
      return;
    }
    dropLeftover();
    long offset = next;
    next += length;
    historyStart = next; // the kept bytes must be contiguous up to next
    gapCount++;
    gapBytes += length;
    connection.listener.onGap(connection, direction, offset, length, why);
  }

  /**
   * Hands in-order {@code data} (at {@link #next}) to the listener, behind any bytes it left unconsumed; {@code n}
   * is its readable bytes.
   */
  private void deliver(ByteBuf data, int n) {
    if (n == 0) {
      return;
    }
    long offset = next;
    if (history != null) {
      remember(offset, data, n);
    }
    next += n;
    bytes += n;
    if (leftover == null) {
      int start = data.readerIndex(); // the listener may move the indices during the call
      ByteBuf lent = BorrowedViews.lend(data, "TcpStreamListener.onData");
      int consumed;
      try {
        consumed = connection.listener.onData(connection, direction, offset, lent);
      } finally {
        BorrowedViews.revoke(lent, data);
      }
      check(consumed, n);
      if (consumed < n) {
        keep(data, start + consumed, n - consumed, offset + consumed);
      }
      return;
    }
    ByteBuf rest = leftover;
    long restOffset = leftoverOffset;
    owner.buffered -= rest.readableBytes();
    leftover = null;
    CompositeByteBuf joined = data.alloc().compositeBuffer(2);
    try {
      joined.addComponent(true, rest);
      rest = null;
      joined.addComponent(true, data.retainedSlice());
      int total = joined.readableBytes();
      ByteBuf lent = BorrowedViews.lend(joined, "TcpStreamListener.onData");
      int consumed;
      try {
        consumed = connection.listener.onData(connection, direction, restOffset, lent);
      } finally {
        BorrowedViews.revoke(lent, joined);
      }
      check(consumed, total);
      if (consumed < total) {
        keep(joined, consumed, total - consumed, restOffset + consumed);
      }
    } finally {
      if (rest != null) {
        rest.release();
      }
      joined.release();
    }
  }

  private void check(int consumed, int available) {
    if (consumed < 0 || consumed > available) {
      throw new IllegalStateException("onData of connection " + connection.id + " returned " + consumed
          + " for " + available + " bytes");
    }
  }

  /** Keeps {@code length} unconsumed bytes at absolute {@code index} of {@code data}, from stream {@code offset}. */
  private void keep(ByteBuf data, int index, int length, long offset) {
    if (heldBytes + length > owner.limits.maxBufferedBytesPerFlow()
        || owner.buffered + length > owner.limits.maxBufferedBytesTotal()) {
      // the listener keeps refusing more than a flow, or the reassembler, may hold (no room is made here: forcing
      // holes would call the listener again from inside this delivery)
      owner.unconsumedBytesDropped += length;
      return;
    }
    leftover = owner.hold(data, index, length);
    leftoverOffset = offset;
    owner.buffered += length;
  }

  private void dropLeftover() {
    if (leftover != null) {
      owner.buffered -= leftover.readableBytes();
      owner.unconsumedBytesDropped += leftover.readableBytes();
      leftover.release();
      leftover = null;
    }
  }

  /** Releases everything held without events (after a listener failure, or at the very end). */
  void release() {
    if (held != null) {
      for (Piece p : held.values()) {
        if (p.data != null) {
          owner.buffered -= p.length;
          p.data.release();
        }
      }
      held.clear();
      heldBytes = 0;
    }
    if (leftover != null) {
      owner.buffered -= leftover.readableBytes();
      leftover.release();
      leftover = null;
    }
  }
}
