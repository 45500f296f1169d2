package dev.wirelens.tcp;

import io.netty.buffer.ByteBuf;

/**
 * A protocol dissector attached to one TCP connection (or to a byte stream nested inside one, such as the decrypted
 * application data of TLS): it receives both directions' reassembled bytes and pulls its own units (TLS records,
 * WebSocket frames) out of them. This is the stream-dissector SPI of {@code design.md}: the TLS dissector implements
 * it and feeds its decrypted output to an inner {@code StreamDissector}, which is how a WebSocket inside TLS is
 * dissected as if it had been in the clear.
 *
 * <p>Call grammar, per direction: {@code (onData | onGap)* onFin?}, the two directions interleaved in capture order,
 * then {@link #onClose} once.
 *
 * <p>Lifetime: {@code data} is borrowed for the call only; bytes not consumed are offered again, in front of the next
 * bytes of that direction (see {@link TcpStreamListener#onData}). A dissector that keeps bytes beyond the call
 * takes a {@code retainedSlice()} (and releases it) or copies them; keeping {@code data} itself, or a plain slice of
 * it, is a bug. The stale-view debug mode ({@link dev.wirelens.BorrowedViews}: {@code -Dwirelens.debug.views=true},
 * on by default under {@code -ea}) catches it: callers that hand data to a dissector (the TLS dissector passing
 * decrypted bytes to its inner dissector, the reassembler's listeners passing theirs on) lend a view that throws
 * {@link IllegalStateException} "view used after its callback returned" on any use after the call. A caller of
 * {@code onData} that is itself a dissector lends its own data the same way with
 * {@link dev.wirelens.BorrowedViews#lend} and {@link dev.wirelens.BorrowedViews#revoke}.
 *
 * <p>Allocation and thread safety: implementation defined; dissectors are single-threaded and say so.
 */
public interface StreamDissector {
  /**
   * In-order bytes of {@code direction}, carried by a packet captured at {@code timestampNanos} (epoch nanoseconds).
   * Returns how many bytes from the start of {@code data} were consumed (0 to {@code data.readableBytes()}).
   */
  int onData(Direction direction, long timestampNanos, ByteBuf data);

  /**
   * {@code length} bytes of {@code direction} are missing; what follows does not continue what came before. From
   * the TCP reassembler they were never captured (or could not be held), and the bytes this dissector left
   * unconsumed before the gap are dropped with it without being counted in {@code length}: a dissector that counts
   * stream offsets adds them itself (as {@code TlsConnectionDissector} does). From the TLS dissector to its inner
   * dissector, a gap can also be only those bytes: when the inner dissector's unconsumed decrypted bytes would pass
   * {@code Limits.maxBufferedBytesPerFlow()}, they are dropped and announced as a gap of their length.
   */
  default void onGap(Direction direction, long timestampNanos, long length) {}

  /** {@code direction} ended cleanly (TCP FIN, or the end of the enclosing protocol's stream). */
  default void onFin(Direction direction, long timestampNanos) {}

  /** The connection is over; no more calls follow. */
  default void onClose(CloseReason why, long timestampNanos) {}
}
