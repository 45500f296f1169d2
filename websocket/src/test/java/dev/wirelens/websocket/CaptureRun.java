package dev.wirelens.websocket;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.GapReason;
import dev.wirelens.tcp.TcpConnection;
import dev.wirelens.tcp.TcpReassembler;
import dev.wirelens.tcp.TcpStreamListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: a capture through CaptureReader, PacketDissector and TcpReassembler, one WebSocketConnectionDissector
 * per connection, recording each frame as "client|server fin rsv opcode mask length [close code]".
 */
final class CaptureRun {
  static final class Connection {
    final long id;
    final int serverPort;
    final int clientPort;
    final WebSocketConnectionDissector dissector;
    final List<String> frames = new ArrayList<>();

    Connection(long id, int serverPort, int clientPort) {
      this.id = id;
      this.clientPort = clientPort;
      this.serverPort = serverPort;
      this.dissector = new WebSocketConnectionDissector(Limits.defaults());
      dissector.frameListener((dir, ts, f) -> {
        if (!f.isLastPart()) {
          return;
        }
        String line = (dir == Direction.CLIENT_TO_SERVER ? "client" : "server") + " fin=" + (f.isFin() ? 1 : 0)
            + " rsv=" + f.rsv() + " op=" + f.opcode() + " mask=" + (f.isMasked() ? 1 : 0) + " len=" + f.payloadLength();
        if (f.opcode() == WebSocketOpcodes.CLOSE && f.payloadLength() >= 2 && f.isFirstPart()) {
          ByteBuf plain = Unpooled.buffer();
          f.unmaskTo(plain);
          line += " code=" + plain.getUnsignedShort(0);
          plain.release();
        }
        frames.add(line);
      });
    }
  }

  final List<Connection> connections = new ArrayList<>();

  static CaptureRun of(Path file) {
    CaptureRun run = new CaptureRun();
    TcpReassembler tcp = new TcpReassembler(Limits.defaults(), c -> {
      Connection conn = new Connection(c.id(), c.serverPort(), c.clientPort());
      run.connections.add(conn);
      WebSocketConnectionDissector d = conn.dissector;
      return new TcpStreamListener() {
        @Override
        public int onData(TcpConnection c, Direction dir, long offset, ByteBuf data) {
          return d.onData(dir, c.lastTimestampNanos(), data);
        }

        @Override
        public void onGap(TcpConnection c, Direction dir, long offset, long length, GapReason why) {
          d.onGap(dir, c.lastTimestampNanos(), length);
        }

        @Override
        public void onFin(TcpConnection c, Direction dir) {
          d.onFin(dir, c.lastTimestampNanos());
        }

        @Override
        public void onClose(TcpConnection c, CloseReason why) {
          d.onClose(why, c.lastTimestampNanos());
        }
      };
    }).defragment();
    PacketDissector packets = new PacketDissector();
    try (CaptureReader r = CaptureReader.open(file)) {
      DecodeStatus s;
      while ((s = r.next()) == DecodeStatus.FRAME || s == DecodeStatus.BLOCK) {
        if (s == DecodeStatus.FRAME) {
          packets.dissect(r);
          tcp.onPacket(packets, r.timestampNanos());
        }
      }
    } finally {
      tcp.close();
    }
    return run;
  }
}
