package dev.wirelens.packet;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.icmp.IcmpMessage;
import dev.wirelens.ip.IpProtocols;
import dev.wirelens.ip.Ipv4Packet;
import dev.wirelens.ip.Ipv6ExtensionCursor;
import dev.wirelens.ip.Ipv6Packet;
import dev.wirelens.link.EtherTypes;
import dev.wirelens.link.EthernetFrame;
import dev.wirelens.link.LinkTypes;
import dev.wirelens.link.LinuxSll2Header;
import dev.wirelens.link.LinuxSllHeader;
import dev.wirelens.link.LoopbackHeader;
import dev.wirelens.link.VlanTag;
import dev.wirelens.tcp.FlowKey;
import dev.wirelens.tcp.TcpSegment;
import dev.wirelens.udp.UdpDatagram;
import io.netty.buffer.ByteBuf;

/**
 * Decodes one captured frame, link layer to transport header, into preallocated views: a reusable cursor in the
 * style of gopacket's {@code DecodingLayerParser}.
 *
 * <p>Layers, by link type: {@link LinkTypes#ETHERNET} (Ethernet II, 802.3 with SNAP, then any number of 802.1Q /
 * 802.1ad tags up to {@link #MAX_VLAN_TAGS}), {@link LinkTypes#NULL} and {@link LinkTypes#LOOP} (BSD loopback),
 * {@link LinkTypes#LINUX_SLL}, {@link LinkTypes#LINUX_SLL2}, {@link LinkTypes#RAW} (version nibble),
 * {@link LinkTypes#IPV4}, {@link LinkTypes#IPV6}; then IPv4 or IPv6 with its extension headers; then TCP, UDP, ICMP
 * (in IPv4) or ICMPv6 (in IPv6). Anything else (an unknown link type, EtherType or protocol) simply ends the walk
 * without a malformation: {@link #dissect} returns the deepest layer decoded.
 *
 * <p>Lax, like etherparse's lax slicing: when an inner layer is malformed or cut short, the outer layers stay valid
 * ({@link #has(Layer)} is true for them), {@link #stopLayer()} names the layer that failed and {@link #report()}
 * says why and where. A datagram cut by the snaplen after its transport header is not a failure: the headers are
 * valid and {@link #isTruncated()} is true. A non-first IP fragment stops at the IP layer without a malformation
 * ({@code has(TCP)} is false; {@link #isFragment()} is true); a first fragment's transport header is decoded.
 *
 * <p>Raw IP link types ({@link LinkTypes#RAW}, {@link LinkTypes#IPV4}, {@link LinkTypes#IPV6}) have no link header:
 * {@code has(Layer.LINK)} is false for them. Lengths: every view's {@code payloadLength()} is what its header (or the
 * enclosing header) announces, Wireshark's {@code ip.len}/{@code tcp.len}/{@code udp.length}; its
 * {@code capturedPayloadLength()} is what is in the buffer and what {@code payload()} returns. IP-in-IP tunnels are
 * not followed: {@link #transportProtocol()} is then 4 or 41.
 *
 * <p>Grammar: {@code (dissect (has | view accessors | flowKey)*)*}. Each {@code dissect} resets everything.
 *
 * <p>Lifetime: {@code dissect} borrows the frame: the views are valid while the frame's buffer is and until the next
 * {@code dissect}. The views are owned by the dissector and reused; callers must not wrap them themselves.
 *
 * <p>Allocation: none per {@code dissect}; all views are allocated in the constructor.
 *
 * <p>Thread safety: this class is not thread safe; use one dissector per thread.
 *
 * <pre>{@code
 * PacketDissector d = new PacketDissector();
 * FlowKey key = new FlowKey();
 * while (reader.next() == DecodeStatus.FRAME) {
 *   d.dissect(reader.frame(), reader.linkType());
 *   if (d.has(Layer.TCP) && d.flowKey(key)) {
 *     reassembler.onPacket(key, d.tcp(), reader.timestampNanos());
 *   } else if (d.stopLayer() != Layer.NONE) {
 *     log(d.report());
 *   }
 * }
 * }</pre>
 */
public final class PacketDissector {
  /** Most VLAN tags decoded in one frame; a deeper stack stops with LIMIT_EXCEEDED at layer VLAN. */
  public static final int MAX_VLAN_TAGS = 8;

  // 1 << Layer.ordinal(), as constants so the hot path does not read enum fields
  private static final int HAS_LINK = 1 << 2;
  private static final int HAS_VLAN = 1 << 3;
  private static final int HAS_IPV4 = 1 << 4;
  private static final int HAS_IPV6 = 1 << 5;
  private static final int HAS_IPV6_EXTENSION = 1 << 6;
  private static final int HAS_TCP = 1 << 7;
  private static final int HAS_UDP = 1 << 8;
  private static final int HAS_ICMP = 1 << 9;
  private static final int HAS_ICMPV6 = 1 << 10;
  private static final int ETHERNET_BIT = 1;
  private static final int SLL_BIT = 2;
  private static final int SLL2_BIT = 4;
  private static final int LOOPBACK_BIT = 8;

  static {
    assert HAS_LINK == 1 << Layer.LINK.ordinal() && HAS_ICMPV6 == 1 << Layer.ICMPV6.ordinal()
        && HAS_TCP == 1 << Layer.TCP.ordinal() : "HAS_* constants out of step with Layer";
  }

  private final EthernetFrame ethernet = new EthernetFrame();
  private final VlanTag[] vlans = new VlanTag[MAX_VLAN_TAGS];
  private final LinuxSllHeader sll = new LinuxSllHeader();
  private final LinuxSll2Header sll2 = new LinuxSll2Header();
  private final LoopbackHeader loopback = new LoopbackHeader();
  private final Ipv4Packet ipv4 = new Ipv4Packet();
  private final Ipv6Packet ipv6 = new Ipv6Packet();
  private final Ipv6ExtensionCursor extensions;
  private final TcpSegment tcp = new TcpSegment();
  private final UdpDatagram udp = new UdpDatagram();
  private final IcmpMessage icmp = new IcmpMessage();
  private final MalformationReport report = new MalformationReport();

  private int present;
  private int link;
  private int vlanCount;
  private int transportProtocol = -1;
  private int extensionCount;
  private int pendingOffset;
  private int pendingCaptured;
  private int pendingDeclared;
  private boolean truncated;
  private boolean fragment;
  private boolean nonFirstFragment;
  private Layer stopLayer = Layer.NONE;

  /** A dissector with {@link Limits#defaults()}. */
  public PacketDissector() {
    this(Limits.defaults());
  }

  /** A dissector honouring {@code limits} ({@link Limits#maxIpv6ExtensionHeaders()}). */
  public PacketDissector(Limits limits) {
    this.extensions = new Ipv6ExtensionCursor(limits);
    for (int i = 0; i < vlans.length; i++) {
      vlans[i] = new VlanTag();
    }
  }

  /**
   * Dissects the current frame of a capture reader in place (no slice, no allocation); returns the deepest layer
   * decoded. The same as {@code dissect(f.frameBuffer(), f.frameIndex(), f.capturedLength(), f.linkType())}.
   */
  public Layer dissect(CapturedFrame frame) {
    return dissect(frame.frameBuffer(), frame.frameIndex(), frame.capturedLength(), frame.linkType());
  }

  /** Dissects the readable bytes of {@code frame} (indices are not moved); returns the deepest layer decoded. */
  public Layer dissect(ByteBuf frame, int linkType) {
    return dissect(frame, frame.readerIndex(), frame.readableBytes(), linkType);
  }

  /** Dissects {@code length} bytes at absolute {@code offset} of {@code buf}; returns the deepest layer decoded. */
  public Layer dissect(ByteBuf buf, int offset, int length, int linkType) {
    // Kept small (and Ethernet first) so that the JIT can inline the common path into the caller's loop.
    present = 0;
    link = 0;
    vlanCount = 0;
    extensionCount = 0;
    transportProtocol = -1;
    truncated = false;
    fragment = false;
    nonFirstFragment = false;
    if (stopLayer != Layer.NONE) {
      stopLayer = Layer.NONE; // conditional: a reference store costs a GC write barrier
      report.clear();
    }
    if (linkType == LinkTypes.ETHERNET) {
      if (!ethernet.wrap(buf, offset, length)) {
        return fail(ethernet.report(), Layer.NONE);
      }
      link = ETHERNET_BIT;
      present = HAS_LINK;
      Layer deepest = network(buf, ethernet.etherType(), ethernet.payloadOffset(), ethernet.payloadLength());
      return deepest != null ? deepest : transport(buf);
    }
    Layer deepest = otherLink(buf, offset, length, linkType);
    return deepest != null ? deepest : transport(buf);
  }

  /**
   * As {@link #dissect(ByteBuf, int)}, but throws when a layer was malformed or cut short: for examples and tests
   * that want an exception instead of checking {@link #stopLayer()}.
   *
   * @throws dev.wirelens.MalformedInputException with the layer, malformation and offset of {@link #report()}
   */
  public Layer dissectOrThrow(ByteBuf frame, int linkType) {
    Layer deepest = dissect(frame, frame.readerIndex(), frame.readableBytes(), linkType);
    if (stopLayer != Layer.NONE) {
      throw report.toException();
    }
    return deepest;
  }

  private Layer network(ByteBuf buf, int etherType, int off, int len) {
    if (etherType == EtherTypes.IPV4) {
      return network4(buf, off, len, Layer.LINK);
    } else if (etherType == EtherTypes.IPV6) {
      return network6(buf, off, len, Layer.LINK);
    }
    return vlanTags(buf, etherType, off, len);
  }

  private Layer otherLink(ByteBuf buf, int offset, int length, int linkType) {
    int etherType;
    int off;
    int len;
    switch (linkType) {
      case LinkTypes.LINUX_SLL2:
        if (!sll2.wrap(buf, offset, length)) {
          return fail(sll2.report(), Layer.NONE);
        }
        link = SLL2_BIT;
        etherType = sll2.protocolType();
        off = offset + LinuxSll2Header.HEADER_LENGTH;
        len = length - LinuxSll2Header.HEADER_LENGTH;
        break;
      case LinkTypes.LINUX_SLL:
        if (!sll.wrap(buf, offset, length)) {
          return fail(sll.report(), Layer.NONE);
        }
        link = SLL_BIT;
        etherType = sll.protocolType();
        off = offset + LinuxSllHeader.HEADER_LENGTH;
        len = length - LinuxSllHeader.HEADER_LENGTH;
        break;
      case LinkTypes.NULL:
      case LinkTypes.LOOP:
        if (!loopback.wrap(buf, offset, length, linkType == LinkTypes.NULL)) {
          return fail(loopback.report(), Layer.NONE);
        }
        link = LOOPBACK_BIT;
        etherType = loopback.isIpv4() ? EtherTypes.IPV4 : loopback.isIpv6() ? EtherTypes.IPV6 : -1;
        off = offset + LoopbackHeader.HEADER_LENGTH;
        len = length - LoopbackHeader.HEADER_LENGTH;
        break;
      case LinkTypes.RAW:
        if (length < 1) {
          report.truncated(Layer.IPV4, offset, Ipv4Packet.MIN_HEADER_LENGTH, length, LengthSource.HEADER_MINIMUM);
          stopLayer = Layer.IPV4;
          return Layer.NONE;
        }
        int version = buf.getUnsignedByte(offset) >>> 4;
        if (version == 4) {
          return network4(buf, offset, length, Layer.NONE);
        } else if (version == 6) {
          return network6(buf, offset, length, Layer.NONE);
        }
        report.invalid(Layer.IPV4, Malformation.BAD_VERSION, offset);
        stopLayer = Layer.IPV4;
        return Layer.NONE;
      case LinkTypes.IPV4:
        return network4(buf, offset, length, Layer.NONE);
      case LinkTypes.IPV6:
        return network6(buf, offset, length, Layer.NONE);
      default:
        return Layer.NONE;
    }
    present = HAS_LINK;
    return network(buf, etherType, off, len);
  }

  private Layer vlanTags(ByteBuf buf, int etherType, int off, int len) {
    Layer deepest = Layer.LINK;
    while (EtherTypes.isVlanTag(etherType)) {
      if (vlanCount == MAX_VLAN_TAGS) {
        report.invalid(Layer.VLAN, Malformation.LIMIT_EXCEEDED, off);
        stopLayer = Layer.VLAN;
        return deepest;
      }
      VlanTag tag = vlans[vlanCount];
      if (!tag.wrap(buf, off, len, etherType)) {
        return fail(tag.report(), deepest);
      }
      vlanCount++;
      present |= HAS_VLAN;
      deepest = Layer.VLAN;
      etherType = tag.etherType();
      off += VlanTag.HEADER_LENGTH;
      len -= VlanTag.HEADER_LENGTH;
    }
    if (etherType == EtherTypes.IPV4) {
      return network4(buf, off, len, deepest);
    } else if (etherType == EtherTypes.IPV6) {
      return network6(buf, off, len, deepest);
    }
    return deepest;
  }

  private Layer network4(ByteBuf buf, int off, int len, Layer outer) {
    Ipv4Packet ip = ipv4;
    if (!ip.wrap(buf, off, len)) {
      return fail(ip.report(), outer);
    }
    present |= HAS_IPV4;
    truncated = ip.isTruncated();
    int protocol = ip.protocol();
    transportProtocol = protocol;
    if (ip.isFragment()) {
      fragment = true;
      if (ip.fragmentOffset() != 0) {
        nonFirstFragment = true;
        return Layer.IPV4;
      }
    }
    return pendTransport(ip.payloadOffset(), ip.capturedPayloadLength(), ip.payloadLength());
  }

  private Layer network6(ByteBuf buf, int off, int len, Layer outer) {
    Ipv6Packet ip = ipv6;
    if (!ip.wrap(buf, off, len)) {
      return fail(ip.report(), outer);
    }
    present |= HAS_IPV6;
    truncated = ip.isTruncated();
    int nextHeader = ip.nextHeader();
    if (!IpProtocols.isIpv6ExtensionHeader(nextHeader)) {
      // No extension header (the common case): the upper layer follows the fixed header, no cursor walk.
      transportProtocol = nextHeader;
      int captured = ip.capturedPayloadLength();
      return pendTransport(ip.payloadOffset(), captured, ip.isLengthInferred() ? captured : ip.payloadLength());
    }
    return extensions6(buf, ip);
  }

  private Layer extensions6(ByteBuf buf, Ipv6Packet ip) {
    Ipv6ExtensionCursor ext = extensions;
    ext.wrap(ip);
    while (ext.next()) {
      extensionCount++;
      if (ext.headerType() == IpProtocols.IPV6_FRAG) {
        fragment = true;
        if (ext.fragmentOffset() != 0) {
          nonFirstFragment = true;
        }
      }
    }
    if (extensionCount != 0) {
      present |= HAS_IPV6_EXTENSION;
    }
    if (ext.report().isMalformed()) {
      return fail(ext.report(), Layer.IPV6);
    }
    int protocol = ext.protocol();
    transportProtocol = protocol;
    if (nonFirstFragment) {
      return Layer.IPV6;
    }
    int payloadOffset = ext.payloadOffset();
    int captured = ext.payloadLength();
    int declared = ip.isLengthInferred() ? captured : ip.payloadLength() - (payloadOffset - ip.payloadOffset());
    return pendTransport(payloadOffset, captured, declared);
  }

  /**
   * Records where the transport header starts and returns null: the network layer was decoded and
   * {@link #transport} follows. One transport call site in {@code dissect} (rather than one per IP version) keeps
   * the compiled dissector small enough to be inlined.
   */
  private Layer pendTransport(int payloadOffset, int captured, int declared) {
    pendingOffset = payloadOffset;
    pendingCaptured = captured;
    pendingDeclared = declared;
    return null;
  }

  /** Decodes the transport header recorded by {@link #pendTransport} ({@link #transportProtocol} is set). */
  private Layer transport(ByteBuf buf) {
    int off = pendingOffset;
    int captured = pendingCaptured;
    int declared = pendingDeclared;
    boolean v4 = (present & HAS_IPV4) != 0;
    Layer outer = v4 ? Layer.IPV4 : Layer.IPV6;
    switch (transportProtocol) {
      case IpProtocols.TCP:
        return tcp(buf, off, captured, declared, outer);
      case IpProtocols.UDP:
        // In a first fragment the UDP length covers the whole datagram, not this fragment.
        return udp(buf, off, captured, fragment ? 0xffff : declared, outer);
      case IpProtocols.ICMP:
        return v4 ? icmp(buf, off, captured, false, outer) : outer;
      case IpProtocols.ICMPV6:
        return v4 ? outer : icmp(buf, off, captured, true, outer);
      default:
        return outer;
    }
  }

  private Layer tcp(ByteBuf buf, int off, int captured, int declared, Layer outer) {
    if (!tcp.wrap(buf, off, captured, declared)) {
      return fail(tcp.report(), outer);
    }
    present |= HAS_TCP;
    return Layer.TCP;
  }

  private Layer udp(ByteBuf buf, int off, int captured, int declared, Layer outer) {
    if (!udp.wrap(buf, off, captured, declared)) {
      return fail(udp.report(), outer);
    }
    present |= HAS_UDP;
    if (!fragment) {
      truncated |= udp.isTruncated(); // in a first fragment the rest of the datagram is in other frames
    }
    return Layer.UDP;
  }

  private Layer icmp(ByteBuf buf, int off, int captured, boolean v6, Layer outer) {
    if (!icmp.wrap(buf, off, captured, v6)) {
      return fail(icmp.report(), outer);
    }
    if (v6) {
      present |= HAS_ICMPV6;
      return Layer.ICMPV6;
    }
    present |= HAS_ICMP;
    return Layer.ICMP;
  }

  private Layer fail(MalformationReport cause, Layer deepest) {
    report.copyFrom(cause);
    stopLayer = cause.layer();
    return deepest;
  }

  private static int bit(Layer layer) {
    return 1 << layer.ordinal();
  }

  /**
   * True when the last {@code dissect} decoded {@code layer} ({@link Layer#LINK}, VLAN, IPV4, ..., TCP). For the
   * repeated layers {@link Layer#VLAN} and {@link Layer#IPV6_EXTENSION}: at least one was decoded (a later one may
   * be the {@link #stopLayer()}).
   */
  public boolean has(Layer layer) {
    return (present & bit(layer)) != 0;
  }

  /** The layer whose decoding failed in the last {@code dissect}, {@link Layer#NONE} when nothing failed. */
  public Layer stopLayer() {
    return stopLayer;
  }

  /** Why and where the last {@code dissect} stopped; {@link Malformation#NONE} when nothing failed. */
  public MalformationReport report() {
    return report;
  }

  /** True when a length field announced more bytes than were captured (snaplen), with every header decoded. */
  public boolean isTruncated() {
    return truncated;
  }

  /** True when the IP datagram is a fragment (IPv4 MF or offset, or an IPv6 fragment header). */
  public boolean isFragment() {
    return fragment;
  }

  /** True when the IP datagram is a fragment other than the first: there is no transport header. */
  public boolean isNonFirstFragment() {
    return nonFirstFragment;
  }

  /** The Ethernet header; meaningful when the link type was Ethernet and {@code has(Layer.LINK)}. */
  public EthernetFrame ethernet() {
    return ethernet;
  }

  /** True when the link header decoded was Ethernet. */
  public boolean hasEthernet() {
    return link == ETHERNET_BIT;
  }

  /** True when the link header decoded was Linux SLL. */
  public boolean hasSll() {
    return link == SLL_BIT;
  }

  /** True when the link header decoded was Linux SLL2. */
  public boolean hasSll2() {
    return link == SLL2_BIT;
  }

  /** True when the link header decoded was BSD loopback (NULL or LOOP). */
  public boolean hasLoopback() {
    return link == LOOPBACK_BIT;
  }

  /** Number of VLAN tags decoded, outermost first. */
  public int vlanCount() {
    return vlanCount;
  }

  /** VLAN tag {@code i} (0 is the outermost); {@code i} must be below {@link #vlanCount()}. */
  public VlanTag vlan(int i) {
    if (i < 0 || i >= vlanCount) {
      throw new IndexOutOfBoundsException("VLAN tag " + i + " of " + vlanCount);
    }
    return vlans[i];
  }

  /** The Linux SLL header; meaningful when {@link #hasSll()}. */
  public LinuxSllHeader sll() {
    return sll;
  }

  /** The Linux SLL2 header; meaningful when {@link #hasSll2()}. */
  public LinuxSll2Header sll2() {
    return sll2;
  }

  /** The BSD loopback header; meaningful when {@link #hasLoopback()}. */
  public LoopbackHeader loopback() {
    return loopback;
  }

  /** The IPv4 view; meaningful when {@code has(Layer.IPV4)}. */
  public Ipv4Packet ipv4() {
    return ipv4;
  }

  /** The IPv6 view; meaningful when {@code has(Layer.IPV6)}. */
  public Ipv6Packet ipv6() {
    return ipv6;
  }

  /** Number of IPv6 extension headers walked. */
  public int ipv6ExtensionCount() {
    return extensionCount;
  }

  /** The TCP view; meaningful when {@code has(Layer.TCP)}. */
  public TcpSegment tcp() {
    return tcp;
  }

  /** The UDP view; meaningful when {@code has(Layer.UDP)}. */
  public UdpDatagram udp() {
    return udp;
  }

  /** The ICMP / ICMPv6 view; meaningful when {@code has(Layer.ICMP)} or {@code has(Layer.ICMPV6)}. */
  public IcmpMessage icmp() {
    return icmp;
  }

  /**
   * The IP protocol number of the payload after the IPv4 header or after the IPv6 extension headers (6 TCP, 17 UDP,
   * 50 ESP, 59 No Next Header, ...), or -1 when no IP layer was decoded (or its extension chain was malformed).
   */
  public int transportProtocol() {
    return transportProtocol;
  }

  /**
   * Fills {@code into} with the 5-tuple of the last frame: IP version, addresses, {@link #transportProtocol()} and
   * the TCP or UDP ports (0 when no TCP/UDP header was decoded: other protocols, non-first fragments, a transport
   * header cut short). Returns false, leaving {@code into} untouched, when no IP layer was decoded or when an
   * IPv6 extension header chain was malformed (the protocol is then unknown). No allocation.
   */
  public boolean flowKey(FlowKey into) {
    int sp = 0;
    int dp = 0;
    if ((present & HAS_TCP) != 0) {
      sp = tcp.sourcePort();
      dp = tcp.destinationPort();
    } else if ((present & HAS_UDP) != 0) {
      sp = udp.sourcePort();
      dp = udp.destinationPort();
    }
    if ((present & HAS_IPV4) != 0) {
      into.setIpv4(ipv4.sourceAddress(), ipv4.destinationAddress(), transportProtocol, sp, dp);
      return true;
    }
    if ((present & HAS_IPV6) != 0 && transportProtocol >= 0) {
      into.setIpv6(ipv6.sourceAddressHigh(), ipv6.sourceAddressLow(), ipv6.destinationAddressHigh(),
          ipv6.destinationAddressLow(), transportProtocol, sp, dp);
      return true;
    }
    return false;
  }

  /** The decoded layers and the stop reason, for debugging. Allocates. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("PacketDissector{");
    for (Layer l : Layer.values()) {
      if (has(l)) {
        s.append(l).append(' ');
      }
    }
    if (stopLayer != Layer.NONE) {
      s.append("stop=").append(report);
    }
    return s.append('}').toString();
  }
}
