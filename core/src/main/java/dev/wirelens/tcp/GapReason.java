package dev.wirelens.tcp;

/**
 * Why {@link TcpReassembler} gave up waiting for missing bytes of a stream and reported them as a gap
 * ({@link TcpStreamListener#onGap}). A gap is never filled with invented bytes: delivery resumes after it.
 *
 * <p>Thread safety: immutable.
 */
public enum GapReason {
  /** The receiver acknowledged bytes that were never captured (Wireshark's "ACKed unseen segment"). */
  ACKNOWLEDGED,
  /** The connection closed (FIN, RST, timeout, eviction, end of input) with bytes still missing. */
  CONNECTION_CLOSED,
  /**
   * Holding the out-of-order bytes that follow the hole would exceed {@code Limits.maxBufferedBytesPerFlow()} or
   * {@code Limits.maxBufferedBytesTotal()}.
   */
  BUFFER_LIMIT,
  /** The segment's payload was cut by the capture's snap length: the bytes were sent but not captured. */
  SNAPLEN
}
