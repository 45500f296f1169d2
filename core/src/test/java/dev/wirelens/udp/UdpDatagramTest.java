package dev.wirelens.udp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.testkit.BufferShape;
import dev.wirelens.testkit.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** UDP view. Field values are tshark 4.0.17's (vectors/packet/synthetic.tsv). */
class UdpDatagramTest {
  // synthetic-ethernet.pcap#2 from byte 38: udp.srcport 5353, dstport 53, length 28, checksum status good
  static final byte[] DNS = Hex.decode("14e9 0035 001c 0cd8 | 000102030405060708090a0b0c0d0e0f10111213");

  @ParameterizedTest
  @EnumSource(BufferShape.class)
  void fieldsMatchTshark(BufferShape shape) {
    ByteBuf buf = shape.wrap(DNS);
    int base = buf.readerIndex();
    UdpDatagram udp = new UdpDatagram();
    assertThat(udp.wrap(buf, base, DNS.length)).isTrue();
    assertThat(udp.sourcePort()).isEqualTo(5353);
    assertThat(udp.destinationPort()).isEqualTo(53);
    assertThat(udp.length()).isEqualTo(28);
    assertThat(udp.checksum()).isEqualTo(0x0cd8);
    assertThat(udp.payloadOffset()).isEqualTo(base + 8);
    assertThat(udp.payloadLength()).isEqualTo(20);
    assertThat(udp.capturedPayloadLength()).isEqualTo(20);
    assertThat(udp.payload().getUnsignedByte(19)).isEqualTo((short) 0x13);
    assertThat(udp.isTruncated()).isFalse();
    buf.release();
    assertThat(buf.refCnt()).isZero();
  }

  @Test
  void truncationSweep() {
    UdpDatagram udp = new UdpDatagram();
    for (int n = 0; n < DNS.length; n++) {
      ByteBuf buf = BufferShape.NONZERO_READER_INDEX.wrap(Arrays.copyOf(DNS, n));
      int base = buf.readerIndex();
      // the IP header announced all 28 bytes; n were captured
      boolean ok = udp.wrap(buf, base, n, DNS.length);
      if (n < 8) {
        assertThat(ok).isFalse();
        assertThat(udp.report().malformation()).isEqualTo(Malformation.TRUNCATED);
        assertThat(udp.report().layer()).isEqualTo(Layer.UDP);
        assertThat(udp.report().offset()).isEqualTo(base);
        assertThat(udp.report().requiredLength()).isEqualTo(8);
        assertThat(udp.report().availableLength()).isEqualTo(n);
        assertThat(udp.report().lengthSource()).isEqualTo(LengthSource.AVAILABLE_BYTES);
      } else {
        assertThat(ok).isTrue();
        assertThat(udp.isTruncated()).isTrue();
        assertThat(udp.payloadLength()).isEqualTo(20);
        assertThat(udp.capturedPayloadLength()).isEqualTo(n - 8);
      }
      buf.release();
    }
    assertThat(udp.wrap(Unpooled.wrappedBuffer(DNS), 0, 5)).isFalse();
    assertThat(udp.report().lengthSource()).isEqualTo(LengthSource.HEADER_MINIMUM);
  }

  @Test
  void lengthBelowEightIsMalformed() {
    byte[] b = DNS.clone();
    b[5] = 7;
    b[4] = 0;
    UdpDatagram udp = new UdpDatagram();
    assertThat(udp.wrap(Unpooled.wrappedBuffer(b), 0, b.length)).isFalse();
    assertThat(udp.report().malformation()).isEqualTo(Malformation.BAD_LENGTH_FIELD);
    assertThat(udp.report().offset()).isEqualTo(4);
  }

  @Test
  void lengthBeyondTheIpPayloadIsMalformed() {
    // RFC 768 length 28 inside an IP payload of 20 bytes: Wireshark's "Bad length value"
    UdpDatagram udp = new UdpDatagram();
    assertThat(udp.wrap(Unpooled.wrappedBuffer(DNS), 0, 20, 20)).isFalse();
    assertThat(udp.report().malformation()).isEqualTo(Malformation.BAD_LENGTH_FIELD);
    assertThat(udp.report().layer()).isEqualTo(Layer.UDP);
    assertThat(udp.report().offset()).isEqualTo(4);
  }

  @Test
  void bytesAfterTheUdpLengthAreExcluded() {
    byte[] b = Arrays.copyOf(DNS, DNS.length + 4);
    UdpDatagram udp = new UdpDatagram();
    assertThat(udp.wrap(Unpooled.wrappedBuffer(b), 0, b.length)).isTrue();
    assertThat(udp.capturedPayloadLength()).isEqualTo(20);
    assertThat(udp.payload().readableBytes()).isEqualTo(20);
  }

  @Test
  void lengthZeroInsideAJumbogramTakesTheIpLength() {
    // RFC 2675 §4: UDP length 0 when the datagram exceeds 65,535 bytes; the IPv6 jumbo payload length is used
    byte[] b = DNS.clone();
    b[4] = 0;
    b[5] = 0;
    UdpDatagram udp = new UdpDatagram();
    assertThat(udp.wrap(Unpooled.wrappedBuffer(b), 0, b.length, 70_000)).isTrue();
    assertThat(udp.length()).isZero();
    assertThat(udp.payloadLength()).isEqualTo(70_000 - 8);
    assertThat(udp.capturedPayloadLength()).isEqualTo(20);
    assertThat(udp.isTruncated()).isTrue();
    assertThat(udp.wrap(Unpooled.wrappedBuffer(b), 0, b.length, b.length)).isFalse();
    assertThat(udp.report().malformation()).isEqualTo(Malformation.BAD_LENGTH_FIELD);
  }
}
