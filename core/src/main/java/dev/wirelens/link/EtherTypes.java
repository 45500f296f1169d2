package dev.wirelens.link;

/**
 * EtherType values (IEEE 802 numbers registry at IANA, "ieee-802-numbers"). Values below {@link #MIN_ETHER_TYPE}
 * (0x0600) in the Ethernet type/length field are 802.3 lengths, not types. Open set: unknown values pass through as
 * ints.
 *
 * <p>Thread safety: constants only.
 */
public final class EtherTypes {
  private EtherTypes() {}

  /** 0x0600: the smallest type/length value that is an EtherType (IEEE 802.3 §3.2.6); smaller values are lengths. */
  public static final int MIN_ETHER_TYPE = 0x0600;
  /** 0x0800: Internet Protocol version 4. */
  public static final int IPV4 = 0x0800;
  /** 0x0806: Address Resolution Protocol. */
  public static final int ARP = 0x0806;
  /** 0x8100: IEEE 802.1Q customer VLAN tag. */
  public static final int VLAN = 0x8100;
  /** 0x86DD: Internet Protocol version 6. */
  public static final int IPV6 = 0x86DD;
  /** 0x8847: MPLS unicast. */
  public static final int MPLS = 0x8847;
  /** 0x8863: PPPoE discovery. */
  public static final int PPPOE_DISCOVERY = 0x8863;
  /** 0x8864: PPPoE session. */
  public static final int PPPOE_SESSION = 0x8864;
  /** 0x888E: IEEE 802.1X (EAPOL). */
  public static final int EAPOL = 0x888E;
  /** 0x88A8: IEEE 802.1ad service VLAN tag (QinQ outer tag). */
  public static final int QINQ = 0x88A8;
  /** 0x88CC: Link Layer Discovery Protocol. */
  public static final int LLDP = 0x88CC;
  /** 0x9100: pre-standard QinQ outer tag used by some vendors. */
  public static final int QINQ_9100 = 0x9100;

  /** True for the tag protocol identifiers treated as VLAN tags: 0x8100, 0x88A8 and 0x9100. */
  public static boolean isVlanTag(int etherType) {
    return etherType == VLAN || etherType == QINQ || etherType == QINQ_9100;
  }

  /** The constant's name for a known type, {@code "LENGTH_<n>"} for an 802.3 length, else {@code "0x%04x"}. */
  public static String nameOf(int etherType) {
    switch (etherType) {
      case IPV4: return "IPV4";
      case ARP: return "ARP";
      case VLAN: return "VLAN";
      case IPV6: return "IPV6";
      case MPLS: return "MPLS";
      case PPPOE_DISCOVERY: return "PPPOE_DISCOVERY";
      case PPPOE_SESSION: return "PPPOE_SESSION";
      case EAPOL: return "EAPOL";
      case QINQ: return "QINQ";
      case LLDP: return "LLDP";
      case QINQ_9100: return "QINQ_9100";
      default:
        return etherType < MIN_ETHER_TYPE ? "LENGTH_" + etherType : String.format("0x%04x", etherType);
    }
  }
}
