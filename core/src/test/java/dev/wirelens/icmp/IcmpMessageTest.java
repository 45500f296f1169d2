package dev.wirelens.icmp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.testkit.BufferShape;
import dev.wirelens.testkit.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** ICMP and ICMPv6 view. Field values are tshark 4.0.17's (vectors/packet/synthetic.tsv). */
class IcmpMessageTest {
  // synthetic-ethernet.pcap#4 from byte 46: icmp.type 8, icmp.code 0; tshark summary "id=0x0042, seq=7"
  static final byte[] ECHO = Hex.decode("08 00 06b6 0042 0007 000102030405060708090a0b0c0d0e0f"
      + "101112131415161718191a1b1c1d1e1f");
  // synthetic-ethernet.pcap#9 from byte 54: icmpv6.type 128, code 0; summary "id=0x0001, seq=1"
  static final byte[] ECHO6 = Hex.decode("80 00 0000 0001 0001 0001020304050607");

  @ParameterizedTest
  @EnumSource(BufferShape.class)
  void echoFieldsMatchTshark(BufferShape shape) {
    ByteBuf buf = shape.wrap(ECHO);
    int base = buf.readerIndex();
    IcmpMessage m = new IcmpMessage();
    assertThat(m.wrap(buf, base, ECHO.length)).isTrue();
    assertThat(m.isIcmpv6()).isFalse();
    assertThat(m.type()).isEqualTo(IcmpMessage.ECHO_REQUEST);
    assertThat(m.code()).isZero();
    assertThat(m.checksum()).isEqualTo(0x06b6);
    assertThat(m.isEcho()).isTrue();
    assertThat(m.identifier()).isEqualTo(0x42);
    assertThat(m.sequenceNumber()).isEqualTo(7);
    assertThat(m.restOfHeader()).isEqualTo(0x00420007L);
    assertThat(m.payloadOffset()).isEqualTo(base + 4);
    assertThat(m.payloadLength()).isEqualTo(ECHO.length - 4);
    buf.release();
    assertThat(buf.refCnt()).isZero();
  }

  @Test
  void icmpv6EchoMatchesTshark() {
    IcmpMessage m = new IcmpMessage();
    assertThat(m.wrap(Unpooled.wrappedBuffer(ECHO6), 0, ECHO6.length, true)).isTrue();
    assertThat(m.isIcmpv6()).isTrue();
    assertThat(m.type()).isEqualTo(IcmpMessage.V6_ECHO_REQUEST);
    assertThat(m.identifier()).isEqualTo(1);
    assertThat(m.sequenceNumber()).isEqualTo(1);
  }

  @Test
  void truncationSweepAndShortRestOfHeader() {
    IcmpMessage m = new IcmpMessage();
    ByteBuf buf = Unpooled.wrappedBuffer(ECHO6);
    for (int n = 0; n < 4; n++) {
      assertThat(m.wrap(buf, 0, n, true)).isFalse();
      assertThat(m.report().malformation()).isEqualTo(Malformation.TRUNCATED);
      assertThat(m.report().layer()).isEqualTo(Layer.ICMPV6);
      assertThat(m.report().requiredLength()).isEqualTo(4);
      assertThat(m.report().availableLength()).isEqualTo(n);
      assertThat(m.report().lengthSource()).isEqualTo(LengthSource.HEADER_MINIMUM);
    }
    assertThat(m.wrap(buf, 0, 2, false)).isFalse();
    assertThat(m.report().layer()).isEqualTo(Layer.ICMP);
    assertThat(m.wrap(buf, 0, 6, true)).isTrue();
    assertThat(m.restOfHeader()).isEqualTo(-1);
    assertThat(m.identifier()).isEqualTo(1);
    assertThat(m.sequenceNumber()).isEqualTo(-1);
  }

  @Test
  void nonEchoMessagesHaveNoIdentifier() {
    IcmpMessage m = new IcmpMessage();
    assertThat(m.wrap(Unpooled.wrappedBuffer(Hex.decode("0303 0000 00000000")), 0, 8)).isTrue();
    assertThat(m.type()).isEqualTo(IcmpMessage.DESTINATION_UNREACHABLE);
    assertThat(m.code()).isEqualTo(3);
    assertThat(m.isEcho()).isFalse();
    assertThat(m.identifier()).isEqualTo(-1);
  }
}
