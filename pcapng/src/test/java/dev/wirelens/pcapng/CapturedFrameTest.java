package dev.wirelens.pcapng;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Layer;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.tcp.FlowKey;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reader as a {@code CapturedFrame}: dissecting in place gives what dissecting its frame() slice gives. */
class CapturedFrameTest {
  @ParameterizedTest
  @ValueSource(strings = {"arkime-bigendian.pcap", "pcapplusplus-pcapng-example.pcapng", "zeek-pcapng-multi-interface.pcapng",
      "zeek-tls-fragmented-handshake.pcap.gz"})
  void dissectingTheReaderInPlaceEqualsDissectingItsFrame(String name) throws URISyntaxException {
    Path file = Path.of(getClass().getResource("/vectors/captures/" + name).toURI());
    PacketDissector inPlace = new PacketDissector();
    PacketDissector sliced = new PacketDissector();
    FlowKey a = new FlowKey();
    FlowKey b = new FlowKey();
    int frames = 0;
    try (CaptureReader r = CaptureReader.open(file)) {
      while (r.next() == DecodeStatus.FRAME) {
        frames++;
        Layer deepest = inPlace.dissect(r);
        assertThat(sliced.dissect(r.frame(), r.linkType())).isEqualTo(deepest);
        assertThat(inPlace.stopLayer()).isEqualTo(sliced.stopLayer());
        assertThat(inPlace.flowKey(a)).isEqualTo(sliced.flowKey(b));
        assertThat(a).isEqualTo(b);
        assertThat(r.frameBuffer().getByte(r.frameIndex())).isEqualTo(r.frame().getByte(0));
      }
    }
    assertThat(frames).isPositive();
  }
}
