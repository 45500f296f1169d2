package dev.wirelens.tcp;

/**
 * Why {@link TcpReassembler} closed a {@link TcpConnection} ({@link TcpStreamListener#onClose}).
 *
 * <p>Thread safety: immutable.
 */
public enum CloseReason {
  /** Both sides sent a FIN and every byte before each FIN was delivered (or reported as a gap). */
  FIN,
  /** A RST with an acceptable sequence number (RFC 9293 §3.10.7.4, RFC 5961 §3) arrived from either side. */
  RST,
  /** No packet for {@code Limits.idleTimeout()} of capture time. */
  IDLE_TIMEOUT,
  /** The flow table was full ({@code Limits.maxFlows()}): the connection idle the longest made room. */
  EVICTED,
  /** A new SYN with another initial sequence number arrived on the same 5-tuple: a new connection starts. */
  PORT_REUSED,
  /** {@link TcpReassembler#close()}: the input ended with the connection still open. */
  END_OF_INPUT
}
