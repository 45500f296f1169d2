package dev.wirelens.websocket.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wirelens.Limits;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import dev.wirelens.websocket.WebSocketConnectionDissector;
import dev.wirelens.websocket.WebSocketFrame;
import dev.wirelens.websocket.WebSocketMessageListener;
import dev.wirelens.websocket.WebSocketRule;
import dev.wirelens.websocket.WebSocketSession;
import dev.wirelens.websocket.WebSocketViolation;
import dev.wirelens.testkit.DuplexInput;
import dev.wirelens.testkit.FuzzInput;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Fuzz target for {@link WebSocketConnectionDissector}: both directions of a connection ({@link DuplexInput}: data
 * and gaps in capture order; the seeds are our recorded WebSocket connections, handshake included), played whole
 * and split at fuzz-chosen points. Small limits (frame 4 KiB, message 8 KiB, inflated 16 KiB). Checks: no
 * exception; the consumed count within what was offered; nothing read outside the bytes offered; the same frames
 * (parts joined), messages (data CRC, ends), violations and session either way; no frame part or message data past
 * the limits unless the limit was reported as a violation; memory kept between calls within a bound made of the
 * limits; nothing held after onClose.
 */
class WebSocketConnectionDissectorFuzzTest {
  static final Limits LIMITS = Limits.builder().maxWebSocketFrameLength(4096).maxWebSocketMessageLength(8192)
      .maxInflatedLength(16384).maxInflationRatio(10).maxBufferedBytesPerFlow(16384).build();
  /** Per direction: a header and a frame of the limit, or the early client bytes; x8 for roots kept. */
  static final long MAX_RETAINED = 2L * 8 * (14 + LIMITS.maxWebSocketFrameLength() + LIMITS.maxBufferedBytesPerFlow()
      + 256);

  @org.junit.jupiter.api.Test
  void seedsAreWebSocketConnectionsWithMessages() throws java.io.IOException {
    // the seeds lead the fuzzer past the handshake only if they are whole upgrades
    for (String name : new String[] {"ws-basic-v4", "ws-deflate-v4", "ws-fragmented-v6"}) {
      byte[] seed;
      try (java.io.InputStream in = getClass().getResourceAsStream(
          "WebSocketConnectionDissectorFuzzTestInputs/sessionIsTheSameWholeOrInPieces/" + name)) {
        seed = in.readAllBytes();
      }
      WebSocketConnectionDissector ws = new WebSocketConnectionDissector(LIMITS);
      DuplexInput.ofSeed(seed).deliver(ws, false, () -> { });
      ws.onClose(CloseReason.FIN, 9_000_000_002L);
      assertThat(ws.session().isWebSocket()).as(name).isTrue();
      assertThat(ws.session().messages(Direction.SERVER_TO_CLIENT)).as(name).isPositive();
    }
  }

  @FuzzTest(maxDuration = "5m")
  void sessionIsTheSameWholeOrInPieces(FuzzedDataProvider data) {
    DuplexInput in = DuplexInput.of(data);
    String whole = run(in, false);
    String pieces = run(in, true);
    assertThat(pieces).isEqualTo(whole);
  }

  static String run(DuplexInput in, boolean split) {
    WebSocketConnectionDissector ws = new WebSocketConnectionDissector(LIMITS);
    StringBuilder frames = new StringBuilder();
    CRC32[] frameCrc = {new CRC32(), new CRC32()};
    ws.frameListener((dir, ts, f) -> frame(dir, f, frames, frameCrc[dir.ordinal()]));
    Messages messages = new Messages();
    ws.messageListener(messages);
    List<ByteBuf> handed = in.deliver(ws, split,
        () -> assertThat(ws.retainedBytes()).as("retained between calls").isLessThanOrEqualTo(MAX_RETAINED));
    ws.onFin(Direction.CLIENT_TO_SERVER, 9_000_000_000L);
    ws.onFin(Direction.SERVER_TO_CLIENT, 9_000_000_001L);
    ws.onClose(CloseReason.FIN, 9_000_000_002L);
    assertThat(ws.retainedBytes()).isZero();
    FuzzInput.assertReleased(handed);
    WebSocketSession s = ws.session();
    boolean messageLimitReported = s.violations().stream().anyMatch(v -> v.rule() == WebSocketRule.MESSAGE_TOO_LONG
        || v.rule() == WebSocketRule.INFLATED_MESSAGE_TOO_LONG || v.rule() == WebSocketRule.INFLATION_RATIO_EXCEEDED)
        || s.droppedViolations() > 0;
    if (!messageLimitReported) {
      assertThat(messages.longest).as("message data without a limit violation")
          .isLessThanOrEqualTo(Math.max(LIMITS.maxWebSocketMessageLength(), LIMITS.maxInflatedLength()));
    }
    return frames + "|" + messages + "|" + session(s);
  }

  private static void frame(Direction dir, WebSocketFrame f, StringBuilder out, CRC32 crc) {
    assertThat(f.payloadLength()).isLessThanOrEqualTo(LIMITS.maxWebSocketFrameLength());
    if (f.isFirstPart()) {
      crc.reset();
    }
    ByteBuf p = f.payload();
    for (int i = p.readerIndex(); i < p.writerIndex(); i++) {
      crc.update(p.getByte(i));
    }
    if (f.isLastPart()) {
      out.append(dir.ordinal()).append('#').append(f.frameIndex()).append('@').append(f.frameOffset()).append(':')
          .append(f.isFin()).append(f.rsv()).append(f.opcode()).append(f.isMasked()).append(f.payloadLength())
          .append(',').append(Long.toHexString(crc.getValue())).append(';');
    }
  }

  static String session(WebSocketSession s) {
    StringBuilder d = new StringBuilder().append(s.upgradeRequested()).append(s.upgradeStatus())
        .append(s.isWebSocket()).append(s.path()).append(s.host()).append(s.subprotocol()).append(s.extensions())
        .append(s.acceptValid()).append(s.compressedFrames()).append(s.isClosed()).append(s.closeCode())
        .append(s.closeReason()).append(s.closeInitiator()).append(s.closeAbnormal()).append(s.pingRttCount())
        .append(s.unansweredPings()).append(s.droppedViolations());
    for (Direction dir : Direction.values()) {
      d.append('|').append(s.frames(dir)).append(',').append(s.messages(dir)).append(',')
          .append(s.inflatedBytes(dir)).append(',').append(s.gaps(dir));
    }
    for (WebSocketViolation v : s.violations()) {
      d.append(';').append(v.from()).append(v.rule()).append(v.frameIndex());
    }
    return d.toString();
  }

  /** Message data CRC and length per direction and the message ends. */
  static final class Messages implements WebSocketMessageListener {
    final CRC32[] crc = {new CRC32(), new CRC32()};
    final long[] current = new long[2];
    long longest;
    final StringBuilder ends = new StringBuilder();

    @Override
    public void onMessageData(Direction direction, long timestampNanos, int opcode, ByteBuf data) {
      for (int i = data.readerIndex(); i < data.writerIndex(); i++) {
        crc[direction.ordinal()].update(data.getByte(i));
      }
      current[direction.ordinal()] += data.readableBytes();
      longest = Math.max(longest, current[direction.ordinal()]);
    }

    @Override
    public void onMessageEnd(Direction direction, long timestampNanos, int opcode, boolean complete) {
      ends.append(direction.ordinal()).append(opcode).append(complete).append(current[direction.ordinal()])
          .append(',').append(Long.toHexString(crc[direction.ordinal()].getValue())).append(';');
      current[direction.ordinal()] = 0;
      crc[direction.ordinal()].reset();
    }

    @Override
    public String toString() {
      return ends.toString();
    }
  }
}
