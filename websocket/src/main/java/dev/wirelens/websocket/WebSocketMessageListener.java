package dev.wirelens.websocket;

import dev.wirelens.tcp.Direction;
import io.netty.buffer.ByteBuf;

/**
 * Receives the payload of data messages (text and binary) as {@link WebSocketConnectionDissector} joins them:
 * continuation frames appended, masking removed, permessage-deflate inflated, control frames left out. A message is
 * never buffered whole: its bytes arrive in parts.
 *
 * <p>Grammar per direction: {@code (onMessageData* onMessageEnd)*}.
 *
 * <p>Lifetime: {@code data} is borrowed for the call only (it may be a reused scratch buffer); copy it to keep it.
 * Under the stale-view debug mode ({@link dev.wirelens.BorrowedViews}, on by default with {@code -ea}) it is a view
 * revoked when the call returns: a kept reference throws {@link IllegalStateException} on its next read.
 * Thread safety: called on the dissector's thread.
 */
public interface WebSocketMessageListener {
  /** The next bytes of the current message of {@code direction} ({@code opcode} 1 text or 2 binary). */
  default void onMessageData(Direction direction, long timestampNanos, int opcode, ByteBuf data) {}

  /**
   * The current message of {@code direction} ended: {@code complete} after its final fragment, false when a new
   * data frame started before it ended (a violation) or an inflation limit stopped it.
   */
  default void onMessageEnd(Direction direction, long timestampNanos, int opcode, boolean complete) {}
}
