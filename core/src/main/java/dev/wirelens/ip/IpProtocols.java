package dev.wirelens.ip;

/**
 * IP protocol numbers, the IPv4 Protocol and IPv6 Next Header values (IANA "Assigned Internet Protocol Numbers").
 * Open set: values not listed pass through as ints.
 *
 * <p>Thread safety: constants only.
 */
public final class IpProtocols {
  private IpProtocols() {}

  /** 0: IPv6 Hop-by-Hop Options (RFC 8200 §4.3). */
  public static final int HOPOPT = 0;
  /** 1: Internet Control Message Protocol (RFC 792). */
  public static final int ICMP = 1;
  /** 2: Internet Group Management Protocol. */
  public static final int IGMP = 2;
  /** 4: IPv4 encapsulation. */
  public static final int IPV4 = 4;
  /** 6: Transmission Control Protocol (RFC 9293). */
  public static final int TCP = 6;
  /** 17: User Datagram Protocol (RFC 768). */
  public static final int UDP = 17;
  /** 41: IPv6 encapsulation. */
  public static final int IPV6 = 41;
  /** 43: Routing Header for IPv6 (RFC 8200 §4.4). */
  public static final int IPV6_ROUTE = 43;
  /** 44: Fragment Header for IPv6 (RFC 8200 §4.5). */
  public static final int IPV6_FRAG = 44;
  /** 47: Generic Routing Encapsulation. */
  public static final int GRE = 47;
  /** 50: Encapsulating Security Payload (RFC 4303); ends an IPv6 extension header walk. */
  public static final int ESP = 50;
  /** 51: Authentication Header (RFC 4302); its length is in 4-byte units, minus 2. */
  public static final int AH = 51;
  /** 58: ICMP for IPv6 (RFC 4443). */
  public static final int ICMPV6 = 58;
  /** 59: No Next Header for IPv6 (RFC 8200 §4.7). */
  public static final int IPV6_NONXT = 59;
  /** 60: Destination Options for IPv6 (RFC 8200 §4.6). */
  public static final int IPV6_OPTS = 60;
  /** 132: Stream Control Transmission Protocol. */
  public static final int SCTP = 132;
  /** 135: Mobility Header (RFC 6275). */
  public static final int MOBILITY = 135;
  /** 139: Host Identity Protocol (RFC 7401). */
  public static final int HIP = 139;
  /** 140: Shim6 Protocol (RFC 5533). */
  public static final int SHIM6 = 140;
  /** 253: use for experimentation and testing (RFC 3692). */
  public static final int EXPERIMENT_253 = 253;
  /** 254: use for experimentation and testing (RFC 3692). */
  public static final int EXPERIMENT_254 = 254;

  /**
   * True for the IPv6 extension headers walked by {@link Ipv6ExtensionCursor} (RFC 8200 §4 and the IANA "IPv6
   * Extension Header Types" registry, ESP excluded because nothing after it is readable).
   */
  public static boolean isIpv6ExtensionHeader(int protocol) {
    switch (protocol) {
      case HOPOPT: case IPV6_ROUTE: case IPV6_FRAG: case AH: case IPV6_OPTS:
      case MOBILITY: case HIP: case SHIM6: case EXPERIMENT_253: case EXPERIMENT_254:
        return true;
      default:
        return false;
    }
  }

  /** The constant's name for a known protocol, else {@code "IP_PROTO_<n>"}. */
  public static String nameOf(int protocol) {
    switch (protocol) {
      case HOPOPT: return "HOPOPT";
      case ICMP: return "ICMP";
      case IGMP: return "IGMP";
      case IPV4: return "IPV4";
      case TCP: return "TCP";
      case UDP: return "UDP";
      case IPV6: return "IPV6";
      case IPV6_ROUTE: return "IPV6_ROUTE";
      case IPV6_FRAG: return "IPV6_FRAG";
      case GRE: return "GRE";
      case ESP: return "ESP";
      case AH: return "AH";
      case ICMPV6: return "ICMPV6";
      case IPV6_NONXT: return "IPV6_NONXT";
      case IPV6_OPTS: return "IPV6_OPTS";
      case SCTP: return "SCTP";
      case MOBILITY: return "MOBILITY";
      case HIP: return "HIP";
      case SHIM6: return "SHIM6";
      case EXPERIMENT_253: return "EXPERIMENT_253";
      case EXPERIMENT_254: return "EXPERIMENT_254";
      default: return "IP_PROTO_" + protocol;
    }
  }
}
