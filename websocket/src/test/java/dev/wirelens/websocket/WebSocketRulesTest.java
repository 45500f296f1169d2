package dev.wirelens.websocket;

import static dev.wirelens.websocket.Frames.KEY;
import static dev.wirelens.websocket.Frames.closeBody;
import static dev.wirelens.websocket.Frames.frame;
import static dev.wirelens.websocket.Frames.utf8;
import static dev.wirelens.websocket.WebSocketOpcodes.BINARY;
import static dev.wirelens.websocket.WebSocketOpcodes.CLOSE;
import static dev.wirelens.websocket.WebSocketOpcodes.CONTINUATION;
import static dev.wirelens.websocket.WebSocketOpcodes.PING;
import static dev.wirelens.websocket.WebSocketOpcodes.PONG;
import static dev.wirelens.websocket.WebSocketOpcodes.TEXT;
import static dev.wirelens.tcp.Direction.CLIENT_TO_SERVER;
import static dev.wirelens.tcp.Direction.SERVER_TO_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One test per rule of RFC 6455 §5-7, each a hand-built frame sequence in the manner of the Autobahn test suite's
 * cases (the case numbers are given where one corresponds).
 */
class WebSocketRulesTest {
  private static final byte[] NONE = new byte[0];

  private static Frames.Feeder open(String... extensions) {
    return new Frames.Feeder(WebSocketConnectionDissector.afterHandshake(Limits.defaults(), extensions));
  }

  private static List<String> violations(WebSocketSession s) {
    return s.violations().stream().map(WebSocketViolation::toString).collect(Collectors.toList());
  }

  private static byte[] c(boolean fin, int opcode, byte[] payload) {
    return frame(fin, 0, opcode, KEY, payload);
  }

  private static byte[] s(boolean fin, int opcode, byte[] payload) {
    return frame(fin, 0, opcode, null, payload);
  }

  @Test
  void wellBehavedConversationHasNoViolations() {
    WebSocketSession s = open()
        .client(1, c(true, TEXT, utf8("Hello")), c(true, BINARY, new byte[300]))
        .server(2, s(true, TEXT, utf8("Hällo ✓ 𝄞")), s(true, CLOSE, closeBody(1000, "bye")))
        .client(3, c(true, CLOSE, closeBody(1000, "bye")))
        .close(CloseReason.FIN, 4);
    assertThat(s.violations()).isEmpty();
    assertThat(s.messages(CLIENT_TO_SERVER)).isEqualTo(2);
    assertThat(s.messages(SERVER_TO_CLIENT)).isEqualTo(1);
    assertThat(s.frames(CLIENT_TO_SERVER, TEXT)).isEqualTo(1);
    assertThat(s.frames(CLIENT_TO_SERVER, BINARY)).isEqualTo(1);
    assertThat(s.frames(SERVER_TO_CLIENT, CLOSE)).isEqualTo(1);
    assertThat(s.closeCode()).isEqualTo(1000);
    assertThat(s.closeReason()).isEqualTo("bye");
    assertThat(s.closeInitiator()).isEqualTo(SERVER_TO_CLIENT);
    assertThat(s.closeAbnormal()).isFalse();
  }

  @Test
  void clientFramesMustBeMasked() { // §5.1; Autobahn has no case: it only tests servers
    WebSocketSession s = open().client(1, c(true, TEXT, utf8("a")), s(true, TEXT, utf8("b")))
        .close(CloseReason.END_OF_INPUT, 2);
    assertThat(violations(s)).containsExactly("unmasked_client_frame from client frame 1");
  }

  @Test
  void serverFramesMustNotBeMasked() { // §5.1
    WebSocketSession s = open().server(1, s(true, TEXT, utf8("a")), c(true, TEXT, utf8("b")))
        .close(CloseReason.END_OF_INPUT, 2);
    assertThat(violations(s)).containsExactly("masked_server_frame from server frame 1");
  }

  @Test
  void controlFramesMustNotBeFragmented() { // §5.5; Autobahn 5.1, 5.2
    WebSocketSession s = open().server(1, s(false, PING, NONE), s(true, CONTINUATION, NONE))
        .close(CloseReason.END_OF_INPUT, 2);
    assertThat(violations(s)).containsExactly("fragmented_control_frame from server frame 0",
        "continuation_without_start from server frame 1");
  }

  @Test
  void controlFramePayloadsMustNotExceed125Bytes() { // §5.5; Autobahn 2.5
    WebSocketSession s = open().server(1, s(true, PING, new byte[125]), s(true, PING, new byte[126]))
        .close(CloseReason.END_OF_INPUT, 2);
    assertThat(violations(s)).containsExactly("oversized_control_frame from server frame 1");
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF})
  void reservedOpcodesAreViolations(int opcode) { // §5.2; Autobahn 4.1.1-4.2.5
    WebSocketSession s = open().server(1, s(true, opcode, utf8("x"))).close(CloseReason.END_OF_INPUT, 2);
    assertThat(violations(s)).containsExactly("reserved_opcode from server frame 0");
    assertThat(s.frames(SERVER_TO_CLIENT, opcode)).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
  void reservedBitsWithoutAnExtensionAreViolations(int rsv) { // §5.2; Autobahn 3.1-3.7
    WebSocketSession s = open().server(1, frame(true, rsv, TEXT, null, utf8("x")))
        .close(CloseReason.END_OF_INPUT, 2);
    assertThat(violations(s)).containsExactly("reserved_bits_set from server frame 0");
  }

  @Test
  void rsv1IsOnlyForTheFirstFrameOfADataMessageUnderPermessageDeflate() { // RFC 7692 §6, §6.1
    byte[] hello = {(byte) 0xf2, 0x48, (byte) 0xcd, (byte) 0xc9, (byte) 0xc9, 0x07, 0x00};
    WebSocketSession s = open("permessage-deflate")
        .server(1, frame(true, 4, TEXT, null, hello), frame(false, 4, TEXT, null, new byte[] {(byte) 0xf2}),
            frame(true, 4, CONTINUATION, null, new byte[] {0x48}), frame(true, 4, PING, null, NONE))
        .close(CloseReason.END_OF_INPUT, 2);
    assertThat(violations(s)).startsWith("reserved_bits_set from server frame 2")
        .contains("reserved_bits_set from server frame 3");
  }

  @Test
  void lengthsMustUseTheMinimalEncoding() { // §5.2
    WebSocketSession s = open().server(1, frame(true, 0, BINARY, null, new byte[3], 2),
        frame(true, 0, BINARY, null, new byte[3], 8)).close(CloseReason.END_OF_INPUT, 2);
    assertThat(violations(s)).containsExactly("non_minimal_length from server frame 0",
        "non_minimal_length from server frame 1");
  }

  @Test
  void continuationWithoutAStartIsAViolation() { // §5.4; Autobahn 5.9-5.11
    WebSocketSession s = open().server(1, s(true, CONTINUATION, utf8("x")), s(true, TEXT, utf8("ok")))
        .close(CloseReason.END_OF_INPUT, 2);
    assertThat(violations(s)).containsExactly("continuation_without_start from server frame 0");
    assertThat(s.messages(SERVER_TO_CLIENT)).isEqualTo(1);
  }

  @Test
  void aNewDataMessageMustNotStartInsideAFragmentedOne() { // §5.4; Autobahn 5.18
    WebSocketSession s = open().server(1, s(false, TEXT, utf8("a")), s(false, TEXT, utf8("b")),
        s(true, CONTINUATION, utf8("c"))).close(CloseReason.END_OF_INPUT, 2);
    assertThat(violations(s)).containsExactly("data_message_inside_fragmented_message from server frame 1");
    assertThat(s.messages(SERVER_TO_CLIENT)).isEqualTo(1);
  }

  @Test
  void controlFramesMayBeInjectedInTheMiddleOfAFragmentedMessage() { // §5.4; Autobahn 5.6-5.8
    WebSocketSession s = open()
        .server(1, s(false, TEXT, utf8("fragment1")), s(true, PING, utf8("p")), s(true, CONTINUATION, utf8("fragment2")))
        .client(2, c(true, PONG, utf8("p")))
        .close(CloseReason.END_OF_INPUT, 3);
    assertThat(s.violations()).isEmpty();
    assertThat(s.messages(SERVER_TO_CLIENT)).isEqualTo(1);
    assertThat(s.frames(SERVER_TO_CLIENT, PING)).isEqualTo(1);
    assertThat(s.pingRttCount()).isEqualTo(1);
  }

  @Test
  void noFramesAfterAClose() { // §5.5.1
    WebSocketSession s = open().server(1, s(true, CLOSE, closeBody(1000, "")), s(true, TEXT, utf8("late")))
        .close(CloseReason.END_OF_INPUT, 2);
    assertThat(violations(s)).containsExactly("data_after_close from server frame 1");
  }

  @Test
  void textMessagesMustBeUtf8() { // §5.6, §8.1; Autobahn 6.3.1
    byte[] bad = {(byte) 0xce, (byte) 0xba, (byte) 0xe1, (byte) 0xbd, (byte) 0xb9, (byte) 0xcf, (byte) 0x83,
        (byte) 0xce, (byte) 0xbc, (byte) 0xce, (byte) 0xb5, (byte) 0xed, (byte) 0xa0, (byte) 0x80, 0x65, 0x64, 0x69,
        0x74, 0x65, 0x64};
    WebSocketSession s = open().server(1, s(true, TEXT, bad)).client(2, c(true, TEXT, bad))
        .close(CloseReason.END_OF_INPUT, 2);
    assertThat(violations(s)).containsExactly("invalid_utf8 from server frame 0", "invalid_utf8 from client frame 0");
  }

  @Test
  void utf8IsValidatedAcrossFragmentBoundaries() { // §8.1; Autobahn 6.2.3-6.2.4 (a character split over frames)
    byte[] clef = utf8("𝄞"); // f0 9d 84 9e
    WebSocketSession s = open()
        .server(1, s(false, TEXT, new byte[] {clef[0]}), s(false, CONTINUATION, new byte[] {clef[1], clef[2]}),
            s(true, CONTINUATION, new byte[] {clef[3]}))
        .client(2, frame(false, 0, TEXT, KEY, new byte[] {clef[0], clef[1]}),
            frame(true, 0, CONTINUATION, 0x01020304, new byte[] {clef[2], clef[3]}))
        .close(CloseReason.END_OF_INPUT, 3);
    assertThat(s.violations()).isEmpty();
  }

  @Test
  void aTextMessageMustNotEndInsideACharacter() { // §8.1; Autobahn 6.3.2 family
    WebSocketSession s = open().server(1, s(false, TEXT, utf8("ok")), s(true, CONTINUATION, new byte[] {(byte) 0xe2, (byte) 0x82}))
        .close(CloseReason.END_OF_INPUT, 2);
    assertThat(violations(s)).containsExactly("invalid_utf8 from server frame 1");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
  void closeCodesOutsideTheAllowedRangesAreViolations(int code) { // §7.4; Autobahn 7.9.x
    WebSocketSession s = open().server(1, s(true, CLOSE, closeBody(code, ""))).close(CloseReason.FIN, 2);
    assertThat(violations(s)).containsExactly("invalid_close_code from server frame 0");
    assertThat(s.closeCode()).isEqualTo(code);
  }

  @ParameterizedTest
  @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999})
  void closeCodesInTheAllowedRangesAreAccepted(int code) { // §7.4.1, §7.4.2; Autobahn 7.7.x
    WebSocketSession s = open().server(1, s(true, CLOSE, closeBody(code, "r"))).close(CloseReason.FIN, 2);
    assertThat(s.violations()).isEmpty();
    assertThat(s.closeCode()).isEqualTo(code);
    assertThat(s.closeReason()).isEqualTo("r");
  }

  @Test
  void aCloseBodyOfOneByteIsAViolation() { // §5.5.1; Autobahn 7.3.2
    WebSocketSession s = open().server(1, s(true, CLOSE, new byte[] {3})).close(CloseReason.FIN, 2);
    assertThat(violations(s)).containsExactly("invalid_close_payload from server frame 0");
    assertThat(s.closeCode()).isNull();
  }

  @Test
  void anEmptyCloseHasNoCode() { // §5.5.1; Autobahn 7.3.1
    WebSocketSession s = open().client(1, c(true, CLOSE, NONE)).close(CloseReason.FIN, 2);
    assertThat(s.violations()).isEmpty();
    assertThat(s.isClosed()).isTrue();
    assertThat(s.closeCode()).isNull();
    assertThat(s.closeInitiator()).isEqualTo(CLIENT_TO_SERVER);
  }

  @Test
  void closeReasonsMustBeUtf8() { // §5.5.1, §8.1; Autobahn 7.5.1
    byte[] body = {0x03, (byte) 0xe8, (byte) 0xce, (byte) 0xba, (byte) 0xed, (byte) 0xa0, (byte) 0x80};
    WebSocketSession s = open().server(1, s(true, CLOSE, body)).close(CloseReason.FIN, 2);
    assertThat(violations(s)).containsExactly("invalid_utf8 from server frame 0");
  }

  @Test
  void theFirstCloseFrameNamesTheInitiator() { // §7.1.2-7.1.3
    WebSocketSession s = open().client(1, c(true, CLOSE, closeBody(1001, "going away")))
        .server(2, s(true, CLOSE, closeBody(1000, ""))).close(CloseReason.FIN, 3);
    assertThat(s.closeCode()).isEqualTo(1001);
    assertThat(s.closeReason()).isEqualTo("going away");
    assertThat(s.closeInitiator()).isEqualTo(CLIENT_TO_SERVER);
  }

  @Test
  void tcpFinWithoutACloseFrameIsAnAbnormalClosure() { // §7.1.5: "considered to be 1006"
    WebSocketConnectionDissector d = WebSocketConnectionDissector.afterHandshake(Limits.defaults());
    Frames.Feeder f = new Frames.Feeder(d).client(1, c(true, TEXT, utf8("a")));
    d.onFin(SERVER_TO_CLIENT, 2);
    d.onFin(CLIENT_TO_SERVER, 3);
    WebSocketSession s = f.close(CloseReason.FIN, 3);
    assertThat(s.closeAbnormal()).isTrue();
    assertThat(s.closeCode()).isEqualTo(WebSocketSession.ABNORMAL_CLOSURE);
    assertThat(s.closeInitiator()).isEqualTo(SERVER_TO_CLIENT);
    assertThat(s.closeReason()).isEqualTo("tcp fin");
  }

  @Test
  void tcpResetWithoutACloseFrameIsAnAbnormalClosure() {
    WebSocketSession s = open().client(1, c(true, TEXT, utf8("a"))).close(CloseReason.RST, 2);
    assertThat(s.closeAbnormal()).isTrue();
    assertThat(s.closeCode()).isEqualTo(1006);
    assertThat(s.closeInitiator()).isNull();
    assertThat(s.closeReason()).isEqualTo("tcp rst");
  }

  @Test
  void aConnectionStillOpenAtTheEndOfTheCaptureIsNotClosed() {
    WebSocketSession s = open().client(1, c(true, TEXT, utf8("a"))).close(CloseReason.END_OF_INPUT, 2);
    assertThat(s.isClosed()).isFalse();
    assertThat(s.closeCode()).isNull();
  }

  @Test
  void pingsArePairedWithPongsByPayloadForRoundTripTimes() { // §5.5.2-5.5.3
    long ms = 1_000_000L;
    WebSocketSession s = open()
        .client(10 * ms, c(true, PING, utf8("1")), c(true, PING, utf8("2")))
        .server(15 * ms, s(true, PONG, utf8("2")))
        .server(40 * ms, s(true, PONG, utf8("1")), s(true, PONG, utf8("unsolicited")))
        .server(50 * ms, s(true, PING, utf8("3")))
        .client(51 * ms, c(true, PONG, utf8("3")))
        .client(60 * ms, c(true, PING, utf8("never answered")))
        .close(CloseReason.FIN, 70 * ms);
    assertThat(s.pingRttCount()).isEqualTo(3);
    assertThat(s.pingRttsNanos()).containsExactly(5 * ms, 30 * ms, 1 * ms); // in the order of the pongs
    assertThat(s.pingRttMaxNanos()).isEqualTo(30 * ms);
    assertThat(s.pingRttMedianNanos()).isEqualTo(5 * ms);
    assertThat(s.unansweredPings()).isEqualTo(1);
  }

  @Test
  void aTruncatedFrameAtFinIsMalformed() {
    WebSocketConnectionDissector d = WebSocketConnectionDissector.afterHandshake(Limits.defaults());
    Frames.Feeder f = new Frames.Feeder(d).server(1, s(true, TEXT, utf8("a")), new byte[] {(byte) 0x81, 0x05, 'x'});
    d.onFin(Direction.SERVER_TO_CLIENT, 2);
    WebSocketSession s = f.close(CloseReason.FIN, 2);
    assertThat(violations(s)).containsExactly("malformed_frame from server frame 1");
  }

  @Test
  void aGapStopsTheDirection() {
    WebSocketConnectionDissector d = WebSocketConnectionDissector.afterHandshake(Limits.defaults());
    Frames.Feeder f = new Frames.Feeder(d).server(1, s(true, TEXT, utf8("a")));
    d.onGap(SERVER_TO_CLIENT, 2, 100);
    WebSocketSession s = f.server(3, s(true, TEXT, utf8("b"))).close(CloseReason.FIN, 4);
    assertThat(s.gaps(SERVER_TO_CLIENT)).isEqualTo(1);
    assertThat(s.frames(SERVER_TO_CLIENT)).isEqualTo(1);
  }

  @Test
  void messagesLongerThanTheLimitAreViolations() {
    Frames.Feeder f = new Frames.Feeder(WebSocketConnectionDissector.afterHandshake(
        Limits.builder().maxWebSocketMessageLength(100).build()));
    WebSocketSession s = f.server(1, s(false, BINARY, new byte[60]), s(true, CONTINUATION, new byte[60]))
        .close(CloseReason.FIN, 2);
    assertThat(violations(s)).containsExactly("message_too_long from server frame 1");
  }
}
