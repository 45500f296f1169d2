package dev.wirelens.testkit;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds frames as {@code byte[]} for tests and benchmarks: a link header (Ethernet with VLAN tags, Linux SLL/SLL2,
 * BSD loopback NULL/LOOP, raw IP), IPv4 (with options, fragment fields) or IPv6 (with extension headers), and TCP
 * (with options), UDP, ICMP or ICMPv6, all with correct lengths and checksums (the counterpart of etherparse's
 * {@code PacketBuilder}).
 *
 * <pre>{@code
 * byte[] frame = PacketBuilder.ethernet().vlan(0x8100, 3, false, 100)
 *     .ipv4("10.0.0.1", "10.0.0.2").ttl(64)
 *     .tcp(51234, 8084).seq(1).flags(PacketBuilder.SYN).mss(1460).windowScale(7)
 *     .build();
 * }</pre>
 *
 * <p>Not thread safe; every setter returns this builder. {@link #build()} may be called more than once.
 */
public final class PacketBuilder {
  /** TCP flag bits for {@link #flags(int)}. */
  public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20, ECE = 0x40,
      CWR = 0x80, AE = 0x100;

  private enum Link { ETHERNET, SLL, SLL2, NULL_LE, NULL_BE, LOOP, RAW }

  private enum Transport { NONE, TCP, UDP, ICMP, ICMPV6 }

  private final Link link;
  private long ethSource = 0x020000000001L;
  private long ethDestination = 0x020000000002L;
  private final List<int[]> vlans = new ArrayList<>();
  private int loopbackFamilyV6 = 30;
  private long sllInterfaceIndex = 1;
  private int sllPacketType = 0;

  private int ipVersion;
  private byte[] ipSource;
  private byte[] ipDestination;
  private int ttl = 64;
  private int tos;
  private int identification = 0x1234;
  private boolean dontFragment;
  private boolean moreFragments;
  private int fragmentOffset;
  private byte[] ipv4Options = new byte[0];
  private int ipProtocol = -1;
  private int flowLabel;
  private final List<Object[]> extensions = new ArrayList<>();

  private Transport transport = Transport.NONE;
  private int sourcePort;
  private int destinationPort;
  private long seq;
  private long ack;
  private int tcpFlags = ACK;
  private int window = 65535;
  private int urgentPointer;
  private final ByteArrayOutputStream tcpOptions = new ByteArrayOutputStream();
  private int icmpType;
  private int icmpCode;
  private long icmpRest;
  private byte[] payload = new byte[0];

  private PacketBuilder(Link link) {
    this.link = link;
  }

  /** Ethernet II (link type 1), addresses 02:00:00:00:00:01 -> 02:00:00:00:00:02. */
  public static PacketBuilder ethernet() {
    return new PacketBuilder(Link.ETHERNET);
  }

  /** Ethernet II with the given 48-bit addresses. */
  public static PacketBuilder ethernet(long source, long destination) {
    PacketBuilder b = new PacketBuilder(Link.ETHERNET);
    b.ethSource = source;
    b.ethDestination = destination;
    return b;
  }

  /** Linux cooked v1 (link type 113). */
  public static PacketBuilder sll() {
    return new PacketBuilder(Link.SLL);
  }

  /** Linux cooked v2 (link type 276). */
  public static PacketBuilder sll2() {
    return new PacketBuilder(Link.SLL2);
  }

  /** BSD loopback NULL (link type 0), the family in little- or big-endian byte order. */
  public static PacketBuilder nullLoopback(boolean littleEndian) {
    return new PacketBuilder(littleEndian ? Link.NULL_LE : Link.NULL_BE);
  }

  /** OpenBSD loopback LOOP (link type 108), network byte order. */
  public static PacketBuilder loop() {
    return new PacketBuilder(Link.LOOP);
  }

  /** Raw IP (link types 101, 228, 229): no link header. */
  public static PacketBuilder raw() {
    return new PacketBuilder(Link.RAW);
  }

  /** The pcap link type of this builder's link header (IPv4/IPv6 builds with {@link #raw()} give 101). */
  public int linkType() {
    switch (link) {
      case ETHERNET: return 1;
      case SLL: return 113;
      case SLL2: return 276;
      case NULL_LE: case NULL_BE: return 0;
      case LOOP: return 108;
      default: return 101;
    }
  }

  /** Adds a VLAN tag (outermost first) with tag protocol id {@code tpid}; Ethernet, SLL and SLL2 only. */
  public PacketBuilder vlan(int tpid, int priority, boolean dropEligible, int vlanId) {
    vlans.add(new int[] {tpid, priority, dropEligible ? 1 : 0, vlanId});
    return this;
  }

  /** The AF_INET6 value written by a loopback header (default 30, macOS). */
  public PacketBuilder loopbackIpv6Family(int family) {
    this.loopbackFamilyV6 = family;
    return this;
  }

  /** SLL2 interface index and SLL/SLL2 packet type. */
  public PacketBuilder sllInfo(long interfaceIndex, int packetType) {
    this.sllInterfaceIndex = interfaceIndex;
    this.sllPacketType = packetType;
    return this;
  }

  /** IPv4 with the given dotted-decimal addresses. */
  public PacketBuilder ipv4(String source, String destination) {
    this.ipVersion = 4;
    this.ipSource = address(source, 4);
    this.ipDestination = address(destination, 4);
    return this;
  }

  /** IPv4 with the given 32-bit addresses. */
  public PacketBuilder ipv4(int source, int destination) {
    this.ipVersion = 4;
    this.ipSource = new byte[] {(byte) (source >>> 24), (byte) (source >>> 16), (byte) (source >>> 8), (byte) source};
    this.ipDestination = new byte[] {(byte) (destination >>> 24), (byte) (destination >>> 16),
        (byte) (destination >>> 8), (byte) destination};
    return this;
  }

  /** IPv6 with the given textual addresses. */
  public PacketBuilder ipv6(String source, String destination) {
    this.ipVersion = 6;
    this.ipSource = address(source, 16);
    this.ipDestination = address(destination, 16);
    return this;
  }

  /** IPv6 with the given 16-byte addresses. */
  public PacketBuilder ipv6(byte[] source, byte[] destination) {
    this.ipVersion = 6;
    this.ipSource = source.clone();
    this.ipDestination = destination.clone();
    return this;
  }

  private static byte[] address(String text, int length) {
    try {
      byte[] a = InetAddress.getByName(text).getAddress();
      if (a.length != length) {
        throw new IllegalArgumentException("not an IPv" + (length == 4 ? 4 : 6) + " address: " + text);
      }
      return a;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  /** IPv4 TTL or IPv6 hop limit. */
  public PacketBuilder ttl(int ttl) {
    this.ttl = ttl;
    return this;
  }

  /** IPv4 type of service or IPv6 traffic class. */
  public PacketBuilder tos(int tos) {
    this.tos = tos;
    return this;
  }

  /** IPv6 flow label. */
  public PacketBuilder flowLabel(int flowLabel) {
    this.flowLabel = flowLabel;
    return this;
  }

  /** IPv4 identification. */
  public PacketBuilder identification(int identification) {
    this.identification = identification;
    return this;
  }

  /** IPv4 flags and fragment offset (in 8-byte units). */
  public PacketBuilder fragment(boolean dontFragment, boolean moreFragments, int fragmentOffset) {
    this.dontFragment = dontFragment;
    this.moreFragments = moreFragments;
    this.fragmentOffset = fragmentOffset;
    return this;
  }

  /** IPv4 options, padded with zeros (End of Option List) to a multiple of 4 bytes. */
  public PacketBuilder ipv4Options(byte[] options) {
    int padded = (options.length + 3) & ~3;
    this.ipv4Options = java.util.Arrays.copyOf(options, padded);
    return this;
  }

  /** The IP protocol / next header for a packet without a built transport header. */
  public PacketBuilder ipProtocol(int protocol) {
    this.ipProtocol = protocol;
    return this;
  }

  /**
   * Adds an IPv6 extension header of {@code type} (0, 43, 60, 135, ...) whose bytes after next header and length are
   * {@code body}; body length + 2 must be a multiple of 8 (AH, 51: a multiple of 4).
   */
  public PacketBuilder ipv6Extension(int type, byte[] body) {
    int total = body.length + 2;
    if (type == 51 ? total % 4 != 0 || total < 8 : total % 8 != 0) {
      throw new IllegalArgumentException("extension header length " + total + " not aligned");
    }
    extensions.add(new Object[] {type, body.clone()});
    return this;
  }

  /** Adds an IPv6 fragment header. */
  public PacketBuilder ipv6Fragment(int fragmentOffset, boolean moreFragments, long identification) {
    int v = (fragmentOffset << 3) | (moreFragments ? 1 : 0);
    extensions.add(new Object[] {44, new byte[6], identification, v});
    return this;
  }

  /** A TCP header with the given ports (flags default to ACK, window 65535). */
  public PacketBuilder tcp(int sourcePort, int destinationPort) {
    this.transport = Transport.TCP;
    this.sourcePort = sourcePort;
    this.destinationPort = destinationPort;
    return this;
  }

  /** TCP sequence number. */
  public PacketBuilder seq(long seq) {
    this.seq = seq;
    return this;
  }

  /** TCP acknowledgment number. */
  public PacketBuilder ack(long ack) {
    this.ack = ack;
    return this;
  }

  /** TCP flags (9 bits). */
  public PacketBuilder flags(int flags) {
    this.tcpFlags = flags;
    return this;
  }

  /** TCP window. */
  public PacketBuilder window(int window) {
    this.window = window;
    return this;
  }

  /** TCP urgent pointer. */
  public PacketBuilder urgentPointer(int urgentPointer) {
    this.urgentPointer = urgentPointer;
    return this;
  }

  /** Appends raw TCP option bytes (the header is padded with zeros to a multiple of 4). */
  public PacketBuilder tcpOption(byte... raw) {
    tcpOptions.write(raw, 0, raw.length);
    return this;
  }

  /** Appends a No-Operation option. */
  public PacketBuilder nop() {
    return tcpOption((byte) 1);
  }

  /** Appends an MSS option. */
  public PacketBuilder mss(int mss) {
    return tcpOption((byte) 2, (byte) 4, (byte) (mss >>> 8), (byte) mss);
  }

  /** Appends a window scale option. */
  public PacketBuilder windowScale(int shift) {
    return tcpOption((byte) 3, (byte) 3, (byte) shift);
  }

  /** Appends a SACK-permitted option. */
  public PacketBuilder sackPermitted() {
    return tcpOption((byte) 4, (byte) 2);
  }

  /** Appends a SACK option with pairs of left/right edges. */
  public PacketBuilder sack(long... edges) {
    byte[] o = new byte[2 + 4 * edges.length];
    o[0] = 5;
    o[1] = (byte) o.length;
    for (int i = 0; i < edges.length; i++) {
      putInt(o, 2 + 4 * i, edges[i]);
    }
    return tcpOption(o);
  }

  /** Appends a timestamps option. */
  public PacketBuilder timestamps(long value, long echoReply) {
    byte[] o = new byte[10];
    o[0] = 8;
    o[1] = 10;
    putInt(o, 2, value);
    putInt(o, 6, echoReply);
    return tcpOption(o);
  }

  /** A UDP header with the given ports. */
  public PacketBuilder udp(int sourcePort, int destinationPort) {
    this.transport = Transport.UDP;
    this.sourcePort = sourcePort;
    this.destinationPort = destinationPort;
    return this;
  }

  /** An ICMP (IPv4) or, after {@link #ipv6}, ICMPv6 header. */
  public PacketBuilder icmp(int type, int code, long restOfHeader) {
    this.transport = ipVersion == 6 ? Transport.ICMPV6 : Transport.ICMP;
    this.icmpType = type;
    this.icmpCode = code;
    this.icmpRest = restOfHeader;
    return this;
  }

  /** Payload after the transport header (or after the IP header when there is none). */
  public PacketBuilder payload(byte[] payload) {
    this.payload = payload.clone();
    return this;
  }

  /** Payload of {@code length} bytes 0, 1, 2, ... (mod 256). */
  public PacketBuilder payload(int length) {
    byte[] p = new byte[length];
    for (int i = 0; i < length; i++) {
      p[i] = (byte) i;
    }
    this.payload = p;
    return this;
  }

  /** Assembles the frame. */
  public byte[] build() {
    byte[] upper = buildTransport();
    byte[] network = ipVersion == 4 ? buildIpv4(upper) : ipVersion == 6 ? buildIpv6(upper) : upper;
    return buildLink(network);
  }

  private int protocolNumber() {
    switch (transport) {
      case TCP: return 6;
      case UDP: return 17;
      case ICMP: return 1;
      case ICMPV6: return 58;
      default: return ipProtocol < 0 ? 59 : ipProtocol;
    }
  }

  private byte[] buildTransport() {
    byte[] out;
    switch (transport) {
      case TCP: {
        byte[] opts = tcpOptions.toByteArray();
        int hl = 20 + ((opts.length + 3) & ~3);
        out = new byte[hl + payload.length];
        putShort(out, 0, sourcePort);
        putShort(out, 2, destinationPort);
        putInt(out, 4, seq);
        putInt(out, 8, ack);
        out[12] = (byte) (((hl / 4) << 4) | ((tcpFlags >>> 8) & 1));
        out[13] = (byte) tcpFlags;
        putShort(out, 14, window);
        putShort(out, 18, urgentPointer);
        System.arraycopy(opts, 0, out, 20, opts.length);
        System.arraycopy(payload, 0, out, hl, payload.length);
        putShort(out, 16, transportChecksum(6, out));
        return out;
      }
      case UDP:
        out = new byte[8 + payload.length];
        putShort(out, 0, sourcePort);
        putShort(out, 2, destinationPort);
        putShort(out, 4, out.length);
        System.arraycopy(payload, 0, out, 8, payload.length);
        int c = transportChecksum(17, out);
        putShort(out, 6, c == 0 ? 0xffff : c);
        return out;
      case ICMP:
      case ICMPV6:
        out = new byte[8 + payload.length];
        out[0] = (byte) icmpType;
        out[1] = (byte) icmpCode;
        putInt(out, 4, icmpRest);
        System.arraycopy(payload, 0, out, 8, payload.length);
        putShort(out, 2, transport == Transport.ICMP ? checksum(0, out, 0, out.length) : transportChecksum(58, out));
        return out;
      default:
        return payload.clone();
    }
  }

  private int transportChecksum(int protocol, byte[] segment) {
    long sum = 0;
    if (ipVersion == 4 || ipVersion == 6) {
      sum += sumWords(ipSource, 0, ipSource.length);
      sum += sumWords(ipDestination, 0, ipDestination.length);
      sum += protocol;
      sum += segment.length;
    }
    return checksum(sum, segment, 0, segment.length);
  }

  private byte[] buildIpv4(byte[] upper) {
    int hl = 20 + ipv4Options.length;
    byte[] out = new byte[hl + upper.length];
    out[0] = (byte) (0x40 | (hl / 4));
    out[1] = (byte) tos;
    putShort(out, 2, out.length);
    putShort(out, 4, identification);
    putShort(out, 6, (dontFragment ? 0x4000 : 0) | (moreFragments ? 0x2000 : 0) | (fragmentOffset & 0x1fff));
    out[8] = (byte) ttl;
    out[9] = (byte) protocolNumber();
    System.arraycopy(ipSource, 0, out, 12, 4);
    System.arraycopy(ipDestination, 0, out, 16, 4);
    System.arraycopy(ipv4Options, 0, out, 20, ipv4Options.length);
    putShort(out, 10, checksum(0, out, 0, hl));
    System.arraycopy(upper, 0, out, hl, upper.length);
    return out;
  }

  private byte[] buildIpv6(byte[] upper) {
    ByteArrayOutputStream ext = new ByteArrayOutputStream();
    int[] nexts = new int[extensions.size() + 1];
    for (int i = 0; i < extensions.size(); i++) {
      nexts[i] = (Integer) extensions.get(i)[0];
    }
    nexts[extensions.size()] = protocolNumber();
    for (int i = 0; i < extensions.size(); i++) {
      int type = nexts[i];
      byte[] body = (byte[]) extensions.get(i)[1];
      if (type == 44) {
        byte[] f = new byte[8];
        f[0] = (byte) nexts[i + 1];
        int v = (Integer) extensions.get(i)[3];
        f[2] = (byte) (v >>> 8);
        f[3] = (byte) v;
        putInt(f, 4, (Long) extensions.get(i)[2]);
        ext.write(f, 0, 8);
      } else {
        int total = body.length + 2;
        ext.write(nexts[i + 1]);
        ext.write(type == 51 ? total / 4 - 2 : total / 8 - 1);
        ext.write(body, 0, body.length);
      }
    }
    byte[] chain = ext.toByteArray();
    byte[] out = new byte[40 + chain.length + upper.length];
    putInt(out, 0, (6L << 28) | ((tos & 0xffL) << 20) | (flowLabel & 0xfffffL));
    putShort(out, 4, chain.length + upper.length);
    out[6] = (byte) nexts[0];
    out[7] = (byte) ttl;
    System.arraycopy(ipSource, 0, out, 8, 16);
    System.arraycopy(ipDestination, 0, out, 24, 16);
    System.arraycopy(chain, 0, out, 40, chain.length);
    System.arraycopy(upper, 0, out, 40 + chain.length, upper.length);
    return out;
  }

  private byte[] buildLink(byte[] network) {
    int etherType = ipVersion == 4 ? 0x0800 : ipVersion == 6 ? 0x86dd : 0x88b5;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    switch (link) {
      case ETHERNET:
        writeMac(out, ethDestination);
        writeMac(out, ethSource);
        for (int[] v : vlans) {
          writeShort(out, v[0]);
          writeShort(out, (v[1] << 13) | (v[2] << 12) | (v[3] & 0xfff));
        }
        writeShort(out, etherType);
        break;
      case SLL:
        writeShort(out, sllPacketType);
        writeShort(out, 1);
        writeShort(out, 6);
        writeMac(out, ethSource);
        writeShort(out, 0);
        writeShort(out, vlans.isEmpty() ? etherType : vlans.get(0)[0]);
        writeCookedTags(out, etherType);
        break;
      case SLL2:
        writeShort(out, vlans.isEmpty() ? etherType : vlans.get(0)[0]);
        writeShort(out, 0);
        writeShort(out, (int) (sllInterfaceIndex >>> 16));
        writeShort(out, (int) sllInterfaceIndex);
        writeShort(out, 1);
        out.write(sllPacketType);
        out.write(6);
        writeMac(out, ethSource);
        writeShort(out, 0);
        writeCookedTags(out, etherType);
        break;
      case NULL_LE: {
        int family = ipVersion == 6 ? loopbackFamilyV6 : 2;
        out.write(family);
        out.write(family >>> 8);
        out.write(0);
        out.write(0);
        break;
      }
      case NULL_BE:
      case LOOP: {
        int family = ipVersion == 6 ? loopbackFamilyV6 : 2;
        writeShort(out, 0);
        writeShort(out, family);
        break;
      }
      default:
        break;
    }
    out.write(network, 0, network.length);
    return out.toByteArray();
  }

  // Linux cooked captures carry a VLAN tag as libpcap re-inserts it: protocol 0x8100, then TCI and the next type.
  private void writeCookedTags(ByteArrayOutputStream out, int etherType) {
    for (int i = 0; i < vlans.size(); i++) {
      int[] v = vlans.get(i);
      writeShort(out, (v[1] << 13) | (v[2] << 12) | (v[3] & 0xfff));
      writeShort(out, i + 1 < vlans.size() ? vlans.get(i + 1)[0] : etherType);
    }
  }

  private static void writeMac(ByteArrayOutputStream out, long mac) {
    for (int shift = 40; shift >= 0; shift -= 8) {
      out.write((int) (mac >>> shift));
    }
  }

  private static void writeShort(ByteArrayOutputStream out, int v) {
    out.write(v >>> 8);
    out.write(v);
  }

  private static void putShort(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 8);
    b[at + 1] = (byte) v;
  }

  private static void putInt(byte[] b, int at, long v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  private static long sumWords(byte[] b, int from, int length) {
    long sum = 0;
    int i = from;
    for (; i + 1 < from + length; i += 2) {
      sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }
    if (i < from + length) {
      sum += (b[i] & 0xff) << 8;
    }
    return sum;
  }

  /** RFC 1071 Internet checksum of {@code b[from, from+length)} plus {@code initial}. */
  public static int checksum(long initial, byte[] b, int from, int length) {
    long sum = initial + sumWords(b, from, length);
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }
}
