package dev.wirelens.examples.cli;

import dev.wirelens.Layer;
import dev.wirelens.MalformationReport;
import dev.wirelens.ip.IpProtocols;
import dev.wirelens.ip.Ipv4Packet;
import dev.wirelens.ip.Ipv6ExtensionCursor;
import dev.wirelens.ip.Ipv6Packet;
import dev.wirelens.icmp.IcmpMessage;
import dev.wirelens.link.EtherTypes;
import dev.wirelens.link.EthernetFrame;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.tcp.FlowKey;
import dev.wirelens.tcp.TcpOptionCursor;
import dev.wirelens.tcp.TcpSegment;
import dev.wirelens.udp.UdpDatagram;
import io.netty.buffer.ByteBuf;

/**
 * Formats one packet as a line in the manner of tshark's one-line summary:
 *
 * <pre>
 *     3 0.000020230 10.200.0.1 → 10.200.0.2 TCP 80 55272 → 8080 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 ...
 *   number, time since the first packet, source → destination, protocol, frame length, info
 * </pre>
 *
 * <p>Sources and destinations are IP addresses when the frame holds IPv4 or IPv6, else MAC addresses. TCP
 * sequence and acknowledgment numbers are relative per connection and the window is scaled, as tshark shows
 * them ({@link RelativeSequenceTracker}). A frame that could not be dissected to the end gets its malformation
 * appended in brackets; a frame cut by the capture's snap length gets {@code [Packet size limited during
 * capture]}, as in tshark.
 *
 * <p>Allocation: one {@link String} per line. Thread safety: not thread safe.
 */
final class PacketSummary {
  private final StringBuilder line = new StringBuilder(160);
  private final RelativeSequenceTracker sequences = new RelativeSequenceTracker();
  private final FlowKey key = new FlowKey();
  private final TcpOptionCursor options = new TcpOptionCursor();
  private final Ipv6ExtensionCursor extensions = new Ipv6ExtensionCursor();
  private final byte[] address = new byte[16];

  /**
   * Formats one frame that {@code d} has just dissected.
   *
   * @param number 1-based frame number
   * @param relativeNanos time since the first frame, in nanoseconds
   * @param decimals 9 for nanosecond captures, 6 for microsecond ones
   * @param frame the frame's bytes (readable bytes), as given to the dissector
   * @param originalLength the frame's length on the wire
   */
  String format(long number, long relativeNanos, int decimals, PacketDissector d, ByteBuf frame,
      long originalLength) {
    line.setLength(0);
    pad(Long.toString(number), 5);
    line.append(' ');
    appendTime(relativeNanos, decimals);
    line.append(' ');
    if (d.has(Layer.IPV4)) {
      line.append(Ipv4Packet.formatAddress(d.ipv4().sourceAddress())).append(" → ")
          .append(Ipv4Packet.formatAddress(d.ipv4().destinationAddress()));
    } else if (d.has(Layer.IPV6)) {
      Ipv6Packet ip = d.ipv6();
      line.append(Ipv6Packet.formatAddress(ip.sourceAddressHigh(), ip.sourceAddressLow())).append(" → ");
      if (finalDestination(ip, frame)) {
        line.append(Ipv6Packet.formatAddress(address, 0));
      } else {
        line.append(Ipv6Packet.formatAddress(ip.destinationAddressHigh(), ip.destinationAddressLow()));
      }
    } else if (d.hasEthernet()) {
      line.append(EthernetFrame.formatMac(d.ethernet().source())).append(" → ")
          .append(EthernetFrame.formatMac(d.ethernet().destination()));
    } else if (d.hasSll() && d.sll().addressLength() == 6) {
      line.append(EthernetFrame.formatMac(d.sll().address48())).append(" →");
    } else if (d.hasSll2() && d.sll2().addressLength() == 6) {
      line.append(EthernetFrame.formatMac(d.sll2().address48())).append(" →");
    } else {
      line.append("? → ?");
    }
    line.append(' ');
    appendProtocolAndInfo(d, frame, originalLength);
    if (d.stopLayer() != Layer.NONE && d.report().isMalformed()) {
      appendMalformation(d.report());
    } else if (d.isTruncated() || frame.readableBytes() < originalLength) {
      line.append(" [Packet size limited during capture]");
    }
    return line.toString();
  }

  private void appendProtocolAndInfo(PacketDissector d, ByteBuf frame, long originalLength) {
    if (d.has(Layer.TCP)) {
      TcpSegment tcp = d.tcp();
      line.append("TCP ").append(originalLength).append(' ');
      appendTcp(d, tcp);
    } else if (d.has(Layer.UDP)) {
      UdpDatagram udp = d.udp();
      line.append("UDP ").append(originalLength).append(' ').append(udp.sourcePort()).append(" → ")
          .append(udp.destinationPort()).append(" Len=").append(Math.max(0, udp.length() - 8));
    } else if (d.has(Layer.ICMP) || d.has(Layer.ICMPV6)) {
      IcmpMessage icmp = d.icmp();
      boolean v6 = d.has(Layer.ICMPV6);
      line.append(v6 ? "ICMPv6 " : "ICMP ").append(originalLength).append(' ');
      appendIcmp(icmp, v6, d);
    } else if (d.has(Layer.IPV4)) {
      Ipv4Packet ip = d.ipv4();
      line.append("IPv4 ").append(originalLength).append(' ');
      if (ip.isFragment() && ip.fragmentOffset() != 0) {
        line.append("Fragmented IP protocol (proto=").append(IpProtocols.nameOf(ip.protocol())).append(' ')
            .append(ip.protocol()).append(", off=").append(ip.fragmentOffsetBytes()).append(", ID=")
            .append(Integer.toHexString(ip.identification())).append(')');
      } else {
        line.append("IP protocol ").append(ip.protocol()).append(" (").append(IpProtocols.nameOf(ip.protocol()))
            .append(')');
      }
    } else if (d.has(Layer.IPV6)) {
      line.append("IPv6 ").append(originalLength).append(' ');
      if (!appendIpv6Fragment(d.ipv6())) {
        line.append("IPv6 next header ").append(d.transportProtocol() >= 0 ? d.transportProtocol()
            : d.ipv6().nextHeader());
      }
    } else {
      appendLinkOnly(d, frame, originalLength);
    }
  }

  private void appendTcp(PacketDissector d, TcpSegment tcp) {
    d.flowKey(key);
    sequences.track(key, tcp);
    line.append(tcp.sourcePort()).append(" → ").append(tcp.destinationPort()).append(' ');
    appendFlags(tcp);
    line.append(" Seq=").append(sequences.sequence());
    if (tcp.isAck()) {
      line.append(" Ack=").append(sequences.acknowledgment());
    }
    line.append(" Win=").append(sequences.window());
    if (tcp.isUrg()) {
      line.append(" Urg=").append(tcp.urgentPointer());
    }
    line.append(" Len=").append(tcp.payloadLength());
    if (!options.wrap(tcp)) {
      return;
    }
    while (options.next()) {
      switch (options.kind()) {
        case TcpOptionCursor.MSS:
          line.append(" MSS=").append(options.mss());
          break;
        case TcpOptionCursor.WINDOW_SCALE:
          line.append(" WS=").append(1L << Math.min(options.windowScale(), 14));
          break;
        case TcpOptionCursor.SACK_PERMITTED:
          line.append(" SACK_PERM");
          break;
        case TcpOptionCursor.TIMESTAMPS:
          line.append(" TSval=").append(options.timestampValue()).append(" TSecr=")
              .append(options.timestampEchoReply());
          break;
        case TcpOptionCursor.SACK:
          for (int i = 0; i < options.sackBlockCount(); i++) {
            line.append(" SLE=").append(sequences.relativeSackEdge(options.sackLeftEdge(i)))
                .append(" SRE=").append(sequences.relativeSackEdge(options.sackRightEdge(i)));
          }
          break;
        default:
          break;
      }
    }
  }

  private static final String[] FLAG_NAMES = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"};

  private void appendFlags(TcpSegment tcp) {
    line.append('[');
    int flags = tcp.flags();
    boolean first = true;
    for (int i = 0; i < FLAG_NAMES.length; i++) {
      if ((flags & (1 << i)) != 0) {
        if (!first) {
          line.append(", ");
        }
        line.append(FLAG_NAMES[i]);
        first = false;
      }
    }
    if (first) {
      line.append("<None>");
    }
    line.append(']');
  }

  private void appendIcmp(IcmpMessage icmp, boolean v6, PacketDissector d) {
    int type = icmp.type();
    String name = v6 ? IcmpTypeNames.icmpv6(type) : IcmpTypeNames.icmp(type);
    if (name != null) {
      line.append(name);
      String code = v6 ? IcmpTypeNames.icmpv6Code(type, icmp.code()) : IcmpTypeNames.icmpCode(type, icmp.code());
      if (code != null) {
        line.append(" (").append(code).append(')');
      }
    } else {
      line.append("Type=").append(type).append(" Code=").append(icmp.code());
    }
    if (icmp.isEcho()) {
      line.append(" id=0x");
      hex(icmp.identifier(), 4);
      line.append(", seq=").append(icmp.sequenceNumber());
      if (!v6) {
        line.append('/').append(Integer.reverseBytes(icmp.sequenceNumber()) >>> 16);
        line.append(", ttl=").append(d.ipv4().timeToLive());
      } else {
        line.append(", hop limit=").append(d.ipv6().hopLimit());
      }
    }
  }

  /**
   * Copies into {@link #address} the final destination named by a routing header with segments left, as tshark
   * shows it in the destination column: RFC 8754 §2 (SRH, type 4) keeps it first in its segment list; RFC 5095
   * type 0 and RFC 6275 §6.4 type 2 carry it last. Returns false when there is none.
   */
  private boolean finalDestination(Ipv6Packet ip, ByteBuf frame) {
    if (!extensions.wrap(ip)) {
      return false;
    }
    while (extensions.next()) {
      if (extensions.headerType() != IpProtocols.IPV6_ROUTE || extensions.segmentsLeft() == 0) {
        continue;
      }
      int start = extensions.headerOffset();
      int addresses = (extensions.headerLength() - 8) / 16;
      int type = extensions.routingType();
      if (addresses < 1 || (type != 0 && type != 2 && type != 4)) {
        return false;
      }
      int at = start + 8 + (type == 4 ? 0 : 16 * (addresses - 1));
      if (at + 16 > frame.writerIndex()) {
        return false;
      }
      frame.getBytes(at, address, 0, 16);
      return true;
    }
    return false;
  }

  /** Appends tshark's "IPv6 fragment (off=.. more=.. ident=.. nxt=..)" for a non-first fragment. */
  private boolean appendIpv6Fragment(Ipv6Packet ip) {
    if (!extensions.wrap(ip)) {
      return false;
    }
    while (extensions.next()) {
      if (extensions.headerType() == IpProtocols.IPV6_FRAG && extensions.fragmentOffset() != 0) {
        line.append("IPv6 fragment (off=").append(extensions.fragmentOffset() * 8).append(" more=")
            .append(extensions.isMoreFragments() ? 'y' : 'n').append(" ident=0x");
        hex(extensions.fragmentIdentification(), 8);
        line.append(" nxt=").append(extensions.nextHeader()).append(')');
        return true;
      }
    }
    return false;
  }

  /** Frames that carry no IP: ARP is spelled out, anything else is named by its EtherType. */
  private void appendLinkOnly(PacketDissector d, ByteBuf frame, long originalLength) {
    int etherType = -1;
    int payload = -1;
    if (d.vlanCount() > 0) {
      etherType = d.vlan(d.vlanCount() - 1).etherType();
      payload = d.vlan(d.vlanCount() - 1).payloadOffset();
    } else if (d.hasEthernet() && !d.ethernet().isLengthFrame()) {
      etherType = d.ethernet().etherType();
      payload = d.ethernet().payloadOffset();
    } else if (d.hasSll()) {
      etherType = d.sll().protocolType();
      payload = d.sll().payloadOffset();
    } else if (d.hasSll2()) {
      etherType = d.sll2().protocolType();
      payload = d.sll2().payloadOffset();
    }
    if (etherType == EtherTypes.ARP && payload >= 0 && frame.writerIndex() - payload >= 28) {
      line.append("ARP ").append(originalLength).append(' ');
      int op = frame.getUnsignedShort(payload + 6);
      if (op == 1) {
        line.append("Who has ");
        ipv4At(frame, payload + 24);
        line.append("? Tell ");
        ipv4At(frame, payload + 14);
      } else if (op == 2) {
        ipv4At(frame, payload + 14);
        line.append(" is at ").append(EthernetFrame.formatMac(mac48(frame, payload + 8)));
      } else {
        line.append("opcode ").append(op);
      }
    } else if (etherType == EtherTypes.IPV4 || etherType == EtherTypes.IPV6) {
      // The IP header itself could not be decoded: the malformation follows.
      line.append(etherType == EtherTypes.IPV4 ? "IPv4 " : "IPv6 ").append(originalLength);
    } else if (etherType >= 0) {
      line.append("ETH ").append(originalLength).append(" Ethertype 0x");
      hex(etherType, 4);
    } else {
      line.append("ETH ").append(originalLength);
    }
  }

  private void ipv4At(ByteBuf frame, int offset) {
    line.append(Ipv4Packet.formatAddress(frame.getInt(offset)));
  }

  private static long mac48(ByteBuf frame, int offset) {
    return ((long) frame.getUnsignedShort(offset) << 32) | frame.getUnsignedInt(offset + 2);
  }

  private void appendMalformation(MalformationReport report) {
    line.append(" [Malformed ").append(report.layer()).append(": ").append(report.malformation())
        .append(" at offset ").append(report.offset());
    if (report.requiredLength() > 0) {
      line.append(", needs ").append(report.requiredLength()).append(" bytes, has ")
          .append(report.availableLength());
    }
    line.append(']');
  }

  private void appendTime(long nanos, int decimals) {
    if (nanos < 0) {
      // A packet stamped before the first one (several interfaces, clock steps): tshark prints "-0.000123".
      line.append('-');
      nanos = -nanos;
    }
    long seconds = nanos / 1_000_000_000L;
    long fraction = nanos % 1_000_000_000L;
    if (decimals < 9) {
      long div = 1;
      for (int i = decimals; i < 9; i++) {
        div *= 10;
      }
      fraction /= div;
    }
    line.append(seconds).append('.');
    String f = Long.toString(fraction);
    for (int i = f.length(); i < decimals; i++) {
      line.append('0');
    }
    line.append(f);
  }

  private void pad(String s, int width) {
    for (int i = s.length(); i < width; i++) {
      line.append(' ');
    }
    line.append(s);
  }

  private void hex(long value, int digits) {
    String h = Long.toHexString(value);
    for (int i = h.length(); i < digits; i++) {
      line.append('0');
    }
    line.append(h);
  }
}
