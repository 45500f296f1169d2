package dev.wirelens.tcp;

/**
 * Why {@link TcpReassembler} gave up waiting for missing bytes of a stream and reported them as a gap
 * ({@link TcpStreamListener#onGap}). A gap is never filled with invented bytes: delivery resumes after it.
 *
 * <p>Each reason that comes from a cap names exactly one {@code Limits} accessor, so that a caller can say which
 * setting to raise: {@link #FLOW_BUFFER_LIMIT} and {@link #TOTAL_BUFFER_LIMIT}.
 *
 * <p>Thread safety: immutable.
 */
public enum GapReason {
  /** The receiver acknowledged bytes that were never captured (Wireshark's "ACKed unseen segment"). */
  ACKNOWLEDGED,
  /** The connection closed (FIN, RST, timeout, eviction, end of input) with bytes still missing. */
  CONNECTION_CLOSED,
  /**
   * Holding the out-of-order bytes that follow the hole would exceed {@code Limits.maxBufferedBytesPerFlow()}: this
   * direction's own out-of-order bytes (with the bytes its listener left unconsumed) reached the per-flow cap. Raising
   * that cap lets the reassembler wait longer for the missing bytes. Only when the per-flow cap is below the total:
   * otherwise the total binds first and {@link #TOTAL_BUFFER_LIMIT} is given.
   */
  FLOW_BUFFER_LIMIT,
  /**
   * Holding the out-of-order bytes that follow the hole would exceed {@code Limits.maxBufferedBytesTotal()}: the bytes
   * held across all connections reached the reassembler's total cap. The hole may belong to another connection than
   * the one whose segment needed the room (the least recently active connections give theirs up first).
   */
  TOTAL_BUFFER_LIMIT,
  /** The segment's payload was cut by the capture's snap length: the bytes were sent but not captured. */
  SNAPLEN
}
