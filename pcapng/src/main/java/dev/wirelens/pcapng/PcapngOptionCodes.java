package dev.wirelens.pcapng;

/**
 * pcapng option codes (draft-ietf-opsawg-pcapng §3.5 and the block sections). Codes are per block type except the
 * generic ones (0, 1, 2988, 2989, 19372, 19373). Open set: unknown codes pass through as ints.
 *
 * <p>Thread safety: constants only.
 */
public final class PcapngOptionCodes {
  /** opt_endofopt: ends the option list (§3.5). */
  public static final int END_OF_OPT = 0;
  /** opt_comment: UTF-8 comment, any block (§3.5). */
  public static final int COMMENT = 1;
  /** opt_custom, UTF-8 string, copyable (§3.5.1). */
  public static final int CUSTOM_STRING_COPYABLE = 2988;
  /** opt_custom, binary, copyable (§3.5.1). */
  public static final int CUSTOM_BINARY_COPYABLE = 2989;
  /** opt_custom, UTF-8 string, do not copy (§3.5.1). */
  public static final int CUSTOM_STRING_DO_NOT_COPY = 19372;
  /** opt_custom, binary, do not copy (§3.5.1). */
  public static final int CUSTOM_BINARY_DO_NOT_COPY = 19373;

  /** shb_hardware: UTF-8 hardware description (§4.1). */
  public static final int SHB_HARDWARE = 2;
  /** shb_os: UTF-8 operating system (§4.1). */
  public static final int SHB_OS = 3;
  /** shb_userappl: UTF-8 application that wrote the section (§4.1). */
  public static final int SHB_USERAPPL = 4;

  /** if_name: UTF-8 interface name (§4.2). */
  public static final int IF_NAME = 2;
  /** if_description: UTF-8 interface description (§4.2). */
  public static final int IF_DESCRIPTION = 3;
  /** if_IPv4addr: address and netmask, 8 bytes (§4.2). */
  public static final int IF_IPV4ADDR = 4;
  /** if_IPv6addr: address and prefix length, 17 bytes (§4.2). */
  public static final int IF_IPV6ADDR = 5;
  /** if_MACaddr: 6 bytes (§4.2). */
  public static final int IF_MACADDR = 6;
  /** if_EUIaddr: 8 bytes (§4.2). */
  public static final int IF_EUIADDR = 7;
  /** if_speed: u64 bits per second (§4.2). */
  public static final int IF_SPEED = 8;
  /** if_tsresol: u8 timestamp resolution (§4.2). */
  public static final int IF_TSRESOL = 9;
  /** if_tzone: time zone (§4.2). */
  public static final int IF_TZONE = 10;
  /** if_filter: capture filter, first byte is the filter type (§4.2). */
  public static final int IF_FILTER = 11;
  /** if_os: UTF-8 operating system of the capturing machine (§4.2). */
  public static final int IF_OS = 12;
  /** if_fcslen: u8 FCS length (§4.2). */
  public static final int IF_FCSLEN = 13;
  /** if_tsoffset: i64 seconds added to every timestamp (§4.2). */
  public static final int IF_TSOFFSET = 14;
  /** if_hardware: UTF-8 interface hardware (§4.2). */
  public static final int IF_HARDWARE = 15;
  /** if_txspeed: u64 (§4.2). */
  public static final int IF_TXSPEED = 16;
  /** if_rxspeed: u64 (§4.2). */
  public static final int IF_RXSPEED = 17;

  /** epb_flags: u32 link-layer flags (§4.3.1). */
  public static final int EPB_FLAGS = 2;
  /** epb_hash (§4.3). */
  public static final int EPB_HASH = 3;
  /** epb_dropcount: u64 (§4.3). */
  public static final int EPB_DROPCOUNT = 4;
  /** epb_packetid: u64 (§4.3). */
  public static final int EPB_PACKETID = 5;
  /** epb_queue: u32 (§4.3). */
  public static final int EPB_QUEUE = 6;
  /** epb_verdict (§4.3). */
  public static final int EPB_VERDICT = 7;

  /** ns_dnsname: UTF-8 DNS server name (§4.5). */
  public static final int NS_DNSNAME = 2;
  /** ns_dnsIP4addr (§4.5). */
  public static final int NS_DNSIP4ADDR = 3;
  /** ns_dnsIP6addr (§4.5). */
  public static final int NS_DNSIP6ADDR = 4;

  /** isb_starttime: u64 timestamp (§4.6). */
  public static final int ISB_STARTTIME = 2;
  /** isb_endtime: u64 timestamp (§4.6). */
  public static final int ISB_ENDTIME = 3;
  /** isb_ifrecv: u64 packets received (§4.6). */
  public static final int ISB_IFRECV = 4;
  /** isb_ifdrop: u64 packets dropped by the interface (§4.6). */
  public static final int ISB_IFDROP = 5;
  /** isb_filteraccept: u64 packets accepted by the filter (§4.6). */
  public static final int ISB_FILTERACCEPT = 6;
  /** isb_osdrop: u64 packets dropped by the OS (§4.6). */
  public static final int ISB_OSDROP = 7;
  /** isb_usrdeliv: u64 packets delivered to the user (§4.6). */
  public static final int ISB_USRDELIV = 8;

  private PcapngOptionCodes() {}
}
