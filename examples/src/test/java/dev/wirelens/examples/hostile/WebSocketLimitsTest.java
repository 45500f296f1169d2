package dev.wirelens.examples.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import dev.wirelens.examples.audit.Audit;
import dev.wirelens.examples.audit.AuditSummary;
import dev.wirelens.examples.audit.ConnectionReport;
import dev.wirelens.tcp.Direction;
import dev.wirelens.websocket.WebSocketSession;
import dev.wirelens.websocket.WebSocketViolation;
import dev.wirelens.websocket.internal.MessageInflater;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, WebSocket limits through the audit under a 256 MiB heap (tag small-heap): a frame claiming 2^63 - 1 bytes
 * (the largest a 64-bit length may claim, RFC 6455 §5.2) and one claiming 2^63 (top bit set: malformed, not a
 * limit), a permessage-deflate message that inflates 1,000 times (cut by the ratio cap, or by a lower length cap), and
 * invalid UTF-8 split across fragments. The handshake is RFC 6455 §1.3's example.
 */
@Tag("small-heap")
class WebSocketLimitsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String REQUEST = "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\n"
      + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
  private static final String RESPONSE = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
      + "Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n";
  private static final String DEFLATE = "Sec-WebSocket-Extensions: permessage-deflate\r\n";

  @TempDir
  Path dir;

  @Test
  void aFrameClaimingTwoToTheSixtyThreeBytesIsTooLongAndTheOtherDirectionGoesOn() {
    // client: FIN binary, MASK, 127 -> 64-bit length 2^63 - 1, masking key 0, then a few payload bytes
    byte[] clientFrame = HEX.parseHex("82ff" + "7fffffffffffffff" + "00000000" + "00".repeat(16));
    // server: a text frame "hi", then FIN binary, 127 -> 2^63 (top bit set)
    byte[] serverFrames = HEX.parseHex("81026869" + "827f" + "8000000000000000" + "00".repeat(16));
    List<ConnectionReport> reports = audit(clientFrame, serverFrames, false);

    WebSocketSession ws = reports.get(0).webSocket();
    assertThat(ws.isWebSocket()).isTrue();
    assertThat(violations(ws)).containsExactly("frame_too_long from CLIENT_TO_SERVER frame 0",
        "malformed_frame from SERVER_TO_CLIENT frame 1");
    assertThat(ws.messages(Direction.SERVER_TO_CLIENT)).isEqualTo(1);
    assertThat(reports.get(0).limits()).isEqualTo(Map.of("maxWebSocketFrameLength", 1L));
  }

  @Test
  void aPermessageDeflateMessageInflatingAThousandTimesIsCutAtTheInflationRatioCap() {
    List<ConnectionReport> reports = audit(thousandfoldMessage(), HEX.parseHex("81026869"), true);

    WebSocketSession ws = reports.get(0).webSocket();
    assertThat(ws.extensions()).containsExactly("permessage-deflate");
    assertThat(violations(ws)).containsExactly("inflation_ratio_exceeded from CLIENT_TO_SERVER frame 0");
    // inflation stops where the ratio is first checked (past MessageInflater.RATIO_FLOOR), not at the 2 MiB
    assertThat(ws.inflatedBytes(Direction.CLIENT_TO_SERVER)).isEqualTo(MessageInflater.RATIO_FLOOR);
    assertThat(reports.get(0).limits()).isEqualTo(Map.of("maxInflationRatio", 1L));
    assertThat(ws.messages(Direction.SERVER_TO_CLIENT)).isEqualTo(1);
  }

  @Test
  void theSameMessageUnderALowerInflatedLengthCapIsCutThereAndNamesThatCap() {
    List<ConnectionReport> reports = audit(thousandfoldMessage(), HEX.parseHex("81026869"), true,
        Limits.builder().maxInflatedLength(512 << 10).build());

    WebSocketSession ws = reports.get(0).webSocket();
    assertThat(violations(ws)).containsExactly("inflated_message_too_long from CLIENT_TO_SERVER frame 0");
    assertThat(ws.inflatedBytes(Direction.CLIENT_TO_SERVER)).isEqualTo(512 << 10);
    assertThat(reports.get(0).limits()).isEqualTo(Map.of("maxInflatedLength", 1L));
    assertThat(ws.messages(Direction.SERVER_TO_CLIENT)).isEqualTo(1);
  }

  @Test
  void invalidUtf8SplitAcrossFragmentsIsAViolationOfTheFragmentThatShowsIt() {
    // message 1: "x" E2 82 | AC = "x€" split inside the character (valid); message 2: "ab" E2 82 | 28 "c" (invalid:
    // 0x28 cannot continue E2 82, RFC 3629 §4); masked with key 0
    byte[] client = HEX.parseHex("0183" + "00000000" + "78e282" + "8081" + "00000000" + "ac"
        + "0184" + "00000000" + "6162e282" + "8082" + "00000000" + "2863");
    List<ConnectionReport> reports = audit(client, HEX.parseHex("81026869"), false);

    WebSocketSession ws = reports.get(0).webSocket();
    assertThat(violations(ws)).containsExactly("invalid_utf8 from CLIENT_TO_SERVER frame 3");
    assertThat(ws.frames(Direction.CLIENT_TO_SERVER)).isEqualTo(4);
    assertThat(reports.get(0).limits()).isEmpty();
  }

  /** A masked compressed binary frame of 2 MiB of zeros: it inflates about 1,000 times (under the default 100). */
  private static byte[] thousandfoldMessage() {
    byte[] compressed = deflate(new byte[2 << 20]);
    assertThat(compressed.length).isLessThan((2 << 20) / 900);
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0xC2); // FIN, RSV1 (compressed), binary
    frame.write(0x80 | 126);
    frame.write(compressed.length >>> 8);
    frame.write(compressed.length);
    frame.writeBytes(new byte[4]); // masking key 0
    frame.writeBytes(compressed);
    return frame.toByteArray();
  }

  private List<ConnectionReport> audit(byte[] clientFrames, byte[] serverFrames, boolean deflate) {
    return audit(clientFrames, serverFrames, deflate, Limits.defaults());
  }

  /** A WebSocket connection (upgrade, then the frames each side sends, then a FIN close) and a normal one after. */
  private List<ConnectionReport> audit(byte[] clientFrames, byte[] serverFrames, boolean deflate, Limits limits) {
    Path file = dir.resolve("websocket.pcap");
    try (Wire w = Wire.pcap(file)) {
      w.tcp("10.0.0.9", 40009, "10.0.0.1", 80).handshake(Wire.T0)
          .clientSends(Wire.T0 + 3_000_000, REQUEST + (deflate ? DEFLATE : "") + "\r\n")
          .serverSends(Wire.T0 + 4_000_000, RESPONSE + (deflate ? DEFLATE : "") + "\r\n")
          .clientSends(Wire.T0 + 5_000_000, clientFrames)
          .serverSends(Wire.T0 + 6_000_000, serverFrames)
          .closeByClient(Wire.T0 + 7_000_000);
      w.normal("10.0.0.2", 40000, "10.0.0.1", Wire.T0 + 1_000_000_000L);
    }
    List<ConnectionReport> reports = new ArrayList<>();
    AuditSummary s = Audit.builder().limits(limits).build().run(file, reports::add);
    assertThat(s.problem()).isNull();
    assertThat(reports).hasSize(2);
    assertThat(reports.get(0).close()).isEqualTo("fin");
    assertThat(reports.get(0).bytes(Direction.CLIENT_TO_SERVER)).isEqualTo(
        REQUEST.length() + (deflate ? DEFLATE.length() : 0) + 2 + clientFrames.length);
    Reports.assertNormal(reports.get(1), "10.0.0.2", 40000);
    return reports;
  }

  private static List<String> violations(WebSocketSession ws) {
    return ws.violations().stream().map(WebSocketLimitsTest::describe).collect(Collectors.toList());
  }

  private static String describe(WebSocketViolation v) {
    return v.rule().ruleName() + " from " + v.from() + " frame " + v.frameIndex();
  }

  /** Raw DEFLATE with a sync flush and its final 00 00 ff ff removed (RFC 7692 §7.2.1). */
  private static byte[] deflate(byte[] data) {
    Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
    try {
      d.setInput(data);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH)) > 0) {
        out.write(buf, 0, n);
        if (n < buf.length && d.needsInput()) {
          break;
        }
      }
      byte[] all = out.toByteArray();
      return java.util.Arrays.copyOf(all, all.length - 4);
    } finally {
      d.end();
    }
  }
}
