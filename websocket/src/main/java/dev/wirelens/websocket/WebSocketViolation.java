package dev.wirelens.websocket;

import dev.wirelens.tcp.Direction;
import java.util.Objects;

/**
 * One broken protocol rule: which rule, which side sent the frame, which frame (its 0-based index among that
 * side's frames, {@link WebSocketFrame#frameIndex()}) and when (capture time of the bytes that completed it).
 *
 * <p>Thread safety: immutable.
 */
public final class WebSocketViolation {
  private final Direction from;
  private final WebSocketRule rule;
  private final long frameIndex;
  private final long timestampNanos;

  /** A violation of {@code rule} by the sender of {@code from}'s frame {@code frameIndex}. */
  public WebSocketViolation(Direction from, WebSocketRule rule, long frameIndex, long timestampNanos) {
    this.from = Objects.requireNonNull(from, "from");
    this.rule = Objects.requireNonNull(rule, "rule");
    this.frameIndex = frameIndex;
    this.timestampNanos = timestampNanos;
  }

  /** The direction of the offending frame ({@code CLIENT_TO_SERVER}: the client broke the rule). */
  public Direction from() {
    return from;
  }

  /** The rule broken. */
  public WebSocketRule rule() {
    return rule;
  }

  /** 0-based index of the offending frame among its direction's frames. */
  public long frameIndex() {
    return frameIndex;
  }

  /** Capture time (epoch nanoseconds) of the bytes that completed the offending frame or part. */
  public long timestampNanos() {
    return timestampNanos;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WebSocketViolation && ((WebSocketViolation) o).from == from
        && ((WebSocketViolation) o).rule == rule && ((WebSocketViolation) o).frameIndex == frameIndex
        && ((WebSocketViolation) o).timestampNanos == timestampNanos;
  }

  @Override
  public int hashCode() {
    return Objects.hash(from, rule, frameIndex, timestampNanos);
  }

  @Override
  public String toString() {
    return rule.ruleName() + " from " + (from == Direction.CLIENT_TO_SERVER ? "client" : "server") + " frame "
        + frameIndex;
  }
}
