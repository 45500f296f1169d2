package dev.wirelens.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.testkit.BufferShape;
import dev.wirelens.testkit.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Link-layer views. Expected values are tshark 4.0.17's fields for the same bytes (vectors/packet/synthetic.tsv,
 * frames named in each comment).
 */
class LinkViewsTest {
  // synthetic-ethernet.pcap#2: eth.dst 02:00:00:00:00:02, eth.src 02:00:00:00:00:01, eth.type 0x8100,
  // vlan.priority 5, vlan.dei 1, vlan.id 100, vlan.etype 0x0800
  static final byte[] ETH_VLAN = Hex.decode("020000000002 020000000001 8100 | b064 0800 | 45000030...".replace("...", "")
      + "123400008011a52dc0a8010ac0a80101 14e90035001c0cd8 000102030405060708090a0b0c0d0e0f10111213");
  // synthetic-ethernet.pcap#11: eth.len 46, LLC AA AA 03, SNAP OUI 000000 pid 0x0800; IPv4 follows
  static final byte[] ETH_SNAP = Hex.decode("020000000002 020000000001 002e | aaaa03 000000 0800 |"
      + " 4500002612340000401143720a0909090a08080803e807d00012bad700010203040506070809");
  // synthetic-sll.pcap#1: sll.pkttype 4, hatype 1, halen 6, etype 0x0800
  static final byte[] SLL = Hex.decode("0004 0001 0006 0200000000010000 0800 |"
      + " 4500002f1234000040066a937f0000017f0000019c401f9400000001000000015010ffffe9eb000000010203040506");
  // synthetic-sll2.pcap#2: sll.etype 0x86dd, sll.ifindex 1, hatype 1, pkttype 4, halen 6
  static final byte[] SLL2 = Hex.decode("86dd 0000 00000001 0001 04 06 0200000000010000 |"
      + " 600000000014064020010db800000000000000000000000120010db80000000000000000000000021f94c82200000000000000005004ffff6cb50000");
  // synthetic-null-le.pcap#2: null.family 30 (little-endian)
  static final byte[] NULL_LE = Hex.decode("1e000000 6000000000140640");
  // synthetic-loop.pcap#2: null.family 24 (network order)
  static final byte[] LOOP_BE = Hex.decode("00000018 6000000000140640");

  private static ByteBuf heap(byte[] b) {
    return Unpooled.wrappedBuffer(b);
  }

  @ParameterizedTest
  @EnumSource(BufferShape.class)
  void ethernetAndVlanFieldsMatchTshark(BufferShape shape) {
    ByteBuf buf = shape.wrap(ETH_VLAN);
    try {
      int base = buf.readerIndex();
      EthernetFrame eth = new EthernetFrame();
      assertThat(eth.wrap(buf, base, buf.readableBytes())).isTrue();
      assertThat(EthernetFrame.formatMac(eth.destination())).isEqualTo("02:00:00:00:00:02");
      assertThat(EthernetFrame.formatMac(eth.source())).isEqualTo("02:00:00:00:00:01");
      assertThat(eth.etherType()).isEqualTo(EtherTypes.VLAN);
      assertThat(eth.isLengthFrame()).isFalse();
      assertThat(eth.payloadOffset()).isEqualTo(base + 14);
      byte[] mac = new byte[6];
      eth.copySourceTo(mac, 0);
      assertThat(mac).containsExactly(2, 0, 0, 0, 0, 1);
      VlanTag tag = new VlanTag();
      assertThat(tag.wrap(buf, eth.payloadOffset(), eth.payloadLength(), eth.etherType())).isTrue();
      assertThat(tag.tpid()).isEqualTo(0x8100);
      assertThat(tag.priority()).isEqualTo(5);
      assertThat(tag.isDropEligible()).isTrue();
      assertThat(tag.vlanId()).isEqualTo(100);
      assertThat(tag.etherType()).isEqualTo(EtherTypes.IPV4);
      assertThat(tag.payloadOffset()).isEqualTo(base + 18);
      assertThat(tag.payloadLength()).isEqualTo(ETH_VLAN.length - 18);
    } finally {
      buf.release();
    }
    assertThat(buf.refCnt()).isZero();
  }

  @Test
  void lengthFrameWithSnapExposesLlcAndEtherType() {
    ByteBuf buf = heap(ETH_SNAP);
    EthernetFrame eth = new EthernetFrame();
    assertThat(eth.wrap(buf, 0, buf.readableBytes())).isTrue();
    assertThat(eth.isLengthFrame()).isTrue();
    assertThat(eth.typeOrLength()).isEqualTo(46);
    assertThat(eth.dsap()).isEqualTo(0xaa);
    assertThat(eth.ssap()).isEqualTo(0xaa);
    assertThat(eth.control()).isEqualTo(3);
    assertThat(eth.isSnap()).isTrue();
    assertThat(eth.snapOui()).isZero();
    assertThat(eth.snapProtocolId()).isEqualTo(0x0800);
    assertThat(eth.etherType()).isEqualTo(EtherTypes.IPV4);
    assertThat(eth.headerLength()).isEqualTo(22);
    assertThat(eth.payloadOffset()).isEqualTo(22);
    assertThat(eth.payloadLength()).isEqualTo(46 - 8);
    buf.release();
  }

  @Test
  void lengthFramePaddingIsExcludedFromThePayload() {
    // 802.3 frame: length 3 (LLC header only, DSAP/SSAP 0x42 spanning tree), padded to 60 bytes
    byte[] f = new byte[60];
    f[13] = 3;
    f[14] = 0x42;
    f[15] = 0x42;
    f[16] = 0x03;
    EthernetFrame eth = new EthernetFrame();
    ByteBuf buf = heap(f);
    assertThat(eth.wrap(buf, 0, 60)).isTrue();
    assertThat(eth.etherType()).isEqualTo(-1);
    assertThat(eth.isSnap()).isFalse();
    assertThat(eth.snapOui()).isEqualTo(-1);
    assertThat(eth.payloadLength()).isZero();
    buf.release();
  }

  @Test
  void ethernetTruncationSweep() {
    for (int n = 0; n < 14; n++) {
      expectTruncated(ETH_VLAN, n, 14);
    }
    // 802.3 with SNAP: the LLC header needs 17 bytes, SNAP 22
    EthernetFrame eth = new EthernetFrame();
    for (int n = 0; n < 22; n++) {
      ByteBuf buf = BufferShape.NONZERO_READER_INDEX.wrap(java.util.Arrays.copyOf(ETH_SNAP, n));
      int base = buf.readerIndex();
      assertThat(eth.wrap(buf, base, n)).as("prefix %d", n).isFalse();
      MalformationReport r = eth.report();
      assertThat(r.malformation()).isEqualTo(Malformation.TRUNCATED);
      assertThat(r.layer()).isEqualTo(Layer.LINK);
      assertThat(r.offset()).isEqualTo(base);
      assertThat(r.requiredLength()).isEqualTo(n < 14 ? 14 : n < 17 ? 17 : 22);
      assertThat(r.availableLength()).isEqualTo(n);
      assertThat(r.lengthSource()).isEqualTo(LengthSource.HEADER_MINIMUM);
      buf.release();
    }
  }

  private static void expectTruncated(byte[] vector, int n, int required) {
    EthernetFrame eth = new EthernetFrame();
    ByteBuf buf = BufferShape.NONZERO_READER_INDEX.wrap(java.util.Arrays.copyOf(vector, n));
    int base = buf.readerIndex();
    assertThat(eth.wrap(buf, base, n)).as("prefix %d", n).isFalse();
    assertThat(eth.report().malformation()).isEqualTo(Malformation.TRUNCATED);
    assertThat(eth.report().offset()).isEqualTo(base);
    assertThat(eth.report().requiredLength()).isEqualTo(required);
    assertThat(eth.report().availableLength()).isEqualTo(n);
    buf.release();
  }

  @Test
  void vlanTagTruncationSweep() {
    VlanTag tag = new VlanTag();
    ByteBuf buf = heap(ETH_VLAN);
    for (int n = 0; n < 4; n++) {
      assertThat(tag.wrap(buf, 14, n, 0x8100)).isFalse();
      assertThat(tag.report().malformation()).isEqualTo(Malformation.TRUNCATED);
      assertThat(tag.report().layer()).isEqualTo(Layer.VLAN);
      assertThat(tag.report().offset()).isEqualTo(14);
      assertThat(tag.report().requiredLength()).isEqualTo(4);
      assertThat(tag.report().availableLength()).isEqualTo(n);
      assertThat(tag.report().lengthSource()).isEqualTo(LengthSource.HEADER_MINIMUM);
    }
    assertThat(tag.wrap(buf, 14, 4)).isTrue();
    assertThat(tag.tpid()).isEqualTo(-1);
    buf.release();
  }

  @ParameterizedTest
  @EnumSource(BufferShape.class)
  void sllFieldsMatchTshark(BufferShape shape) {
    ByteBuf buf = shape.wrap(SLL);
    int base = buf.readerIndex();
    LinuxSllHeader h = new LinuxSllHeader();
    assertThat(h.wrap(buf, base, SLL.length)).isTrue();
    assertThat(h.packetType()).isEqualTo(4);
    assertThat(h.arphrdType()).isEqualTo(1);
    assertThat(h.addressLength()).isEqualTo(6);
    assertThat(EthernetFrame.formatMac(h.address48())).isEqualTo("02:00:00:00:00:01");
    byte[] a = new byte[8];
    assertThat(h.copyAddressTo(a, 0)).isEqualTo(6);
    assertThat(h.protocolType()).isEqualTo(EtherTypes.IPV4);
    assertThat(h.payloadOffset()).isEqualTo(base + 16);
    assertThat(h.payloadLength()).isEqualTo(SLL.length - 16);
    buf.release();
  }

  @ParameterizedTest
  @EnumSource(BufferShape.class)
  void sll2FieldsMatchTshark(BufferShape shape) {
    ByteBuf buf = shape.wrap(SLL2);
    int base = buf.readerIndex();
    LinuxSll2Header h = new LinuxSll2Header();
    assertThat(h.wrap(buf, base, SLL2.length)).isTrue();
    assertThat(h.protocolType()).isEqualTo(EtherTypes.IPV6);
    assertThat(h.reserved()).isZero();
    assertThat(h.interfaceIndex()).isEqualTo(1);
    assertThat(h.arphrdType()).isEqualTo(1);
    assertThat(h.packetType()).isEqualTo(4);
    assertThat(h.addressLength()).isEqualTo(6);
    assertThat(EthernetFrame.formatMac(h.address48())).isEqualTo("02:00:00:00:00:01");
    assertThat(h.payloadOffset()).isEqualTo(base + 20);
    buf.release();
  }

  @Test
  void cookedHeaderTruncationSweeps() {
    LinuxSllHeader sll = new LinuxSllHeader();
    LinuxSll2Header sll2 = new LinuxSll2Header();
    ByteBuf a = heap(SLL);
    ByteBuf b = heap(SLL2);
    for (int n = 0; n < 20; n++) {
      if (n < 16) {
        assertThat(sll.wrap(a, 0, n)).isFalse();
        assertThat(sll.report().requiredLength()).isEqualTo(16);
        assertThat(sll.report().availableLength()).isEqualTo(n);
        assertThat(sll.report().layer()).isEqualTo(Layer.LINK);
        assertThat(sll.report().lengthSource()).isEqualTo(LengthSource.HEADER_MINIMUM);
      }
      assertThat(sll2.wrap(b, 0, n)).isFalse();
      assertThat(sll2.report().malformation()).isEqualTo(Malformation.TRUNCATED);
      assertThat(sll2.report().requiredLength()).isEqualTo(20);
      assertThat(sll2.report().availableLength()).isEqualTo(n);
      assertThat(sll2.report().offset()).isZero();
    }
    a.release();
    b.release();
  }

  @ParameterizedTest
  @EnumSource(BufferShape.class)
  void nullLoopbackFamilyIsReadInEitherByteOrder(BufferShape shape) {
    LoopbackHeader h = new LoopbackHeader();
    ByteBuf le = shape.wrap(NULL_LE);
    assertThat(h.wrap(le, le.readerIndex(), NULL_LE.length)).isTrue();
    assertThat(h.family()).isEqualTo(30);
    assertThat(h.isLittleEndian()).isTrue();
    assertThat(h.isIpv6()).isTrue();
    assertThat(h.payloadOffset()).isEqualTo(le.readerIndex() + 4);
    le.release();
    ByteBuf be = shape.wrap(LOOP_BE);
    assertThat(h.wrap(be, be.readerIndex(), LOOP_BE.length, true)).isTrue();
    assertThat(h.family()).isEqualTo(24);
    assertThat(h.isLittleEndian()).isFalse();
    assertThat(h.wrap(be, be.readerIndex(), LOOP_BE.length, false)).isTrue();
    assertThat(h.family()).isEqualTo(24);
    be.release();
  }

  @Test
  void everyAfInet6ValueIsIpv6AndTwoIsIpv4() {
    LoopbackHeader h = new LoopbackHeader();
    for (int family : new int[] {10, 24, 28, 30}) {
      ByteBuf b = heap(new byte[] {(byte) family, 0, 0, 0});
      h.wrap(b, 0, 4);
      assertThat(h.isIpv6()).as("AF_INET6 %d", family).isTrue();
      assertThat(h.isIpv4()).isFalse();
    }
    ByteBuf b = heap(new byte[] {0, 0, 0, 2});
    h.wrap(b, 0, 4);
    assertThat(h.isIpv4()).isTrue();
    ByteBuf other = heap(new byte[] {0, 0, 0, 7});
    h.wrap(other, 0, 4);
    assertThat(h.isIpv4() || h.isIpv6()).as("unknown family passes through").isFalse();
    assertThat(h.family()).isEqualTo(7);
  }

  @Test
  void loopbackTruncationSweep() {
    LoopbackHeader h = new LoopbackHeader();
    ByteBuf b = heap(NULL_LE);
    for (int n = 0; n < 4; n++) {
      assertThat(h.wrap(b, 0, n)).isFalse();
      assertThat(h.report().malformation()).isEqualTo(Malformation.TRUNCATED);
      assertThat(h.report().requiredLength()).isEqualTo(4);
      assertThat(h.report().availableLength()).isEqualTo(n);
      assertThat(h.report().layer()).isEqualTo(Layer.LINK);
    }
    b.release();
  }

  @Test
  void numberSetsNameKnownValuesAndPassUnknownOnes() {
    assertThat(LinkTypes.nameOf(LinkTypes.LINUX_SLL2)).isEqualTo("LINUX_SLL2");
    assertThat(LinkTypes.nameOf(147)).isEqualTo("LINKTYPE_147");
    assertThat(EtherTypes.nameOf(0x86dd)).isEqualTo("IPV6");
    assertThat(EtherTypes.nameOf(0x1234)).isEqualTo("0x1234");
    assertThat(EtherTypes.nameOf(46)).isEqualTo("LENGTH_46");
    assertThat(EtherTypes.isVlanTag(0x9100)).isTrue();
    assertThat(EtherTypes.isVlanTag(0x0800)).isFalse();
  }
}
