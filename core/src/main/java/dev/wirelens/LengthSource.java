package dev.wirelens;

/**
 * Where the length that a {@link Malformation#TRUNCATED} report compares against came from, as etherparse's
 * {@code LenSource}: the bytes that are really there, or a length field that promised more.
 *
 * <p>Thread safety: immutable.
 */
public enum LengthSource {
  /** The bytes handed to the view or reader (the captured bytes of a frame, the end of a file or stream). */
  AVAILABLE_BYTES,
  /** A fixed minimum header length of the protocol. */
  HEADER_MINIMUM,
  /** A header-length field (IPv4 IHL, TCP data offset, IPv6 extension header length). */
  HEADER_LENGTH_FIELD,
  /** IPv4 total length (RFC 791 §3.1). */
  IPV4_TOTAL_LENGTH,
  /** IPv6 payload length (RFC 8200 §3). */
  IPV6_PAYLOAD_LENGTH,
  /** UDP length (RFC 768). */
  UDP_LENGTH,
  /** The included (captured) length of a pcap record. */
  PCAP_RECORD_LENGTH,
  /** The total length of a pcapng block. */
  PCAPNG_BLOCK_LENGTH,
  /** The length of an option or type-length-value element. */
  OPTION_LENGTH,
  /** The length field of a TLS record or handshake message. */
  TLS_LENGTH,
  /** The payload length of a WebSocket frame. */
  WEBSOCKET_PAYLOAD_LENGTH
}
