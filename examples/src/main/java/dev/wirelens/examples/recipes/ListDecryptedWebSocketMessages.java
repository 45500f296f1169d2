package dev.wirelens.examples.recipes;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.TcpReassembler;
import dev.wirelens.tls.KeyLog;
import dev.wirelens.tls.TlsTcpListener;
import dev.wirelens.websocket.WebSocketConnectionDissector;
import dev.wirelens.websocket.WebSocketMessageListener;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Prints the text of every WebSocket message inside TLS, decrypted with a key log, using the layers directly
 * (no audit): capture reader, packet dissector, TCP reassembler, TLS per connection, WebSocket behind it.
 *
 * <pre>
 * java -cp wirelens.jar dev.wirelens.examples.recipes.ListDecryptedWebSocketMessages agent-console.pcapng agent-console.keys
 * </pre>
 */
public final class ListDecryptedWebSocketMessages {
  private ListDecryptedWebSocketMessages() {}

  /** {@code args}: the capture and its TLS key log. */
  public static void main(String[] args) throws IOException {
    Limits limits = Limits.defaults();
    KeyLog keys = KeyLog.read(Path.of(args[1]), limits);
    StringBuilder message = new StringBuilder();
    WebSocketMessageListener print = new WebSocketMessageListener() {
      @Override
      public void onMessageData(Direction d, long timestampNanos, int opcode, ByteBuf data) {
        // data is borrowed for the call: copy what we keep
        message.append(opcode == 1 ? data.toString(StandardCharsets.UTF_8) : "<" + data.readableBytes() + " bytes>");
      }

      @Override
      public void onMessageEnd(Direction d, long timestampNanos, int opcode, boolean complete) {
        System.out.println((d == Direction.CLIENT_TO_SERVER ? "client> " : "server> ") + message);
        message.setLength(0);
      }
    };
    TlsTcpListener tls = new TlsTcpListener(limits, keys,
        connection -> new WebSocketConnectionDissector(limits).messageListener(print), null);
    PacketDissector packet = new PacketDissector();
    try (CaptureReader reader = CaptureReader.open(Path.of(args[0]), limits);
        TcpReassembler tcp = new TcpReassembler(limits, tls)) {
      while (reader.next() == DecodeStatus.FRAME) {
        packet.dissect(reader);
        tcp.onPacket(packet, reader.timestampNanos());
      }
    }
  }
}
