package dev.wirelens.websocket;

import static dev.wirelens.websocket.Frames.KEY;
import static dev.wirelens.websocket.Frames.frame;
import static dev.wirelens.websocket.Frames.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebSocketHandshakeTest {
  /** RFC 6455 §1.2-1.3, the sample handshake. */
  static final String REQUEST = "GET /chat HTTP/1.1\r\n"
      + "Host: server.example.com\r\n"
      + "Upgrade: websocket\r\n"
      + "Connection: Upgrade\r\n"
      + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
      + "Origin: http://example.com\r\n"
      + "Sec-WebSocket-Protocol: chat, superchat\r\n"
      + "Sec-WebSocket-Version: 13\r\n"
      + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
      + "\r\n";
  static final String RESPONSE = "HTTP/1.1 101 Switching Protocols\r\n"
      + "Upgrade: websocket\r\n"
      + "Connection: Upgrade\r\n"
      + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
      + "Sec-WebSocket-Protocol: chat\r\n"
      + "\r\n";

  @Test
  void acceptIsTheBase64OfTheSha1OfKeyAndGuid() {
    // RFC 6455 §1.3: key "dGhlIHNhbXBsZSBub25jZQ==" gives "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
    assertThat(WebSocketHandshake.acceptFor("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  }

  @Test
  void theRfcSampleHandshakeOpensTheConnection() {
    WebSocketSession s = new Frames.Feeder(new WebSocketConnectionDissector(Limits.defaults()))
        .client(1, utf8(REQUEST)).server(2, utf8(RESPONSE)).close(CloseReason.END_OF_INPUT, 3);
    assertThat(s.upgradeRequested()).isTrue();
    assertThat(s.isWebSocket()).isTrue();
    assertThat(s.upgradeStatus()).isEqualTo(101);
    assertThat(s.path()).isEqualTo("/chat");
    assertThat(s.host()).isEqualTo("server.example.com");
    assertThat(s.subprotocol()).isEqualTo("chat");
    assertThat(s.acceptValid()).isTrue();
    assertThat(s.extensions()).isEmpty();
    WebSocketHandshake h = s.handshake();
    assertThat(h.key()).isEqualTo("dGhlIHNhbXBsZSBub25jZQ==");
    assertThat(h.version()).isEqualTo("13");
    assertThat(h.origin()).isEqualTo("http://example.com");
    assertThat(h.offeredProtocols()).containsExactly("chat", "superchat");
    assertThat(h.offeredExtensions()).containsExactly("permessage-deflate; client_max_window_bits");
    assertThat(h.perMessageDeflate()).isFalse();
  }

  @Test
  void aWrongAcceptIsReportedButTheConnectionIsStillDissected() {
    WebSocketSession s = new Frames.Feeder(new WebSocketConnectionDissector(Limits.defaults()))
        .client(1, utf8(REQUEST)).server(2, utf8(RESPONSE.replace("s3pP", "AAAA")), Frames.server(1, "x"))
        .close(CloseReason.END_OF_INPUT, 3);
    assertThat(s.isWebSocket()).isTrue();
    assertThat(s.acceptValid()).isFalse();
    assertThat(s.messages(Direction.SERVER_TO_CLIENT)).isEqualTo(1);
  }

  @Test
  void aRefusedUpgradeIsReportedAndIsNotWebSocket() {
    WebSocketSession s = new Frames.Feeder(new WebSocketConnectionDissector(Limits.defaults()))
        .client(1, utf8(REQUEST), Frames.client(1, "early"))
        .server(2, utf8("HTTP/1.1 403 Forbidden\r\nContent-Length: 3\r\n\r\n"), utf8("no!"))
        .close(CloseReason.FIN, 3);
    assertThat(s.upgradeRequested()).isTrue();
    assertThat(s.isWebSocket()).isFalse();
    assertThat(s.upgradeStatus()).isEqualTo(403);
    assertThat(s.frames(Direction.CLIENT_TO_SERVER)).isZero();
    assertThat(s.isClosed()).isFalse();
  }

  @Test
  void bytesAfterTheResponseInTheSameSegmentAreTheFirstFrames() {
    WebSocketSession s = new Frames.Feeder(new WebSocketConnectionDissector(Limits.defaults()))
        .client(1, utf8(REQUEST), Frames.client(1, "sent before the 101 arrived"))
        .server(2, utf8(RESPONSE), Frames.server(1, "a"), Frames.server(9, "b"))
        .close(CloseReason.END_OF_INPUT, 3);
    assertThat(s.frames(Direction.SERVER_TO_CLIENT, 1)).isEqualTo(1);
    assertThat(s.frames(Direction.SERVER_TO_CLIENT, 9)).isEqualTo(1);
    assertThat(s.frames(Direction.CLIENT_TO_SERVER, 1)).isEqualTo(1);
  }

  @Test
  void permessageDeflateParametersAreNegotiatedFromTheResponse() {
    String response = RESPONSE.replace("\r\n\r\n", "\r\nSec-WebSocket-Extensions: permessage-deflate; "
        + "server_no_context_takeover; client_max_window_bits=10; server_max_window_bits=\"12\"\r\n\r\n");
    WebSocketSession s = new Frames.Feeder(new WebSocketConnectionDissector(Limits.defaults()))
        .client(1, utf8(REQUEST)).server(2, utf8(response)).close(CloseReason.END_OF_INPUT, 3);
    WebSocketHandshake h = s.handshake();
    assertThat(s.extensions()).containsExactly(
        "permessage-deflate; server_no_context_takeover; client_max_window_bits=10; server_max_window_bits=\"12\"");
    assertThat(h.perMessageDeflate()).isTrue();
    assertThat(h.serverNoContextTakeover()).isTrue();
    assertThat(h.clientNoContextTakeover()).isFalse();
    assertThat(h.clientMaxWindowBits()).isEqualTo(10);
    assertThat(h.serverMaxWindowBits()).isEqualTo(12);
  }

  @Test
  void aClientThatDoesNotStartWithAnUpgradeIsNotWebSocket() {
    WebSocketSession s = new Frames.Feeder(new WebSocketConnectionDissector(Limits.defaults()))
        .client(1, utf8("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).server(2, utf8(RESPONSE))
        .close(CloseReason.FIN, 3);
    assertThat(s.upgradeRequested()).isFalse();
    assertThat(s.isWebSocket()).isFalse();
    WebSocketSession tls = new Frames.Feeder(new WebSocketConnectionDissector(Limits.defaults()))
        .client(1, new byte[] {0x16, 0x03, 0x01, 0x00, 0x05}).close(CloseReason.FIN, 3);
    assertThat(tls.upgradeRequested()).isFalse();
  }

  @Test
  void aHeadLongerThan16KiBIsNotAHandshake() {
    StringBuilder big = new StringBuilder("GET / HTTP/1.1\r\nUpgrade: websocket\r\n");
    while (big.length() < 17_000) {
      big.append("X-Filler: 0123456789012345678901234567890123456789\r\n");
    }
    WebSocketSession s = new Frames.Feeder(new WebSocketConnectionDissector(Limits.defaults()))
        .client(1, utf8(big.toString())).client(2, utf8("\r\n")).close(CloseReason.FIN, 3);
    assertThat(s.upgradeRequested()).isFalse();
  }

  @Test
  void headsSplitAtEveryIndexGiveTheSameSession() {
    byte[] client = Frames.concat(utf8(REQUEST), Frames.client(1, "hi"), frame(true, 0, 8, KEY, Frames.closeBody(1000, "")));
    byte[] server = Frames.concat(utf8(RESPONSE), Frames.server(1, "yo"));
    for (int split = 0; split <= Math.max(client.length, server.length); split++) {
      WebSocketConnectionDissector d = new WebSocketConnectionDissector(Limits.defaults());
      Frames.Feeder f = new Frames.Feeder(d);
      int cs = Math.min(split, client.length);
      int ss = Math.min(split, server.length);
      f.send(Direction.CLIENT_TO_SERVER, 1, java.util.Arrays.copyOfRange(client, 0, cs));
      f.send(Direction.SERVER_TO_CLIENT, 2, java.util.Arrays.copyOfRange(server, 0, ss));
      f.send(Direction.CLIENT_TO_SERVER, 3, java.util.Arrays.copyOfRange(client, cs, client.length));
      f.send(Direction.SERVER_TO_CLIENT, 4, java.util.Arrays.copyOfRange(server, ss, server.length));
      WebSocketSession s = f.close(CloseReason.FIN, 5);
      assertThat(s.isWebSocket()).as("split %d", split).isTrue();
      assertThat(s.messages(Direction.CLIENT_TO_SERVER)).as("split %d", split).isEqualTo(1);
      assertThat(s.messages(Direction.SERVER_TO_CLIENT)).as("split %d", split).isEqualTo(1);
      assertThat(s.closeCode()).as("split %d", split).isEqualTo(1000);
      assertThat(s.closeInitiator()).as("split %d", split).isEqualTo(Direction.CLIENT_TO_SERVER);
      assertThat(s.violations()).isEmpty();
    }
  }

  @Test
  void theDetectionHelperNeedsACompleteGetWithUpgrade() {
    List<ByteBuf> bufs = new ArrayList<>();
    try {
      bufs.add(Unpooled.copiedBuffer(utf8(REQUEST)));
      bufs.add(Unpooled.copiedBuffer(utf8(REQUEST.substring(0, 40))));
      bufs.add(Unpooled.copiedBuffer(utf8(REQUEST.replace("GET", "PUT"))));
      bufs.add(Unpooled.copiedBuffer(utf8(REQUEST.replace("Upgrade: websocket", "Upgrade: h2c"))));
      assertThat(bufs.stream().map(WebSocketConnectionDissector::isUpgradeRequest))
          .containsExactly(true, false, false, false);
      assertThat(bufs.get(0).readerIndex()).isZero();
    } finally {
      bufs.forEach(ByteBuf::release);
    }
  }
}
