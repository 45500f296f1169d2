package dev.wirelens.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import dev.wirelens.ip.FragmentEvent;
import dev.wirelens.ip.IpDefragmenter;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.testkit.Corpus;
import dev.wirelens.testkit.PcapFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * TCP segments carried in IP fragments, from corpus captures (read in place), reassemble through
 * {@link TcpReassembler#defragmentWith(IpDefragmenter)} to exactly the streams of tshark's {@code follow,tcp,raw}
 * (recorded in vectors/ip/tcp-over-fragments.tsv by vectors/tcp/record.sh). Without the defragmenter these streams
 * miss the fragmented segments (see TcpAnalysisCorpusSweepTest's "IP fragments" differences).
 */
@Tag("corpus")
class TcpOverIpFragmentsCorpusTest {
  private static final String[] FILES = {
    "arkime/socks5-http-302-frag.pcap",
    "pcapplusplus/file-format-and-linktypes/frag_http_req.pcap",
  };

  @Test
  void fragmentedSegmentsReassembleToTsharksFollowedStreams() throws Exception {
    Path dir = Paths.get(TcpOverIpFragmentsCorpusTest.class.getResource("/vectors/ip/SOURCES.md").toURI())
        .getParent();
    List<String> rows = Files.readAllLines(dir.resolve("tcp-over-fragments.tsv"), StandardCharsets.UTF_8);
    assertThat(rows).hasSize(FILES.length + 1);
    for (int i = 0; i < FILES.length; i++) {
      String[] row = rows.get(i + 1).split("\t", -1);
      PcapFrames p = PcapFrames.read(Corpus.file(FILES[i]));
      StreamRecorder rec = new StreamRecorder();
      PacketDissector d = new PacketDissector();
      IpDefragmenter defrag = new IpDefragmenter();
      try (TcpReassembler r = new TcpReassembler(Limits.defaults(), rec).defragmentWith(defrag)) {
        for (int f = 0; f < p.frames.size(); f++) {
          ByteBuf buf = Unpooled.wrappedBuffer(p.frames.get(f));
          try {
            d.dissect(buf, p.linkType);
            r.onPacket(d, p.timestampsNanos.get(f));
          } finally {
            buf.release();
          }
        }
        r.close();
        assertThat(r.bufferedBytes()).isZero();
      }
      assertThat(defrag.completed()).as(FILES[i]).isPositive();
      assertThat(defrag.count(FragmentEvent.OVERLAP_CONFLICT)).isZero();
      defrag.close();
      assertThat(rec.connections).as(FILES[i]).hasSize(1);
      StreamRecorder.Conn c = rec.connections.get(0);
      boolean node0IsClient = TcpReassemblyCorpusTest.endpoint(c.connection, true).equals(row[2]);
      Direction d0 = node0IsClient ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT;
      assertThat(TcpReassemblyCorpusTest.endpoint(c.connection, !node0IsClient)).isEqualTo(row[3]);
      byte[] b0 = c.bytes(d0);
      byte[] b1 = c.bytes(d0.opposite());
      assertThat(b0.length).as(FILES[i] + " node 0").isEqualTo(Integer.parseInt(row[4]));
      assertThat(TcpReassemblyCorpusTest.sha256(b0)).as(FILES[i] + " node 0").isEqualTo(row[5]);
      assertThat(b1.length).as(FILES[i] + " node 1").isEqualTo(Integer.parseInt(row[7]));
      assertThat(TcpReassemblyCorpusTest.sha256(b1)).as(FILES[i] + " node 1").isEqualTo(row[8]);
    }
  }
}
