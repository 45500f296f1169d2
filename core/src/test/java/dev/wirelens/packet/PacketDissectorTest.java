package dev.wirelens.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.link.LinkTypes;
import dev.wirelens.tcp.FlowKey;
import dev.wirelens.testkit.BufferShape;
import dev.wirelens.testkit.PacketBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The dissector's lax behaviour: which layers stay valid, where it stops and why. */
class PacketDissectorTest {
  private final PacketDissector d = new PacketDissector();

  private Layer dissect(byte[] frame, int linkType) {
    return d.dissect(Unpooled.wrappedBuffer(frame), linkType);
  }

  static byte[] tcpFrame() {
    return PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(51234, 8084).seq(1).ack(2)
        .flags(PacketBuilder.ACK | PacketBuilder.PSH).timestamps(1, 2).nop().nop().payload(10).build();
  }

  @Test
  void truncationSweepOfAWholeFrameStopsAtTheRightLayer() {
    byte[] frame = tcpFrame(); // 14 Ethernet + 20 IPv4 + 32 TCP + 10 data
    assertThat(frame.length).isEqualTo(76);
    for (int n = 0; n < frame.length; n++) {
      ByteBuf buf = BufferShape.NONZERO_READER_INDEX.wrap(Arrays.copyOf(frame, n));
      int base = buf.readerIndex();
      Layer deepest = d.dissect(buf, LinkTypes.ETHERNET);
      MalformationReport r = d.report();
      if (n < 14) {
        assertThat(deepest).isEqualTo(Layer.NONE);
        assertThat(d.stopLayer()).isEqualTo(Layer.LINK);
        assertThat(r.offset()).isEqualTo(base);
        assertThat(r.requiredLength()).isEqualTo(14);
        assertThat(r.availableLength()).isEqualTo(n);
      } else if (n < 34) {
        assertThat(deepest).isEqualTo(Layer.LINK);
        assertThat(d.has(Layer.LINK)).isTrue();
        assertThat(d.has(Layer.IPV4)).isFalse();
        assertThat(d.stopLayer()).isEqualTo(Layer.IPV4);
        assertThat(r.malformation()).isEqualTo(Malformation.TRUNCATED);
        assertThat(r.offset()).isEqualTo(base + 14);
        assertThat(r.requiredLength()).isEqualTo(20);
        assertThat(r.availableLength()).isEqualTo(n - 14);
        assertThat(r.lengthSource()).isEqualTo(LengthSource.HEADER_MINIMUM);
      } else if (n < 66) {
        // the IPv4 header is valid (and truncated); the TCP header is cut short
        assertThat(deepest).isEqualTo(Layer.IPV4);
        assertThat(d.has(Layer.IPV4)).isTrue();
        assertThat(d.ipv4().isTruncated()).isTrue();
        assertThat(d.has(Layer.TCP)).isFalse();
        assertThat(d.stopLayer()).isEqualTo(Layer.TCP);
        assertThat(r.malformation()).isEqualTo(Malformation.TRUNCATED);
        assertThat(r.offset()).isEqualTo(base + 34);
        assertThat(r.requiredLength()).isEqualTo(n < 54 ? 20 : 32);
        assertThat(r.availableLength()).isEqualTo(n - 34);
        assertThat(r.lengthSource())
            .isEqualTo(n < 54 ? LengthSource.AVAILABLE_BYTES : LengthSource.HEADER_LENGTH_FIELD);
        assertThat(d.transportProtocol()).isEqualTo(6);
      } else {
        assertThat(deepest).isEqualTo(Layer.TCP);
        assertThat(d.stopLayer()).isEqualTo(Layer.NONE);
        assertThat(d.isTruncated()).isTrue();
        assertThat(d.tcp().payloadLength()).isEqualTo(10);
        assertThat(d.tcp().capturedPayloadLength()).isEqualTo(n - 66);
      }
      buf.release();
      assertThat(buf.refCnt()).isZero();
    }
    assertThat(dissect(frame, LinkTypes.ETHERNET)).isEqualTo(Layer.TCP);
    assertThat(d.isTruncated()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(BufferShape.class)
  void dissectReadsTheReadableBytesAndLeavesIndicesAlone(BufferShape shape) {
    ByteBuf buf = shape.wrap(tcpFrame());
    int r = buf.readerIndex();
    int w = buf.writerIndex();
    assertThat(d.dissect(buf, LinkTypes.ETHERNET)).isEqualTo(Layer.TCP);
    assertThat(buf.readerIndex()).isEqualTo(r);
    assertThat(buf.writerIndex()).isEqualTo(w);
    assertThat(d.tcp().payload().getByte(9)).isEqualTo((byte) 9);
    FlowKey k = new FlowKey();
    assertThat(d.flowKey(k)).isTrue();
    assertThat(k.toString()).isEqualTo("10.0.0.1:51234 -> 10.0.0.2:8084 TCP");
    buf.release();
    assertThat(buf.refCnt()).isZero();
  }

  @Test
  void nonFirstIpv4FragmentStopsAtIpWithoutMalformation() {
    byte[] f = PacketBuilder.ethernet().ipv4("10.0.0.3", "10.0.0.4").fragment(false, false, 185).ipProtocol(6)
        .payload(40).build();
    assertThat(dissect(f, LinkTypes.ETHERNET)).isEqualTo(Layer.IPV4);
    assertThat(d.stopLayer()).isEqualTo(Layer.NONE);
    assertThat(d.has(Layer.TCP)).isFalse();
    assertThat(d.isFragment()).isTrue();
    assertThat(d.isNonFirstFragment()).isTrue();
    assertThat(d.transportProtocol()).isEqualTo(6);
    FlowKey k = new FlowKey();
    assertThat(d.flowKey(k)).isTrue();
    assertThat(k.sourcePort()).isZero();
  }

  @Test
  void firstFragmentDecodesTheTransportHeader() {
    byte[] f = PacketBuilder.ethernet().ipv4("10.0.0.3", "10.0.0.4").fragment(false, true, 0).udp(53, 5353)
        .payload(100).build();
    // cut the datagram: the first fragment carries the UDP header and 30 bytes, UDP length says 108
    byte[] first = Arrays.copyOf(f, 14 + 20 + 8 + 30);
    first[14 + 2] = 0;
    first[14 + 3] = 58;
    assertThat(dissect(first, LinkTypes.ETHERNET)).isEqualTo(Layer.UDP);
    assertThat(d.isFragment()).isTrue();
    assertThat(d.isNonFirstFragment()).isFalse();
    assertThat(d.udp().length()).isEqualTo(108);
    assertThat(d.udp().capturedPayloadLength()).isEqualTo(30);
    assertThat(d.isTruncated()).isFalse();
  }

  @Test
  void nonFirstIpv6FragmentStopsAtIpv6() {
    byte[] f = PacketBuilder.ethernet().ipv6("2001:db8::a", "2001:db8::b").ipv6Fragment(9, false, 0xcafe)
        .ipProtocol(17).payload(24).build();
    assertThat(dissect(f, LinkTypes.ETHERNET)).isEqualTo(Layer.IPV6);
    assertThat(d.has(Layer.IPV6_EXTENSION)).isTrue();
    assertThat(d.ipv6ExtensionCount()).isEqualTo(1);
    assertThat(d.has(Layer.UDP)).isFalse();
    assertThat(d.isNonFirstFragment()).isTrue();
    assertThat(d.stopLayer()).isEqualTo(Layer.NONE);
    assertThat(d.transportProtocol()).isEqualTo(17);
  }

  @Test
  void malformedInnerLayerKeepsOuterLayersValid() {
    byte[] f = tcpFrame();
    f[14 + 20 + 12] = 0x30; // TCP data offset 3
    assertThat(dissect(f, LinkTypes.ETHERNET)).isEqualTo(Layer.IPV4);
    assertThat(d.has(Layer.LINK)).isTrue();
    assertThat(d.has(Layer.IPV4)).isTrue();
    assertThat(d.ipv4().timeToLive()).isEqualTo(64);
    assertThat(d.stopLayer()).isEqualTo(Layer.TCP);
    assertThat(d.report().malformation()).isEqualTo(Malformation.BAD_LENGTH_FIELD);
    assertThat(d.report().offset()).isEqualTo(46);
    FlowKey k = new FlowKey();
    assertThat(d.flowKey(k)).isTrue();
    assertThat(k.destinationPort()).isZero();
  }

  @Test
  void malformedIpv6ExtensionChainStopsAtTheExtension() {
    byte[] f = PacketBuilder.raw().ipv6("::1", "::2").ipv6Extension(60, new byte[6]).udp(1, 2).build();
    f[41] = 9; // destination options length 9 -> 80 bytes, beyond the packet
    assertThat(dissect(f, LinkTypes.RAW)).isEqualTo(Layer.IPV6);
    assertThat(d.stopLayer()).isEqualTo(Layer.IPV6_EXTENSION);
    assertThat(d.report().malformation()).isEqualTo(Malformation.TRUNCATED);
    assertThat(d.report().offset()).isEqualTo(40);
    assertThat(d.report().requiredLength()).isEqualTo(80);
    assertThat(d.report().lengthSource()).isEqualTo(LengthSource.HEADER_LENGTH_FIELD);
    assertThat(d.transportProtocol()).isEqualTo(-1);
  }

  @Test
  void unknownLinkTypeDecodesNothingAndReportsNothing() {
    assertThat(dissect(tcpFrame(), 147)).isEqualTo(Layer.NONE);
    assertThat(d.stopLayer()).isEqualTo(Layer.NONE);
    assertThat(d.has(Layer.LINK)).isFalse();
    assertThat(d.flowKey(new FlowKey())).isFalse();
    assertThat(d.transportProtocol()).isEqualTo(-1);
  }

  @Test
  void unknownEtherTypeEndsAtTheLinkLayer() {
    byte[] f = PacketBuilder.ethernet().payload(30).build(); // EtherType 0x88b5 (local experimental)
    assertThat(dissect(f, LinkTypes.ETHERNET)).isEqualTo(Layer.LINK);
    assertThat(d.ethernet().etherType()).isEqualTo(0x88b5);
    assertThat(d.stopLayer()).isEqualTo(Layer.NONE);
  }

  @Test
  void unknownIpProtocolEndsAtTheIpLayer() {
    byte[] f = PacketBuilder.ethernet().ipv4("1.1.1.1", "2.2.2.2").ipProtocol(47).payload(8).build();
    assertThat(dissect(f, LinkTypes.ETHERNET)).isEqualTo(Layer.IPV4);
    assertThat(d.transportProtocol()).isEqualTo(47);
    assertThat(d.stopLayer()).isEqualTo(Layer.NONE);
  }

  @Test
  void stackedVlanTagsAreAllExposed() {
    byte[] f = PacketBuilder.ethernet().vlan(0x88a8, 1, false, 10).vlan(0x8100, 2, true, 20).vlan(0x9100, 3, false, 30)
        .ipv4("1.1.1.1", "2.2.2.2").udp(1, 2).build();
    assertThat(dissect(f, LinkTypes.ETHERNET)).isEqualTo(Layer.UDP);
    assertThat(d.vlanCount()).isEqualTo(3);
    assertThat(d.vlan(0).tpid()).isEqualTo(0x88a8);
    assertThat(d.vlan(0).vlanId()).isEqualTo(10);
    assertThat(d.vlan(1).isDropEligible()).isTrue();
    assertThat(d.vlan(2).tpid()).isEqualTo(0x9100);
    assertThat(d.vlan(2).priority()).isEqualTo(3);
    assertThatThrownBy(() -> d.vlan(3)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void moreVlanTagsThanTheCapIsLimitExceeded() {
    PacketBuilder b = PacketBuilder.ethernet();
    for (int i = 0; i <= PacketDissector.MAX_VLAN_TAGS; i++) {
      b.vlan(0x8100, 0, false, i);
    }
    byte[] f = b.ipv4("1.1.1.1", "2.2.2.2").build();
    assertThat(dissect(f, LinkTypes.ETHERNET)).isEqualTo(Layer.VLAN);
    assertThat(d.vlanCount()).isEqualTo(PacketDissector.MAX_VLAN_TAGS);
    assertThat(d.stopLayer()).isEqualTo(Layer.VLAN);
    assertThat(d.report().malformation()).isEqualTo(Malformation.LIMIT_EXCEEDED);
    assertThat(d.report().offset()).isEqualTo(14 + 4 * PacketDissector.MAX_VLAN_TAGS);
  }

  @Test
  void truncatedVlanTagStopsAtVlan() {
    byte[] f = Arrays.copyOf(PacketBuilder.ethernet().vlan(0x8100, 0, false, 5).ipv4("1.1.1.1", "2.2.2.2").build(), 16);
    assertThat(dissect(f, LinkTypes.ETHERNET)).isEqualTo(Layer.LINK);
    assertThat(d.stopLayer()).isEqualTo(Layer.VLAN);
    assertThat(d.report().requiredLength()).isEqualTo(4);
    assertThat(d.report().availableLength()).isEqualTo(2);
  }

  @Test
  void rawLinkTypePicksTheVersionFromTheFirstNibble() {
    assertThat(dissect(PacketBuilder.raw().ipv4("1.1.1.1", "2.2.2.2").tcp(1, 2).build(), LinkTypes.RAW))
        .isEqualTo(Layer.TCP);
    assertThat(dissect(PacketBuilder.raw().ipv6("::1", "::2").tcp(1, 2).build(), LinkTypes.RAW)).isEqualTo(Layer.TCP);
    assertThat(d.has(Layer.IPV6)).isTrue();
    assertThat(dissect(new byte[] {0x50, 0, 0, 0}, LinkTypes.RAW)).isEqualTo(Layer.NONE);
    assertThat(d.stopLayer()).isEqualTo(Layer.IPV4);
    assertThat(d.report().malformation()).isEqualTo(Malformation.BAD_VERSION);
    assertThat(dissect(new byte[0], LinkTypes.RAW)).isEqualTo(Layer.NONE);
    assertThat(d.report().malformation()).isEqualTo(Malformation.TRUNCATED);
    assertThat(d.report().availableLength()).isZero();
  }

  @Test
  void wrongVersionForTheIpv4LinkTypeIsBadVersion() {
    assertThat(dissect(PacketBuilder.raw().ipv6("::1", "::2").build(), LinkTypes.IPV4)).isEqualTo(Layer.NONE);
    assertThat(d.stopLayer()).isEqualTo(Layer.IPV4);
    assertThat(d.report().malformation()).isEqualTo(Malformation.BAD_VERSION);
  }

  @Test
  void everyLinkHeaderLeadsToTheSameTransport() {
    PacketBuilder[] links = {PacketBuilder.ethernet(), PacketBuilder.sll(), PacketBuilder.sll2(),
        PacketBuilder.nullLoopback(true), PacketBuilder.nullLoopback(false), PacketBuilder.loop(), PacketBuilder.raw()};
    for (PacketBuilder b : links) {
      byte[] f = b.ipv6("2001:db8::1", "2001:db8::2").tcp(443, 50000).flags(PacketBuilder.SYN).build();
      assertThat(dissect(f, b.linkType())).as("link type %d", b.linkType()).isEqualTo(Layer.TCP);
      assertThat(d.tcp().destinationPort()).isEqualTo(50000);
      assertThat(d.hasEthernet()).isEqualTo(b.linkType() == LinkTypes.ETHERNET);
      assertThat(d.hasSll()).isEqualTo(b.linkType() == LinkTypes.LINUX_SLL);
      assertThat(d.hasSll2()).isEqualTo(b.linkType() == LinkTypes.LINUX_SLL2);
      assertThat(d.hasLoopback()).isEqualTo(b.linkType() == LinkTypes.NULL || b.linkType() == LinkTypes.LOOP);
    }
  }

  @Test
  void loopbackWithAnUnknownFamilyEndsAtTheLinkLayer() {
    assertThat(dissect(new byte[] {7, 0, 0, 0, 0x45}, LinkTypes.NULL)).isEqualTo(Layer.LINK);
    assertThat(d.loopback().family()).isEqualTo(7);
    assertThat(d.stopLayer()).isEqualTo(Layer.NONE);
  }

  @Test
  void icmpAndIcmpv6AreDecodedInTheirOwnFamilyOnly() {
    assertThat(dissect(PacketBuilder.raw().ipv4("1.1.1.1", "2.2.2.2").icmp(8, 0, 0).build(), LinkTypes.RAW))
        .isEqualTo(Layer.ICMP);
    assertThat(d.icmp().isIcmpv6()).isFalse();
    assertThat(dissect(PacketBuilder.raw().ipv6("::1", "::2").icmp(128, 0, 0).build(), LinkTypes.RAW))
        .isEqualTo(Layer.ICMPV6);
    assertThat(d.icmp().isIcmpv6()).isTrue();
    // protocol 58 inside IPv4 is passed through
    assertThat(dissect(PacketBuilder.raw().ipv4("1.1.1.1", "2.2.2.2").ipProtocol(58).payload(8).build(),
        LinkTypes.RAW)).isEqualTo(Layer.IPV4);
  }

  @Test
  void udpLengthBeyondTheDatagramIsMalformedButIpStaysValid() {
    byte[] f = PacketBuilder.raw().ipv4("1.1.1.1", "2.2.2.2").udp(1, 2).payload(4).build();
    f[20 + 5] = 40;
    assertThat(dissect(f, LinkTypes.RAW)).isEqualTo(Layer.IPV4);
    assertThat(d.stopLayer()).isEqualTo(Layer.UDP);
    assertThat(d.report().malformation()).isEqualTo(Malformation.BAD_LENGTH_FIELD);
    assertThat(d.report().offset()).isEqualTo(24);
  }

  @Test
  void eachDissectResetsThePreviousResult() {
    byte[] bad = Arrays.copyOf(tcpFrame(), 20);
    dissect(bad, LinkTypes.ETHERNET);
    assertThat(d.stopLayer()).isEqualTo(Layer.IPV4);
    dissect(tcpFrame(), LinkTypes.ETHERNET);
    assertThat(d.stopLayer()).isEqualTo(Layer.NONE);
    assertThat(d.report().isMalformed()).isFalse();
    dissect(PacketBuilder.ethernet().payload(30).build(), LinkTypes.ETHERNET);
    assertThat(d.has(Layer.TCP)).isFalse();
    assertThat(d.has(Layer.IPV4)).isFalse();
    assertThat(d.toString()).isEqualTo("PacketDissector{LINK }");
  }

  @Test
  void dissectOrThrowTurnsTheReportIntoAnException() {
    assertThat(d.dissectOrThrow(Unpooled.wrappedBuffer(tcpFrame()), LinkTypes.ETHERNET)).isEqualTo(Layer.TCP);
    assertThatThrownBy(() -> d.dissectOrThrow(Unpooled.wrappedBuffer(Arrays.copyOf(tcpFrame(), 20)),
        LinkTypes.ETHERNET))
        .isInstanceOfSatisfying(dev.wirelens.MalformedInputException.class, e -> {
          assertThat(e.layer()).isEqualTo(Layer.IPV4);
          assertThat(e.malformation()).isEqualTo(Malformation.TRUNCATED);
          assertThat(e.offset()).isEqualTo(14);
          assertThat(e.getMessage()).isEqualTo("IPV4 TRUNCATED at offset 14: 20 bytes required by HEADER_MINIMUM, 6 available");
        });
  }
}
