package dev.wirelens.pcapng;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Property: corrupting bytes of valid captures (both formats, both byte orders, all block types) never makes the
 * readers, views or cursors throw; they end with END or MALFORMED, every frame lies inside the input, and nothing
 * leaks.
 */
class MutationPropertyTest {
  static final List<Path> SEEDS = List.of(
      Paths.get("src/test/resources/vectors/pcapng/output_le/difficult/test202.pcapng"),
      Paths.get("src/test/resources/vectors/pcapng/output_be/advanced/test102.pcapng"),
      Paths.get("src/test/resources/vectors/pcapng/output_le/advanced/test100.pcapng"),
      Paths.get("src/test/resources/vectors/written/written-be.pcapng"),
      Paths.get("src/test/resources/vectors/captures/arkime-bigendian.pcap"));

  static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Provide
  Arbitrary<Tuple.Tuple3<Integer, List<Integer>, List<Byte>>> mutations() {
    return Arbitraries.integers().between(0, SEEDS.size() - 1).flatMap(seed -> {
      int n = read(SEEDS.get(seed)).length;
      Arbitrary<List<Integer>> positions = Arbitraries.integers().between(0, n - 1).list().ofMinSize(1).ofMaxSize(6);
      Arbitrary<List<Byte>> values = Arbitraries.of((byte) 0, (byte) 0xff, (byte) 0x7f, (byte) 0x80, (byte) 1,
          (byte) 4, (byte) 0x0a, (byte) 0x0d).list().ofSize(6);
      return positions.flatMap(p -> values.map(v -> Tuple.of(seed, p, v)));
    });
  }

  @Property(tries = 400)
  void corruptedCapturesEndCleanly(@ForAll("mutations") Tuple.Tuple3<Integer, List<Integer>, List<Byte>> m,
      @ForAll boolean cut) {
    byte[] bytes = read(SEEDS.get(m.get1())).clone();
    for (int i = 0; i < m.get2().size(); i++) {
      bytes[m.get2().get(i)] = m.get3().get(i);
    }
    int length = cut ? m.get2().get(0) : bytes.length;
    ByteBuf data = Unpooled.wrappedBuffer(bytes, 0, length);
    try (CaptureReader r = CaptureReader.of(data, Limits.defaults())) {
      DecodeStatus s;
      while ((s = r.next()) == DecodeStatus.FRAME) {
        assertThat(r.frameOffset()).isBetween(0L, (long) length);
        assertThat(r.frameOffset() + r.capturedLength()).isLessThanOrEqualTo(length);
        r.frame();
      }
      assertThat(s).isIn(DecodeStatus.END, DecodeStatus.MALFORMED);
    }
    if (length > 0) { // an empty wrap is Unpooled.EMPTY_BUFFER, which is never released
      assertThat(data.refCnt()).isZero();
    }
    try (PcapngReader r = new PcapngReader()) {
      r.feed(Unpooled.wrappedBuffer(bytes, 0, length));
      r.endOfInput();
      while (r.next() == DecodeStatus.BLOCK) {
        PcapngOptionCursor o = PcapngConformanceTest.options(r);
        while (o != null && o.next()) {
          o.valueAsString();
          o.valueI64();
          o.valueTimestamp();
          o.valueU32();
        }
        if (r.blockType() == PcapngBlockTypes.NAME_RESOLUTION) {
          NameResolutionRecordCursor c = r.nameResolution().records();
          while (c.next()) {
            c.namesAsStrings();
            c.copyAddressTo(new byte[16], 0);
          }
        } else if (r.blockType() == PcapngBlockTypes.CUSTOM_COPYABLE
            || r.blockType() == PcapngBlockTypes.CUSTOM_DO_NOT_COPY) {
          r.custom().customData();
        } else if (r.blockType() == PcapngBlockTypes.DECRYPTION_SECRETS) {
          r.decryptionSecrets().copySecretsData();
        } else if (r.blockType() == PcapngBlockTypes.SIMPLE_PACKET) {
          r.simplePacket().packetData(r.interfaces().get(0).snapLength());
        }
        r.block();
      }
    }
  }
}
