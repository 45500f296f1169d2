package dev.wirelens.examples.cli;

import dev.wirelens.Limits;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.GapReason;
import dev.wirelens.tcp.StreamDissector;
import dev.wirelens.tcp.TcpConnection;
import dev.wirelens.tcp.TcpStreamListener;
import dev.wirelens.websocket.WebSocketConnectionDissector;
import dev.wirelens.websocket.WebSocketSession;
import io.netty.buffer.ByteBuf;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Internal: the audit's WebSocket part. Attaches a {@link WebSocketConnectionDissector} to every TCP connection
 * (it recognises the HTTP/1.1 Upgrade on any port and ignores everything else after the first bytes) and keeps its
 * {@link WebSocketSession} until the connection's report takes it with {@link #take(long)}.
 */
final class WebSocketAudit {
  private final Map<Long, WebSocketConnectionDissector> open = new HashMap<>();
  private final Map<Long, WebSocketConnectionDissector> insideTls = new HashMap<>();

  /**
   * A listener factory for the reassembler: each connection's bytes go to its WebSocket dissector, and its events
   * also to the listener {@code next} makes for it (the audit's own close handling).
   */
  Function<TcpConnection, TcpStreamListener> listeners(Function<TcpConnection, TcpStreamListener> next) {
    return c -> {
      WebSocketConnectionDissector d = new WebSocketConnectionDissector(Limits.defaults());
      open.put(c.id(), d);
      return new Adapter(d, next.apply(c));
    };
  }

  /**
   * A WebSocket dissector for the decrypted application data of connection {@code id}'s TLS (for the TLS
   * dissector's inner {@link StreamDissector}); {@link #take} reports it when the plaintext one saw no Upgrade.
   */
  StreamDissector insideTls(long id) {
    return insideTls.computeIfAbsent(id, k -> new WebSocketConnectionDissector(Limits.defaults()));
  }

  /**
   * The session of connection {@code id} when it saw an Upgrade request (in the clear, else inside decrypted TLS),
   * else null; forgets the connection.
   */
  WebSocketSession take(long id) {
    WebSocketConnectionDissector plain = open.remove(id);
    WebSocketConnectionDissector tls = insideTls.remove(id);
    if (plain != null && plain.session().upgradeRequested()) {
      return plain.session();
    }
    return tls != null && tls.session().upgradeRequested() ? tls.session() : null;
  }

  /** Adapts reassembler events to a {@link StreamDissector}, with the capture time of the current packet. */
  private static final class Adapter implements TcpStreamListener {
    private final StreamDissector dissector;
    private final TcpStreamListener next;

    Adapter(StreamDissector dissector, TcpStreamListener next) {
      this.dissector = dissector;
      this.next = next;
    }

    @Override
    public void onOpen(TcpConnection c) {
      next.onOpen(c);
    }

    @Override
    public int onData(TcpConnection c, Direction dir, long streamOffset, ByteBuf data) {
      return dissector.onData(dir, c.lastTimestampNanos(), data);
    }

    @Override
    public void onGap(TcpConnection c, Direction dir, long streamOffset, long length, GapReason why) {
      dissector.onGap(dir, c.lastTimestampNanos(), length);
      next.onGap(c, dir, streamOffset, length, why);
    }

    @Override
    public void onAnalysis(TcpConnection c, Direction dir, int flags) {
      next.onAnalysis(c, dir, flags);
    }

    @Override
    public void onFin(TcpConnection c, Direction dir) {
      dissector.onFin(dir, c.lastTimestampNanos());
      next.onFin(c, dir);
    }

    @Override
    public void onClose(TcpConnection c, CloseReason why) {
      dissector.onClose(why, c.lastTimestampNanos());
      next.onClose(c, why);
    }
  }
}
