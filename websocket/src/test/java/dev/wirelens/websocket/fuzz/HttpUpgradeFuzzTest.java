package dev.wirelens.websocket.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wirelens.Limits;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import dev.wirelens.websocket.WebSocketConnectionDissector;
import dev.wirelens.websocket.WebSocketHandshake;
import dev.wirelens.websocket.WebSocketSession;
import dev.wirelens.websocket.internal.HttpHead;
import dev.wirelens.testkit.FuzzInput;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target for the HTTP Upgrade parser: {@link HttpHead} (head length, parse) and the handshake path of
 * {@link WebSocketConnectionDissector}, with the bytes as the client's request (answered by a valid 101) and as the
 * server's response (to a valid request), each delivered whole and in fuzz-chosen pieces. Checks: no exception;
 * nothing read outside the bytes; {@code headLength} is stable (a prefix shorter than the head is INCOMPLETE, any
 * longer input gives the same length, the head ends in LF) and within {@link HttpHead#MAX_HEAD_LENGTH}; the
 * session's handshake fields are the same whole or in pieces; every buffer released.
 */
class HttpUpgradeFuzzTest {
  static final Limits LIMITS = Limits.builder().maxBufferedBytesPerFlow(32 * 1024).build();
  static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
  static final byte[] REQUEST = ("GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n"
      + "Connection: Upgrade\r\nSec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n"
      + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n")
      .getBytes(StandardCharsets.ISO_8859_1);
  static final byte[] RESPONSE = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      + "Sec-WebSocket-Accept: " + WebSocketHandshake.acceptFor(KEY) + "\r\n\r\n")
      .getBytes(StandardCharsets.ISO_8859_1);

  @FuzzTest(maxDuration = "2m")
  void upgradeIsRecognisedTheSameWholeOrInPieces(FuzzedDataProvider data) {
    FuzzInput in = FuzzInput.of(data);
    byte[] s = in.stream;
    headLengthIsStable(s);
    ByteBuf b = FuzzInput.exact(s);
    try {
      WebSocketConnectionDissector.isUpgradeRequest(b);
      assertThat(b.readerIndex()).isZero();
    } finally {
      b.release();
    }
    for (boolean asRequest : new boolean[] {true, false}) {
      String whole = run(s, List.of(s), asRequest);
      String pieces = run(s, in.pieces(), asRequest);
      assertThat(pieces).isEqualTo(whole);
    }
  }

  private static void headLengthIsStable(byte[] s) {
    ByteBuf all = FuzzInput.exact(s);
    try {
      int k = HttpHead.headLength(all);
      if (k > 0) {
        assertThat(k).isLessThanOrEqualTo(HttpHead.MAX_HEAD_LENGTH);
        assertThat(s[k - 1]).isEqualTo((byte) '\n');
        HttpHead head = HttpHead.parse(all, 0, k);
        assertThat(head.startLine()).doesNotContain("\n");
        head.headers().names();
        for (int shorter : new int[] {k - 1, k / 2}) {
          ByteBuf prefix = FuzzInput.exact(s, 0, shorter);
          try {
            assertThat(HttpHead.headLength(prefix)).as("head length of a %d-byte prefix", shorter)
                .isEqualTo(HttpHead.INCOMPLETE);
          } finally {
            prefix.release();
          }
        }
      } else if (k == HttpHead.TOO_LONG) {
        assertThat(s.length).isGreaterThanOrEqualTo(HttpHead.MAX_HEAD_LENGTH);
      } else {
        assertThat(k).isEqualTo(HttpHead.INCOMPLETE);
        assertThat(s.length).isLessThan(HttpHead.MAX_HEAD_LENGTH);
      }
    } finally {
      all.release();
    }
  }

  static String run(byte[] s, List<byte[]> pieces, boolean asRequest) {
    WebSocketConnectionDissector d = new WebSocketConnectionDissector(LIMITS);
    List<ByteBuf> handed = new ArrayList<>();
    Direction fuzzed = asRequest ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT;
    byte[][] pending = {new byte[0], new byte[0]};
    if (!asRequest) {
      offer(d, Direction.CLIENT_TO_SERVER, REQUEST, pending, handed);
    }
    for (byte[] p : pieces) {
      offer(d, fuzzed, p, pending, handed);
    }
    if (asRequest) {
      offer(d, Direction.SERVER_TO_CLIENT, RESPONSE, pending, handed);
    }
    d.onClose(CloseReason.FIN, 2_000_000L);
    assertThat(d.retainedBytes()).isZero();
    FuzzInput.assertReleased(handed);
    WebSocketSession x = d.session();
    WebSocketHandshake h = x.handshake();
    return x.upgradeRequested() + " " + x.upgradeStatus() + " " + x.isWebSocket() + " " + x.path() + " " + x.host()
        + " " + x.subprotocol() + " " + x.extensions() + " " + x.acceptValid() + " " + (h == null ? "-"
        : h.method() + h.path() + h.httpVersion() + h.host() + h.key() + h.version() + h.origin()
            + h.offeredProtocols() + h.offeredExtensions() + h.status() + h.reasonPhrase() + h.accept()
            + h.acceptValid() + h.subprotocol() + h.extensions() + h.perMessageDeflate() + h.serverNoContextTakeover()
            + h.clientNoContextTakeover() + h.serverMaxWindowBits() + h.clientMaxWindowBits() + h.unknownExtension())
        + " " + x.violations();
  }

  private static void offer(WebSocketConnectionDissector d, Direction dir, byte[] part, byte[][] pending,
      List<ByteBuf> handed) {
    if (part.length == 0) {
      return;
    }
    byte[] p = pending[dir.ordinal()];
    byte[] offered = java.util.Arrays.copyOf(p, p.length + part.length);
    System.arraycopy(part, 0, offered, p.length, part.length);
    ByteBuf b = FuzzInput.exact(offered);
    handed.add(b);
    int consumed;
    try {
      consumed = d.onData(dir, 1_000_000L, b);
    } finally {
      b.release();
    }
    assertThat(consumed).isBetween(0, offered.length);
    pending[dir.ordinal()] = java.util.Arrays.copyOfRange(offered, consumed, offered.length);
  }
}
