package dev.wirelens.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Build frames (Frames, by RFC 6455 §5.2), read them back in random pieces: the same fields and payloads. */
class WebSocketFrameReaderProperties {
  record Spec(boolean fin, int rsv, int opcode, Integer key, byte[] payload) {
    byte[] bytes() {
      return Frames.frame(fin, rsv, opcode, key, payload);
    }

    String describe() {
      return fin + " " + rsv + " " + opcode + " " + (key != null) + " " + (key == null ? 0 : key) + " "
          + payload.length + " " + ByteBufUtil.hexDump(payload);
    }
  }

  @Provide
  Arbitrary<List<Spec>> frames() {
    Arbitrary<byte[]> payload = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.bytes().array(byte[].class).ofMaxSize(130)),
        net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(65_000).ofMaxSize(70_000)));
    return Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, 7),
        Arbitraries.integers().between(0, 15), Arbitraries.integers().injectNull(0.5), payload).as(Spec::new).list().ofMinSize(1).ofMaxSize(6);
  }

  @Property(tries = 30)
  void piecesOfAnySizeGiveTheBuiltFrames(@ForAll("frames") List<Spec> specs,
      @ForAll @IntRange(min = 1, max = 70_000) int pieceSize) {
    List<byte[]> all = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (Spec s : specs) {
      all.add(s.bytes());
      expected.add(s.describe());
    }
    byte[] stream = Frames.concat(all.toArray(new byte[0][]));
    WebSocketFrameReader r = new WebSocketFrameReader(Limits.defaults());
    List<String> actual = new ArrayList<>();
    ByteBuf payload = Unpooled.buffer();
    try {
      for (int off = 0; off < stream.length; off += pieceSize) {
        r.feed(Unpooled.wrappedBuffer(stream, off, Math.min(pieceSize, stream.length - off)));
        while (r.next() == DecodeStatus.FRAME) {
          WebSocketFrame f = r.frame();
          f.unmaskTo(payload);
          if (f.isLastPart()) {
            actual.add(f.isFin() + " " + f.rsv() + " " + f.opcode() + " " + f.isMasked() + " " + f.maskingKey() + " "
                + f.payloadLength() + " " + ByteBufUtil.hexDump(payload));
            payload.clear();
          }
        }
      }
      r.endOfInput();
      assertThat(r.next()).isEqualTo(DecodeStatus.END);
    } finally {
      payload.release();
      r.close();
    }
    assertThat(actual).isEqualTo(expected);
  }
}
