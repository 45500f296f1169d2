package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.link.LinkTypes;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.tcp.TcpReassembler;
import dev.wirelens.testkit.PacketBuilder;
import dev.wirelens.testkit.PcapFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded open files with many interleaved connections: a built capture of {@link #CONNECTIONS} connections that
 * are all open at once and take turns sending, whose expected stream bytes are known by construction.
 */
class FlowFileWriterTest {
  private static final int CONNECTIONS = 20;
  private static final int ROUNDS = 5;

  @TempDir Path tmp;

  /** The payload connection {@code c} sends in round {@code r}, from the client or the server. */
  private static byte[] payload(int c, int r, boolean client) {
    return String.format("%s%02d-round%d;", client ? "request" : "response", c, r).getBytes(StandardCharsets.US_ASCII);
  }

  private static PacketBuilder segment(int c, boolean fromClient, long seq, long ack, int flags) {
    String client = "10.1.0." + (c + 1);
    PacketBuilder b = PacketBuilder.ethernet();
    b = fromClient ? b.ipv4(client, "10.2.0.1").tcp(40000 + c, 8084) : b.ipv4("10.2.0.1", client).tcp(8084, 40000 + c);
    return b.seq(seq).ack(ack).flags(flags).window(65535);
  }

  /** SYN, SYN-ACK, ACK of every connection; ROUNDS rounds in which each sends a request and gets a response; FINs. */
  private Path interleaved() throws IOException {
    List<byte[]> frames = new ArrayList<>();
    long[] cseq = new long[CONNECTIONS];
    long[] sseq = new long[CONNECTIONS];
    for (int c = 0; c < CONNECTIONS; c++) {
      cseq[c] = 1000L * c;
      sseq[c] = 0xfffffff0L - c; // server sequence numbers wrap around 2^32 during the rounds
      frames.add(segment(c, true, cseq[c]++, 0, PacketBuilder.SYN).build());
      frames.add(segment(c, false, sseq[c]++, cseq[c], PacketBuilder.SYN | PacketBuilder.ACK).build());
      frames.add(segment(c, true, cseq[c], sseq[c] & 0xffffffffL, PacketBuilder.ACK).build());
    }
    for (int r = 0; r < ROUNDS; r++) {
      for (int c = 0; c < CONNECTIONS; c++) {
        byte[] q = payload(c, r, true);
        frames.add(segment(c, true, cseq[c], sseq[c] & 0xffffffffL, PacketBuilder.ACK | PacketBuilder.PSH)
            .payload(q).build());
        cseq[c] += q.length;
        byte[] a = payload(c, r, false);
        frames.add(segment(c, false, sseq[c] & 0xffffffffL, cseq[c], PacketBuilder.ACK | PacketBuilder.PSH)
            .payload(a).build());
        sseq[c] += a.length;
      }
    }
    for (int c = 0; c < CONNECTIONS; c++) {
      frames.add(segment(c, true, cseq[c]++, sseq[c] & 0xffffffffL, PacketBuilder.FIN | PacketBuilder.ACK).build());
      frames.add(segment(c, false, sseq[c]++ & 0xffffffffL, cseq[c], PacketBuilder.FIN | PacketBuilder.ACK).build());
      frames.add(segment(c, true, cseq[c], sseq[c] & 0xffffffffL, PacketBuilder.ACK).build());
    }
    Path file = tmp.resolve("interleaved.pcap");
    PcapFiles.write(file, LinkTypes.ETHERNET, 65535, frames);
    return file;
  }

  private static byte[] expected(int c, boolean client) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int r = 0; r < ROUNDS; r++) {
      out.writeBytes(payload(c, r, client));
    }
    return out.toByteArray();
  }

  @Test
  void neverMoreFilesOpenThanAllowedWhileEveryConnectionIsOpen() throws IOException {
    Path capture = interleaved();
    Path out = Files.createDirectories(tmp.resolve("out"));
    FlowIndexWriter index = new FlowIndexWriter(out.resolve("index.json"), "interleaved.pcap");
    FlowFileWriter files = new FlowFileWriter(out, index, 3);
    int most = 0;
    try (CaptureReader in = CaptureReader.open(capture);
         TcpReassembler tcp = new TcpReassembler(Limits.defaults(), files)) {
      PacketDissector d = new PacketDissector();
      while (in.next() == DecodeStatus.FRAME) {
        d.dissect(in.frame(), in.linkType());
        tcp.onPacket(d, in.timestampNanos());
        most = Math.max(most, files.openFiles());
      }
      assertThat(tcp.connectionCount()).isEqualTo(CONNECTIONS); // closed ones stay known until they expire
    }
    index.finish(null);
    assertThat(most).isEqualTo(3);
    assertThat(files.openFiles()).isZero(); // every connection closed, its files with it
    for (int c = 0; c < CONNECTIONS; c++) {
      assertThat(Files.readAllBytes(out.resolve(c + "-client.bin"))).isEqualTo(expected(c, true));
      assertThat(Files.readAllBytes(out.resolve(c + "-server.bin"))).isEqualTo(expected(c, false));
    }
  }

  @Test
  void moreGapsThanListedAreCountedAndTheListSaysItIsTruncated() throws IOException {
    // 1002 segments of 100 payload bytes, captured with a 64-byte snap length: 10 bytes of each are captured
    // (14 Ethernet + 20 IPv4 + 20 TCP header bytes before them), 90 cut, each cut a gap.
    int segments = FlowFileWriter.MAX_LISTED_GAPS + 2;
    List<byte[]> frames = new ArrayList<>();
    frames.add(segment(0, true, 0, 0, PacketBuilder.SYN).build());
    frames.add(segment(0, false, 5000, 1, PacketBuilder.SYN | PacketBuilder.ACK).build());
    frames.add(segment(0, true, 1, 5001, PacketBuilder.ACK).build());
    byte[] data = new byte[100];
    for (int i = 0; i < segments; i++) {
      frames.add(segment(0, true, 1 + 100L * i, 5001, PacketBuilder.ACK).payload(data).build());
    }
    Path capture = tmp.resolve("cut.pcap");
    PcapFiles.write(capture, LinkTypes.ETHERNET, 64, frames);
    FlowsRun r = FlowsRun.file(tmp.resolve("out"), capture);
    assertThat(r.code()).as(r.err()).isZero();
    var client = r.connections().get(0).at("/streams/client");
    assertThat(client.get("bytes").asLong()).isEqualTo(10L * segments);
    assertThat(client.at("/gaps/count").asLong()).isEqualTo(segments);
    assertThat(client.at("/gaps/bytes").asLong()).isEqualTo(90L * segments);
    assertThat(client.at("/gaps/list").size()).isEqualTo(FlowFileWriter.MAX_LISTED_GAPS);
    assertThat(client.at("/gaps/list_truncated").asBoolean()).isTrue();
    var last = client.at("/gaps/list/" + (FlowFileWriter.MAX_LISTED_GAPS - 1));
    assertThat(last.get("offset").asLong()).isEqualTo(100L * (FlowFileWriter.MAX_LISTED_GAPS - 1) + 10);
    assertThat(last.get("file_offset").asLong()).isEqualTo(10L * FlowFileWriter.MAX_LISTED_GAPS);
    assertThat(last.get("reason").asText()).isEqualTo("snaplen");
    assertThat(r.bytes("0-client.bin")).hasSize(10 * segments);
  }

  @Test
  void commandWithThreeOpenFilesWritesEveryInterleavedConnection() throws IOException {
    FlowsRun r = FlowsRun.file(tmp.resolve("out"), interleaved(), "--max-open-files", "3");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.connections()).hasSize(CONNECTIONS);
    for (int c = 0; c < CONNECTIONS; c++) {
      assertThat(r.connections().get(c).at("/client/port").asInt()).isEqualTo(40000 + c); // ids by first packet
      assertThat(r.bytes(c + "-client.bin")).isEqualTo(expected(c, true));
      assertThat(r.bytes(c + "-server.bin")).isEqualTo(expected(c, false));
      assertThat(r.connections().get(c).get("close_reason").asText()).isEqualTo("fin");
    }
  }
}
