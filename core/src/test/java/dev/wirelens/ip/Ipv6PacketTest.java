package dev.wirelens.ip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import dev.wirelens.testkit.BufferShape;
import dev.wirelens.testkit.Hex;
import dev.wirelens.testkit.PacketBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** IPv6 view and extension cursor. Field values are tshark 4.0.17's (vectors/packet/synthetic.tsv). */
class Ipv6PacketTest {
  // synthetic-ethernet.pcap#5 from byte 14: ipv6.plen 60, nxt 0 (hop-by-hop), hlim 64, fe80::1 -> ff02::1:2;
  // hop-by-hop (nxt 60, len 0: 8 bytes, PadN), destination options (nxt 43, len 0, PadN),
  // routing (nxt 17, len 2: 24 bytes, type 0, segments left 0), UDP 546 -> 547 length 20
  static final byte[] EXT_CHAIN = Hex.decode(
      "6000 0000 003c 00 40 fe800000000000000000000000000001 ff020000000000000000000000010002"
          + "| 3c00 0104 00000000"
          + "| 2b00 0104 00000000"
          + "| 1102 0000 00000000 0000000000000000 0000000000000000"
          + "| 0222 0223 0014 dfd5 000102030405060708090a0b");
  // synthetic-ethernet.pcap#6 from byte 14: fragment header offset 0, more 1, ident 0x0000cafe; UDP inside
  static final byte[] FIRST_FRAGMENT = Hex.decode(
      "6000000000502c40 20010db800000000000000000000000a 20010db800000000000000000000000b"
          + "| 11 00 0001 0000cafe | 0fa00fa10048a092" + "00".repeat(64));
  // synthetic-ethernet.pcap#13 from byte 14: ipv6.plen 47, nxt 51; AH payload len 4 -> (4 + 2) * 4 = 24 bytes,
  // then TCP 179 -> 40000 (tcp.hdr_len 20, tcp.len 3)
  static final byte[] AH = Hex.decode("60000000002f334020010db800000000000000000000000120010db8000000000000000000000002"
      + "| 06 04 0000 00001000 00000001 0102030405060708090a0b0c | 00b39c4000000005000000065010ffffb55d0000000102");

  @ParameterizedTest
  @EnumSource(BufferShape.class)
  void fixedHeaderAndChainMatchTshark(BufferShape shape) {
    ByteBuf buf = shape.wrap(EXT_CHAIN);
    int base = buf.readerIndex();
    Ipv6Packet ip = new Ipv6Packet();
    assertThat(ip.wrap(buf, base, EXT_CHAIN.length)).isTrue();
    assertThat(ip.version()).isEqualTo(6);
    assertThat(ip.trafficClass()).isZero();
    assertThat(ip.flowLabel()).isZero();
    assertThat(ip.payloadLength()).isEqualTo(60);
    assertThat(ip.nextHeader()).isEqualTo(IpProtocols.HOPOPT);
    assertThat(ip.hopLimit()).isEqualTo(64);
    assertThat(Ipv6Packet.formatAddress(ip.sourceAddressHigh(), ip.sourceAddressLow())).isEqualTo("fe80::1");
    assertThat(Ipv6Packet.formatAddress(ip.destinationAddressHigh(), ip.destinationAddressLow()))
        .isEqualTo("ff02::1:2");
    byte[] a = new byte[16];
    ip.copySourceAddressTo(a, 0);
    assertThat(Ipv6Packet.formatAddress(a, 0)).isEqualTo("fe80::1");
    assertThat(ip.capturedPayloadLength()).isEqualTo(60);
    assertThat(ip.isJumbogram()).isFalse();

    Ipv6ExtensionCursor c = new Ipv6ExtensionCursor();
    c.wrap(ip);
    assertThat(c.next()).isTrue();
    assertThat(c.headerType()).isEqualTo(IpProtocols.HOPOPT);
    assertThat(c.headerOffset()).isEqualTo(base + 40);
    assertThat(c.headerLength()).isEqualTo(8);
    assertThat(c.nextHeader()).isEqualTo(IpProtocols.IPV6_OPTS);
    assertThat(c.next()).isTrue();
    assertThat(c.headerType()).isEqualTo(IpProtocols.IPV6_OPTS);
    assertThat(c.next()).isTrue();
    assertThat(c.headerType()).isEqualTo(IpProtocols.IPV6_ROUTE);
    assertThat(c.headerLength()).isEqualTo(24);
    assertThat(c.routingType()).isZero();
    assertThat(c.segmentsLeft()).isZero();
    assertThat(c.fragmentOffset()).isEqualTo(-1);
    assertThat(c.next()).isFalse();
    assertThat(c.report().isMalformed()).isFalse();
    assertThat(c.count()).isEqualTo(3);
    assertThat(c.protocol()).isEqualTo(IpProtocols.UDP);
    assertThat(c.payloadOffset()).isEqualTo(base + 80);
    assertThat(c.payloadLength()).isEqualTo(20);
    assertThat(c.next()).isFalse();
    buf.release();
  }

  @Test
  void fragmentHeaderFieldsMatchTshark() {
    Ipv6Packet ip = new Ipv6Packet();
    ByteBuf buf = Unpooled.wrappedBuffer(FIRST_FRAGMENT);
    assertThat(ip.wrap(buf, 0, FIRST_FRAGMENT.length)).isTrue();
    Ipv6ExtensionCursor c = new Ipv6ExtensionCursor();
    c.wrap(ip);
    assertThat(c.next()).isTrue();
    assertThat(c.headerType()).isEqualTo(IpProtocols.IPV6_FRAG);
    assertThat(c.fragmentOffset()).isZero();
    assertThat(c.isMoreFragments()).isTrue();
    assertThat(c.fragmentIdentification()).isEqualTo(0xcafe);
    assertThat(c.next()).isFalse();
    assertThat(c.protocol()).isEqualTo(IpProtocols.UDP);
  }

  @Test
  void authenticationHeaderLengthIsInFourByteUnits() {
    Ipv6Packet ip = new Ipv6Packet();
    assertThat(ip.wrap(Unpooled.wrappedBuffer(AH), 0, AH.length)).isTrue();
    Ipv6ExtensionCursor c = new Ipv6ExtensionCursor();
    c.wrap(ip);
    assertThat(c.next()).isTrue();
    assertThat(c.headerType()).isEqualTo(IpProtocols.AH);
    assertThat(c.headerLength()).isEqualTo(24);
    assertThat(c.securityParametersIndex()).isEqualTo(0x1000);
    assertThat(c.next()).isFalse();
    assertThat(c.protocol()).isEqualTo(IpProtocols.TCP);
    assertThat(c.payloadOffset()).isEqualTo(64);
    assertThat(c.payloadLength()).isEqualTo(23);
  }

  @Test
  void espAndNoNextHeaderEndTheWalk() {
    for (int end : new int[] {IpProtocols.ESP, IpProtocols.IPV6_NONXT}) {
      byte[] b = PacketBuilder.raw().ipv6("::1", "::2").ipv6Extension(0, new byte[6]).ipProtocol(end).payload(16)
          .build();
      Ipv6Packet ip = new Ipv6Packet();
      assertThat(ip.wrap(Unpooled.wrappedBuffer(b), 0, b.length)).isTrue();
      Ipv6ExtensionCursor c = new Ipv6ExtensionCursor();
      c.wrap(ip);
      assertThat(c.next()).isTrue();
      assertThat(c.next()).isFalse();
      assertThat(c.report().isMalformed()).isFalse();
      assertThat(c.protocol()).isEqualTo(end);
      assertThat(c.payloadLength()).isEqualTo(16);
    }
  }

  @Test
  void chainLongerThanTheLimitIsLimitExceeded() {
    PacketBuilder p = PacketBuilder.raw().ipv6("::1", "::2");
    for (int i = 0; i < 5; i++) {
      p.ipv6Extension(60, new byte[6]);
    }
    byte[] b = p.udp(1, 2).build();
    Ipv6Packet ip = new Ipv6Packet();
    ip.wrap(Unpooled.wrappedBuffer(b), 0, b.length);
    Ipv6ExtensionCursor c = new Ipv6ExtensionCursor(Limits.builder().maxIpv6ExtensionHeaders(4).build());
    c.wrap(ip);
    int n = 0;
    while (c.next()) {
      n++;
    }
    assertThat(n).isEqualTo(4);
    assertThat(c.report().malformation()).isEqualTo(Malformation.LIMIT_EXCEEDED);
    assertThat(c.report().layer()).isEqualTo(Layer.IPV6_EXTENSION);
    assertThat(c.report().offset()).isEqualTo(40 + 4 * 8);
  }

  @Test
  void truncationSweepOfHeaderAndChain() {
    Ipv6Packet ip = new Ipv6Packet();
    Ipv6ExtensionCursor c = new Ipv6ExtensionCursor();
    for (int n = 0; n < EXT_CHAIN.length; n++) {
      ByteBuf buf = BufferShape.NONZERO_READER_INDEX.wrap(Arrays.copyOf(EXT_CHAIN, n));
      int base = buf.readerIndex();
      boolean ok = ip.wrap(buf, base, n);
      if (n < 40) {
        assertThat(ok).isFalse();
        assertThat(ip.report().malformation()).isEqualTo(Malformation.TRUNCATED);
        assertThat(ip.report().layer()).isEqualTo(Layer.IPV6);
        assertThat(ip.report().offset()).isEqualTo(base);
        assertThat(ip.report().requiredLength()).isEqualTo(40);
        assertThat(ip.report().availableLength()).isEqualTo(n);
        assertThat(ip.report().lengthSource()).isEqualTo(LengthSource.HEADER_MINIMUM);
      } else {
        assertThat(ok).isTrue();
        assertThat(ip.isTruncated()).isTrue();
        assertThat(ip.capturedPayloadLength()).isEqualTo(n - 40);
        c.wrap(ip);
        while (c.next()) {
          // walk
        }
        // headers at 40 (8 bytes), 48 (8 bytes), 56 (24 bytes); the UDP header starts at 80
        if (n < 80) {
          int at = n < 48 ? 40 : n < 56 ? 48 : 56;
          int need = at == 56 ? 24 : 8;
          boolean lengthKnown = n - at >= 8;
          assertThat(c.report().malformation()).as("prefix %d", n).isEqualTo(Malformation.TRUNCATED);
          assertThat(c.report().layer()).isEqualTo(Layer.IPV6_EXTENSION);
          assertThat(c.report().offset()).isEqualTo(base + at);
          assertThat(c.report().requiredLength()).isEqualTo(lengthKnown ? need : 8);
          assertThat(c.report().availableLength()).isEqualTo(n - at);
          assertThat(c.report().lengthSource())
              .isEqualTo(lengthKnown ? LengthSource.HEADER_LENGTH_FIELD : LengthSource.HEADER_MINIMUM);
        } else {
          assertThat(c.report().isMalformed()).isFalse();
          assertThat(c.protocol()).isEqualTo(IpProtocols.UDP);
          assertThat(c.payloadLength()).isEqualTo(n - 80);
        }
      }
      buf.release();
    }
  }

  @Test
  void versionOtherThanSixIsBadVersion() {
    byte[] b = EXT_CHAIN.clone();
    b[0] = 0x40;
    Ipv6Packet ip = new Ipv6Packet();
    assertThat(ip.wrap(Unpooled.wrappedBuffer(b), 0, b.length)).isFalse();
    assertThat(ip.report().malformation()).isEqualTo(Malformation.BAD_VERSION);
    assertThat(ip.report().layer()).isEqualTo(Layer.IPV6);
    assertThat(ip.report().offset()).isZero();
  }

  @Test
  void payloadLengthZeroWithHopByHopIsAJumbogramCandidate() {
    // RFC 2675 §2: payload length 0 and a Jumbo Payload option (type 0xC2) in a hop-by-hop header
    byte[] b = PacketBuilder.raw().ipv6("::1", "::2")
        .ipv6Extension(0, new byte[] {(byte) 0xc2, 4, 0, 0, 0, 0}).tcp(1, 2).payload(8).build();
    b[4] = 0;
    b[5] = 0;
    Ipv6Packet ip = new Ipv6Packet();
    assertThat(ip.wrap(Unpooled.wrappedBuffer(b), 0, b.length)).isTrue();
    assertThat(ip.isJumbogram()).isTrue();
    assertThat(ip.payloadLength()).isZero();
    assertThat(ip.capturedPayloadLength()).isEqualTo(b.length - 40);
    assertThat(ip.isTruncated()).isFalse();
  }

  @Test
  void payloadLengthZeroWithoutHopByHopTakesEveryByteLikeTcpdumpBigTcp() {
    byte[] b = PacketBuilder.raw().ipv6("::1", "::2").tcp(1, 2).payload(8).build();
    b[4] = 0;
    b[5] = 0;
    Ipv6Packet ip = new Ipv6Packet();
    assertThat(ip.wrap(Unpooled.wrappedBuffer(b), 0, b.length)).isTrue();
    assertThat(ip.isJumbogram()).isFalse();
    assertThat(ip.isLengthInferred()).isTrue();
    assertThat(ip.capturedPayloadLength()).isEqualTo(28);
  }

  @Test
  void noNextHeaderWithLengthZeroStaysEmptyDespitePadding() {
    // synthetic-ethernet.pcap#14 (ipv6.plen 0, ipv6.nxt 59) plus 6 bytes of Ethernet padding
    byte[] b = Arrays.copyOf(PacketBuilder.raw().ipv6("2001:db8::1", "2001:db8::2").ipProtocol(59).build(), 46);
    Ipv6Packet ip = new Ipv6Packet();
    assertThat(ip.wrap(Unpooled.wrappedBuffer(b), 0, b.length)).isTrue();
    assertThat(ip.isLengthInferred()).isFalse();
    assertThat(ip.capturedPayloadLength()).isZero();
  }

  @Test
  void paddingAfterPayloadLengthIsExcluded() {
    byte[] b = Arrays.copyOf(AH, AH.length + 10);
    Ipv6Packet ip = new Ipv6Packet();
    assertThat(ip.wrap(Unpooled.wrappedBuffer(b), 0, b.length)).isTrue();
    assertThat(ip.capturedPayloadLength()).isEqualTo(47);
    assertThat(ip.payload().readableBytes()).isEqualTo(47);
  }

  @Test
  void addressesFormatPerRfc5952() {
    // RFC 5952 §4.2.1-§4.3 and §5 examples
    assertThat(format("2001:0db8:0000:0000:0000:0000:0000:0001")).isEqualTo("2001:db8::1");
    assertThat(format("2001:0db8:0000:0000:0000:0000:0002:0001")).isEqualTo("2001:db8::2:1");
    assertThat(format("2001:0db8:0000:0001:0001:0001:0001:0001")).isEqualTo("2001:db8:0:1:1:1:1:1");
    assertThat(format("2001:0db8:0000:0000:0001:0000:0000:0001")).isEqualTo("2001:db8::1:0:0:1");
    assertThat(format("2001:0db8:0000:0000:0000:0001:0000:0000")).isEqualTo("2001:db8::1:0:0");
    assertThat(format("2001:0DB8:AAAA:BBBB:CCCC:DDDD:EEEE:0AAA")).isEqualTo("2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaa");
    assertThat(format("0000:0000:0000:0000:0000:0000:0000:0000")).isEqualTo("::");
    assertThat(format("0000:0000:0000:0000:0000:0000:0000:0001")).isEqualTo("::1");
    assertThat(format("fe80:0000:0000:0000:0000:0000:0000:0000")).isEqualTo("fe80::");
    assertThat(format("0000:0000:0000:0000:0000:ffff:c000:0280")).isEqualTo("::ffff:192.0.2.128");
  }

  private static String format(String full) {
    String hex = full.replace(":", "");
    long high = Long.parseUnsignedLong(hex.substring(0, 16), 16);
    long low = Long.parseUnsignedLong(hex.substring(16), 16);
    String viaLongs = Ipv6Packet.formatAddress(high, low);
    assertThat(Ipv6Packet.formatAddress(Hex.decode(hex), 0)).isEqualTo(viaLongs);
    return viaLongs;
  }

  @Test
  void cursorOverAnUnwrappedPacketIsEmpty() {
    Ipv6Packet ip = new Ipv6Packet();
    assertThat(ip.wrap(Unpooled.wrappedBuffer(new byte[10]), 0, 10)).isFalse();
    Ipv6ExtensionCursor c = new Ipv6ExtensionCursor();
    assertThat(c.wrap(ip)).isFalse();
    assertThat(c.next()).isFalse();
    assertThat(c.report().isMalformed()).isFalse();
  }
}
