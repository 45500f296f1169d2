package dev.wirelens.packet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Layer;
import dev.wirelens.ip.IpProtocols;
import dev.wirelens.ip.Ipv4Packet;
import dev.wirelens.ip.Ipv6ExtensionCursor;
import dev.wirelens.ip.Ipv6Packet;
import dev.wirelens.link.EtherTypes;
import dev.wirelens.link.EthernetFrame;
import dev.wirelens.link.VlanTag;
import dev.wirelens.tcp.TcpOptionCursor;
import dev.wirelens.tcp.TcpSegment;
import dev.wirelens.testkit.BufferShape;
import dev.wirelens.testkit.Hex;
import io.netty.buffer.ByteBuf;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every field tshark 4.0.17 printed for each frame of {@code vectors/packet/*.tsv} (see SOURCES.md there) must be
 * what the dissector's views say, in every buffer shape.
 */
class PacketDissectorTsharkTest {

  static Stream<Arguments> synthetic() throws IOException {
    return rows("synthetic.tsv");
  }

  static Stream<Arguments> corpus() throws IOException {
    return rows("corpus-permissive.tsv");
  }

  private static Stream<Arguments> rows(String name) throws IOException {
    List<Arguments> out = new ArrayList<>();
    try (InputStream in = PacketDissectorTsharkTest.class.getResourceAsStream("/vectors/packet/" + name);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String[] header = r.readLine().split("\t", -1);
      for (String line; (line = r.readLine()) != null; ) {
        String[] cells = line.split("\t", -1);
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < header.length && i < cells.length; i++) {
          if (!cells[i].isEmpty()) {
            row.put(header[i], cells[i]);
          }
        }
        out.add(Arguments.of(row.get("file") + "#" + row.get("frame"), row));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("synthetic")
  void syntheticFramesDecodeAsTsharkSays(String name, Map<String, String> row) {
    check(row);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void corpusFramesDecodeAsTsharkSays(String name, Map<String, String> row) {
    check(row);
  }

  private static void check(Map<String, String> row) {
    byte[] frame = Hex.decode(row.get("hex"));
    int linkType = Integer.parseInt(row.get("linktype"));
    PacketDissector d = new PacketDissector();
    for (BufferShape shape : BufferShape.values()) {
      ByteBuf buf = shape.wrap(frame);
      try {
        int reader = buf.readerIndex();
        d.dissect(buf, linkType);
        SoftAssertions soft = new SoftAssertions();
        compare(soft, d, row, shape);
        soft.assertThat(buf.readerIndex()).as("reader index untouched").isEqualTo(reader);
        soft.assertAll();
      } finally {
        buf.release();
        assertThat(buf.refCnt()).isZero();
      }
    }
  }

  private static String first(String list) {
    int comma = list.indexOf(',');
    return comma < 0 ? list : list.substring(0, comma);
  }

  private static long num(String v) {
    v = first(v);
    if (v.startsWith("0x")) {
      return Long.parseLong(v.substring(2), 16);
    }
    if (v.equals("True")) {
      return 1;
    }
    if (v.equals("False")) {
      return 0;
    }
    return Long.parseLong(v);
  }

  private static void compare(SoftAssertions soft, PacketDissector d, Map<String, String> row, BufferShape shape) {
    String where = row.get("file") + "#" + row.get("frame") + " " + shape + " ";
    soft.assertThat(Hex.decode(row.get("hex")).length).as(where + "frame.cap_len")
        .isEqualTo(Integer.parseInt(row.get("frame.cap_len")));
    soft.assertThat(d.stopLayer()).as(where + "stop layer, " + d.report()).isEqualTo(Layer.NONE);

    if (row.containsKey("eth.src")) {
      soft.assertThat(d.hasEthernet()).as(where + "ethernet").isTrue();
      EthernetFrame eth = d.ethernet();
      soft.assertThat(EthernetFrame.formatMac(eth.source())).as(where + "eth.src").isEqualTo(first(row.get("eth.src")));
      soft.assertThat(EthernetFrame.formatMac(eth.destination())).as(where + "eth.dst")
          .isEqualTo(first(row.get("eth.dst")));
      if (row.containsKey("eth.type")) {
        soft.assertThat((long) eth.typeOrLength()).as(where + "eth.type").isEqualTo(num(row.get("eth.type")));
        soft.assertThat(eth.isLengthFrame()).as(where + "not a length frame").isFalse();
      }
      if (row.containsKey("eth.len")) {
        soft.assertThat((long) eth.typeOrLength()).as(where + "eth.len").isEqualTo(num(row.get("eth.len")));
        soft.assertThat(eth.isLengthFrame()).as(where + "length frame").isTrue();
      }
    }
    if (row.containsKey("vlan.id")) {
      List<String> ids = new ArrayList<>();
      List<String> prios = new ArrayList<>();
      List<String> deis = new ArrayList<>();
      for (int i = 0; i < d.vlanCount(); i++) {
        VlanTag t = d.vlan(i);
        if (t.tpid() == EtherTypes.QINQ) {
          continue; // tshark 4.0 dissects 0x88a8 tags as "ieee8021ad", not "vlan"
        }
        ids.add(Integer.toString(t.vlanId()));
        prios.add(Integer.toString(t.priority()));
        deis.add(t.isDropEligible() ? "1" : "0");
      }
      soft.assertThat(String.join(",", ids)).as(where + "vlan.id").isEqualTo(row.get("vlan.id"));
      soft.assertThat(String.join(",", prios)).as(where + "vlan.priority").isEqualTo(row.get("vlan.priority"));
      soft.assertThat(String.join(",", deis)).as(where + "vlan.dei").isEqualTo(row.get("vlan.dei"));
      soft.assertThat((long) d.vlan(d.vlanCount() - 1).etherType()).as(where + "vlan.etype (innermost)")
          .isEqualTo(num(row.get("vlan.etype").substring(row.get("vlan.etype").lastIndexOf(',') + 1)));
    } else if (row.containsKey("eth.src")) {
      soft.assertThat(d.vlanCount()).as(where + "no 802.1Q tag").isEqualTo(
          (int) java.util.stream.IntStream.range(0, d.vlanCount())
              .filter(i -> d.vlan(i).tpid() == EtherTypes.QINQ).count());
    }
    if (row.containsKey("sll.etype")) {
      if (d.hasSll()) {
        soft.assertThat((long) d.sll().packetType()).as(where + "sll.pkttype").isEqualTo(num(row.get("sll.pkttype")));
        soft.assertThat((long) d.sll().protocolType()).as(where + "sll.etype").isEqualTo(num(row.get("sll.etype")));
      } else {
        soft.assertThat(d.hasSll2()).as(where + "sll2").isTrue();
        soft.assertThat((long) d.sll2().packetType()).as(where + "sll.pkttype").isEqualTo(num(row.get("sll.pkttype")));
        soft.assertThat((long) d.sll2().protocolType()).as(where + "sll.etype").isEqualTo(num(row.get("sll.etype")));
        soft.assertThat(d.sll2().interfaceIndex()).as(where + "sll.ifindex").isEqualTo(num(row.get("sll.ifindex")));
      }
    }
    if (row.containsKey("null.family")) {
      soft.assertThat(d.hasLoopback()).as(where + "loopback").isTrue();
      soft.assertThat((long) d.loopback().family()).as(where + "null.family").isEqualTo(num(row.get("null.family")));
    }
    if (row.containsKey("ip.src")) {
      soft.assertThat(d.has(Layer.IPV4)).as(where + "has IPv4").isTrue();
      Ipv4Packet ip = d.ipv4();
      soft.assertThat((long) ip.headerLength()).as(where + "ip.hdr_len").isEqualTo(num(row.get("ip.hdr_len")));
      soft.assertThat((long) ip.typeOfService()).as(where + "ip.dsfield").isEqualTo(num(row.get("ip.dsfield")));
      soft.assertThat((long) ip.totalLength()).as(where + "ip.len").isEqualTo(num(row.get("ip.len")));
      soft.assertThat((long) ip.identification()).as(where + "ip.id").isEqualTo(num(row.get("ip.id")));
      soft.assertThat(ip.isDontFragment() ? 1L : 0L).as(where + "ip.flags.df").isEqualTo(num(row.get("ip.flags.df")));
      soft.assertThat(ip.isMoreFragments() ? 1L : 0L).as(where + "ip.flags.mf").isEqualTo(num(row.get("ip.flags.mf")));
      soft.assertThat((long) ip.fragmentOffset()).as(where + "ip.frag_offset").isEqualTo(num(row.get("ip.frag_offset")));
      soft.assertThat((long) ip.timeToLive()).as(where + "ip.ttl").isEqualTo(num(row.get("ip.ttl")));
      soft.assertThat((long) ip.protocol()).as(where + "ip.proto").isEqualTo(num(row.get("ip.proto")));
      soft.assertThat((long) ip.headerChecksum()).as(where + "ip.checksum").isEqualTo(num(row.get("ip.checksum")));
      if (row.containsKey("ip.checksum.status") && num(row.get("ip.checksum.status")) != 2) {
        soft.assertThat(ip.isHeaderChecksumValid()).as(where + "ip.checksum.status")
            .isEqualTo(num(row.get("ip.checksum.status")) == 1);
      }
      soft.assertThat(Ipv4Packet.formatAddress(ip.sourceAddress())).as(where + "ip.src").isEqualTo(first(row.get("ip.src")));
      soft.assertThat(Ipv4Packet.formatAddress(ip.destinationAddress())).as(where + "ip.dst")
          .isEqualTo(first(row.get("ip.dst")));
    } else {
      soft.assertThat(d.has(Layer.IPV4)).as(where + "no IPv4").isFalse();
    }
    if (row.containsKey("ipv6.src")) {
      soft.assertThat(d.has(Layer.IPV6)).as(where + "has IPv6").isTrue();
      Ipv6Packet ip = d.ipv6();
      soft.assertThat((long) ip.trafficClass()).as(where + "ipv6.tclass").isEqualTo(num(row.get("ipv6.tclass")));
      soft.assertThat((long) ip.flowLabel()).as(where + "ipv6.flow").isEqualTo(num(row.get("ipv6.flow")));
      soft.assertThat((long) ip.payloadLength()).as(where + "ipv6.plen").isEqualTo(num(row.get("ipv6.plen")));
      soft.assertThat((long) ip.nextHeader()).as(where + "ipv6.nxt").isEqualTo(num(row.get("ipv6.nxt")));
      soft.assertThat((long) ip.hopLimit()).as(where + "ipv6.hlim").isEqualTo(num(row.get("ipv6.hlim")));
      soft.assertThat(Ipv6Packet.formatAddress(ip.sourceAddressHigh(), ip.sourceAddressLow())).as(where + "ipv6.src")
          .isEqualTo(first(row.get("ipv6.src")));
      soft.assertThat(Ipv6Packet.formatAddress(ip.destinationAddressHigh(), ip.destinationAddressLow()))
          .as(where + "ipv6.dst").isEqualTo(first(row.get("ipv6.dst")));
      if (row.containsKey("ipv6.fraghdr.offset")) {
        Ipv6ExtensionCursor c = new Ipv6ExtensionCursor();
        c.wrap(ip);
        boolean found = false;
        while (c.next()) {
          if (c.headerType() == IpProtocols.IPV6_FRAG) {
            found = true;
            soft.assertThat((long) c.fragmentOffset()).as(where + "ipv6.fraghdr.offset")
                .isEqualTo(num(row.get("ipv6.fraghdr.offset")));
            soft.assertThat(c.isMoreFragments() ? 1L : 0L).as(where + "ipv6.fraghdr.more")
                .isEqualTo(num(row.get("ipv6.fraghdr.more")));
            soft.assertThat(c.fragmentIdentification()).as(where + "ipv6.fraghdr.ident")
                .isEqualTo(num(row.get("ipv6.fraghdr.ident")));
            break;
          }
        }
        soft.assertThat(found).as(where + "fragment header").isTrue();
      }
    } else {
      soft.assertThat(d.has(Layer.IPV6)).as(where + "no IPv6").isFalse();
    }
    if (d.transportProtocol() == IpProtocols.IPV4 || d.transportProtocol() == IpProtocols.IPV6) {
      // IP-in-IP (e.g. SRv6 encapsulation): tshark dissects the inner packet, the dissector stops at the outer one.
      soft.assertThat(d.has(Layer.TCP) || d.has(Layer.UDP)).as(where + "tunnel ends the walk").isFalse();
      return;
    }
    if (row.containsKey("tcp.srcport")) {
      soft.assertThat(d.has(Layer.TCP)).as(where + "has TCP").isTrue();
      TcpSegment tcp = d.tcp();
      soft.assertThat((long) tcp.sourcePort()).as(where + "tcp.srcport").isEqualTo(num(row.get("tcp.srcport")));
      soft.assertThat((long) tcp.destinationPort()).as(where + "tcp.dstport").isEqualTo(num(row.get("tcp.dstport")));
      soft.assertThat(tcp.sequenceNumber()).as(where + "tcp.seq_raw").isEqualTo(num(row.get("tcp.seq_raw")));
      soft.assertThat(tcp.acknowledgmentNumber()).as(where + "tcp.ack_raw").isEqualTo(num(row.get("tcp.ack_raw")));
      soft.assertThat((long) tcp.headerLength()).as(where + "tcp.hdr_len").isEqualTo(num(row.get("tcp.hdr_len")));
      long tsharkFlags = num(row.get("tcp.flags"));
      soft.assertThat((long) tcp.flags()).as(where + "tcp.flags").isEqualTo(tsharkFlags & 0x1ff);
      soft.assertThat((long) tcp.reservedBits()).as(where + "tcp.flags.res").isEqualTo(tsharkFlags >>> 9);
      soft.assertThat((long) tcp.window()).as(where + "tcp.window_size_value")
          .isEqualTo(num(row.get("tcp.window_size_value")));
      soft.assertThat((long) tcp.checksum()).as(where + "tcp.checksum").isEqualTo(num(row.get("tcp.checksum")));
      soft.assertThat((long) tcp.urgentPointer()).as(where + "tcp.urgent_pointer")
          .isEqualTo(num(row.get("tcp.urgent_pointer")));
      soft.assertThat((long) tcp.payloadLength()).as(where + "tcp.len").isEqualTo(num(row.get("tcp.len")));
      checkOptions(soft, where, tcp, row);
    } else {
      soft.assertThat(d.has(Layer.TCP)).as(where + "no TCP").isFalse();
    }
    if (row.containsKey("udp.srcport")) {
      soft.assertThat(d.has(Layer.UDP)).as(where + "has UDP").isTrue();
      soft.assertThat((long) d.udp().sourcePort()).as(where + "udp.srcport").isEqualTo(num(row.get("udp.srcport")));
      soft.assertThat((long) d.udp().destinationPort()).as(where + "udp.dstport")
          .isEqualTo(num(row.get("udp.dstport")));
      soft.assertThat((long) d.udp().length()).as(where + "udp.length").isEqualTo(num(row.get("udp.length")));
    } else {
      soft.assertThat(d.has(Layer.UDP)).as(where + "no UDP").isFalse();
    }
    if (row.containsKey("icmp.type")) {
      soft.assertThat(d.has(Layer.ICMP)).as(where + "has ICMP").isTrue();
      soft.assertThat((long) d.icmp().type()).as(where + "icmp.type").isEqualTo(num(row.get("icmp.type")));
      soft.assertThat((long) d.icmp().code()).as(where + "icmp.code").isEqualTo(num(row.get("icmp.code")));
    }
    if (row.containsKey("icmpv6.type")) {
      soft.assertThat(d.has(Layer.ICMPV6)).as(where + "has ICMPv6").isTrue();
      soft.assertThat((long) d.icmp().type()).as(where + "icmpv6.type").isEqualTo(num(row.get("icmpv6.type")));
      soft.assertThat((long) d.icmp().code()).as(where + "icmpv6.code").isEqualTo(num(row.get("icmpv6.code")));
    }
    boolean cut = Long.parseLong(row.get("frame.len")) > Long.parseLong(row.get("frame.cap_len"));
    soft.assertThat(d.isTruncated()).as(where + "truncated by the snaplen").isEqualTo(cut);
  }

  private static void checkOptions(SoftAssertions soft, String where, TcpSegment tcp, Map<String, String> row) {
    TcpOptionCursor c = new TcpOptionCursor();
    c.wrap(tcp);
    List<String> kinds = new ArrayList<>();
    List<String> sackLe = new ArrayList<>();
    List<String> sackRe = new ArrayList<>();
    while (c.next()) {
      kinds.add(Integer.toString(c.kind()));
      switch (c.kind()) {
        case TcpOptionCursor.MSS:
          soft.assertThat((long) c.mss()).as(where + "tcp.options.mss_val").isEqualTo(num(row.get("tcp.options.mss_val")));
          break;
        case TcpOptionCursor.WINDOW_SCALE:
          soft.assertThat((long) c.windowScale()).as(where + "tcp.options.wscale.shift")
              .isEqualTo(num(row.get("tcp.options.wscale.shift")));
          break;
        case TcpOptionCursor.TIMESTAMPS:
          soft.assertThat(c.timestampValue()).as(where + "tsval").isEqualTo(num(row.get("tcp.options.timestamp.tsval")));
          soft.assertThat(c.timestampEchoReply()).as(where + "tsecr")
              .isEqualTo(num(row.get("tcp.options.timestamp.tsecr")));
          break;
        case TcpOptionCursor.SACK:
          for (int i = 0; i < c.sackBlockCount(); i++) {
            sackLe.add(Long.toString(c.sackLeftEdge(i)));
            sackRe.add(Long.toString(c.sackRightEdge(i)));
          }
          break;
        default:
          break;
      }
    }
    soft.assertThat(c.report().isMalformed()).as(where + "options " + c.report()).isFalse();
    // tshark lists every padding byte after End of Option List as one more EOL; the cursor ends at the first.
    String tsharkKinds = row.getOrDefault("tcp.option_kind", "").replaceAll("(,0)+$", ",0");
    soft.assertThat(String.join(",", kinds)).as(where + "tcp.option_kind").isEqualTo(tsharkKinds);
    soft.assertThat(String.join(",", sackLe)).as(where + "tcp.options.sack_le")
        .isEqualTo(row.getOrDefault("tcp.options.sack_le", ""));
    soft.assertThat(String.join(",", sackRe)).as(where + "tcp.options.sack_re")
        .isEqualTo(row.getOrDefault("tcp.options.sack_re", ""));
  }
}
