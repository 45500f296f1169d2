package dev.wirelens.pcapng;

/**
 * pcapng block type codes (draft-ietf-opsawg-pcapng §11.1, "Block Type Codes"). Open set: unknown codes pass
 * through {@link PcapngReader#blockType()} as ints.
 *
 * <p>Thread safety: constants only.
 */
public final class PcapngBlockTypes {
  /** Section Header Block (§4.1); a palindrome, the same in both byte orders. */
  public static final int SECTION_HEADER = 0x0A0D0D0A;
  /** Interface Description Block (§4.2). */
  public static final int INTERFACE_DESCRIPTION = 0x00000001;
  /** Packet Block, obsolete (Appendix A). */
  public static final int PACKET = 0x00000002;
  /** Simple Packet Block (§4.4). */
  public static final int SIMPLE_PACKET = 0x00000003;
  /** Name Resolution Block (§4.5). */
  public static final int NAME_RESOLUTION = 0x00000004;
  /** Interface Statistics Block (§4.6). */
  public static final int INTERFACE_STATISTICS = 0x00000005;
  /** Enhanced Packet Block (§4.3). */
  public static final int ENHANCED_PACKET = 0x00000006;
  /** Decryption Secrets Block (§4.7). */
  public static final int DECRYPTION_SECRETS = 0x0000000A;
  /** Custom Block that rewriters may copy (§4.8). */
  public static final int CUSTOM_COPYABLE = 0x00000BAD;
  /** Custom Block that rewriters must not copy (§4.8). */
  public static final int CUSTOM_DO_NOT_COPY = 0x40000BAD;

  private PcapngBlockTypes() {}

  /** The short name used by the pcapng-test-generator descriptions ("SHB", "EPB", "CB", ...), or "0x…". */
  public static String nameOf(int blockType) {
    switch (blockType) {
      case SECTION_HEADER: return "SHB";
      case INTERFACE_DESCRIPTION: return "IDB";
      case PACKET: return "PB";
      case SIMPLE_PACKET: return "SPB";
      case NAME_RESOLUTION: return "NRB";
      case INTERFACE_STATISTICS: return "ISB";
      case ENHANCED_PACKET: return "EPB";
      case DECRYPTION_SECRETS: return "DSB";
      case CUSTOM_COPYABLE: return "CB";
      case CUSTOM_DO_NOT_COPY: return "DCB";
      default: return String.format("0x%08X", blockType);
    }
  }
}
