package dev.wirelens.benchmarks.generator;

import java.util.SplittableRandom;

/**
 * A seeded, deterministic source of Ethernet frames that look like a busy TLS server's link: about
 * {@code concurrentFlows} TCP connections open at once, a share of them over IPv6, each with a three-way handshake
 * (MSS, SACK-permitted, timestamps, window scale), a TLS-1.3-like handshake and a few request/response exchanges
 * carried in records that look like TLS (content type, version {@code 0x0303}, length), delayed ACKs every two
 * segments, and a FIN exchange (or, rarely, a reset) at the end. Segments are as large as the MSS allows: 1448
 * payload bytes over IPv4 (MSS 1460 less 12 bytes of timestamp option), 1428 over IPv6, so full frames are 1514
 * bytes either way. Flows are interleaved at random in short bursts; a finished flow is replaced by a new one.
 *
 * <p>Checksums (IPv4 header, TCP) are correct, so tshark shows no warnings. Addresses are from the documentation
 * ranges (RFC 5737, RFC 3849) and the private 10/8 range.
 *
 * <p>Allocation: none per frame after construction. Thread safety: not thread safe.
 */
public final class SyntheticTraffic {
  /** Largest frame this source emits. */
  public static final int MAX_FRAME_LENGTH = 1514;
  /** Segment payload per full IPv4 segment. */
  public static final int MSS_PAYLOAD_V4 = 1448;
  /** Segment payload per full IPv6 segment (same 1514-byte frame). */
  public static final int MSS_PAYLOAD_V6 = 1428;

  static final int CLIENT = 0;
  static final int SERVER = 1;

  private static final int FIN = 0x01;
  private static final int SYN = 0x02;
  private static final int RST = 0x04;
  private static final int PSH = 0x08;
  private static final int ACK = 0x10;

  private static final int POOL_MASK = (1 << 20) - 1;

  private final SplittableRandom random;
  private final double ipv6Share;
  private final Flow[] flows;
  private final byte[] pool = new byte[POOL_MASK + 1];
  private long timeMicros;
  private int current;
  private int burstLeft;
  private long flowsStarted;
  private boolean lastIpv6;
  private long lastFlow;
  private boolean lastFlowDone;

  /**
   * Creates a source.
   *
   * @param seed the seed: the same seed gives the same frames, byte for byte, on every JVM
   * @param concurrentFlows connections kept open at once
   * @param ipv6Share share of connections over IPv6, 0 to 1
   * @param startMicros timestamp of the first frame, microseconds since the epoch
   */
  public SyntheticTraffic(long seed, int concurrentFlows, double ipv6Share, long startMicros) {
    this.random = new SplittableRandom(seed);
    this.ipv6Share = ipv6Share;
    this.timeMicros = startMicros;
    for (int i = 0; i < pool.length; i += 8) {
      long r = random.nextLong();
      for (int j = 0; j < 8; j++) {
        pool[i + j] = (byte) (r >>> (8 * j));
      }
    }
    this.flows = new Flow[concurrentFlows];
    for (int i = 0; i < concurrentFlows; i++) {
      flows[i] = newFlow();
    }
  }

  /** Flows started so far. */
  public long flowsStarted() {
    return flowsStarted;
  }

  /** Timestamp of the frame last returned by {@link #next(byte[])}, microseconds since the epoch. */
  public long timestampMicros() {
    return timeMicros;
  }

  /** Whether the frame last returned by {@link #next(byte[])} carries IPv6. */
  public boolean lastWasIpv6() {
    return lastIpv6;
  }

  /** The connection of the frame last returned by {@link #next(byte[])}: 1 for the first connection started, ... */
  public long lastFlow() {
    return lastFlow;
  }

  /** Whether the frame last returned by {@link #next(byte[])} was its connection's last one. */
  public boolean lastFlowDone() {
    return lastFlowDone;
  }

  /**
   * Writes the next frame into {@code out} (at least {@link #MAX_FRAME_LENGTH} bytes) and returns its length.
   */
  public int next(byte[] out) {
    if (burstLeft == 0) {
      current = random.nextInt(flows.length);
      burstLeft = 1 + random.nextInt(4);
    }
    burstLeft--;
    timeMicros += 1 + random.nextInt(12);
    Flow f = flows[current];
    int len = f.emit(out);
    lastIpv6 = f.v6;
    lastFlow = f.serial;
    lastFlowDone = f.done;
    if (f.done) {
      flows[current] = newFlow();
      burstLeft = 0;
    }
    return len;
  }

  private Flow newFlow() {
    flowsStarted++;
    Flow f = new Flow();
    f.serial = flowsStarted;
    f.v6 = random.nextDouble() < ipv6Share;
    f.clientV4 = 0x0A000000 | random.nextInt(1 << 24);
    f.serverV4 = (random.nextBoolean() ? 0xC0000200 : 0xC6336400) | (1 + random.nextInt(62)); // 192.0.2/24, 198.51.100/24
    f.client6Lo = random.nextLong();
    f.server6Lo = 1 + random.nextInt(62);
    f.clientPort = 32768 + random.nextInt(61000 - 32768);
    f.serverPort = random.nextInt(10) == 0 ? 8084 : 443;
    f.seq[CLIENT] = random.nextLong() & 0xFFFFFFFFL;
    f.seq[SERVER] = random.nextLong() & 0xFFFFFFFFL;
    f.ipId[CLIENT] = random.nextInt(65536);
    f.ipId[SERVER] = random.nextInt(65536);
    f.tsBase[CLIENT] = random.nextInt();
    f.tsBase[SERVER] = random.nextInt();
    f.window[CLIENT] = 500 + random.nextInt(24);
    f.window[SERVER] = 250 + random.nextInt(250);
    f.exchangesLeft = 1 + random.nextInt(16);
    f.closeByServer = random.nextInt(3) == 0;
    f.reset = random.nextInt(50) == 0;
    f.bodyCursor = random.nextInt(POOL_MASK + 1);
    return f;
  }

  /** One TCP connection: its addresses, sequence state and the message it is sending. */
  private final class Flow {
    long serial;
    boolean v6;
    int clientV4;
    int serverV4;
    long client6Lo;
    long server6Lo;
    int clientPort;
    int serverPort;
    final long[] seq = new long[2];
    final int[] ipId = new int[2];
    final int[] tsBase = new int[2];
    final int[] window = new int[2];
    int state;
    int exchangesLeft;
    boolean closeByServer;
    boolean reset;
    boolean done;
    int bodyCursor;

    // The message being sent: TLS-like records of recType/recLen, sent from msgDir.
    int message;
    int msgDir;
    final int[] recType = new int[32];
    final int[] recLen = new int[32];
    int recCount;
    int recIdx;
    int recOff;
    int msgRemaining;
    int unacked;
    boolean ackOwed;

    int emit(byte[] out) {
      switch (state) {
        case 0:
          state = 1;
          return frame(out, CLIENT, SYN, 0, true);
        case 1:
          state = 2;
          return frame(out, SERVER, SYN | ACK, 0, true);
        case 2:
          state = 3;
          startMessage();
          return frame(out, CLIENT, ACK, 0, false);
        case 3:
          return data(out);
        case 4: {
          int closer = closeByServer ? SERVER : CLIENT;
          if (reset) {
            done = true;
            return frame(out, closer, RST | ACK, 0, false);
          }
          state = 5;
          return frame(out, closer, FIN | ACK, 0, false);
        }
        case 5:
          state = 6;
          return frame(out, closeByServer ? CLIENT : SERVER, FIN | ACK, 0, false);
        default:
          done = true;
          return frame(out, closeByServer ? SERVER : CLIENT, ACK, 0, false);
      }
    }

    private int data(byte[] out) {
      if (ackOwed) {
        ackOwed = false;
        unacked = 0;
        int len = frame(out, 1 - msgDir, ACK, 0, false);
        if (msgRemaining == 0) {
          nextMessage();
        }
        return len;
      }
      int mss = v6 ? MSS_PAYLOAD_V6 : MSS_PAYLOAD_V4;
      int n = Math.min(mss, msgRemaining);
      boolean last = n == msgRemaining;
      int len = frame(out, msgDir, last ? ACK | PSH : ACK, n, false);
      if (++unacked >= 2 || last) {
        // The receiver acknowledges every second segment and the end of each message; a request answered by
        // a response carries its ACK piggybacked, as real stacks often do.
        ackOwed = !(last && message >= 2 && msgDir == CLIENT);
        if (!ackOwed) {
          unacked = 0;
        }
      }
      if (last && !ackOwed) {
        nextMessage();
      }
      return len;
    }

    private void nextMessage() {
      message++;
      startMessage();
    }

    /** Message script: ClientHello; ServerHello..Finished; client Finished; then request/response pairs. */
    private void startMessage() {
      recCount = 0;
      recIdx = 0;
      recOff = 0;
      unacked = 0;
      if (message == 0) {
        msgDir = CLIENT;
        record(22, 508 + random.nextInt(64));
      } else if (message == 1) {
        msgDir = SERVER;
        record(22, 90 + random.nextInt(32));
        record(20, 1);
        record(23, 2000 + random.nextInt(3000));
      } else if (message == 2) {
        msgDir = CLIENT;
        record(20, 1);
        record(23, 53);
      } else if (exchangesLeft == 0) {
        state = 4;
        return;
      } else if ((message & 1) == 1) {
        msgDir = CLIENT;
        record(23, 80 + random.nextInt(1200));
      } else {
        msgDir = SERVER;
        exchangesLeft--;
        // Response sizes spread log-uniformly from 256 bytes to 256 KiB.
        int total = (int) Math.exp(Math.log(256) + random.nextDouble() * (Math.log(256 << 10) - Math.log(256)));
        while (total > 0 && recCount < recType.length) {
          int body = Math.min(total, 16384) + 17;
          record(23, body);
          total -= 16384;
        }
      }
      msgRemaining = 0;
      for (int i = 0; i < recCount; i++) {
        msgRemaining += 5 + recLen[i];
      }
    }

    private void record(int type, int length) {
      recType[recCount] = type;
      recLen[recCount] = length;
      recCount++;
    }

    /** Writes {@code n} bytes of the current message, record headers included, into out at off. */
    private void payload(byte[] out, int off, int n) {
      msgRemaining -= n;
      while (n > 0) {
        int len = recLen[recIdx];
        if (recOff < 5) {
          int h;
          switch (recOff) {
            case 0: h = recType[recIdx]; break;
            case 1: h = 3; break;
            case 2: h = recType[recIdx] == 22 && message == 0 ? 1 : 3; break;
            case 3: h = len >>> 8; break;
            default: h = len & 0xFF;
          }
          out[off++] = (byte) h;
          recOff++;
          n--;
        } else {
          int k = Math.min(n, len + 5 - recOff);
          k = Math.min(k, POOL_MASK + 1 - bodyCursor);
          System.arraycopy(pool, bodyCursor, out, off, k);
          bodyCursor = (bodyCursor + k) & POOL_MASK;
          off += k;
          n -= k;
          recOff += k;
        }
        if (recOff == len + 5) {
          recIdx++;
          recOff = 0;
        }
      }
    }

    private int frame(byte[] out, int dir, int flags, int payloadLength, boolean synOptions) {
      // Ethernet II: the capturing host's NIC and its gateway.
      int p = 0;
      boolean fromClient = dir == CLIENT;
      p = mac(out, p, fromClient ? 0x01 : 0x02);
      p = mac(out, p, fromClient ? 0x02 : 0x01);
      p = be16(out, p, v6 ? 0x86DD : 0x0800);
      int ipStart = p;
      int tcpHeaderLength = synOptions ? 40 : 32;
      int tcpLength = tcpHeaderLength + payloadLength;
      long sum;
      if (v6) {
        p = be32(out, p, 0x60000000 | (int) ((clientPort * 2654435761L) & 0xFFFFF));
        p = be16(out, p, tcpLength);
        out[p++] = 6;
        out[p++] = (byte) (fromClient ? 64 : 57);
        int srcStart = p;
        p = addr6(out, p, !fromClient);
        p = addr6(out, p, fromClient);
        sum = sum16(out, srcStart, 32) + 6 + tcpLength;
      } else {
        out[p++] = 0x45;
        out[p++] = 0;
        p = be16(out, p, 20 + tcpLength);
        p = be16(out, p, ipId[dir]);
        ipId[dir] = (ipId[dir] + 1) & 0xFFFF;
        p = be16(out, p, 0x4000);
        out[p++] = (byte) (fromClient ? 64 : 57);
        out[p++] = 6;
        p = be16(out, p, 0);
        p = be32(out, p, fromClient ? clientV4 : serverV4);
        p = be32(out, p, fromClient ? serverV4 : clientV4);
        be16(out, ipStart + 10, fold(sum16(out, ipStart, 20)) ^ 0xFFFF);
        sum = sum16(out, ipStart + 12, 8) + 6 + tcpLength;
      }
      int tcpStart = p;
      p = be16(out, p, fromClient ? clientPort : serverPort);
      p = be16(out, p, fromClient ? serverPort : clientPort);
      p = be32(out, p, (int) seq[dir]);
      p = be32(out, p, (flags & ACK) != 0 ? (int) seq[1 - dir] : 0);
      out[p++] = (byte) ((tcpHeaderLength / 4) << 4);
      out[p++] = (byte) flags;
      p = be16(out, p, (flags & SYN) != 0 ? 64240 : window[dir]);
      p = be16(out, p, 0);
      p = be16(out, p, 0);
      int tsVal = tsBase[dir] + (int) (timeMicros / 1000);
      int tsEcr = (flags & ACK) != 0 ? tsBase[1 - dir] + (int) (timeMicros / 1000) - 1 : 0;
      if (synOptions) {
        out[p++] = 2; out[p++] = 4;
        p = be16(out, p, v6 ? 1440 : 1460);
        out[p++] = 4; out[p++] = 2;
        out[p++] = 8; out[p++] = 10;
        p = be32(out, p, tsVal);
        p = be32(out, p, tsEcr);
        out[p++] = 1;
        out[p++] = 3; out[p++] = 3; out[p++] = 7;
      } else {
        out[p++] = 1; out[p++] = 1;
        out[p++] = 8; out[p++] = 10;
        p = be32(out, p, tsVal);
        p = be32(out, p, tsEcr);
      }
      payload(out, p, payloadLength);
      p += payloadLength;
      sum += sum16(out, tcpStart, tcpLength);
      be16(out, tcpStart + 16, fold(sum) ^ 0xFFFF);
      seq[dir] = (seq[dir] + payloadLength + ((flags & (SYN | FIN)) != 0 ? 1 : 0)) & 0xFFFFFFFFL;
      return p;
    }

    private int addr6(byte[] out, int p, boolean server) {
      // 2001:db8:1::/64 for clients, 2001:db8:ffff::/64 for servers.
      p = be32(out, p, 0x20010DB8);
      p = be32(out, p, server ? 0xFFFF0000 : 0x00010000);
      long lo = server ? server6Lo : client6Lo;
      p = be32(out, p, (int) (lo >>> 32));
      return be32(out, p, (int) lo);
    }
  }

  private static int mac(byte[] out, int p, int host) {
    out[p++] = 0x02;
    out[p++] = 0x42;
    out[p++] = (byte) 0xAC;
    out[p++] = 0x11;
    out[p++] = 0x00;
    out[p++] = (byte) host;
    return p;
  }

  static int be16(byte[] out, int p, int v) {
    out[p] = (byte) (v >>> 8);
    out[p + 1] = (byte) v;
    return p + 2;
  }

  static int be32(byte[] out, int p, int v) {
    out[p] = (byte) (v >>> 24);
    out[p + 1] = (byte) (v >>> 16);
    out[p + 2] = (byte) (v >>> 8);
    out[p + 3] = (byte) v;
    return p + 4;
  }

  /** One's-complement partial sum of big-endian 16-bit words (RFC 1071), not yet folded. */
  static long sum16(byte[] b, int off, int len) {
    long sum = 0;
    int end = off + (len & ~1);
    for (int i = off; i < end; i += 2) {
      sum += ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }
    if ((len & 1) != 0) {
      sum += (b[end] & 0xFF) << 8;
    }
    return sum;
  }

  static int fold(long sum) {
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >>> 16);
    }
    return (int) sum;
  }
}
