package dev.wirelens.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import dev.wirelens.link.LinkTypes;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.testkit.PcapFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Public captures with recorded expectations (vectors/tcp, see SOURCES.md there): every TCP stream against tshark's
 * {@code follow,tcp,raw} (tshark-follow.tsv, recorded by record.sh), and PcapPlusPlus's reassembly test captures
 * against its expected outputs.
 */
class TcpReassemblyCorpusTest {
  static Path vectors() {
    try {
      return Paths.get(TcpReassemblyCorpusTest.class.getResource("/vectors/tcp/tshark-follow.tsv").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path capture(String name) {
    for (String dir : new String[] {"pcapplusplus", "suricata-verify", "arkime", "zeek", "pkts", "wirelens"}) {
      Path p = vectors().resolve(dir).resolve(name);
      if (Files.exists(p)) {
        return p;
      }
    }
    throw new IllegalArgumentException("no vector " + name);
  }

  /** Feeds frames (in this order) to a reassembler, one millisecond apart, and ends the input. */
  static StreamRecorder reassemble(int linkType, List<byte[]> frames) {
    return reassemble(linkType, frames, 0);
  }

  static StreamRecorder reassemble(int linkType, List<byte[]> frames, int compareBytes) {
    if (linkType == 12) {
      linkType = LinkTypes.RAW; // DLT_RAW as some systems write it in the pcap header (LINKTYPE_RAW is 101)
    }
    StreamRecorder rec = new StreamRecorder();
    PacketDissector d = new PacketDissector();
    try (TcpReassembler r = new TcpReassembler(Limits.defaults(), rec).compareRetransmissions(compareBytes)) {
      long time = 1_000_000_000L;
      for (byte[] f : frames) {
        ByteBuf buf = Unpooled.wrappedBuffer(f);
        try {
          d.dissect(buf, linkType);
          r.onPacket(d, time += 1_000_000L);
        } finally {
          buf.release();
        }
      }
      r.close();
      assertThat(r.bufferedBytes()).isZero();
    }
    return rec;
  }

  static StreamRecorder reassemble(String file) throws IOException {
    PcapFrames p = PcapFrames.read(capture(file));
    List<byte[]> frames = new ArrayList<>();
    for (byte[] f : p.frames) {
      frames.add(p.linkType == LinkTypes.ETHERNET ? withoutPppoe(f) : f);
    }
    return reassemble(p.linkType, frames);
  }

  /**
   * PacketDissector does not decode PPPoE sessions (one_http_stream_rst.pcap is IPv4 in PPPoE, RFC 2516): the test
   * turns such a frame into plain Ethernet by removing the 6-byte PPPoE header and the 2-byte PPP protocol 0x0021.
   */
  static byte[] withoutPppoe(byte[] f) {
    int type = 12; // EtherType position, after any VLAN tags
    while (f.length >= type + 6 && (u16(f, type) == 0x8100 || u16(f, type) == 0x88a8)) {
      type += 4;
    }
    if (f.length < type + 10 || u16(f, type) != 0x8864 || u16(f, type + 8) != 0x0021) {
      return f;
    }
    byte[] out = new byte[f.length - 8];
    System.arraycopy(f, 0, out, 0, type);
    out[type] = 0x08;
    out[type + 1] = 0x00;
    System.arraycopy(f, type + 10, out, type + 2, f.length - type - 10);
    return out;
  }

  private static int u16(byte[] b, int i) {
    return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
  }

  static Stream<String[]> tsharkRows() throws IOException {
    List<String> lines = Files.readAllLines(vectors().resolve("tshark-follow.tsv"));
    return lines.subList(1, lines.size()).stream().map(l -> l.split("\t", -1));
  }

  static String endpoint(TcpConnection c, boolean client) {
    String a = client ? c.clientAddressAsString() : c.serverAddressAsString();
    int port = client ? c.clientPort() : c.serverPort();
    return (c.ipVersion() == 6 ? "[" + a + "]" : a) + ":" + port;
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Our gaps of one direction as "offset+length" items, without SNAPLEN ones: tshark's follow omits those silently. */
  static String gaps(StreamRecorder rec, StreamRecorder.Conn c, Direction d) {
    List<String> out = new ArrayList<>();
    for (String e : rec.gaps(c)) {
      String[] f = e.split(" ");
      if (f[1].equals(d.name()) && !f[4].equals(GapReason.SNAPLEN.name())) {
        out.add(f[2] + "+" + f[3]);
      }
    }
    return String.join(";", out);
  }

  /**
   * Our handshake state from tshark's tcp.completeness bits (1 SYN, 2 SYN-ACK, 4 ACK); where the meanings differ the
   * capture is named with the reason.
   */
  static TcpHandshake handshake(String file, String stream, int completeness) {
    switch (file) {
      case "handshake-reorder.pcap": // SYN-ACK captured before the SYN: tshark ignores the late SYN
        return TcpHandshake.COMPLETE;
      case "truncated-header.pcap": // the SYN's options were cut by the snap length: no TCP view, no SYN for us
        return TcpHandshake.MISSING;
      case "abrupt_handshake.pcap": // tshark's ACK bit comes from the server's RST-ACK; no client ACK was sent
      case "lower_seq.pcap": // the client's ACK acknowledges 2000, the SYN-ACK's own number, not 2001
        return TcpHandshake.SYN_SYNACK;
      default:
        break;
    }
    if (file.equals("tcp_handshake_synthetic.pcap")) {
      switch (stream) {
        case "1": // the client's ACK acknowledges 999999, far past the SYN-ACK (6001): not acceptable (RFC 9293)
        case "4": // likewise 123456789
        case "5": // likewise 424243 (the SYN-ACK the client itself sent), not the server's 9001
        case "10": // likewise 517000
        case "11": // the client's ACK acknowledges 4294486296, before the SYN-ACK (19001)
        case "3": // tshark sets ACK for the server's ACK before its SYN-ACK; only the client's ACK completes ours
          return TcpHandshake.SYN_SYNACK;
        case "12": // SYN-ACK captured before the SYN: tshark ignores the late SYN; all three were captured
          return TcpHandshake.COMPLETE;
        default:
          break;
      }
    }
    if ((completeness & 1) == 0) {
      return TcpHandshake.MISSING;
    }
    if ((completeness & 2) == 0) {
      return TcpHandshake.SYN_ONLY;
    }
    return (completeness & 4) == 0 ? TcpHandshake.SYN_SYNACK : TcpHandshake.COMPLETE;
  }

  @ParameterizedTest(name = "{0} stream {1}")
  @MethodSource("tsharkRows")
  void everyStreamIsWhatTsharkFollows(String file, String stream, String node0, String node1, String len0,
      String sha0, String gaps0, String len1, String sha1, String gaps1, String completeness) throws IOException {
    StreamRecorder rec = reassemble(file);
    assertThat(rec.connections).as("one connection per tshark tcp.stream")
        .hasSize((int) tsharkRows().filter(r -> r[0].equals(file)).count());
    StreamRecorder.Conn c = rec.connections.get(Integer.parseInt(stream));
    boolean node0IsClient = endpoint(c.connection, true).equals(node0);
    assertThat(node0IsClient ? endpoint(c.connection, false) : endpoint(c.connection, true)).isEqualTo(node1);
    if (!node0IsClient) {
      assertThat(endpoint(c.connection, false)).isEqualTo(node0);
    }
    assertThat(c.connection.handshake()).isEqualTo(handshake(file, stream, Integer.parseInt(completeness)));
    Direction d0 = node0IsClient ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT;
    byte[] b0 = c.bytes(d0);
    byte[] b1 = c.bytes(d0.opposite());
    // tshark's follow stops at a hole that never fills; we report the hole as a gap and deliver what follows. The
    // gaps are where tshark says "Previous segment not captured", the bytes before them are tshark's.
    if (file.equals("unidirectional_tcp_stream_with_missing_packet.pcap")) {
      // before relative Seq=2841, i.e. bytes 1420..2839; then 8528 captured bytes
      assertThat(sha256(java.util.Arrays.copyOf(b0, Integer.parseInt(len0)))).isEqualTo(sha0);
      assertThat(gaps(rec, c, d0)).isEqualTo("1420+1420");
      assertThat(b0.length).isEqualTo(9948 - 1420);
      return;
    }
    if (file.equals("tcpseq_synthetic.pcap") && stream.equals("0")) {
      // crafted: 8 bytes on the SYN (Seq=4278190208), then 8 bytes at Seq=234881024, 251658103 bytes after its end
      assertThat(sha256(java.util.Arrays.copyOf(b0, Integer.parseInt(len0)))).isEqualTo(sha0);
      assertThat(gaps(rec, c, d0)).isEqualTo("8+251658103");
      assertThat(b0.length).isEqualTo(16);
      return;
    }
    if (file.equals("rst-inject-rae.pcap")) {
      // An acceptable RST (frame 7, Seq at the server's next byte) closes the connection; the client's 150 bytes
      // after it (frame 8) are not part of our stream, tshark follows them. The 25 bytes before are frame 5's.
      assertThat(new String(b0, java.nio.charset.StandardCharsets.ISO_8859_1)).hasSize(25);
      assertThat(Integer.parseInt(len0)).isEqualTo(25 + 150);
      assertThat(c.closed).isEqualTo(CloseReason.RST);
      return;
    }
    if (file.equals("reassembly.pcap")) {
      // Segments cut by the snap length are later retransmitted whole; tshark fills the cut bytes from the
      // retransmissions, we report them as SNAPLEN gaps at once (first bytes win, and a cut is known missing).
      // Both cover the same stream: tshark's bytes and gaps add up to ours.
      long tsharkGaps = 0;
      for (String g : gaps0.split(";")) {
        tsharkGaps += Long.parseLong(g.split("\\+")[1]);
      }
      assertThat(b0.length + c.connection.gapBytes(d0)).isEqualTo(Integer.parseInt(len0) + tsharkGaps);
      assertThat(b1.length).isEqualTo(Integer.parseInt(len1));
      return;
    }
    String key = file + " " + stream + " ";
    assertThat(b0.length).isEqualTo(Integer.parseInt(len0));
    assertThat(sha256(b0)).isEqualTo(sha0);
    assertThat(gaps(rec, c, d0)).isEqualTo(BEFORE_FIN.getOrDefault(key + d0, gaps0));
    assertThat(b1.length).isEqualTo(Integer.parseInt(len1));
    assertThat(sha256(b1)).isEqualTo(sha1);
    assertThat(gaps(rec, c, d0.opposite())).isEqualTo(BEFORE_FIN.getOrDefault(key + d0.opposite(), gaps1));
  }

  @org.junit.jupiter.api.Test
  void retransmissionsWithOtherBytesAreConflictsAndTheFirstBytesStay() throws IOException {
    // suricata-verify eve-payload-01: 'GOOD' then a retransmission 'EVIL' of the same 4 bytes; eve-payload-04:
    // 'GOOD' then 'XXX' over its last 3 bytes. Suricata's and tshark's streams are 'GOOD' (tshark-follow.tsv).
    PcapFrames exact = PcapFrames.read(capture("tcp-overlap.pcap"));
    StreamRecorder.Conn c = reassemble(exact.linkType, exact.frames, 64).connections.get(0);
    assertThat(new String(c.bytes(Direction.CLIENT_TO_SERVER), java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("GOOD");
    assertThat(c.connection.conflicts(Direction.CLIENT_TO_SERVER)).isEqualTo(4);
    PcapFrames partial = PcapFrames.read(capture("tcp-overlap2.pcap"));
    c = reassemble(partial.linkType, partial.frames, 64).connections.get(0);
    assertThat(new String(c.bytes(Direction.CLIENT_TO_SERVER), java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("GOOD");
    assertThat(c.connection.conflicts(Direction.CLIENT_TO_SERVER)).isEqualTo(3);
  }

  /**
   * Bytes missing before a captured FIN: certain (the FIN's sequence number says they were sent), reported by us,
   * not by tshark's follow (tshark marks the FIN "Previous segment not captured").
   */
  private static final java.util.Map<String, String> BEFORE_FIN = java.util.Map.of(
      "miss_end_data.pcap 0 SERVER_TO_CLIENT", "0+2902",
      "fin1_syn_duplicate.pcap 0 CLIENT_TO_SERVER", "0+1",
      "fin1_syn_ports_reused.pcap 0 CLIENT_TO_SERVER", "0+1",
      "graceful_simultaneous.pcap 0 CLIENT_TO_SERVER", "0+1",
      "syn_duplicate_after_closed.pcap 0 CLIENT_TO_SERVER", "0+1");
}
