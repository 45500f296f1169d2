package dev.wirelens.websocket;

import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Test helper: hand-built frames (RFC 6455 §5.2 by the letter, written independently of the reader). */
final class Frames {
  static final int KEY = 0x37fa213d; // the masking key of RFC 6455 §5.7's examples

  private Frames() {}

  /** A frame with a 7/16/64-bit length chosen minimally, masked with {@code key} when non-null. */
  static byte[] frame(boolean fin, int rsv, int opcode, Integer key, byte[] payload) {
    int lengthBytes = payload.length < 126 ? 0 : payload.length <= 0xFFFF ? 2 : 8;
    return frame(fin, rsv, opcode, key, payload, lengthBytes);
  }

  /** A frame with an explicit length encoding: 0 (7-bit), 2 (16-bit) or 8 (64-bit) extended length bytes. */
  static byte[] frame(boolean fin, int rsv, int opcode, Integer key, byte[] payload, int lengthBytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
    int mask = key != null ? 0x80 : 0;
    if (lengthBytes == 0) {
      out.write(mask | payload.length);
    } else if (lengthBytes == 2) {
      out.write(mask | 126);
      out.write(payload.length >>> 8);
      out.write(payload.length & 0xFF);
    } else {
      out.write(mask | 127);
      for (int i = 7; i >= 0; i--) {
        out.write((int) (((long) payload.length) >>> (8 * i)) & 0xFF);
      }
    }
    byte[] k = new byte[4];
    if (key != null) {
      for (int i = 0; i < 4; i++) {
        k[i] = (byte) (key >>> (24 - 8 * i));
      }
      out.write(k, 0, 4);
    }
    for (int i = 0; i < payload.length; i++) {
      out.write(key != null ? payload[i] ^ k[i % 4] : payload[i]);
    }
    return out.toByteArray();
  }

  static byte[] client(int opcode, String text) {
    return frame(true, 0, opcode, KEY, utf8(text));
  }

  static byte[] server(int opcode, String text) {
    return frame(true, 0, opcode, null, utf8(text));
  }

  static byte[] closeBody(int code, String reason) {
    byte[] r = utf8(reason);
    byte[] b = new byte[2 + r.length];
    b[0] = (byte) (code >>> 8);
    b[1] = (byte) code;
    System.arraycopy(r, 0, b, 2, r.length);
    return b;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.write(p, 0, p.length);
    }
    return out.toByteArray();
  }

  /** Offers {@code bytes} to {@code d} like the reassembler does: unconsumed bytes come again before the next. */
  static final class Feeder {
    private final WebSocketConnectionDissector d;
    private final ByteBuf[] pending = {Unpooled.buffer(), Unpooled.buffer()};

    Feeder(WebSocketConnectionDissector d) {
      this.d = d;
    }

    Feeder send(Direction dir, long ts, byte[] bytes) {
      ByteBuf p = pending[dir.ordinal()];
      p.writeBytes(bytes);
      int n = d.onData(dir, ts, p.slice());
      p.skipBytes(n);
      p.discardReadBytes();
      return this;
    }

    Feeder client(long ts, byte[]... frames) {
      return send(Direction.CLIENT_TO_SERVER, ts, concat(frames));
    }

    Feeder server(long ts, byte[]... frames) {
      return send(Direction.SERVER_TO_CLIENT, ts, concat(frames));
    }

    WebSocketSession close(CloseReason why, long ts) {
      d.onClose(why, ts);
      pending[0].release();
      pending[1].release();
      return d.session();
    }
  }
}
