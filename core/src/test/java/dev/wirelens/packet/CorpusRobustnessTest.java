package dev.wirelens.packet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Layer;
import dev.wirelens.tcp.FlowKey;
import dev.wirelens.tcp.TcpOptionCursor;
import dev.wirelens.testkit.Corpus;
import dev.wirelens.testkit.PcapFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every frame of every classic pcap file in ../shared/corpus (any licence: nothing is copied) goes through the
 * dissector: no exception, every reported offset inside the frame, and every decoded view's accessors readable.
 */
@Tag("corpus")
class CorpusRobustnessTest {

  @Test
  void everyCorpusFrameDissectsWithoutExceptionAndWithOffsetsInsideTheFrame() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(Corpus.root())) {
      files = s.filter(p -> p.toString().endsWith(".pcap")).sorted().collect(Collectors.toList());
    }
    PacketDissector d = new PacketDissector();
    FlowKey key = new FlowKey();
    TcpOptionCursor options = new TcpOptionCursor();
    int frames = 0;
    int decodedTransport = 0;
    for (Path file : files) {
      PcapFrames p;
      try {
        p = PcapFrames.read(file);
      } catch (IOException | RuntimeException notClassicOrBroken) {
        continue; // the pcapng module's tests cover the container itself
      }
      for (byte[] frame : p.frames) {
        frames++;
        ByteBuf buf = Unpooled.wrappedBuffer(frame);
        Layer deepest = d.dissect(buf, p.linkType);
        String where = file.getFileName() + " frame " + frames;
        if (d.stopLayer() != Layer.NONE) {
          assertThat(d.report().offset()).as(where).isBetween(0L, (long) frame.length);
        }
        if (deepest != Layer.NONE) {
          assertThat(d.has(deepest)).as(where).isTrue();
        }
        if (d.has(Layer.TCP)) {
          decodedTransport++;
          assertThat(d.tcp().payloadOffset() + d.tcp().capturedPayloadLength()).as(where)
              .isLessThanOrEqualTo(frame.length);
          options.wrap(d.tcp());
          while (options.next()) {
            assertThat(options.valueOffset() + options.valueLength()).isLessThanOrEqualTo(frame.length);
          }
          d.tcp().payload();
        }
        if (d.has(Layer.UDP)) {
          decodedTransport++;
          assertThat(d.udp().payloadOffset() + d.udp().capturedPayloadLength()).as(where)
              .isLessThanOrEqualTo(frame.length);
        }
        if (d.has(Layer.IPV4)) {
          assertThat(d.ipv4().payloadOffset() + d.ipv4().capturedPayloadLength()).as(where)
              .isLessThanOrEqualTo(frame.length);
          d.ipv4().isHeaderChecksumValid();
        }
        d.flowKey(key);
        d.toString();
      }
    }
    assertThat(frames).isGreaterThan(1000);
    assertThat(decodedTransport).isGreaterThan(frames / 2);
  }
}
