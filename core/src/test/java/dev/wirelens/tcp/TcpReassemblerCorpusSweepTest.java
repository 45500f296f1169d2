package dev.wirelens.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.testkit.Corpus;
import dev.wirelens.testkit.PcapFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every classic pcap file of the shared corpus (any licence, read in place) through the dissector and the
 * reassembler, with small limits so that they are hit: no exception, every listener grammar kept, nothing buffered
 * at the end, no leak.
 */
@Tag("corpus")
class TcpReassemblerCorpusSweepTest {
  @Test
  void everyCorpusCaptureReassemblesWithoutExceptionOrLeak() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> all = Files.walk(Corpus.root())) {
      all.filter(p -> p.toString().endsWith(".pcap")).sorted().forEach(files::add);
    }
    Limits small = Limits.builder().maxBufferedBytesPerFlow(8 << 10).maxBufferedBytesTotal(64 << 10)
        .maxFlows(64).build();
    int read = 0;
    for (Path file : files) {
      PcapFrames frames;
      try {
        frames = PcapFrames.read(file);
      } catch (IOException | RuntimeException notClassicPcap) {
        continue; // the test kit's minimal reader refuses it (pcapng in disguise, cut or malformed files)
      }
      read++;
      for (Limits limits : new Limits[] {Limits.defaults(), small}) {
        StreamRecorder rec = new StreamRecorder();
        PacketDissector d = new PacketDissector();
        TcpReassembler r = new TcpReassembler(limits, rec).compareRetransmissions(limits == small ? 16 : 0);
        long time = 0;
        for (byte[] f : frames.frames) {
          ByteBuf buf = Unpooled.wrappedBuffer(f);
          try {
            d.dissect(buf, frames.linkType == 12 ? 101 : frames.linkType);
            r.onPacket(d, time += 1_000_000L);
          } finally {
            buf.release();
          }
        }
        r.close();
        assertThat(r.bufferedBytes()).as(file.toString()).isZero();
        for (StreamRecorder.Conn c : rec.connections) {
          assertThat(c.closed).as(file + " " + c.connection).isNotNull();
          assertThat(c.fins).as(file + " " + c.connection).isLessThanOrEqualTo(2);
        }
      }
    }
    assertThat(read).isGreaterThan(300);
  }
}
