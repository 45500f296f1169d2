package dev.wirelens.ip;

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

/** IPv4 view. Field values are tshark 4.0.17's for the same bytes (vectors/packet/synthetic.tsv). */
class Ipv4PacketTest {
  // synthetic-ethernet.pcap#4 from byte 14: ip.hdr_len 32, ip.dsfield 0x00, ip.len 72, ip.id 0x1234, df 0, mf 0,
  // frag_offset 0, ttl 64, proto 1, checksum 0x4371 (status good), 10.1.1.1 -> 10.2.2.2;
  // options: record route (07 0b 04 ...) and one EOL byte of padding
  static final byte[] WITH_OPTIONS = Hex.decode(
      "48 00 0048 1234 0000 40 01 4371 0a010101 0a020202"
          + "| 070b04000000000000000000"
          + "| 080006b600420007 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  // synthetic-ethernet.pcap#1 from byte 14: ip.len 60, id 0xbeef, df 1, ttl 64, proto 6, checksum 0x67ca
  static final byte[] SYN = Hex.decode("4500003cbeef4000400667ca0a0000010a000002"
      + "c8221f94b2d05e0000000000a002faf06c140000020405b40402080a075bcd150000000001030307");

  @ParameterizedTest
  @EnumSource(BufferShape.class)
  void fieldsMatchTshark(BufferShape shape) {
    ByteBuf buf = shape.wrap(WITH_OPTIONS);
    int base = buf.readerIndex();
    Ipv4Packet ip = new Ipv4Packet();
    assertThat(ip.wrap(buf, base, WITH_OPTIONS.length)).isTrue();
    assertThat(ip.report().isMalformed()).isFalse();
    assertThat(ip.version()).isEqualTo(4);
    assertThat(ip.ihl()).isEqualTo(8);
    assertThat(ip.headerLength()).isEqualTo(32);
    assertThat(ip.typeOfService()).isZero();
    assertThat(ip.totalLength()).isEqualTo(72);
    assertThat(ip.identification()).isEqualTo(0x1234);
    assertThat(ip.isDontFragment()).isFalse();
    assertThat(ip.isMoreFragments()).isFalse();
    assertThat(ip.fragmentOffset()).isZero();
    assertThat(ip.isFragment()).isFalse();
    assertThat(ip.timeToLive()).isEqualTo(64);
    assertThat(ip.protocol()).isEqualTo(IpProtocols.ICMP);
    assertThat(ip.headerChecksum()).isEqualTo(0x4371);
    assertThat(ip.isHeaderChecksumValid()).isTrue();
    assertThat(Ipv4Packet.formatAddress(ip.sourceAddress())).isEqualTo("10.1.1.1");
    assertThat(Ipv4Packet.formatAddress(ip.destinationAddress())).isEqualTo("10.2.2.2");
    assertThat(ip.optionsOffset()).isEqualTo(base + 20);
    assertThat(ip.optionsLength()).isEqualTo(12);
    assertThat((int) ip.options().getUnsignedByte(0)).isEqualTo(7);
    assertThat(ip.payloadOffset()).isEqualTo(base + 32);
    assertThat(ip.payloadLength()).isEqualTo(40);
    assertThat(ip.capturedPayloadLength()).isEqualTo(40);
    assertThat(ip.payload().readableBytes()).isEqualTo(40);
    assertThat(ip.isTruncated()).isFalse();
    byte[] a = new byte[4];
    ip.copyDestinationAddressTo(a, 0);
    assertThat(a).containsExactly(10, 2, 2, 2);
    buf.release();
    assertThat(buf.refCnt()).isZero();
  }

  @Test
  void flagsAndFragmentOffsetMatchTshark() {
    ByteBuf buf = Unpooled.wrappedBuffer(SYN);
    Ipv4Packet ip = new Ipv4Packet();
    assertThat(ip.wrap(buf, 0, SYN.length)).isTrue();
    assertThat(ip.identification()).isEqualTo(0xbeef);
    assertThat(ip.isDontFragment()).isTrue();
    assertThat(ip.flags()).isEqualTo(2);
    assertThat(ip.isReservedFlag()).isFalse();
    assertThat(ip.headerChecksum()).isEqualTo(0x67ca);
    assertThat(ip.isHeaderChecksumValid()).isTrue();
    // synthetic-ethernet.pcap#8: ip.frag_offset 185 (tshark 4.0 prints the 8-byte units), summary "off=1480"
    ByteBuf frag = Unpooled.wrappedBuffer(Hex.decode("4500003c004d00b9400665b00a0000030a000004") , new byte[40]);
    assertThat(ip.wrap(frag, 0, 60)).isTrue();
    assertThat(ip.fragmentOffset()).isEqualTo(185);
    assertThat(ip.fragmentOffsetBytes()).isEqualTo(1480);
    assertThat(ip.isFragment()).isTrue();
    assertThat(ip.isHeaderChecksumValid()).isTrue();
  }

  @Test
  void aFlippedHeaderBitFailsTheChecksum() {
    byte[] b = SYN.clone();
    b[8] = 63; // TTL 64 -> 63 without fixing the checksum
    Ipv4Packet ip = new Ipv4Packet();
    assertThat(ip.wrap(Unpooled.wrappedBuffer(b), 0, b.length)).isTrue();
    assertThat(ip.isHeaderChecksumValid()).isFalse();
  }

  @Test
  void truncationSweepReportsExactLengths() {
    Ipv4Packet ip = new Ipv4Packet();
    for (int n = 0; n < WITH_OPTIONS.length; n++) {
      ByteBuf buf = BufferShape.NONZERO_READER_INDEX.wrap(Arrays.copyOf(WITH_OPTIONS, n));
      int base = buf.readerIndex();
      boolean ok = ip.wrap(buf, base, n);
      if (n < 32) {
        assertThat(ok).as("prefix %d", n).isFalse();
        assertThat(ip.report().malformation()).isEqualTo(Malformation.TRUNCATED);
        assertThat(ip.report().layer()).isEqualTo(Layer.IPV4);
        assertThat(ip.report().offset()).isEqualTo(base);
        assertThat(ip.report().requiredLength()).isEqualTo(n < 20 ? 20 : 32);
        assertThat(ip.report().availableLength()).isEqualTo(n);
        assertThat(ip.report().lengthSource())
            .isEqualTo(n < 20 ? LengthSource.HEADER_MINIMUM : LengthSource.HEADER_LENGTH_FIELD);
      } else {
        // cut by the snaplen after the header: valid header, truncated payload
        assertThat(ok).as("prefix %d", n).isTrue();
        assertThat(ip.isTruncated()).isTrue();
        assertThat(ip.totalLength()).isEqualTo(72);
        assertThat(ip.payloadLength()).isEqualTo(40);
        assertThat(ip.capturedPayloadLength()).isEqualTo(n - 32);
        assertThat(ip.payload().readableBytes()).isEqualTo(n - 32);
      }
      buf.release();
    }
  }

  @Test
  void bytesBeyondTotalLengthArePaddingAndExcluded() {
    byte[] padded = Arrays.copyOf(WITH_OPTIONS, WITH_OPTIONS.length + 6);
    Ipv4Packet ip = new Ipv4Packet();
    assertThat(ip.wrap(Unpooled.wrappedBuffer(padded), 0, padded.length)).isTrue();
    assertThat(ip.capturedLength()).isEqualTo(72);
    assertThat(ip.capturedPayloadLength()).isEqualTo(40);
    assertThat(ip.isTruncated()).isFalse();
  }

  @Test
  void versionOtherThanFourIsBadVersion() {
    byte[] b = SYN.clone();
    b[0] = 0x65;
    Ipv4Packet ip = new Ipv4Packet();
    ByteBuf buf = BufferShape.NONZERO_READER_INDEX.wrap(b);
    assertThat(ip.wrap(buf, buf.readerIndex(), b.length)).isFalse();
    assertThat(ip.report().malformation()).isEqualTo(Malformation.BAD_VERSION);
    assertThat(ip.report().layer()).isEqualTo(Layer.IPV4);
    assertThat(ip.report().offset()).isEqualTo(buf.readerIndex());
    buf.release();
  }

  @Test
  void ihlBelowFiveIsMalformed() {
    byte[] b = SYN.clone();
    b[0] = 0x44;
    Ipv4Packet ip = new Ipv4Packet();
    assertThat(ip.wrap(Unpooled.wrappedBuffer(b), 0, b.length)).isFalse();
    assertThat(ip.report().malformation()).isEqualTo(Malformation.BAD_LENGTH_FIELD);
    assertThat(ip.report().offset()).isZero();
  }

  @Test
  void totalLengthBelowHeaderLengthIsMalformed() {
    byte[] b = SYN.clone();
    b[2] = 0;
    b[3] = 19;
    Ipv4Packet ip = new Ipv4Packet();
    assertThat(ip.wrap(Unpooled.wrappedBuffer(b), 0, b.length)).isFalse();
    assertThat(ip.report().malformation()).isEqualTo(Malformation.BAD_LENGTH_FIELD);
    assertThat(ip.report().layer()).isEqualTo(Layer.IPV4);
    assertThat(ip.report().offset()).isEqualTo(2);
  }

  @Test
  void totalLengthZeroIsTakenAsOffloadLikeWireshark() {
    // tcpdump tests/ipv4_tcp_http_xml_tso.pcap: ip.len 0 on the wire, tshark reports ip.len 2016 (captured bytes)
    byte[] b = SYN.clone();
    b[2] = 0;
    b[3] = 0;
    Ipv4Packet ip = new Ipv4Packet();
    assertThat(ip.wrap(Unpooled.wrappedBuffer(b), 0, b.length)).isTrue();
    assertThat(ip.isTotalLengthZero()).isTrue();
    assertThat(ip.totalLengthField()).isZero();
    assertThat(ip.totalLength()).isEqualTo(b.length);
    assertThat(ip.isTruncated()).isFalse();
  }

  @Test
  void reservedFlagIsReportedNotRejected() {
    byte[] b = SYN.clone();
    b[6] |= (byte) 0x80;
    Ipv4Packet ip = new Ipv4Packet();
    assertThat(ip.wrap(Unpooled.wrappedBuffer(b), 0, b.length)).isTrue();
    assertThat(ip.isReservedFlag()).isTrue();
  }

  @Test
  void addressesFormatInDottedDecimal() {
    assertThat(Ipv4Packet.formatAddress(0)).isEqualTo("0.0.0.0");
    assertThat(Ipv4Packet.formatAddress(0xffffffff)).isEqualTo("255.255.255.255");
    assertThat(Ipv4Packet.formatAddress(0xc0a80101)).isEqualTo("192.168.1.1");
  }

  @Test
  void protocolNamesPassUnknownNumbersThrough() {
    assertThat(IpProtocols.nameOf(6)).isEqualTo("TCP");
    assertThat(IpProtocols.nameOf(58)).isEqualTo("ICMPV6");
    assertThat(IpProtocols.nameOf(200)).isEqualTo("IP_PROTO_200");
    assertThat(IpProtocols.isIpv6ExtensionHeader(IpProtocols.ESP)).isFalse();
    assertThat(IpProtocols.isIpv6ExtensionHeader(IpProtocols.AH)).isTrue();
  }
}
