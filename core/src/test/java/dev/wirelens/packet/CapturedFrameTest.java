package dev.wirelens.packet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Layer;
import dev.wirelens.link.LinkTypes;
import dev.wirelens.testkit.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class CapturedFrameTest {
  // Ethernet II + IPv4 (IHL 5, total length 40, TCP) + TCP (data offset 5, SYN), 10.0.0.1:51234 -> 10.0.0.2:8084.
  private static final byte[] FRAME = Hex.decode(
      "020000000002 020000000001 0800"
          + "4500 0028 0001 4000 4006 0000 0a000001 0a000002"
          + "c822 1f94 00000001 00000000 5002 ffff 0000 0000");

  @Test
  void aFrameInPlaceDissectsLikeItsSlice() {
    ByteBuf buf = Unpooled.buffer().writeZero(13).writeBytes(FRAME).writeZero(5);
    try {
      CapturedFrame inPlace = new CapturedFrame() {
        @Override public ByteBuf frameBuffer() { return buf; }
        @Override public int frameIndex() { return 13; }
        @Override public int capturedLength() { return FRAME.length; }
        @Override public int linkType() { return LinkTypes.ETHERNET; }
      };
      PacketDissector d = new PacketDissector();
      assertThat(d.dissect(inPlace)).isEqualTo(Layer.TCP);
      assertThat(d.tcp().sourcePort()).isEqualTo(51234);
      assertThat(d.tcp().destinationPort()).isEqualTo(8084);
      assertThat(d.tcp().isSyn()).isTrue();
      assertThat(d.ipv4().totalLength()).isEqualTo(40);
      assertThat(buf.readerIndex()).isZero();
    } finally {
      buf.release();
    }
  }
}
