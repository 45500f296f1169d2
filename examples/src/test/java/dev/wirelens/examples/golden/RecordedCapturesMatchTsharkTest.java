package dev.wirelens.examples.golden;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Layer;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.ip.IpProtocols;
import dev.wirelens.ip.Ipv4Packet;
import dev.wirelens.ip.Ipv6ExtensionCursor;
import dev.wirelens.ip.Ipv6Packet;
import dev.wirelens.link.EthernetFrame;
import dev.wirelens.link.LinuxSll2Header;
import dev.wirelens.link.LinuxSllHeader;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.tcp.FlowKey;
import dev.wirelens.tcp.TcpOptionCursor;
import dev.wirelens.tcp.TcpSegment;
import dev.wirelens.udp.UdpDatagram;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * End to end: every recorded capture, read with {@link CaptureReader} and dissected with {@link PacketDissector},
 * gives every field that tshark recorded for it in {@code X.tsv} (captures and expectations made together by
 * {@code scripts/record-foundation.sh}; tshark 4.0.17; see the README next to them).
 *
 * <p>Where a layer is present for tshark it must be present for us, and absent where tshark has none, with one
 * documented difference: tshark shows the fields of a transport header that the snap length cut in the middle;
 * our views refuse a partial header and report {@link Malformation#TRUNCATED} for it. For such frames the test
 * checks that the frame really was cut (tshark's {@code frame.cap_len < frame.len}) and that the truncation report
 * names the right layer and a required length beyond the captured bytes.
 */
class RecordedCapturesMatchTsharkTest {

  static List<String> captures() {
    return Captures.ALL;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("captures")
  void everyFieldTsharkRecordedIsDecodedTheSame(String name) {
    TsharkTable table = TsharkTable.read(Captures.path(name + ".tsv"));
    PacketDissector d = new PacketDissector();
    SoftAssertions soft = new SoftAssertions();
    int index = 0;
    try (CaptureReader reader = CaptureReader.open(Captures.path(name))) {
      DecodeStatus status;
      while ((status = reader.next()) == DecodeStatus.FRAME) {
        assertThat(index).as("%s: more frames than tshark saw", name).isLessThan(table.size());
        TsharkTable.Row row = table.row(index);
        Frame f = new Frame(soft, name, row.number("frame.number"));
        assertThat(row.number("frame.number")).isEqualTo(index + 1);
        f.eq("frame.time_epoch", reader.timestampNanos(), TsharkTable.epochNanos(row.text("frame.time_epoch")));
        f.eq("frame.len", reader.originalLength(), row.number("frame.len"));
        f.eq("frame.cap_len", reader.capturedLength(), row.number("frame.cap_len"));
        f.eq("frame bytes", reader.frame().readableBytes(), row.number("frame.cap_len"));
        if (row.has("frame.interface_id")) {
          f.eq("frame.interface_id", reader.interfaceId(), row.number("frame.interface_id"));
        }
        d.dissect(reader.frame(), reader.linkType());
        boolean cutByUs = d.isTruncated()
            || (d.report().isMalformed() && d.report().malformation() == Malformation.TRUNCATED);
        f.eq("cut by the snap length (cap_len < len)", cutByUs,
            row.number("frame.cap_len") < row.number("frame.len"));
        checkLink(f, row, d);
        checkIp(f, row, d);
        checkTransport(f, row, d, reader.capturedLength(), reader.originalLength());
        index++;
      }
      assertThat(status).as("%s: read to the end", name).isEqualTo(DecodeStatus.END);
    }
    assertThat(index).as("%s: frames read", name).isEqualTo(table.size());
    soft.assertAll();
  }

  private static void checkLink(Frame f, TsharkTable.Row row, PacketDissector d) {
    f.eq("eth present", d.hasEthernet(), row.has("eth.src"));
    if (d.hasEthernet() && row.has("eth.src")) {
      EthernetFrame eth = d.ethernet();
      f.eq("eth.src", EthernetFrame.formatMac(eth.source()), row.first("eth.src"));
      f.eq("eth.dst", EthernetFrame.formatMac(eth.destination()), row.first("eth.dst"));
      f.eq("eth.type", (long) eth.typeOrLength(), row.number("eth.type"));
    }
    // tshark names an 802.1ad S-tag (TPID 0x88a8) "ieee8021ad" and an 802.1Q C-tag "vlan"; S-tags are outermost.
    List<Long> ids = new ArrayList<>(row.numbers("ieee8021ad.id"));
    List<Long> priorities = new ArrayList<>(row.numbers("ieee8021ad.priority"));
    List<Long> tpids = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      tpids.add(0x88A8L);
    }
    ids.addAll(row.numbers("vlan.id"));
    priorities.addAll(row.numbers("vlan.priority"));
    while (tpids.size() < ids.size()) {
      tpids.add(0x8100L);
    }
    f.eq("vlan tag count", d.vlanCount(), ids.size());
    for (int i = 0; i < Math.min(ids.size(), d.vlanCount()); i++) {
      f.eq("tag[" + i + "] id", d.vlan(i).vlanId(), ids.get(i).longValue());
      f.eq("tag[" + i + "] priority", d.vlan(i).priority(), priorities.get(i).longValue());
      f.eq("tag[" + i + "] tpid", d.vlan(i).tpid(), tpids.get(i).longValue());
      if (i + 1 < ids.size()) {
        f.eq("tag[" + i + "] ethertype", d.vlan(i).etherType(), tpids.get(i + 1).longValue());
      }
    }
    List<Long> innerTypes = row.numbers("vlan.etype");
    if (d.vlanCount() > 0 && !innerTypes.isEmpty()) {
      f.eq("vlan.etype (innermost tag)", d.vlan(d.vlanCount() - 1).etherType(),
          innerTypes.get(innerTypes.size() - 1).longValue());
    }
    boolean sll = row.has("sll.pkttype");
    f.eq("sll present", d.hasSll() || d.hasSll2(), sll);
    if (d.hasSll() && sll) {
      LinuxSllHeader h = d.sll();
      f.eq("sll.pkttype", h.packetType(), row.number("sll.pkttype"));
      f.eq("sll.hatype", h.arphrdType(), row.number("sll.hatype"));
      f.eq("sll.halen", h.addressLength(), row.number("sll.halen"));
      f.eq("sll.src.eth", EthernetFrame.formatMac(h.address48()), row.first("sll.src.eth"));
      f.eq("sll.etype", h.protocolType(), row.number(row.has("sll.etype") ? "sll.etype" : "sll.ltype"));
    }
    if (d.hasSll2() && sll) {
      LinuxSll2Header h = d.sll2();
      f.eq("sll.pkttype", h.packetType(), row.number("sll.pkttype"));
      f.eq("sll.hatype", h.arphrdType(), row.number("sll.hatype"));
      f.eq("sll.halen", h.addressLength(), row.number("sll.halen"));
      f.eq("sll.src.eth", EthernetFrame.formatMac(h.address48()), row.first("sll.src.eth"));
      f.eq("sll.etype", h.protocolType(), row.number(row.has("sll.etype") ? "sll.etype" : "sll.ltype"));
      f.eq("sll.ifindex", h.interfaceIndex(), row.number("sll.ifindex"));
    }
  }

  private static void checkIp(Frame f, TsharkTable.Row row, PacketDissector d) {
    f.eq("ipv4 present", d.has(Layer.IPV4), row.has("ip.src"));
    if (d.has(Layer.IPV4) && row.has("ip.src")) {
      Ipv4Packet ip = d.ipv4();
      f.eq("ip.version", ip.version(), row.number("ip.version"));
      f.eq("ip.hdr_len", ip.headerLength(), row.number("ip.hdr_len"));
      f.eq("ip.dsfield", ip.typeOfService(), row.number("ip.dsfield"));
      f.eq("ip.len", ip.totalLength(), row.number("ip.len"));
      f.eq("ip.id", ip.identification(), row.number("ip.id"));
      f.eq("ip.flags.df", ip.isDontFragment() ? 1 : 0, row.number("ip.flags.df"));
      f.eq("ip.flags.mf", ip.isMoreFragments() ? 1 : 0, row.number("ip.flags.mf"));
      f.eq("ip.frag_offset", ip.fragmentOffset(), row.number("ip.frag_offset"));
      f.eq("ip.ttl", ip.timeToLive(), row.number("ip.ttl"));
      f.eq("ip.proto", ip.protocol(), row.number("ip.proto"));
      f.eq("ip.checksum", ip.headerChecksum(), row.number("ip.checksum"));
      if (row.has("ip.checksum.status")) {
        // tshark with ip.check_checksum on: 1 = good, 0 = bad (2 = unverified is not recorded here).
        f.eq("ip.checksum.status", ip.isHeaderChecksumValid() ? 1 : 0, row.number("ip.checksum.status"));
      }
      f.eq("ip.src", Ipv4Packet.formatAddress(ip.sourceAddress()), row.first("ip.src"));
      f.eq("ip.dst", Ipv4Packet.formatAddress(ip.destinationAddress()), row.first("ip.dst"));
    }
    f.eq("ipv6 present", d.has(Layer.IPV6), row.has("ipv6.src"));
    if (d.has(Layer.IPV6) && row.has("ipv6.src")) {
      Ipv6Packet ip = d.ipv6();
      f.eq("ip.version (ipv6)", ip.version(), row.number("ip.version"));
      f.eq("ipv6.version", ip.version(), row.number("ipv6.version"));
      f.eq("ipv6.tclass", ip.trafficClass(), row.number("ipv6.tclass"));
      f.eq("ipv6.flow", ip.flowLabel(), row.number("ipv6.flow"));
      f.eq("ipv6.plen", ip.payloadLength(), row.number("ipv6.plen"));
      f.eq("ipv6.nxt", ip.nextHeader(), row.number("ipv6.nxt"));
      f.eq("ipv6.hlim", ip.hopLimit(), row.number("ipv6.hlim"));
      f.eq("ipv6.src", Ipv6Packet.formatAddress(ip.sourceAddressHigh(), ip.sourceAddressLow()),
          row.first("ipv6.src"));
      f.eq("ipv6.dst", Ipv6Packet.formatAddress(ip.destinationAddressHigh(), ip.destinationAddressLow()),
          row.first("ipv6.dst"));
      checkExtensions(f, row, ip);
    }
  }

  private static void checkExtensions(Frame f, TsharkTable.Row row, Ipv6Packet ip) {
    List<Long> hopNext = new ArrayList<>();
    List<Long> hopLen = new ArrayList<>();
    List<Long> dstNext = new ArrayList<>();
    List<Long> dstLen = new ArrayList<>();
    List<Long> routeNext = new ArrayList<>();
    List<Long> routeLen = new ArrayList<>();
    List<Long> routeType = new ArrayList<>();
    List<Long> routeSegmentsLeft = new ArrayList<>();
    List<Long> fragNext = new ArrayList<>();
    List<Long> fragOffset = new ArrayList<>();
    List<Long> fragMore = new ArrayList<>();
    List<Long> fragIdent = new ArrayList<>();
    Ipv6ExtensionCursor c = new Ipv6ExtensionCursor();
    if (c.wrap(ip)) {
      while (c.next()) {
        // Hdr Ext Len (RFC 8200 §4.3, §4.6) is the length in 8-octet units, not counting the first 8 octets.
        long extLen = c.headerLength() / 8 - 1;
        switch (c.headerType()) {
          case IpProtocols.HOPOPT:
            hopNext.add((long) c.nextHeader());
            hopLen.add(extLen);
            break;
          case IpProtocols.IPV6_OPTS:
            dstNext.add((long) c.nextHeader());
            dstLen.add(extLen);
            break;
          case IpProtocols.IPV6_ROUTE:
            routeNext.add((long) c.nextHeader());
            routeLen.add(extLen);
            routeType.add((long) c.routingType());
            routeSegmentsLeft.add((long) c.segmentsLeft());
            break;
          case IpProtocols.IPV6_FRAG:
            fragNext.add((long) c.nextHeader());
            fragOffset.add((long) c.fragmentOffset());
            fragMore.add(c.isMoreFragments() ? 1L : 0L);
            fragIdent.add(c.fragmentIdentification());
            break;
          default:
            break;
        }
      }
    }
    f.eq("ipv6.hopopts.nxt", hopNext, row.numbers("ipv6.hopopts.nxt"));
    f.eq("ipv6.hopopts.len", hopLen, row.numbers("ipv6.hopopts.len"));
    f.eq("ipv6.dstopts.nxt", dstNext, row.numbers("ipv6.dstopts.nxt"));
    f.eq("ipv6.dstopts.len", dstLen, row.numbers("ipv6.dstopts.len"));
    f.eq("ipv6.routing.nxt", routeNext, row.numbers("ipv6.routing.nxt"));
    f.eq("ipv6.routing.len", routeLen, row.numbers("ipv6.routing.len"));
    f.eq("ipv6.routing.type", routeType, row.numbers("ipv6.routing.type"));
    f.eq("ipv6.routing.segleft", routeSegmentsLeft, row.numbers("ipv6.routing.segleft"));
    f.eq("ipv6.fraghdr.nxt", fragNext, row.numbers("ipv6.fraghdr.nxt"));
    f.eq("ipv6.fraghdr.offset", fragOffset, row.numbers("ipv6.fraghdr.offset"));
    f.eq("ipv6.fraghdr.more", fragMore, row.numbers("ipv6.fraghdr.more"));
    f.eq("ipv6.fraghdr.ident", fragIdent, row.numbers("ipv6.fraghdr.ident"));
  }

  private static void checkTransport(Frame f, TsharkTable.Row row, PacketDissector d, int capturedLength,
      long originalLength) {
    MalformationReport r = d.report();
    boolean cut = r.isMalformed() && r.malformation() == Malformation.TRUNCATED;
    if (cut && (d.stopLayer() == Layer.TCP || d.stopLayer() == Layer.UDP)) {
      // tshark shows the partial header; we refuse it. Check the cut is real and reported where it happened.
      f.eq("snaplen cut the frame", capturedLength < originalLength, true);
      f.eq("truncated layer", d.stopLayer(), row.has("tcp.srcport") ? Layer.TCP : Layer.UDP);
      f.eq("truncation needs more than was captured", r.offset() + r.requiredLength() > capturedLength, true);
      return;
    }
    // An ICMP error quotes the datagram that caused it (RFC 792, RFC 4443 §3): tshark dissects the quote, so its
    // TCP/UDP fields (and second IP occurrences) there belong to the quoted datagram, which we do not decode.
    boolean quote = isIcmpError(row);
    f.eq("tcp present", d.has(Layer.TCP), row.has("tcp.srcport") && !quote);
    if (d.has(Layer.TCP) && row.has("tcp.srcport")) {
      TcpSegment tcp = d.tcp();
      f.eq("tcp.srcport", tcp.sourcePort(), row.number("tcp.srcport"));
      f.eq("tcp.dstport", tcp.destinationPort(), row.number("tcp.dstport"));
      f.eq("tcp.seq_raw", tcp.sequenceNumber(), row.number("tcp.seq_raw"));
      f.eq("tcp.ack_raw", tcp.acknowledgmentNumber(), row.number("tcp.ack_raw"));
      f.eq("tcp.hdr_len", tcp.headerLength(), row.number("tcp.hdr_len"));
      long flags = row.number("tcp.flags");
      f.eq("tcp.flags (low 9 bits)", tcp.flags(), flags & 0x1FF);
      f.eq("tcp.flags (reserved bits)", tcp.reservedBits(), flags >> 9);
      f.eq("tcp.window_size_value", tcp.window(), row.number("tcp.window_size_value"));
      f.eq("tcp.checksum", tcp.checksum(), row.number("tcp.checksum"));
      f.eq("tcp.urgent_pointer", tcp.urgentPointer(), row.number("tcp.urgent_pointer"));
      f.eq("tcp.len", tcp.payloadLength(), row.number("tcp.len"));
      checkTcpOptions(f, row, tcp);
      checkFlowKey(f, row, d, tcp.sourcePort(), tcp.destinationPort());
    }
    f.eq("udp present", d.has(Layer.UDP), row.has("udp.srcport") && !quote);
    if (d.has(Layer.UDP) && row.has("udp.srcport")) {
      UdpDatagram udp = d.udp();
      f.eq("udp.srcport", udp.sourcePort(), row.number("udp.srcport"));
      f.eq("udp.dstport", udp.destinationPort(), row.number("udp.dstport"));
      f.eq("udp.length", udp.length(), row.number("udp.length"));
      f.eq("udp.checksum", udp.checksum(), row.number("udp.checksum"));
      checkFlowKey(f, row, d, udp.sourcePort(), udp.destinationPort());
    }
    f.eq("icmp present", d.has(Layer.ICMP), row.has("icmp.type"));
    if (d.has(Layer.ICMP) && row.has("icmp.type")) {
      f.eq("icmp.type", d.icmp().type(), row.number("icmp.type"));
      f.eq("icmp.code", d.icmp().code(), row.number("icmp.code"));
    }
    f.eq("icmpv6 present", d.has(Layer.ICMPV6), row.has("icmpv6.type"));
    if (d.has(Layer.ICMPV6) && row.has("icmpv6.type")) {
      f.eq("icmpv6.type", d.icmp().type(), row.number("icmpv6.type"));
      f.eq("icmpv6.code", d.icmp().code(), row.number("icmpv6.code"));
    }
  }

  private static boolean isIcmpError(TsharkTable.Row row) {
    if (row.has("icmp.type")) {
      long t = row.number("icmp.type");
      return t == 3 || t == 4 || t == 5 || t == 11 || t == 12;
    }
    if (row.has("icmpv6.type")) {
      long t = row.number("icmpv6.type");
      return t >= 1 && t <= 4;
    }
    return false;
  }

  /** The 5-tuple the dissector gives is tshark's addresses, protocol and ports. */
  private static void checkFlowKey(Frame f, TsharkTable.Row row, PacketDissector d, int sourcePort,
      int destinationPort) {
    FlowKey key = new FlowKey();
    f.eq("flow key", d.flowKey(key), true);
    f.eq("flow key source port", key.sourcePort(), sourcePort);
    f.eq("flow key destination port", key.destinationPort(), destinationPort);
    f.eq("flow key protocol", key.protocol(), row.has("tcp.srcport") ? IpProtocols.TCP : IpProtocols.UDP);
    if (row.has("ip.src")) {
      f.eq("flow key ip version", key.ipVersion(), 4);
      f.eq("flow key source", Ipv4Packet.formatAddress(key.sourceIpv4()), row.first("ip.src"));
      f.eq("flow key destination", Ipv4Packet.formatAddress(key.destinationIpv4()), row.first("ip.dst"));
    } else {
      f.eq("flow key ip version", key.ipVersion(), 6);
      f.eq("flow key source", Ipv6Packet.formatAddress(key.sourceHigh(), key.sourceLow()), row.first("ipv6.src"));
      f.eq("flow key destination", Ipv6Packet.formatAddress(key.destinationHigh(), key.destinationLow()),
          row.first("ipv6.dst"));
    }
  }

  private static void checkTcpOptions(Frame f, TsharkTable.Row row, TcpSegment tcp) {
    List<Long> kinds = new ArrayList<>();
    List<Long> mss = new ArrayList<>();
    List<Long> shift = new ArrayList<>();
    List<Long> tsval = new ArrayList<>();
    List<Long> tsecr = new ArrayList<>();
    int sackPermitted = 0;
    TcpOptionCursor o = new TcpOptionCursor();
    f.eq("tcp options walk", o.wrap(tcp), true);
    while (o.next()) {
      kinds.add((long) o.kind());
      switch (o.kind()) {
        case TcpOptionCursor.MSS: mss.add((long) o.mss()); break;
        case TcpOptionCursor.WINDOW_SCALE: shift.add((long) o.windowScale()); break;
        case TcpOptionCursor.SACK_PERMITTED: sackPermitted++; break;
        case TcpOptionCursor.TIMESTAMPS:
          tsval.add(o.timestampValue());
          tsecr.add(o.timestampEchoReply());
          break;
        default: break;
      }
    }
    f.eq("tcp options malformation", o.report().isMalformed(), false);
    f.eq("tcp.option_kind", kinds, row.numbers("tcp.option_kind"));
    f.eq("tcp.options.mss_val", mss, row.numbers("tcp.options.mss_val"));
    f.eq("tcp.options.wscale.shift", shift, row.numbers("tcp.options.wscale.shift"));
    f.eq("tcp.options.sack_perm count", sackPermitted, row.all("tcp.options.sack_perm").size());
    f.eq("tcp.options.timestamp.tsval", tsval, row.numbers("tcp.options.timestamp.tsval"));
    f.eq("tcp.options.timestamp.tsecr", tsecr, row.numbers("tcp.options.timestamp.tsecr"));
  }

  /** Soft assertions labelled with the capture, frame number and tshark field. */
  private static final class Frame {
    private final SoftAssertions soft;
    private final String capture;
    private final long number;

    Frame(SoftAssertions soft, String capture, long number) {
      this.soft = soft;
      this.capture = capture;
      this.number = number;
    }

    void eq(String field, long actual, long expected) {
      soft.assertThat(actual).as("%s frame %d %s", capture, number, field).isEqualTo(expected);
    }

    void eq(String field, Object actual, Object expected) {
      soft.assertThat(actual).as("%s frame %d %s", capture, number, field).isEqualTo(expected);
    }
  }
}
