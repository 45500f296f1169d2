package dev.wirelens.tcp;

/**
 * How much of the three-way handshake (RFC 9293 §3.5) of a {@link TcpConnection} was captured; the audit's
 * {@code tcp.handshake} field.
 *
 * <p>Thread safety: immutable.
 */
public enum TcpHandshake {
  /** SYN, SYN-ACK and the client's ACK of the SYN-ACK were seen. */
  COMPLETE("complete"),
  /** SYN and SYN-ACK were seen, the final ACK was not (yet). */
  SYN_SYNACK("syn_synack"),
  /** Only the client's SYN was seen. */
  SYN_ONLY("syn_only"),
  /** No SYN was seen: the capture started mid-connection (or lost it). */
  MISSING("missing");

  private final String jsonName;

  TcpHandshake(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The audit's name: {@code "complete"}, {@code "syn_synack"}, {@code "syn_only"} or {@code "missing"}. */
  public String jsonName() {
    return jsonName;
  }
}
