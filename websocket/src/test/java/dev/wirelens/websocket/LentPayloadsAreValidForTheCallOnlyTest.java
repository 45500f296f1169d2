package dev.wirelens.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wirelens.BorrowedViews;
import dev.wirelens.Limits;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The payload bytes the WebSocket dissector hands to its listeners are reused views: under the stale-view debug mode
 * (on with {@code -ea}) a listener that keeps one gets {@link IllegalStateException} "view used after its callback
 * returned" on its next read, while copies and retained payloads stay valid.
 *
 * <p>Frames: RFC 6455 §5.7's examples, "A single-frame unmasked text message" ({@code 0x81 0x05 "Hello"}) from the
 * server and "A single-frame masked text message" ({@code 0x81 0x85 0x37 0xfa 0x21 0x3d 0x7f 0x9f 0x4d 0x51 0x58},
 * "Hello") from the client.
 */
class LentPayloadsAreValidForTheCallOnlyTest {
  private static final byte[] SERVER_HELLO = {(byte) 0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f};
  private static final byte[] CLIENT_HELLO = {(byte) 0x81, (byte) 0x85, 0x37, (byte) 0xfa, 0x21, 0x3d, 0x7f,
      (byte) 0x9f, 0x4d, 0x51, 0x58};

  private static void feed(WebSocketConnectionDissector ws, Direction d, byte[] frame) {
    ByteBuf data = Unpooled.wrappedBuffer(frame);
    try {
      assertThat(ws.onData(d, 1L, data)).isEqualTo(frame.length);
    } finally {
      data.release();
    }
  }

  private static List<ByteBuf> messages(Function<ByteBuf, ByteBuf> keep) {
    List<ByteBuf> kept = new ArrayList<>();
    WebSocketConnectionDissector ws = WebSocketConnectionDissector.afterHandshake(Limits.defaults())
        .messageListener(new WebSocketMessageListener() {
          @Override
          public void onMessageData(Direction direction, long timestampNanos, int opcode, ByteBuf data) {
            kept.add(keep.apply(data));
          }
        });
    feed(ws, Direction.SERVER_TO_CLIENT, SERVER_HELLO);
    feed(ws, Direction.CLIENT_TO_SERVER, CLIENT_HELLO);
    ws.onClose(CloseReason.FIN, 2L);
    return kept;
  }

  @Test
  void aMessageListenerThatKeepsItsDataGetsTheRuleOnItsNextRead() {
    assertThat(BorrowedViews.ENABLED).as("surefire runs with -ea").isTrue();
    List<ByteBuf> kept = messages(data -> data);
    assertThat(kept).hasSize(2);
    for (ByteBuf stale : kept) {
      assertThatThrownBy(() -> stale.getByte(stale.readerIndex()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith(BorrowedViews.RULE)
          .hasMessageContaining("WebSocketMessageListener.onMessageData");
    }
  }

  @Test
  void aMessageListenerThatCopiesKeepsTheUnmaskedText() {
    List<ByteBuf> kept = messages(ByteBuf::copy);
    try {
      assertThat(kept).extracting(b -> b.toString(StandardCharsets.UTF_8)).containsExactly("Hello", "Hello");
    } finally {
      kept.forEach(ByteBuf::release);
    }
  }

  private static List<ByteBuf> framePayloads(Function<WebSocketFrame, ByteBuf> keep) {
    List<ByteBuf> kept = new ArrayList<>();
    WebSocketConnectionDissector ws = WebSocketConnectionDissector.afterHandshake(Limits.defaults())
        .frameListener((direction, ts, frame) -> kept.add(keep.apply(frame)));
    feed(ws, Direction.SERVER_TO_CLIENT, SERVER_HELLO);
    ws.onClose(CloseReason.FIN, 2L);
    return kept;
  }

  @Test
  void aFrameListenerThatKeepsThePayloadViewGetsTheRuleOnceTheReaderMovedOn() {
    List<ByteBuf> kept = framePayloads(WebSocketFrame::payload);
    assertThat(kept).hasSize(1);
    ByteBuf stale = kept.get(0);
    assertThatThrownBy(() -> stale.getByte(stale.readerIndex()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(BorrowedViews.RULE)
        .hasMessageContaining("WebSocketFrame.payload()");
  }

  @Test
  void aFrameListenerThatTakesTheRetainedPayloadKeepsIt() {
    List<ByteBuf> kept = framePayloads(WebSocketFrame::retainedPayload);
    try {
      assertThat(kept.get(0).toString(StandardCharsets.UTF_8)).isEqualTo("Hello");
    } finally {
      kept.forEach(ByteBuf::release);
    }
  }
}
