package dev.wirelens.benchmarks.generator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@link SyntheticTraffic} as a capture of a lossy, reordering path would show it, seeded and deterministic. Only
 * data segments (payload, no SYN/FIN/RST) are touched; each is, with its own random draw:
 * <ul>
 *   <li>lost ({@link #LOSS}, 0.5%): not written at all. The receiver's ACKs still cover it (it was lost to the
 *       capture, not to the receiver), so a reassembler reports a gap once the peer acknowledges past it;
 *   <li>reordered ({@link #REORDER}, 2%): held back and written right after its connection's next frame;
 *   <li>followed by an overlapping retransmission ({@link #OVERLAP}, 1%): written in place, and a copy of its second
 *       half (same bytes, sequence number advanced by half the payload, IP length and checksums recomputed) is
 *       written after the connection's next frame: a partial retransmission overlapping data already received.
 * </ul>
 * Frames held for a connection whose last frame comes first follow that last frame. A written frame takes the
 * timestamp of the frame it follows, so timestamps never go backwards.
 *
 * <p>Allocation: per impaired frame (a copy). Thread safety: not thread safe.
 */
public final class ImpairedTraffic {
  /** Share of data segments lost to the capture. */
  public static final double LOSS = 0.005;
  /** Share of data segments written after their connection's next frame. */
  public static final double REORDER = 0.02;
  /** Share of data segments followed (after the connection's next frame) by a retransmission of their second half. */
  public static final double OVERLAP = 0.01;

  private static final int ACK = 0x10;
  private static final int SYN_FIN_RST = 0x07;

  private final SyntheticTraffic source;
  private final SplittableRandom random;
  private final byte[] frame = new byte[SyntheticTraffic.MAX_FRAME_LENGTH];
  private final HashMap<Long, List<byte[]>> held = new HashMap<>();
  private final ArrayDeque<byte[]> ready = new ArrayDeque<>();
  private boolean lastIpv6;
  private long lost;
  private long reordered;
  private long retransmitted;
  private long dataSegments;

  /** Impairs {@code source}, drawing from a generator seeded with {@code seed}. */
  public ImpairedTraffic(SyntheticTraffic source, long seed) {
    this.source = source;
    this.random = new SplittableRandom(seed);
  }

  /** Writes the next frame into {@code out} (at least {@link SyntheticTraffic#MAX_FRAME_LENGTH} bytes). */
  public int next(byte[] out) {
    while (ready.isEmpty()) {
      int len = source.next(frame);
      long flow = source.lastFlow();
      boolean data = isData(frame, len);
      double r = data ? random.nextDouble() : 1;
      if (data) {
        dataSegments++;
      }
      if (r < LOSS) {
        lost++;
      } else if (r < LOSS + REORDER) {
        reordered++;
        held.computeIfAbsent(flow, k -> new ArrayList<>()).add(tagged(frame, len, source.lastWasIpv6()));
      } else {
        List<byte[]> later = held.remove(flow);
        ready.add(tagged(frame, len, source.lastWasIpv6()));
        if (later != null) {
          ready.addAll(later); // after the connection's next frame
        }
        if (r < LOSS + REORDER + OVERLAP && payloadLength(frame) >= 2) {
          retransmitted++;
          held.computeIfAbsent(flow, k -> new ArrayList<>()).add(secondHalf(frame, len, source.lastWasIpv6()));
        }
      }
      if (source.lastFlowDone()) {
        List<byte[]> rest = held.remove(flow);
        if (rest != null) {
          ready.addAll(rest);
        }
      }
    }
    byte[] f = ready.poll();
    int len = f.length - 1;
    System.arraycopy(f, 0, out, 0, len);
    lastIpv6 = f[len] != 0;
    return len;
  }

  /** Timestamp of the frame last returned: that of the source frame it follows, microseconds since the epoch. */
  public long timestampMicros() {
    return source.timestampMicros();
  }

  /** Whether the frame last returned carries IPv6. */
  public boolean lastWasIpv6() {
    return lastIpv6;
  }

  /** Connections started by the source. */
  public long flowsStarted() {
    return source.flowsStarted();
  }

  /** Data segments of the source so far. */
  public long dataSegments() {
    return dataSegments;
  }

  /** Data segments dropped. */
  public long lost() {
    return lost;
  }

  /** Data segments written late. */
  public long reordered() {
    return reordered;
  }

  /** Overlapping partial retransmissions added. */
  public long retransmitted() {
    return retransmitted;
  }

  private static byte[] tagged(byte[] frame, int len, boolean v6) {
    byte[] copy = Arrays.copyOf(frame, len + 1);
    copy[len] = (byte) (v6 ? 1 : 0);
    return copy;
  }

  private static int tcpStart(byte[] f) {
    return f[12] == (byte) 0x86 ? 14 + 40 : 14 + 20; // the source writes Ethernet II, IPv6 without extensions or IHL 5
  }

  private static int payloadLength(byte[] f) {
    int tcp = tcpStart(f);
    int tcpLength = tcp == 54 ? u16(f, 18) : u16(f, 16) - 20;
    return tcpLength - ((f[tcp + 12] & 0xF0) >>> 2);
  }

  private static boolean isData(byte[] f, int len) {
    int tcp = tcpStart(f);
    return (f[tcp + 13] & SYN_FIN_RST) == 0 && (f[tcp + 13] & ACK) != 0 && payloadLength(f) > 0;
  }

  /** The segment's second half as a frame of its own: seq + half, lengths and checksums recomputed; tagged. */
  private static byte[] secondHalf(byte[] f, int len, boolean v6) {
    int tcp = tcpStart(f);
    int hl = (f[tcp + 12] & 0xF0) >>> 2;
    int n = payloadLength(f);
    int half = n / 2;
    int newLen = len - half;
    byte[] out = new byte[newLen + 1];
    System.arraycopy(f, 0, out, 0, tcp + hl);
    System.arraycopy(f, tcp + hl + half, out, tcp + hl, n - half);
    out[newLen] = (byte) (v6 ? 1 : 0);
    int tcpLength = hl + n - half;
    long seq = (u32(f, tcp + 4) + half) & 0xFFFFFFFFL;
    SyntheticTraffic.be32(out, tcp + 4, (int) seq);
    long sum;
    if (v6) {
      SyntheticTraffic.be16(out, 18, tcpLength);
      sum = SyntheticTraffic.sum16(out, 22, 32) + 6 + tcpLength;
    } else {
      SyntheticTraffic.be16(out, 16, 20 + tcpLength);
      SyntheticTraffic.be16(out, 24, 0);
      SyntheticTraffic.be16(out, 24, SyntheticTraffic.fold(SyntheticTraffic.sum16(out, 14, 20)) ^ 0xFFFF);
      sum = SyntheticTraffic.sum16(out, 26, 8) + 6 + tcpLength;
    }
    SyntheticTraffic.be16(out, tcp + 16, 0);
    sum += SyntheticTraffic.sum16(out, tcp, tcpLength);
    SyntheticTraffic.be16(out, tcp + 16, SyntheticTraffic.fold(sum) ^ 0xFFFF);
    return out;
  }

  private static int u16(byte[] b, int p) {
    return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
  }

  private static long u32(byte[] b, int p) {
    return ((long) u16(b, p) << 16) | u16(b, p + 2);
  }
}
