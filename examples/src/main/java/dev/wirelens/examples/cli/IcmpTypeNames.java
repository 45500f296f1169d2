package dev.wirelens.examples.cli;

/** The names tshark gives the ICMP and ICMPv6 message types seen most, for the info column. */
final class IcmpTypeNames {
  private IcmpTypeNames() {}

  /** tshark's name of an ICMP (RFC 792) type, or null. */
  static String icmp(int type) {
    switch (type) {
      case 0: return "Echo (ping) reply";
      case 3: return "Destination unreachable";
      case 5: return "Redirect";
      case 8: return "Echo (ping) request";
      case 11: return "Time-to-live exceeded";
      default: return null;
    }
  }

  /** tshark's name of an ICMPv6 (RFC 4443, RFC 4861, RFC 3810) type, or null. */
  static String icmpv6(int type) {
    switch (type) {
      case 1: return "Destination Unreachable";
      case 2: return "Packet Too Big";
      case 3: return "Time Exceeded";
      case 128: return "Echo (ping) request";
      case 129: return "Echo (ping) reply";
      case 133: return "Router Solicitation";
      case 134: return "Router Advertisement";
      case 135: return "Neighbor Solicitation";
      case 136: return "Neighbor Advertisement";
      case 143: return "Multicast Listener Report Message v2";
      default: return null;
    }
  }

  /** tshark's name of an ICMP destination unreachable code (RFC 792, RFC 1812), or null. */
  static String icmpCode(int type, int code) {
    if (type != 3) {
      return null;
    }
    switch (code) {
      case 0: return "Network unreachable";
      case 1: return "Host unreachable";
      case 2: return "Protocol unreachable";
      case 3: return "Port unreachable";
      case 4: return "Fragmentation needed";
      case 13: return "Communication administratively filtered";
      default: return null;
    }
  }

  /** tshark's name of an ICMPv6 destination unreachable code (RFC 4443 §3.1), or null. */
  static String icmpv6Code(int type, int code) {
    if (type != 1) {
      return null;
    }
    switch (code) {
      case 0: return "no route to destination";
      case 1: return "communication with destination administratively prohibited";
      case 3: return "Address unreachable";
      case 4: return "Port unreachable";
      default: return null;
    }
  }
}
