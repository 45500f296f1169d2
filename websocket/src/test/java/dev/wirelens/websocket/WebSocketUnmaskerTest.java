package dev.wirelens.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.testkit.BufferShape;
import dev.wirelens.testkit.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WebSocketUnmaskerTest {
  @Test
  void rfc6455MaskedHelloUnmasks() {
    // RFC 6455 §5.7: "A single-frame masked text message 0x81 0x85 0x37 0xfa 0x21 0x3d 0x7f 0x9f 0x4d 0x51 0x58"
    ByteBuf masked = Unpooled.wrappedBuffer(Hex.decode("7f9f4d5158"));
    ByteBuf out = Unpooled.buffer();
    WebSocketUnmasker.unmask(masked, 0x37fa213d, 0, out);
    assertThat(out.toString(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("Hello");
    assertThat(masked.readerIndex()).isZero();
    assertThat(ByteBufUtil.hexDump(masked)).isEqualTo("7f9f4d5158");
    out.release();
    masked.release();
  }

  @ParameterizedTest
  @EnumSource(BufferShape.class)
  void everyLengthAndKeyOffsetMatchesTheBytewiseDefinition(BufferShape shape) {
    Random random = new Random(42);
    byte[] data = new byte[70];
    random.nextBytes(data);
    int key = random.nextInt();
    for (int offset = 0; offset < 4; offset++) {
      for (int length = 0; length <= data.length; length++) {
        byte[] expected = new byte[length];
        for (int i = 0; i < length; i++) {
          // RFC 6455 §5.3: j = i MOD 4; transformed-octet-i = original-octet-i XOR masking-key-octet-j
          int j = (i + offset) % 4;
          expected[i] = (byte) (data[i] ^ (key >>> (24 - 8 * j)));
        }
        byte[] slice = java.util.Arrays.copyOf(data, length);
        ByteBuf src = shape.wrap(slice);
        ByteBuf heap = Unpooled.buffer(1);
        ByteBuf direct = Unpooled.directBuffer(1);
        WebSocketUnmasker.unmask(src, key, offset, heap);
        WebSocketUnmasker.unmask(src, key, offset, direct);
        assertThat(ByteBufUtil.getBytes(heap)).isEqualTo(expected);
        assertThat(ByteBufUtil.getBytes(direct)).isEqualTo(expected);
        assertThat(ByteBufUtil.getBytes(src)).isEqualTo(slice);
        src.release();
        heap.release();
        direct.release();
      }
    }
  }
}
