package dev.wirelens.websocket;

import dev.wirelens.tcp.Direction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * What one WebSocket connection did, as plain Java values: the opening handshake, frames per direction and opcode,
 * messages, compression, the close, ping round-trip times and protocol violations. Filled by {@link
 * WebSocketConnectionDissector} as the connection's bytes arrive, so it can be read at any time (counts so far) and
 * is final after {@code onClose}. These are the facts of the audit's {@code websocket} object ({@code design.md}).
 *
 * <p>Bounds: at most {@link #MAX_VIOLATIONS} violations are kept (more are counted in {@link
 * #droppedViolations()}), at most {@link #MAX_RTT_SAMPLES} round-trip times (the first ones; {@link #pingRttCount()}
 * counts all, {@link #pingRttMaxNanos()} covers all).
 *
 * <p>Lifetime: no buffers. Allocation: lists as facts accumulate. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * WebSocketSession s = dissector.session();
 * if (s.isWebSocket() && s.closeCode() != null && s.closeCode() != 1000) warn(s.closeCode(), s.closeReason());
 * }</pre>
 */
public final class WebSocketSession {
  /** Violations kept (the first ones). */
  public static final int MAX_VIOLATIONS = 1000;
  /** Ping round-trip times kept for the median (the first ones). */
  public static final int MAX_RTT_SAMPLES = 1 << 16;
  /** The close code reported for a connection that ended without a close frame (RFC 6455 §7.1.5, §7.4.1). */
  public static final int ABNORMAL_CLOSURE = 1006;

  final WebSocketHandshake handshake = new WebSocketHandshake();
  boolean upgradeRequested;
  boolean webSocket;
  final long[][] frames = new long[2][16];
  final long[] messages = new long[2];
  long compressedFrames;
  boolean closed;
  Integer closeCode;
  String closeReason;
  Direction closeInitiator;
  boolean closeAbnormal;
  long rttCount;
  long rttMaxNanos = -1;
  private long[] rtts = new long[16];
  private int rttSamples;
  final List<WebSocketViolation> violations = new ArrayList<>();
  long droppedViolations;
  final long[] gaps = new long[2];
  final long[] inflatedBytes = new long[2];
  long unansweredPings;

  WebSocketSession() {}

  void addViolation(WebSocketViolation v) {
    if (violations.size() < MAX_VIOLATIONS) {
      violations.add(v);
    } else {
      droppedViolations++;
    }
  }

  void addRtt(long nanos) {
    rttCount++;
    rttMaxNanos = Math.max(rttMaxNanos, nanos);
    if (rttSamples < MAX_RTT_SAMPLES) {
      if (rttSamples == rtts.length) {
        rtts = Arrays.copyOf(rtts, rtts.length * 2);
      }
      rtts[rttSamples++] = nanos;
    }
  }

  /** The opening handshake (request and response); its fields are null or -1 until seen. */
  public WebSocketHandshake handshake() {
    return handshake;
  }

  /** True when the client sent an HTTP GET with {@code Upgrade: websocket}. */
  public boolean upgradeRequested() {
    return upgradeRequested;
  }

  /** Response status of the upgrade: 101 when accepted, another code when refused, -1 when none was seen. */
  public int upgradeStatus() {
    return handshake.status();
  }

  /** True when the upgrade was accepted (status 101) and frames are being dissected. */
  public boolean isWebSocket() {
    return webSocket;
  }

  /** Request-target of the upgrade request, or null. */
  public String path() {
    return handshake.path();
  }

  /** Host header of the upgrade request, or null. */
  public String host() {
    return handshake.host();
  }

  /** Subprotocol chosen by the server, or null. */
  public String subprotocol() {
    return handshake.subprotocol();
  }

  /** Extensions in use, as the server answered them ({@code "permessage-deflate; client_max_window_bits=15"}). */
  public List<String> extensions() {
    return Collections.unmodifiableList(handshake.extensions());
  }

  /** True when Sec-WebSocket-Accept matches the key (RFC 6455 §4.2.2). */
  public boolean acceptValid() {
    return handshake.acceptValid();
  }

  /** Frames sent in {@code direction} with {@code opcode} (0-15), counted when their header was read. */
  public long frames(Direction direction, int opcode) {
    return frames[direction.ordinal()][opcode & 0xF];
  }

  /** Frames sent in {@code direction}, all opcodes. */
  public long frames(Direction direction) {
    long n = 0;
    for (long c : frames[direction.ordinal()]) {
      n += c;
    }
    return n;
  }

  /** Complete data messages (text or binary, after joining continuation frames) sent in {@code direction}. */
  public long messages(Direction direction) {
    return messages[direction.ordinal()];
  }

  /** Frames with RSV1 set under permessage-deflate (compressed messages' first frames), both directions. */
  public long compressedFrames() {
    return compressedFrames;
  }

  /** Bytes inflated from compressed messages sent in {@code direction}. */
  public long inflatedBytes(Direction direction) {
    return inflatedBytes[direction.ordinal()];
  }

  /** True when the WebSocket connection ended: a close frame was seen, or TCP ended without one (abnormal). */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Status code of the first close frame; {@link #ABNORMAL_CLOSURE} (1006) when TCP ended without a close frame;
   * null when the close frame had no body, or the connection has not closed.
   */
  public Integer closeCode() {
    return closeCode;
  }

  /** Reason of the first close frame (possibly empty); for an abnormal end, how TCP ended ("tcp fin", "tcp rst"). */
  public String closeReason() {
    return closeReason;
  }

  /** Who sent the first close frame (or, for an abnormal end, the first FIN); null if unknown (a RST). */
  public Direction closeInitiator() {
    return closeInitiator;
  }

  /** True when TCP ended (FIN or RST) without any close frame: RFC 6455's abnormal closure. */
  public boolean closeAbnormal() {
    return closeAbnormal;
  }

  /** Pings answered by a pong with the same payload. */
  public long pingRttCount() {
    return rttCount;
  }

  /** Largest ping round-trip time in nanoseconds, -1 when none. */
  public long pingRttMaxNanos() {
    return rttMaxNanos;
  }

  /**
   * The ping round-trip times in nanoseconds, in the order their pongs arrived (the first {@link #MAX_RTT_SAMPLES}):
   * each is the capture time of the packet that completed the pong minus that of the packet that completed the
   * ping it answers (the oldest outstanding ping from the other side with the same payload). Allocation: a new
   * array per call.
   */
  public long[] pingRttsNanos() {
    return Arrays.copyOf(rtts, rttSamples);
  }

  /** Median ping round-trip time in nanoseconds (mean of the two middle ones for an even count), -1 when none. */
  public long pingRttMedianNanos() {
    if (rttSamples == 0) {
      return -1;
    }
    long[] sorted = Arrays.copyOf(rtts, rttSamples);
    Arrays.sort(sorted);
    int m = rttSamples / 2;
    return (rttSamples & 1) == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  }

  /**
   * Pings without a matching pong: counted when the connection closes (before that, only the pings pushed out of
   * the 64 outstanding ones kept per direction).
   */
  public long unansweredPings() {
    return unansweredPings;
  }

  /** Protocol violations in order of detection (the first {@link #MAX_VIOLATIONS}). */
  public List<WebSocketViolation> violations() {
    return Collections.unmodifiableList(violations);
  }

  /** Violations detected beyond {@link #MAX_VIOLATIONS}. */
  public long droppedViolations() {
    return droppedViolations;
  }

  /** Gaps (uncaptured bytes) in {@code direction} after the handshake; frames after a gap are not dissected. */
  public long gaps(Direction direction) {
    return gaps[direction.ordinal()];
  }
}
