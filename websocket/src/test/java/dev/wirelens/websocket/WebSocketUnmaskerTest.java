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

  /** RFC 6455 §5.3 byte by byte: octet i XOR masking-key octet (i + offset) MOD 4. */
  private static byte[] bytewise(byte[] data, int from, int length, int key, int offset) {
    byte[] expected = new byte[length];
    for (int i = 0; i < length; i++) {
      expected[i] = (byte) (data[from + i] ^ (key >>> (24 - 8 * ((i + offset) % 4))));
    }
    return expected;
  }

  @ParameterizedTest
  @EnumSource(BufferShape.class)
  void payloadsAroundTheBulkCopyThresholdMatchTheBytewiseDefinition(BufferShape shape) {
    // from 1 KiB on a heap destination gets a bulk copy and an in-place pass instead of the one-pass loop
    Random random = new Random(7);
    byte[] data = new byte[5000];
    random.nextBytes(data);
    int key = random.nextInt();
    for (int length : new int[] {1015, 1016, 1017, 1023, 1024, 1025, 1031, 1032, 1033, 4099, 5000}) {
      for (int offset = 0; offset < 4; offset++) {
        byte[] slice = java.util.Arrays.copyOf(data, length);
        ByteBuf src = shape.wrap(slice);
        ByteBuf heap = Unpooled.buffer(1).writeByte(0x55);
        ByteBuf direct = Unpooled.directBuffer(1).writeByte(0x55);
        WebSocketUnmasker.unmask(src, key, offset, heap);
        WebSocketUnmasker.unmask(src, key, offset, direct);
        byte[] expected = bytewise(data, 0, length, key, offset);
        assertThat(ByteBufUtil.getBytes(heap, 1, length)).isEqualTo(expected);
        assertThat(ByteBufUtil.getBytes(direct, 1, length)).isEqualTo(expected);
        assertThat(heap.getByte(0)).isEqualTo((byte) 0x55);
        assertThat(ByteBufUtil.getBytes(src)).isEqualTo(slice);
        src.release();
        heap.release();
        direct.release();
      }
    }
  }

  @Test
  void arraysUnmaskInPlaceAndAcrossOverlappingRangesAsIfFromACopy() {
    Random random = new Random(9);
    int key = random.nextInt();
    for (int length : new int[] {0, 7, 8, 100, 1023, 1024, 3000}) {
      for (int shift : new int[] {0, -5, 3, 8, 16}) {
        byte[] data = new byte[length + 64];
        random.nextBytes(data);
        byte[] expected = bytewise(data, 32, length, key, 0);
        WebSocketUnmasker.unmask(data, 32, data, 32 + shift, length, key);
        assertThat(java.util.Arrays.copyOfRange(data, 32 + shift, 32 + shift + length)).isEqualTo(expected);
      }
      byte[] src = new byte[length + 3];
      random.nextBytes(src);
      byte[] dst = new byte[length + 11];
      WebSocketUnmasker.unmask(src, 3, dst, 11, length, key);
      assertThat(java.util.Arrays.copyOfRange(dst, 11, 11 + length)).isEqualTo(bytewise(src, 3, length, key, 0));
    }
  }
}
