package dev.wirelens.link;

/**
 * Link-layer header types of pcap and pcapng ({@code LINKTYPE_*}, tcpdump.org "Link-layer header types" registry,
 * also draft-ietf-opsawg-pcaplinktype). Open set: values not listed here pass through as plain ints.
 *
 * <p>Thread safety: constants only.
 *
 * <pre>{@code
 * String name = LinkTypes.nameOf(reader.linkType()); // "ETHERNET", or "LINKTYPE_147" when unknown
 * }</pre>
 */
public final class LinkTypes {
  private LinkTypes() {}

  /** 0: BSD loopback, a 4-byte protocol family in the capturing host's byte order. */
  public static final int NULL = 0;
  /** 1: IEEE 802.3 Ethernet (Ethernet II and 802.3 length frames). */
  public static final int ETHERNET = 1;
  /** 101: raw IP, the version nibble says IPv4 or IPv6. */
  public static final int RAW = 101;
  /** 108: OpenBSD loopback, a 4-byte protocol family in network byte order. */
  public static final int LOOP = 108;
  /** 113: Linux cooked capture v1 (SLL), 16-byte header. */
  public static final int LINUX_SLL = 113;
  /** 228: raw IPv4. */
  public static final int IPV4 = 228;
  /** 229: raw IPv6. */
  public static final int IPV6 = 229;
  /** 276: Linux cooked capture v2 (SLL2), 20-byte header; what {@code tcpdump -i any} writes. */
  public static final int LINUX_SLL2 = 276;

  /** The constant's name for a known link type, else {@code "LINKTYPE_<n>"}. Allocates for unknown values. */
  public static String nameOf(int linkType) {
    switch (linkType) {
      case NULL: return "NULL";
      case ETHERNET: return "ETHERNET";
      case RAW: return "RAW";
      case LOOP: return "LOOP";
      case LINUX_SLL: return "LINUX_SLL";
      case IPV4: return "IPV4";
      case IPV6: return "IPV6";
      case LINUX_SLL2: return "LINUX_SLL2";
      default: return "LINKTYPE_" + linkType;
    }
  }
}
