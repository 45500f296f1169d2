package dev.wirelens.examples.audit;

import dev.wirelens.Limits;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.GapReason;
import dev.wirelens.tcp.StreamDissector;
import dev.wirelens.tcp.TcpConnection;
import dev.wirelens.tcp.TcpStreamListener;
import dev.wirelens.tls.TlsConnectionDissector;
import dev.wirelens.tls.TlsDetection;
import dev.wirelens.tls.TlsDetector;
import dev.wirelens.tls.TlsKeySource;
import dev.wirelens.tls.TlsSecrets;
import dev.wirelens.tls.TlsSession;
import dev.wirelens.websocket.WebSocketConnectionDissector;
import dev.wirelens.websocket.WebSocketSession;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;

/**
 * Internal: one connection's protocol detection by content (design.md's data flow). The first payload bytes, in
 * whichever direction they come, decide: a plausible TLS record header gives a {@link TlsConnectionDissector}
 * whose decrypted application data goes to a {@link WebSocketConnectionDissector}; anything else is plaintext and
 * goes straight to a {@link WebSocketConnectionDissector} (which recognises an HTTP/1.1 Upgrade and ignores other
 * protocols). Too few bytes to decide are left unconsumed, so the reassembler offers them again with the next ones.
 * It is also the connection's {@link TcpStreamListener} (the reassembler calls it directly: one object less to
 * reach per segment), telling {@link Lifecycle} about the open and the close.
 *
 * <p>Late keys (see {@link CaptureKeys}): on an input whose keys may come later, a TLS connection's stream is held
 * ({@link HeldStream}) until its keys are looked up; when they are missing it waits, holding on, and when a later
 * Decryption Secrets Block brings them ({@link #keysArrived()}) it is dissected again from its first byte. Not
 * thread safe.
 */
final class ConnectionDissector implements StreamDissector, TcpStreamListener {
  /** What the audit does when the connection opens and closes, besides dissecting it. */
  interface Lifecycle {
    void opened(TcpConnection connection);

    void closed(TcpConnection connection);
  }

  private final TcpConnection connection;
  private final Limits limits;
  /** The WebSocket dissectors' allocator ({@code Audit.Builder.allocator}). */
  private final ByteBufAllocator alloc;
  private final CaptureKeys keys;
  private final TlsKeySource lookup = this::secretsFor;
  private final Lifecycle lifecycle;
  /** The TLS stream so far while its keys may come later; null otherwise. */
  private HeldStream held;
  /** The client random this connection waits for keys of, or null. */
  private ByteBuffer awaited;
  /**
   * The cap the stream held for late keys passed (a {@link LimitsHit} name), or null: once set, nothing is held any
   * more, but a block with the keys is noticed.
   */
  private String gaveUp;
  /** A block brought this connection's keys after it had given up holding: the cap that cost its decryption. */
  String lateKeysLost;
  private StreamDissector chosen;
  private TlsConnectionDissector tls;
  private WebSocketConnectionDissector webSocket;
  private boolean undecided;
  private boolean plaintext;
  /** Gaps the reassembler made for {@code Limits.maxBufferedBytesPerFlow()} (GapReason.FLOW_BUFFER_LIMIT). */
  long flowBufferLimitGaps;
  /** Gaps the reassembler made for {@code Limits.maxBufferedBytesTotal()} (GapReason.TOTAL_BUFFER_LIMIT). */
  long totalBufferLimitGaps;

  ConnectionDissector(TcpConnection connection, Limits limits, ByteBufAllocator alloc, CaptureKeys keys,
      Lifecycle lifecycle) {
    this.connection = connection;
    this.limits = limits;
    this.alloc = alloc;
    this.keys = keys;
    this.lifecycle = lifecycle;
  }

  @Override
  public void onOpen(TcpConnection connection) {
    lifecycle.opened(connection);
  }

  @Override
  public int onData(TcpConnection connection, Direction direction, long streamOffset, ByteBuf data) {
    return onData(direction, connection.lastTimestampNanos(), data);
  }

  @Override
  public void onGap(TcpConnection connection, Direction direction, long streamOffset, long length, GapReason why) {
    if (why == GapReason.FLOW_BUFFER_LIMIT) {
      flowBufferLimitGaps++;
    } else if (why == GapReason.TOTAL_BUFFER_LIMIT) {
      totalBufferLimitGaps++;
    }
    onGap(direction, connection.lastTimestampNanos(), length);
  }

  @Override
  public void onFin(TcpConnection connection, Direction direction) {
    onFin(direction, connection.lastTimestampNanos());
  }

  @Override
  public void onClose(TcpConnection connection, CloseReason why) {
    onClose(why, connection.lastTimestampNanos());
    lifecycle.closed(connection);
  }

  @Override
  public int onData(Direction direction, long timestampNanos, ByteBuf data) {
    if (chosen == null) {
      if (!data.isReadable()) {
        return 0;
      }
      TlsDetection d = TlsDetector.looksLikeTls(data);
      if (d == TlsDetection.NEED_MORE) {
        undecided = true;
        return 0;
      }
      undecided = false;
      webSocket = new WebSocketConnectionDissector(limits, alloc);
      if (d == TlsDetection.YES) {
        tls = new TlsConnectionDissector(limits, lookup, webSocket);
        chosen = tls;
        if (keys.keysMayComeLater()) {
          held = new HeldStream(keys, limits);
        }
      } else {
        plaintext = true;
        chosen = webSocket;
      }
    }
    if (held == null) {
      return chosen.onData(direction, timestampNanos, data);
    }
    return holdingOnData(direction, timestampNanos, data);
  }

  private int holdingOnData(Direction direction, long timestampNanos, ByteBuf data) {
    int start = data.readerIndex();
    int consumed = chosen.onData(direction, timestampNanos, data); // may look the keys up, and stop holding
    String passed = held == null ? null : held.add(direction, timestampNanos, data, start, consumed);
    if (passed != null) {
      held.release();
      held = null;
      gaveUp = passed; // still listed as waiting, so a block with its keys can say which cap cost them
    }
    return consumed;
  }

  /** The key source the TLS dissector asks: a miss on an input whose keys may come later makes it wait. */
  private TlsSecrets secretsFor(byte[] clientRandom) {
    TlsSecrets s = keys.secretsFor(clientRandom);
    if (held != null || gaveUp != null) {
      if (s == null) {
        if (awaited == null) {
          awaited = keys.await(clientRandom, this);
        }
      } else {
        stopHolding();
      }
    }
    return s;
  }

  private void stopHolding() {
    if (held != null) {
      held.release();
      held = null;
    }
    keys.stopWaiting(awaited, this);
    awaited = null;
  }

  /**
   * A Decryption Secrets Block brought the keys this connection waits for: dissects what it was given so far again,
   * from its first byte, with a new TLS dissector (and WebSocket dissector) that finds the keys; the old ones, which
   * had no keys, are dropped (they held nothing decrypted). Called between packets.
   */
  void keysArrived() {
    HeldStream h = held;
    held = null;
    awaited = null;
    if (h == null) {
      lateKeysLost = gaveUp;
      return;
    }
    tls.close();
    webSocket = new WebSocketConnectionDissector(limits, alloc);
    tls = new TlsConnectionDissector(limits, lookup, webSocket);
    chosen = tls;
    h.replay(tls);
  }

  @Override
  public void onGap(Direction direction, long timestampNanos, long length) {
    if (chosen != null) {
      if (held != null) {
        held.gap(direction, timestampNanos, length);
      }
      chosen.onGap(direction, timestampNanos, length);
    }
  }

  @Override
  public void onFin(Direction direction, long timestampNanos) {
    if (chosen != null) {
      if (held != null) {
        held.fin(direction, timestampNanos);
      }
      chosen.onFin(direction, timestampNanos);
    }
  }

  @Override
  public void onClose(CloseReason why, long timestampNanos) {
    stopHolding();
    if (chosen != null) {
      chosen.onClose(why, timestampNanos);
    } else if (undecided) {
      plaintext = true; // a few bytes that never became a TLS record header
    }
  }

  /** The connection this dissector was made for. */
  TcpConnection connection() {
    return connection;
  }

  /**
   * Lets go of everything held without reading it (after a fault in the bytes held, see AuditSession): the facts
   * learnt so far stay.
   */
  void release() {
    stopHolding();
    if (tls != null) {
      tls.close();
    }
    if (webSocket != null) {
      webSocket.close();
    }
  }

  /** The TLS facts, or null when the connection was not TLS (also when the TLS dissector found it was not). */
  TlsSession tlsSession() {
    if (tls == null) {
      return null;
    }
    TlsSession s = tls.session();
    if (!s.isTls()) {
      plaintext = true;
      return null;
    }
    return s;
  }

  /** The WebSocket facts when an Upgrade request was seen (in the clear or decrypted), else null. */
  WebSocketSession webSocketSession() {
    return webSocket == null || !webSocket.session().upgradeRequested() ? null : webSocket.session();
  }

  /** True when the connection's first payload bytes were not TLS; final after {@link #tlsSession()}. */
  boolean plaintext() {
    return plaintext;
  }
}
