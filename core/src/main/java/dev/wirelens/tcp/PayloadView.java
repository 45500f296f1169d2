package dev.wirelens.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.WrappedByteBuf;

/**
 * Internal: the reusable view through which {@link TcpReassembler} hands in-order payload to listeners without a slice
 * per segment. It forwards every call, indices included, to the packet buffer it wraps ({@link #unwrap()}); the
 * reassembler sets that buffer's indices around the payload for the call and puts them back afterwards. One view is
 * made per distinct packet buffer (a capture reader reuses one), so steady-state delivery allocates nothing.
 *
 * <p>Lifetime: borrowed by listeners for one call. Allocation: none. Thread safety: not thread safe.
 */
final class PayloadView extends WrappedByteBuf {
  PayloadView(ByteBuf packet) {
    super(packet);
  }

  /** True when this view wraps {@code packet}. */
  boolean wraps(ByteBuf packet) {
    return buf == packet;
  }
}
