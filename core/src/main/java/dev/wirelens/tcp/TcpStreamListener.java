package dev.wirelens.tcp;

import io.netty.buffer.ByteBuf;

/**
 * Receives the reassembled byte streams of TCP connections from a {@link TcpReassembler}: the only push point of
 * Wirelens (inside a stream, protocol readers pull). Every method has a default that ignores the event, so a
 * listener overrides only what it needs.
 *
 * <p>Call grammar, per connection (each direction's events are in stream order; the two directions interleave in
 * capture order):
 * <pre>
 *   onOpen ( onAnalysis | onData | onGap | onFin )* onClose
 * </pre>
 * For one direction, {@code onData} and {@code onGap} cover consecutive, non-overlapping ranges of the stream
 * ({@code streamOffset} of each event is the end of the previous one), and {@code onFin} comes at most once, after
 * the last of them.
 *
 * <p>Stream offsets count bytes of one direction from 0, the byte after the SYN (or, when no SYN was captured, the
 * first sequence number seen in that direction); they are 64-bit and do not wrap when the 32-bit sequence numbers
 * do.
 *
 * <p>Lifetime: the {@code data} of {@link #onData} is borrowed for the call only (for in-order data it is the
 * packet's own buffer with its indices set around the payload, restored after the call); a listener that keeps bytes
 * calls {@code retainedSlice()} (and releases it later) or copies them; keeping {@code data} itself is a bug that
 * {@link dev.wirelens.BorrowedViews the stale-view debug mode} (on under {@code -ea}) turns into an
 * {@link IllegalStateException} at the first late read. The {@link TcpConnection} is a
 * live view owned by the reassembler: read it during callbacks, or copy its values.
 *
 * <p>Allocation: the reassembler allocates nothing per call; listeners decide their own.
 *
 * <p>Thread safety: called on the thread that calls {@link TcpReassembler#onPacket}; a listener must not call back
 * into the reassembler.
 *
 * <pre>{@code
 * TcpStreamListener printer = new TcpStreamListener() {
 *   public int onData(TcpConnection c, Direction dir, long streamOffset, ByteBuf data) {
 *     System.out.println(c.id() + " " + dir + " @" + streamOffset + ": " + data.readableBytes() + " bytes");
 *     return data.readableBytes();
 *   }
 * };
 * }</pre>
 */
public interface TcpStreamListener {
  /** A new connection: its first packet was seen. Roles and endpoints of {@code connection} are known. */
  default void onOpen(TcpConnection connection) {}

  /**
   * In-order bytes of one direction, starting at {@code streamOffset}. Returns how many bytes from the start of
   * {@code data} the listener consumed (0 to {@code data.readableBytes()}); the unconsumed rest is delivered again,
   * in front of the next bytes of that direction, with the offset of its first byte. Unconsumed bytes count against
   * {@code Limits.maxBufferedBytesPerFlow()} and {@code Limits.maxBufferedBytesTotal()}; they are dropped (and
   * counted by {@link TcpReassembler#unconsumedBytesDropped()}) at a gap, at the end of the direction, or when keeping
   * them would exceed either limit, in which case the next call starts at a later offset. The default consumes
   * everything.
   *
   * <p>{@code data} is borrowed for the call only; its reader index is where the bytes start and its writer index
   * where they end. It is often a view of the packet's whole buffer (not a slice): read relative to
   * {@code readerIndex()}, never from index 0, and do not keep the reference; keep bytes with {@code retainedSlice()}
   * (released later) or a copy. Changing its indices during the call is allowed and has no effect after it.
   *
   * <p>Stale-view check: with {@code -Dwirelens.debug.views=true}, or by default when assertions are enabled
   * ({@code -ea}, as in every Wirelens test run), {@code data} is a view lent for this call only
   * ({@link dev.wirelens.BorrowedViews}): using it, or a plain {@code slice()}/{@code duplicate()} of it, after the
   * call returned throws {@link IllegalStateException} "view used after its callback returned", while
   * {@code retainedSlice()}, {@code retainedDuplicate()} and copies stay valid. Off (the default in production), it
   * costs nothing.
   */
  default int onData(TcpConnection connection, Direction direction, long streamOffset, ByteBuf data) {
    return data.readableBytes();
  }

  /**
   * Bytes {@code [streamOffset, streamOffset + length)} of one direction were not captured (or could not be held);
   * delivery resumes after them. Never filled with invented bytes.
   */
  default void onGap(TcpConnection connection, Direction direction, long streamOffset, long length, GapReason why) {}

  /**
   * A segment sent in {@code direction} carries Wireshark {@code tcp.analysis.*} flags: {@code flags} is a non-zero
   * set of {@link TcpAnalysis} bits ({@link TcpAnalysis#RETRANSMISSION}, {@link TcpAnalysis#OUT_OF_ORDER}, ...).
   * Called before the segment's own data, gap or FIN events, and only while the connection is open (the counters
   * of {@link TcpConnection#analysis} also include segments after the close).
   */
  default void onAnalysis(TcpConnection connection, Direction direction, int flags) {}

  /** The direction ended with a FIN; every byte before it was delivered or reported as a gap (half-close). */
  default void onFin(TcpConnection connection, Direction direction) {}

  /** The connection closed; no more events for it follow. */
  default void onClose(TcpConnection connection, CloseReason why) {}
}
