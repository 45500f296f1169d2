package dev.wirelens;

/**
 * The protocol layer a view, reader or malformation belongs to. {@code PacketDissector} reports the deepest layer it
 * decoded and the layer at which it stopped.
 *
 * <p>Thread safety: immutable.
 */
public enum Layer {
  /** Nothing was decoded. */
  NONE,
  /** The capture file container: pcap record or pcapng block. */
  CAPTURE,
  /** The link layer: Ethernet II / 802.3, BSD loopback, Linux cooked SLL and SLL2. */
  LINK,
  /** An 802.1Q / 802.1ad VLAN tag. */
  VLAN,
  /** IPv4 header. */
  IPV4,
  /** IPv6 fixed header. */
  IPV6,
  /** An IPv6 extension header (hop-by-hop, routing, fragment, destination options, AH). */
  IPV6_EXTENSION,
  /** TCP header. */
  TCP,
  /** UDP header. */
  UDP,
  /** ICMP (IPv4) message header. */
  ICMP,
  /** ICMPv6 message header. */
  ICMPV6,
  /** Payload above the transport layer, not dissected by {@code PacketDissector}. */
  PAYLOAD,
  /** A TLS record or handshake message. */
  TLS,
  /** HTTP/1.1 (the WebSocket Upgrade). */
  HTTP,
  /** A WebSocket frame or message. */
  WEBSOCKET
}
