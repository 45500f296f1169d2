package dev.wirelens.tcp;

/**
 * TCP sequence analysis of one direction of a {@link TcpConnection}: per segment sent in that direction, the
 * {@code tcp.analysis.*} flags Wireshark would set, and how many segments carried each. Names and meanings are
 * Wireshark's, so that numbers can be compared with tshark's filters (e.g. {@code tcp.analysis.retransmission}).
 *
 * <p>How a segment is judged (sequence numbers mod 2^32; "next" is the highest sequence number this direction
 * has sent so far, SYN and FIN counting one; "last ACK" is the acknowledgment field of its previous segment; the
 * window is the raw 16-bit field):
 * <ul>
 *   <li>{@link #ZERO_WINDOW_PROBE}: exactly one byte at next while the peer's last window was 0; it does not
 *       advance next.
 *   <li>{@link #ZERO_WINDOW}: window 0 on a segment without SYN, FIN or RST.
 *   <li>{@link #LOST_SEGMENT} ("previous segment not captured"): starts beyond next (not an RST).
 *   <li>{@link #KEEP_ALIVE}: 0 or 1 byte starting at next - 1, without SYN, FIN or RST.
 *   <li>{@link #WINDOW_UPDATE}, {@link #KEEP_ALIVE_ACK}, {@link #ZERO_WINDOW_PROBE_ACK}, {@link #DUPLICATE_ACK}: no
 *       payload, no SYN/FIN/RST, at next, same ACK number as the previous segment; with a changed window (update),
 *       or the same window after a keep-alive (keep-alive ACK) or zero-window probe (probe ACK) from the peer,
 *       otherwise, with the same non-zero window, a duplicate ACK.
 *   <li>A segment with payload, SYN or FIN (keep-alives excepted) is {@link #SPURIOUS_RETRANSMISSION} when the peer
 *       had already acknowledged all of its payload. Otherwise, if it starts below next (new data starting exactly
 *       one below next, after a probe's byte, does not count), it is {@link #FAST_RETRANSMISSION} when the peer
 *       sent at least 2 duplicate ACKs for its sequence number, the last less than 20 ms before;
 *       {@link #OUT_OF_ORDER} when it came less than the handshake round-trip time
 *       ({@link TcpConnection#initialRttNanos()}, 3 ms while unknown) after the segment that set next, and does
 *       not end at next; else {@link #RETRANSMISSION}. A SYN that repeats the first sequence number of its side
 *       is always a plain {@link #RETRANSMISSION}.
 *   <li>{@link #ACK_LOST_SEGMENT} ("ACKed segment that wasn't captured"): an ACK beyond the end of what the other
 *       direction was seen sending contiguously (the mark starts at its first segment's end and moves to its next
 *       whenever a segment starts exactly at the mark). After a report the mark moves to the other direction's next;
 *       when the ACK went even beyond that, further ACKs are not reported until the other direction sends again.
 * </ul>
 *
 * <p>Counting retransmissions: Wireshark's filter {@code tcp.analysis.retransmission} matches plain, fast and
 * spurious retransmissions alike (the fast and spurious ones also carry their own field), but not out-of-order
 * segments; {@link #retransmissions()} counts exactly those segments, {@link #fastRetransmissions()} and
 * {@link #spuriousRetransmissions()} the subsets.
 *
 * <p>Like Wireshark, the state keeps 32-bit numbers where 0 means "not seen yet": a direction whose next sequence
 * number or last ACK is exactly 0 (one value in 2^32) is judged as if nothing had been seen.
 *
 * <p>What differs from Wireshark on purpose: nothing in the rules above; the analysis sees only the segments the
 * reassembler assigns to a connection (IP fragments and TCP inside ICMP errors are not analysed), and a connection
 * that expired ({@code Limits.idleTimeout()}) or was evicted starts fresh when its tuple shows up again. Window
 * scaling is not applied: the rules compare windows only for equality and with zero. Not reproduced: window-full
 * and bytes-in-flight. The rules were checked against tshark 4.0.17's counts on 73 test captures and every classic
 * pcap of the shared corpus ({@code ack_lost_segment}: every count equal, but one direction where the payload
 * length differs on purpose).
 *
 * <p>Lifetime: owned by its connection, updated for every segment of the direction (also after the connection
 * closed, for stray segments, like {@link TcpConnection#packets}).
 *
 * <p>Allocation: none.
 *
 * <p>Thread safety: this class is not thread safe; read it on the reassembler's thread.
 */
public final class TcpAnalysis {
  /** Flag {@code tcp.analysis.retransmission} (without the fast and spurious ones, which have their own bits). */
  public static final int RETRANSMISSION = 1;
  /** Flag {@code tcp.analysis.fast_retransmission} (tshark's retransmission filter matches it too). */
  public static final int FAST_RETRANSMISSION = 1 << 1;
  /** Flag {@code tcp.analysis.spurious_retransmission} (tshark's retransmission filter matches it too). */
  public static final int SPURIOUS_RETRANSMISSION = 1 << 2;
  /** Flag {@code tcp.analysis.out_of_order}. */
  public static final int OUT_OF_ORDER = 1 << 3;
  /** Flag {@code tcp.analysis.lost_segment}: "previous segment not captured". */
  public static final int LOST_SEGMENT = 1 << 4;
  /** Flag {@code tcp.analysis.duplicate_ack}. */
  public static final int DUPLICATE_ACK = 1 << 5;
  /** Flag {@code tcp.analysis.zero_window}. */
  public static final int ZERO_WINDOW = 1 << 6;
  /** Flag {@code tcp.analysis.keep_alive}. */
  public static final int KEEP_ALIVE = 1 << 7;
  /** Flag {@code tcp.analysis.zero_window_probe}. */
  public static final int ZERO_WINDOW_PROBE = 1 << 8;
  /** Flag {@code tcp.analysis.keep_alive_ack}. */
  public static final int KEEP_ALIVE_ACK = 1 << 9;
  /** Flag {@code tcp.analysis.zero_window_probe_ack}. */
  public static final int ZERO_WINDOW_PROBE_ACK = 1 << 10;
  /** Flag {@code tcp.analysis.window_update}. */
  public static final int WINDOW_UPDATE = 1 << 11;
  /**
   * Flag {@code tcp.analysis.ack_lost_segment}, "ACKed segment that wasn't captured": the segment acknowledges bytes
   * of the other direction beyond the end of what that direction sent contiguously as far as the capture shows.
   */
  public static final int ACK_LOST_SEGMENT = 1 << 12;
  /** Every flag that makes {@code tcp.analysis.retransmission} match. */
  public static final int ANY_RETRANSMISSION = RETRANSMISSION | FAST_RETRANSMISSION | SPURIOUS_RETRANSMISSION;

  /** A fast retransmission follows the peer's last duplicate ACK by less than this: 20 ms. */
  public static final long FAST_RETRANSMISSION_NANOS = 20_000_000L;
  /** The out-of-order time window while the handshake round-trip time is unknown: 3 ms. */
  public static final long OUT_OF_ORDER_DEFAULT_NANOS = 3_000_000L;

  private static final int SYN_FIN_RST = TcpSegment.SYN | TcpSegment.FIN | TcpSegment.RST;

  // State, Wireshark's way: 32-bit sequence numbers where 0 means "not seen yet".
  private int nextSeq;
  private long nextSeqTime;
  private int lastAck;
  private long lastAckTime;
  private int window = -1;
  /** Duplicate ACKs in a row. */
  private int duplicateAckRun;
  private boolean baseSet;
  private int baseSeq; // the first segment's sequence number (a SYN's own, else one before it)
  private int lastFlags;
  /** The end of what this direction sent contiguously (Wireshark's "max seq to be acked"); 0 before a segment. */
  private int maxSeqToBeAcked;
  /** The peer acknowledged beyond {@link #nextSeq} and was flagged; cleared by this direction's next segment. */
  private boolean ackedUnseen;

  private long retransmissions;
  private long fastRetransmissions;
  private long spuriousRetransmissions;
  private long outOfOrder;
  private long lostSegments;
  private long duplicateAcks;
  private long zeroWindows;
  private long keepAlives;
  private long zeroWindowProbes;
  private long keepAliveAcks;
  private long zeroWindowProbeAcks;
  private long windowUpdates;
  private long ackLostSegments;

  TcpAnalysis() {}

  /**
   * Judges one segment sent in direction {@code fwd} ({@code rev} is the other direction's analysis) and returns its
   * flags. {@code seglen} is the payload length the IP header declares (also when the capture cut it),
   * {@code outOfOrderNanos} the out-of-order window.
   */
  static int analyze(TcpAnalysis fwd, TcpAnalysis rev, long seqNumber, long ackNumber, int seglen, int tcpFlags,
      int win, long ts, long outOfOrderNanos) {
    int seq = (int) seqNumber;
    int ack = (int) ackNumber;
    boolean synOrFin = (tcpFlags & (TcpSegment.SYN | TcpSegment.FIN)) != 0;
    boolean plain = (tcpFlags & SYN_FIN_RST) == 0;
    boolean repeatedSyn = (tcpFlags & TcpSegment.SYN) != 0 && fwd.baseSet && seq == fwd.baseSeq;
    if (!fwd.baseSet) {
      fwd.baseSet = true;
      fwd.baseSeq = (tcpFlags & TcpSegment.SYN) != 0 ? seq : seq - 1;
    }
    int f = windowAndAckFlags(fwd, rev, seq, ack, seglen, tcpFlags, win, plain);
    if (repeatedSyn) {
      f |= RETRANSMISSION; // a SYN repeating this side's first sequence number: always a plain retransmission
    }

    if (ack != fwd.lastAck) {
      fwd.duplicateAckRun = 0; // a new acknowledgment ends a run of duplicates
    }
    fwd.ackedUnseen = false; // this side sent again: acknowledgments of its unseen bytes count again
    if ((tcpFlags & TcpSegment.ACK) != 0 && rev.maxSeqToBeAcked != 0 && !rev.ackedUnseen
        && greater(ack, rev.maxSeqToBeAcked)) {
      f |= ACK_LOST_SEGMENT;
      rev.maxSeqToBeAcked = rev.nextSeq; // reported once: from here on the other side's next is the mark
      rev.ackedUnseen = greater(ack, rev.nextSeq); // beyond all it sent: no more reports until it sends again
    }
    if ((seglen > 0 || synOrFin) && (f & (KEEP_ALIVE | RETRANSMISSION)) == 0) {
      boolean notAdvanced = fwd.nextSeq != 0 && less(seq, fwd.nextSeq);
      if (seglen > 1 && fwd.nextSeq - 1 == seq) {
        notAdvanced = false; // new data starting at a zero-window probe's byte
      }
      if (seglen > 0 && rev.lastAck != 0 && !greater(seq + seglen, rev.lastAck)) {
        f |= SPURIOUS_RETRANSMISSION;
      } else if (notAdvanced && rev.duplicateAckRun >= 2 && rev.lastAck == seq
          && within(ts, rev.lastAckTime, FAST_RETRANSMISSION_NANOS)) {
        f |= FAST_RETRANSMISSION;
      } else if (notAdvanced && within(ts, fwd.nextSeqTime, outOfOrderNanos)
          && fwd.nextSeq != seq + seglen + (synOrFin ? 1 : 0)) {
        f |= OUT_OF_ORDER;
      } else if (notAdvanced) {
        f |= RETRANSMISSION;
      }
    }

    int next = seq + seglen + (synOrFin ? 1 : 0);
    boolean probe = (f & ZERO_WINDOW_PROBE) != 0;
    if ((greater(next, fwd.nextSeq) || fwd.nextSeq == 0) && !probe) {
      fwd.nextSeq = next;
      fwd.nextSeqTime = ts;
    }
    if ((seq == fwd.maxSeqToBeAcked || fwd.maxSeqToBeAcked == 0) && !probe) {
      fwd.maxSeqToBeAcked = fwd.nextSeq; // contiguous from the mark: the mark moves to next
    }
    fwd.window = win;
    fwd.lastAck = ack;
    fwd.lastAckTime = ts;
    fwd.lastFlags = f;
    fwd.count(f);
    return f;
  }

  /** The checks before the acknowledgment bookkeeping; a probe, keep-alive ACK or probe ACK ends them early. */
  private static int windowAndAckFlags(TcpAnalysis fwd, TcpAnalysis rev, int seq, int ack, int seglen,
      int tcpFlags, int win, boolean plain) {
    if (seglen == 1 && seq == fwd.nextSeq && rev.window == 0) {
      return ZERO_WINDOW_PROBE;
    }
    int f = 0;
    if (win == 0 && plain) {
      f |= ZERO_WINDOW;
    }
    if (fwd.nextSeq != 0 && greater(seq, fwd.nextSeq) && (tcpFlags & TcpSegment.RST) == 0) {
      f |= LOST_SEGMENT;
    }
    if (seglen <= 1 && seq == fwd.nextSeq - 1 && plain) {
      f |= KEEP_ALIVE;
    }
    boolean sameAck = seglen == 0 && seq == fwd.nextSeq && ack == fwd.lastAck && plain;
    if (!sameAck) {
      return f;
    }
    if (win != 0 && win != fwd.window) {
      f |= WINDOW_UPDATE;
    }
    if (win != 0 && win == fwd.window && (rev.lastFlags & KEEP_ALIVE) != 0) {
      return f | KEEP_ALIVE_ACK;
    }
    if (win == 0 && win == fwd.window && (rev.lastFlags & ZERO_WINDOW_PROBE) != 0) {
      return f | ZERO_WINDOW_PROBE_ACK;
    }
    if (win != 0 && win == fwd.window) {
      fwd.duplicateAckRun++;
      f |= DUPLICATE_ACK;
    }
    return f;
  }

  private void count(int f) {
    if (f == 0) {
      return;
    }
    if ((f & ANY_RETRANSMISSION) != 0) {
      retransmissions++;
    }
    if ((f & FAST_RETRANSMISSION) != 0) {
      fastRetransmissions++;
    }
    if ((f & SPURIOUS_RETRANSMISSION) != 0) {
      spuriousRetransmissions++;
    }
    if ((f & OUT_OF_ORDER) != 0) {
      outOfOrder++;
    }
    if ((f & LOST_SEGMENT) != 0) {
      lostSegments++;
    }
    if ((f & DUPLICATE_ACK) != 0) {
      duplicateAcks++;
    }
    if ((f & ZERO_WINDOW) != 0) {
      zeroWindows++;
    }
    if ((f & KEEP_ALIVE) != 0) {
      keepAlives++;
    }
    if ((f & ZERO_WINDOW_PROBE) != 0) {
      zeroWindowProbes++;
    }
    if ((f & KEEP_ALIVE_ACK) != 0) {
      keepAliveAcks++;
    }
    if ((f & ZERO_WINDOW_PROBE_ACK) != 0) {
      zeroWindowProbeAcks++;
    }
    if ((f & WINDOW_UPDATE) != 0) {
      windowUpdates++;
    }
    if ((f & ACK_LOST_SEGMENT) != 0) {
      ackLostSegments++;
    }
  }

  /** {@code a} after {@code b} in sequence space. */
  private static boolean greater(int a, int b) {
    return b - a < 0;
  }

  /** {@code a} before {@code b} in sequence space. */
  private static boolean less(int a, int b) {
    return a - b < 0;
  }

  /** {@code now} is at or after {@code then} and less than {@code window} later (a negative difference never is). */
  private static boolean within(long now, long then, long window) {
    long t = now - then;
    return t >= 0 && t < window;
  }

  /**
   * Segments matched by tshark's filter {@code tcp.analysis.retransmission}: plain, fast and spurious
   * retransmissions (each segment once).
   */
  public long retransmissions() {
    return retransmissions;
  }

  /** Segments flagged {@code tcp.analysis.fast_retransmission} (included in {@link #retransmissions()}). */
  public long fastRetransmissions() {
    return fastRetransmissions;
  }

  /** Segments flagged {@code tcp.analysis.spurious_retransmission} (included in {@link #retransmissions()}). */
  public long spuriousRetransmissions() {
    return spuriousRetransmissions;
  }

  /** Segments flagged {@code tcp.analysis.out_of_order} (not counted as retransmissions). */
  public long outOfOrder() {
    return outOfOrder;
  }

  /** Segments flagged {@code tcp.analysis.lost_segment}: each follows bytes that were not captured. */
  public long lostSegments() {
    return lostSegments;
  }

  /** Segments flagged {@code tcp.analysis.duplicate_ack}. */
  public long duplicateAcks() {
    return duplicateAcks;
  }

  /** Segments flagged {@code tcp.analysis.zero_window}: this direction's sender advertised a zero window. */
  public long zeroWindows() {
    return zeroWindows;
  }

  /** Segments flagged {@code tcp.analysis.keep_alive}. */
  public long keepAlives() {
    return keepAlives;
  }

  /** Segments flagged {@code tcp.analysis.zero_window_probe}. */
  public long zeroWindowProbes() {
    return zeroWindowProbes;
  }

  /** Segments flagged {@code tcp.analysis.keep_alive_ack}. */
  public long keepAliveAcks() {
    return keepAliveAcks;
  }

  /** Segments flagged {@code tcp.analysis.zero_window_probe_ack}. */
  public long zeroWindowProbeAcks() {
    return zeroWindowProbeAcks;
  }

  /** Segments flagged {@code tcp.analysis.window_update}. */
  public long windowUpdates() {
    return windowUpdates;
  }

  /** Segments flagged {@code tcp.analysis.ack_lost_segment}: each acknowledged bytes the capture did not show. */
  public long ackLostSegments() {
    return ackLostSegments;
  }

  /** The flags of the last segment of this direction (0 before one, or when it had none). */
  public int lastFlags() {
    return lastFlags;
  }

  /**
   * The flags set in {@code flags} by their Wireshark field names, e.g. "retransmission,fast_retransmission".
   * Allocates.
   */
  public static String flagNames(int flags) {
    String[] names = {"retransmission", "fast_retransmission", "spurious_retransmission", "out_of_order",
        "lost_segment", "duplicate_ack", "zero_window", "keep_alive", "zero_window_probe", "keep_alive_ack",
        "zero_window_probe_ack", "window_update", "ack_lost_segment"};
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < names.length; i++) {
      if ((flags & (1 << i)) != 0) {
        b.append(b.length() == 0 ? "" : ",").append(names[i]);
      }
    }
    return b.toString();
  }

  /** The counters, for debugging. Allocates. */
  @Override
  public String toString() {
    return "TcpAnalysis{retransmissions=" + retransmissions + " (fast " + fastRetransmissions + ", spurious "
        + spuriousRetransmissions + "), outOfOrder=" + outOfOrder + ", lostSegments=" + lostSegments
        + ", duplicateAcks=" + duplicateAcks + ", zeroWindows=" + zeroWindows + ", keepAlives=" + keepAlives
        + ", zeroWindowProbes=" + zeroWindowProbes + ", ackLostSegments=" + ackLostSegments + '}';
  }
}
