package dev.wirelens.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import dev.wirelens.link.LinkTypes;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.testkit.PcapFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every TCP stream of the recorded captures (vectors/tcp, see SOURCES.md there): per direction, how many segments
 * carry each {@code tcp.analysis.*} flag, and the stream's {@code tcp.analysis.initial_rtt}, against tshark 4.0.17
 * (tshark-analysis.tsv, recorded by record-analysis.sh). The frames are fed with their captured timestamps: the
 * fast-retransmission and out-of-order rules depend on time.
 */
class TcpAnalysisCorpusTest {
  static final String[] FLAGS = {"retransmission", "fast_retransmission", "spurious_retransmission", "out_of_order",
      "lost_segment", "duplicate_ack", "zero_window", "keep_alive", "zero_window_probe", "keep_alive_ack",
      "zero_window_probe_ack", "window_update", "ack_lost_segment"};

  /**
   * Counts where we differ from tshark on purpose, by "file stream sender flag", with the reason. Empty entries are
   * not allowed: each names why.
   */
  static final Map<String, String> DIFFERENCES = new HashMap<>();

  static {
    // Frames 7, 26 (and others) of the client: the IPv4 total length says 1500 but the frame's original length in the
    // pcap record is shorter; tshark takes the payload length from the frame (1440), we from the IP header (1448,
    // the last 8 bytes a snap-length gap). So our next sequence number is 8 higher and the following segments are
    // not "previous segment not captured" for us (2 fewer). tshark also calls 3 of the server's repeated FINs fast
    // retransmissions after such frames, through its "ACKed unseen segment" bookkeeping, which we do not reproduce;
    // they are retransmissions for both.
    DIFFERENCES.put("reassembly.pcap 0 63.193.213.194:2564 lost_segment", "IP total length vs frame length");
    DIFFERENCES.put("reassembly.pcap 0 128.3.97.175:80 fast_retransmission", "IP total length vs frame length");
    // The same 8 bytes: the server's ACKs of 3401076996 (frame 8) and 3401098737 (frame 86) acknowledge bytes beyond
    // the client's next sequence number for tshark, not for us, so tshark flags 7 ACKs "ACKed segment that wasn't
    // captured" (frames 8, 10, 70, 78, 86, 88, 107) and we 4 (70, 78, 105, 107).
    DIFFERENCES.put("reassembly.pcap 0 128.3.97.175:80 ack_lost_segment", "IP total length vs frame length");
    // The SYN's TCP options were cut by the snap length: no TCP view, so no SYN and no handshake time for us.
    DIFFERENCES.put("truncated-header.pcap 0 initial_rtt", "SYN header truncated");
    // Stream 11's only ACK acknowledges a number before the SYN-ACK, so tshark attaches no SEQ/ACK analysis tree to
    // any later packet and never displays the round-trip time it computed (2 ms: SYN at 1.500 s, ACK at 1.502 s).
    DIFFERENCES.put("tcp_handshake_synthetic.pcap 11 initial_rtt", "tshark does not display it");
  }

  /**
   * Limits per capture: passed_timeout.pcap resumes a connection ten years later; tshark has no idle timeout and keeps
   * one stream, so the test lifts ours for it (with the default 10 minutes it is a second connection that starts
   * fresh, without tshark's out-of-order and lost-segment flags from the old state).
   */
  static Limits limits(String file) {
    if (file.equals("passed_timeout.pcap")) {
      return Limits.builder().idleTimeout(java.time.Duration.ofDays(365L * 20)).build();
    }
    return Limits.defaults();
  }

  static Stream<String> files() throws IOException {
    List<String> lines = Files.readAllLines(TcpReassemblyCorpusTest.vectors().resolve("tshark-analysis.tsv"));
    LinkedHashSet<String> files = new LinkedHashSet<>();
    for (String l : lines.subList(1, lines.size())) {
      files.add(l.split("\t", -1)[0]);
    }
    return files.stream();
  }

  static List<String[]> rows(String file) throws IOException {
    List<String> lines = Files.readAllLines(TcpReassemblyCorpusTest.vectors().resolve("tshark-analysis.tsv"));
    List<String[]> out = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) {
      String[] f = l.split("\t", -1);
      if (f[0].equals(file)) {
        out.add(f);
      }
    }
    return out;
  }

  /** Feeds every frame of {@code file} with its own timestamp; returns the connections in order of first packet. */
  static List<TcpConnection> analyze(String file) throws IOException {
    return analyze(PcapFrames.read(TcpReassemblyCorpusTest.capture(file)), limits(file));
  }

  /** Feeds every frame with its own timestamp; returns the connections in order of first packet. */
  static List<TcpConnection> analyze(PcapFrames p, Limits limits) {
    int linkType = p.linkType == 12 ? LinkTypes.RAW : p.linkType;
    List<TcpConnection> connections = new ArrayList<>();
    Map<TcpConnection, long[]> heard = new HashMap<>(); // per connection and direction: onAnalysis calls per flag
    TcpStreamListener listener = new TcpStreamListener() {
      @Override
      public void onOpen(TcpConnection connection) {
        connections.add(connection);
        heard.put(connection, new long[2 * 16]);
      }

      @Override
      public void onAnalysis(TcpConnection connection, Direction direction, int flags) {
        assertThat(flags).isNotZero();
        assertThat(connection.isClosed()).isFalse();
        for (int bit = 0; bit < 16; bit++) {
          if ((flags & (1 << bit)) != 0) {
            heard.get(connection)[direction.ordinal() * 16 + bit]++;
          }
        }
      }

      @Override
      public void onClose(TcpConnection connection, CloseReason why) {
        // Until the close, the listener heard of every flagged segment the counters count.
        long[] h = heard.get(connection);
        for (Direction dir : Direction.values()) {
          TcpAnalysis a = connection.analysis(dir);
          int o = dir.ordinal() * 16;
          assertThat(h[o] + h[o + 1] + h[o + 2]).isGreaterThanOrEqualTo(a.retransmissions());
          assertThat(h[o + 1]).isEqualTo(a.fastRetransmissions());
          assertThat(h[o + 2]).isEqualTo(a.spuriousRetransmissions());
          assertThat(h[o + 3]).isEqualTo(a.outOfOrder());
          assertThat(h[o + 4]).isEqualTo(a.lostSegments());
          assertThat(h[o + 5]).isEqualTo(a.duplicateAcks());
          assertThat(h[o + 6]).isEqualTo(a.zeroWindows());
          assertThat(h[o + 7]).isEqualTo(a.keepAlives());
          assertThat(h[o + 8]).isEqualTo(a.zeroWindowProbes());
        }
      }
    };
    PacketDissector d = new PacketDissector();
    try (TcpReassembler r = new TcpReassembler(limits, listener)) {
      for (int i = 0; i < p.frames.size(); i++) {
        byte[] f = p.frames.get(i);
        ByteBuf buf = Unpooled.wrappedBuffer(
            p.linkType == LinkTypes.ETHERNET ? TcpReassemblyCorpusTest.withoutPppoe(f) : f);
        try {
          d.dissect(buf, linkType);
          r.onPacket(d, p.timestampsNanos.get(i));
        } finally {
          buf.release();
        }
      }
    }
    return connections;
  }

  static long count(TcpAnalysis a, String flag) {
    switch (flag) {
      case "retransmission": return a.retransmissions();
      case "fast_retransmission": return a.fastRetransmissions();
      case "spurious_retransmission": return a.spuriousRetransmissions();
      case "out_of_order": return a.outOfOrder();
      case "lost_segment": return a.lostSegments();
      case "duplicate_ack": return a.duplicateAcks();
      case "zero_window": return a.zeroWindows();
      case "keep_alive": return a.keepAlives();
      case "zero_window_probe": return a.zeroWindowProbes();
      case "keep_alive_ack": return a.keepAliveAcks();
      case "zero_window_probe_ack": return a.zeroWindowProbeAcks();
      case "window_update": return a.windowUpdates();
      case "ack_lost_segment": return a.ackLostSegments();
      default: throw new IllegalArgumentException(flag);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void everyDirectionCountsWhatTsharkFlags(String file) throws IOException {
    List<String> mismatches = compare(file, analyze(file), rows(file), DIFFERENCES);
    assertThat(mismatches).isEmpty();
  }

  /**
   * Our counts against tshark's rows of one capture: one item per differing count that {@code differences} does not
   * name (keys "file stream sender flag" and "file stream initial_rtt"), and one per tshark sender we have no
   * connection for.
   */
  static List<String> compare(String file, List<TcpConnection> connections, List<String[]> rows,
      Map<String, String> differences) {
    Map<String, String[]> expected = new HashMap<>();
    for (String[] row : rows) {
      expected.put(row[1] + " " + row[2], row);
    }
    List<String> mismatches = new ArrayList<>();
    for (TcpConnection c : connections) {
      String rtt = "";
      for (Direction dir : Direction.values()) {
        String sender = TcpReassemblyCorpusTest.endpoint(c, dir == Direction.CLIENT_TO_SERVER);
        String[] row = expected.remove(c.id() + " " + sender);
        for (int i = 0; i < FLAGS.length; i++) {
          long want = row == null ? 0 : Long.parseLong(row[3 + i]);
          long got = count(c.analysis(dir), FLAGS[i]);
          String key = file + " " + c.id() + " " + sender + " " + FLAGS[i];
          if (want != got && !differences.containsKey(key)) {
            mismatches.add(key + ": tshark " + want + ", ours " + got);
          }
        }
        if (row != null) {
          rtt = row[3 + FLAGS.length];
        }
      }
      long wantRtt = rtt.isEmpty() ? -1 : Long.parseLong(rtt);
      String key = file + " " + c.id() + " initial_rtt";
      if (wantRtt != c.initialRttNanos() && !differences.containsKey(key)) {
        mismatches.add(key + ": tshark " + wantRtt + ", ours " + c.initialRttNanos());
      }
    }
    for (String k : expected.keySet()) {
      mismatches.add(file + " " + k + ": a tshark sender without a connection of ours");
    }
    return mismatches;
  }
}
