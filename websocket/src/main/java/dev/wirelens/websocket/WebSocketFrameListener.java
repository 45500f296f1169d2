package dev.wirelens.websocket;

import dev.wirelens.tcp.Direction;

/**
 * Receives every frame part that {@link WebSocketConnectionDissector} reads, before its rules are applied.
 *
 * <p>Lifetime: {@code frame} and its payload are borrowed for the call only; keep bytes with {@link
 * WebSocketFrame#retainedPayload()} or {@link WebSocketFrame#unmaskTo}. Thread safety: called on the dissector's
 * thread.
 */
@FunctionalInterface
public interface WebSocketFrameListener {
  /** One frame, or one part of a long frame ({@link WebSocketFrame#isFirstPart()}, {@link WebSocketFrame#isLastPart()}). */
  void onFrame(Direction direction, long timestampNanos, WebSocketFrame frame);
}
