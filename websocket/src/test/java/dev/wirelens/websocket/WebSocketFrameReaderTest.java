package dev.wirelens.websocket;

import static dev.wirelens.websocket.Frames.KEY;
import static dev.wirelens.websocket.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import dev.wirelens.testkit.BufferShape;
import dev.wirelens.testkit.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WebSocketFrameReaderTest {
  /** RFC 6455 §5.7, the examples, concatenated: unmasked Hello, masked Hello, fragmented Hel+lo, ping, masked pong. */
  static final String RFC_5_7 = "810548656c6c6f" + "818537fa213d7f9f4d5158" + "010348656c" + "80026c6f"
      + "890548656c6c6f" + "8a8537fa213d7f9f4d5158";

  /** One line per frame: index, offset, fin, rsv, opcode, mask, key, length, unmasked payload hex. */
  static List<String> read(WebSocketFrameReader r, List<ByteBuf> pieces) {
    List<String> out = new ArrayList<>();
    ByteBuf payload = Unpooled.buffer();
    try {
      for (ByteBuf piece : pieces) {
        r.feed(piece);
        DecodeStatus s;
        while ((s = r.next()) == DecodeStatus.FRAME) {
          WebSocketFrame f = r.frame();
          assertThat(f.payloadPartOffset()).isEqualTo(payload.readableBytes());
          f.unmaskTo(payload);
          if (f.isLastPart()) {
            out.add(f.frameIndex() + " @" + f.frameOffset() + " fin=" + f.isFin() + " rsv=" + f.rsv() + " op="
                + f.opcode() + " mask=" + f.isMasked() + " key=" + Integer.toHexString(f.maskingKey()) + " len="
                + f.payloadLength() + " " + ByteBufUtil.hexDump(payload));
            payload.clear();
          }
        }
        assertThat(s).isEqualTo(DecodeStatus.NEED_MORE);
      }
      r.endOfInput();
      assertThat(r.next()).isEqualTo(DecodeStatus.END);
    } finally {
      payload.release();
      r.close();
    }
    return out;
  }

  static List<ByteBuf> whole(byte[] bytes) {
    return List.of(Unpooled.wrappedBuffer(bytes));
  }

  @Test
  void rfc6455Section57ExamplesAreReadWithTheirFields() {
    List<String> frames = read(new WebSocketFrameReader(Limits.defaults()), whole(Hex.decode(RFC_5_7)));
    assertThat(frames).containsExactly(
        "0 @0 fin=true rsv=0 op=1 mask=false key=0 len=5 48656c6c6f",
        "1 @7 fin=true rsv=0 op=1 mask=true key=37fa213d len=5 48656c6c6f",
        "2 @18 fin=false rsv=0 op=1 mask=false key=0 len=3 48656c",
        "3 @23 fin=true rsv=0 op=0 mask=false key=0 len=2 6c6f",
        "4 @27 fin=true rsv=0 op=9 mask=false key=0 len=5 48656c6c6f",
        "5 @34 fin=true rsv=0 op=10 mask=true key=37fa213d len=5 48656c6c6f");
  }

  @Test
  void sixteenAndSixtyFourBitLengthsAreRead() {
    // RFC 6455 §5.7: "256 bytes binary message in a single unmasked frame 0x82 0x7E 0x0100 [256 bytes of binary data]"
    // and "64KiB binary message in a single unmasked frame 0x82 0x7F 0x0000000000010000 [65536 bytes of binary data]"
    byte[] bytes = Frames.concat(Hex.decode("827e0100"), new byte[256], Hex.decode("827f0000000000010000"),
        new byte[65536]);
    List<String> frames = read(new WebSocketFrameReader(Limits.defaults()), whole(bytes));
    assertThat(frames).hasSize(2);
    assertThat(frames.get(0)).startsWith("0 @0 fin=true rsv=0 op=2 mask=false key=0 len=256 ");
    assertThat(frames.get(1)).startsWith("1 @260 fin=true rsv=0 op=2 mask=false key=0 len=65536 ");
  }

  @Test
  void splitsAtEveryIndexGiveTheSameFrames() {
    byte[] bytes = Frames.concat(Hex.decode(RFC_5_7), frame(true, 0, 2, KEY, new byte[300]),
        frame(false, 5, 0xB, null, new byte[0]));
    List<String> expected = read(new WebSocketFrameReader(Limits.defaults()), whole(bytes));
    assertThat(expected).hasSize(8);
    for (int split = 0; split <= bytes.length; split++) {
      List<ByteBuf> pieces = List.of(Unpooled.wrappedBuffer(bytes, 0, split),
          Unpooled.wrappedBuffer(bytes, split, bytes.length - split));
      assertThat(read(new WebSocketFrameReader(Limits.defaults()), pieces)).as("split %d", split)
          .isEqualTo(expected);
    }
    List<ByteBuf> oneByte = new ArrayList<>();
    for (byte b : bytes) {
      oneByte.add(Unpooled.buffer(1).writeByte(b));
    }
    assertThat(read(new WebSocketFrameReader(Limits.defaults()), oneByte)).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(BufferShape.class)
  void everyBufferShapeGivesTheSameFrames(BufferShape shape) {
    byte[] bytes = Hex.decode(RFC_5_7);
    List<String> expected = read(new WebSocketFrameReader(Limits.defaults()), whole(bytes));
    assertThat(read(new WebSocketFrameReader(Limits.defaults()), List.of(shape.wrap(bytes)))).isEqualTo(expected);
  }

  @Test
  void everyPrefixNeedsMoreAndEndingThereIsTruncated() {
    byte[] bytes = frame(true, 0, 1, KEY, "Hello".getBytes(StandardCharsets.US_ASCII));
    for (int n = 1; n < bytes.length; n++) {
      WebSocketFrameReader r = new WebSocketFrameReader(Limits.defaults());
      r.feed(Unpooled.wrappedBuffer(bytes, 0, n));
      assertThat(r.next()).as("prefix %d", n).isEqualTo(DecodeStatus.NEED_MORE);
      r.endOfInput();
      assertThat(r.next()).isEqualTo(DecodeStatus.MALFORMED);
      assertThat(r.report().malformation()).isEqualTo(Malformation.TRUNCATED);
      assertThat(r.report().layer()).isEqualTo(Layer.WEBSOCKET);
      assertThat(r.report().offset()).isZero();
      assertThat(r.report().availableLength()).isEqualTo(n);
      assertThat(r.report().requiredLength()).isEqualTo(n < 2 ? 2 : n < 6 ? 6 : 11);
      assertThat(r.report().lengthSource()).isEqualTo(n < 2 ? LengthSource.HEADER_MINIMUM
          : n < 6 ? LengthSource.HEADER_LENGTH_FIELD : LengthSource.WEBSOCKET_PAYLOAD_LENGTH);
      r.close();
    }
  }

  @Test
  void sixtyFourBitLengthWithTheMostSignificantBitSetIsMalformed() {
    // RFC 6455 §5.2: "the most significant bit MUST be 0"
    WebSocketFrameReader r = new WebSocketFrameReader(Limits.defaults());
    r.feed(Unpooled.wrappedBuffer(Hex.decode("8100" + "827f8000000000000001")));
    assertThat(r.next()).isEqualTo(DecodeStatus.FRAME);
    assertThat(r.next()).isEqualTo(DecodeStatus.MALFORMED);
    assertThat(r.report().malformation()).isEqualTo(Malformation.BAD_LENGTH_FIELD);
    assertThat(r.report().offset()).isEqualTo(4);
    assertThat(r.next()).isEqualTo(DecodeStatus.MALFORMED);
    r.close();
  }

  @Test
  void frameLongerThanTheLimitIsMalformedWithoutBufferingIt() {
    WebSocketFrameReader r = new WebSocketFrameReader(Limits.builder().maxWebSocketFrameLength(1000).build());
    r.feed(Unpooled.wrappedBuffer(Hex.decode("827e03e9")));
    assertThat(r.next()).isEqualTo(DecodeStatus.MALFORMED);
    assertThat(r.report().malformation()).isEqualTo(Malformation.LIMIT_EXCEEDED);
    assertThat(r.report().offset()).isZero();
    r.close();
  }

  @Test
  void nonMinimalLengthsAreDeliveredAndFlagged() {
    byte[] bytes = Frames.concat(frame(true, 0, 2, null, new byte[5], 2), frame(true, 0, 2, null, new byte[200], 8),
        frame(true, 0, 2, null, new byte[126], 2));
    WebSocketFrameReader r = new WebSocketFrameReader(Limits.defaults());
    r.feed(Unpooled.wrappedBuffer(bytes));
    boolean[] flags = new boolean[3];
    for (int i = 0; i < 3; i++) {
      assertThat(r.next()).isEqualTo(DecodeStatus.FRAME);
      flags[i] = r.frame().isNonMinimalLength();
    }
    assertThat(flags).containsExactly(true, true, false);
    r.close();
  }

  @Test
  void largeFramesAreDeliveredInPartsAsTheBytesArrive() {
    byte[] payload = new byte[200_000];
    new Random(7).nextBytes(payload);
    byte[] bytes = frame(true, 0, 2, KEY, payload);
    WebSocketFrameReader r = new WebSocketFrameReader(Limits.defaults());
    ByteBuf plain = Unpooled.buffer();
    int parts = 0;
    for (int off = 0; off < bytes.length; off += 1460) {
      r.feed(Unpooled.wrappedBuffer(bytes, off, Math.min(1460, bytes.length - off)));
      while (r.next() == DecodeStatus.FRAME) {
        assertThat(r.frame().payload().readableBytes()).isLessThanOrEqualTo(WebSocketFrameReader.MAX_PART_LENGTH);
        assertThat(r.bufferedBytes()).isLessThanOrEqualTo(1460);
        r.frame().unmaskTo(plain);
        parts++;
      }
    }
    assertThat(parts).isGreaterThan(100);
    assertThat(ByteBufUtil.getBytes(plain)).isEqualTo(payload);
    plain.release();
    r.close();
  }

  @Test
  void aFrameUsedAfterTheNextCallIsCaughtWithAssertions() {
    WebSocketFrameReader r = new WebSocketFrameReader(Limits.defaults());
    r.feed(Unpooled.wrappedBuffer(Hex.decode("810548656c6c6f")));
    assertThat(r.next()).isEqualTo(DecodeStatus.FRAME);
    WebSocketFrame f = r.frame();
    assertThat(f.payload().readableBytes()).isEqualTo(5);
    assertThat(r.next()).isEqualTo(DecodeStatus.NEED_MORE);
    org.assertj.core.api.Assertions.assertThatThrownBy(f::payload).isInstanceOf(AssertionError.class);
    r.close();
  }

  @Test
  void aCompositeFedByTheCallerIsNeverAppendedTo() {
    ByteBuf callers = BufferShape.COMPOSITE_ONE_BYTE.wrap(Hex.decode("8105486565"));
    WebSocketFrameReader r = new WebSocketFrameReader(Limits.defaults());
    r.feed(callers.retain());
    assertThat(r.next()).isEqualTo(DecodeStatus.NEED_MORE);
    r.feed(Unpooled.wrappedBuffer(Hex.decode("6c6f")));
    assertThat(r.next()).isEqualTo(DecodeStatus.FRAME);
    assertThat(r.frame().payloadLength()).isEqualTo(5);
    assertThat(callers.readableBytes()).isEqualTo(5);
    assertThat(ByteBufUtil.hexDump(callers)).isEqualTo("8105486565");
    r.close();
    callers.release();
    assertThat(callers.refCnt()).isZero();
  }

  @Test
  void feedingAfterCloseReleasesTheBuffer() {
    WebSocketFrameReader r = new WebSocketFrameReader(Limits.defaults());
    r.close();
    ByteBuf b = Unpooled.wrappedBuffer(new byte[] {1, 2});
    r.feed(b);
    assertThat(b.refCnt()).isZero();
    assertThat(r.next()).isEqualTo(DecodeStatus.END);
  }
}
