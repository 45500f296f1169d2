package dev.wirelens.websocket;

import dev.wirelens.Limits;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.StreamDissector;
import dev.wirelens.websocket.internal.HttpHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Arrays;
import java.util.Objects;

/**
 * Dissects one connection's WebSocket traffic from both directions' reassembled bytes (plaintext TCP, or the
 * decrypted application data of TLS): the HTTP/1.1 Upgrade (RFC 6455 §4), then the frames of each direction
 * (RFC 6455 §5), joined into messages, inflated under permessage-deflate (RFC 7692), with the rules of RFC 6455
 * §5-7 checked. The facts go to a {@link WebSocketSession}.
 *
 * <p>Phases: the client's first bytes must be an HTTP GET head with {@code Upgrade: websocket} (else the
 * connection is not WebSocket and every later byte is consumed unread). Client bytes after that head are frames,
 * held unread (up to {@code Limits.maxBufferedBytesPerFlow()}) until the server's response head: status 101 opens the connection (bytes after the response head in
 * the same segment are the server's first frames); any other status is a refused upgrade, recorded in {@link
 * WebSocketSession#upgradeStatus()}, and nothing more is read. A head is waited for (0 bytes consumed) up to 16 KiB.
 * Only the first request of a connection is looked at: an Upgrade after other HTTP/1.1 requests on the same
 * connection is not recognised.
 *
 * <p>Ends: a gap in a direction stops that direction's dissection (frame boundaries are lost). When TCP closes
 * (FIN or RST) without any close frame, the session reports an abnormal closure (code 1006, RFC 6455 §7.1.5).
 * Timestamps: a frame carries the capture time of the packet that completed it; ping round-trip times are the
 * difference between a ping's and its pong's times.
 *
 * <p>Lifetime: {@code onData}'s buffer is borrowed; the bytes of an unfinished frame are kept as a retained slice
 * (no copy) and released as frames complete, or by {@code onClose}, which releases everything. An unfinished HTTP
 * head is not kept here: it is left unconsumed (0 returned) for the caller to offer again.
 *
 * <p>Memory: what is kept between calls (an unfinished frame, and the client's frames sent before the upgrade
 * response) is copied when keeping it as a slice would pin a much larger buffer, such as the capture reader's read
 * chunk that the fed bytes are a view of (the rule of {@link dev.wirelens.tcp.TcpReassembler#COPY_AT_MOST}, see
 * {@link WebSocketFrameReader}); {@link #retainedBytes()} tells what is held. Per direction that is at most one
 * frame part ({@link WebSocketFrameReader#MAX_PART_LENGTH} plus a header) once open, and {@code
 * Limits.maxBufferedBytesPerFlow()} of early client bytes before.
 *
 * <p>Allocation: per connection, the session, two readers and small scratch arrays (a permessage-deflate
 * {@link java.util.zip.Inflater} per direction when negotiated); per frame none, except a composite buffer header
 * when a frame spans segments, a copy of the bytes of an unfinished frame that would pin a much larger buffer, and a
 * copy of each ping payload (at most 125 bytes) until its pong.
 *
 * <p>Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * WebSocketConnectionDissector ws = new WebSocketConnectionDissector(Limits.defaults());
 * ws.onData(Direction.CLIENT_TO_SERVER, ts, requestBytes);   // from a TcpStreamListener
 * ...
 * ws.onClose(CloseReason.FIN, ts);
 * if (ws.session().isWebSocket()) System.out.println(ws.session().closeCode());
 * }</pre>
 */
public final class WebSocketConnectionDissector implements StreamDissector, AutoCloseable {
  private enum Phase { AWAIT_REQUEST, AWAIT_RESPONSE, OPEN, NOT_WEBSOCKET, CLOSED }

  private final WebSocketSession session = new WebSocketSession();
  private final DirectionState client;
  private final DirectionState server;
  private Phase phase = Phase.AWAIT_REQUEST;
  private Direction firstFin;
  private boolean requestStarted;
  private final int maxEarlyClientBytes;

  /** A dissector that expects the HTTP/1.1 Upgrade first, with {@link ByteBufAllocator#DEFAULT}. */
  public WebSocketConnectionDissector(Limits limits) {
    this(limits, ByteBufAllocator.DEFAULT);
  }

  /** A dissector that expects the HTTP/1.1 Upgrade first, composing buffers with {@code alloc}. */
  public WebSocketConnectionDissector(Limits limits, ByteBufAllocator alloc) {
    Objects.requireNonNull(limits, "limits");
    maxEarlyClientBytes = limits.maxBufferedBytesPerFlow();
    client = new DirectionState(Direction.CLIENT_TO_SERVER, session, limits, alloc);
    server = new DirectionState(Direction.SERVER_TO_CLIENT, session, limits, alloc);
    client.peer(server);
    server.peer(client);
  }

  /**
   * A dissector for a stream that is already past its handshake (frames from the first byte), with {@code
   * extensions} the negotiated Sec-WebSocket-Extensions values (for example {@code "permessage-deflate;
   * client_no_context_takeover"}), none when empty.
   */
  public static WebSocketConnectionDissector afterHandshake(Limits limits, String... extensions) {
    WebSocketConnectionDissector d = new WebSocketConnectionDissector(limits);
    for (String e : extensions) {
      if (!e.isBlank()) {
        d.session.handshake.extensions().add(e);
      }
    }
    d.session.handshake.negotiate(Arrays.asList(extensions));
    d.open();
    return d;
  }

  /** Sets a listener that sees every frame part (null for none). */
  public WebSocketConnectionDissector frameListener(WebSocketFrameListener listener) {
    client.listener(listener);
    server.listener(listener);
    return this;
  }

  /** Sets a listener that receives the data messages, unmasked and inflated (null for none). */
  public WebSocketConnectionDissector messageListener(WebSocketMessageListener listener) {
    client.messageListener(listener);
    server.messageListener(listener);
    return this;
  }

  /** The facts so far. */
  public WebSocketSession session() {
    return session;
  }

  /**
   * True when {@code clientStream} (the client's first bytes) starts with a complete HTTP GET head asking for
   * {@code Upgrade: websocket}; see {@link WebSocketHandshake#isUpgradeRequest(ByteBuf)}.
   */
  public static boolean isUpgradeRequest(ByteBuf clientStream) {
    return WebSocketHandshake.isUpgradeRequest(clientStream);
  }

  /**
   * Bytes this dissector keeps alive between calls: the capacity of each distinct buffer under both directions'
   * unread input (see {@link WebSocketFrameReader#retainedCapacity()}); 0 once closed.
   */
  public long retainedBytes() {
    return client.reader.retainedCapacity() + server.reader.retainedCapacity();
  }

  private void open() {
    phase = Phase.OPEN;
    session.webSocket = true;
    client.negotiated(session.handshake);
    server.negotiated(session.handshake);
  }

  @Override
  public int onData(Direction direction, long timestampNanos, ByteBuf data) {
    int readable = data.readableBytes();
    if (readable == 0) {
      return 0;
    }
    DirectionState state = direction == Direction.CLIENT_TO_SERVER ? client : server;
    switch (phase) {
      case OPEN:
        state.reader.feed(data.retainedSlice());
        state.drain(timestampNanos);
        return readable;
      case AWAIT_REQUEST:
        if (direction == Direction.SERVER_TO_CLIENT && requestStarted) {
          return 0; // the server answers a request whose head has not been completed yet: wait for it
        }
        if (direction == Direction.SERVER_TO_CLIENT || !WebSocketHandshake.startsWithGet(data)) {
          notWebSocket();
          return readable;
        }
        int requestLength = HttpHead.headLength(data);
        if (requestLength == HttpHead.INCOMPLETE) {
          requestStarted = true;
          return 0;
        }
        if (requestLength < 0 || !session.handshake.readRequest(HttpHead.parse(data, data.readerIndex(), requestLength))) {
          notWebSocket();
          return readable;
        }
        session.upgradeRequested = true;
        phase = Phase.AWAIT_RESPONSE;
        if (readable > requestLength) {
          client.reader.feed(data.retainedSlice(data.readerIndex() + requestLength, readable - requestLength));
          client.reader.compact(); // held until the response: not as a slice of a large buffer
        }
        return readable;
      case AWAIT_RESPONSE:
        if (direction == Direction.CLIENT_TO_SERVER) {
          client.reader.feed(data.retainedSlice());
          if (client.reader.bufferedBytes() > maxEarlyClientBytes) {
            notWebSocket(); // no answer to the upgrade while the client keeps sending: not holding it all
          } else {
            client.reader.compact();
          }
          return readable;
        }
        int responseLength = HttpHead.headLength(data);
        if (responseLength == HttpHead.INCOMPLETE) {
          return 0;
        }
        int status = responseLength < 0 ? -1
            : session.handshake.readResponse(HttpHead.parse(data, data.readerIndex(), responseLength));
        if (status != 101) {
          notWebSocket();
          return readable;
        }
        open();
        if (readable > responseLength) {
          server.reader.feed(data.retainedSlice(data.readerIndex() + responseLength, readable - responseLength));
        }
        client.drain(timestampNanos);
        server.drain(timestampNanos);
        return readable;
      default:
        return readable;
    }
  }

  private void notWebSocket() {
    phase = Phase.NOT_WEBSOCKET;
    client.close();
    server.close();
  }

  @Override
  public void onGap(Direction direction, long timestampNanos, long length) {
    if (phase == Phase.OPEN) {
      (direction == Direction.CLIENT_TO_SERVER ? client : server).gap();
    } else if (phase == Phase.AWAIT_REQUEST || phase == Phase.AWAIT_RESPONSE) {
      notWebSocket();
    }
  }

  @Override
  public void onFin(Direction direction, long timestampNanos) {
    if (firstFin == null) {
      firstFin = direction;
    }
    if (phase == Phase.OPEN) {
      (direction == Direction.CLIENT_TO_SERVER ? client : server).endOfInput(timestampNanos);
    }
  }

  @Override
  public void onClose(CloseReason why, long timestampNanos) {
    if (phase == Phase.OPEN) {
      client.drain(timestampNanos);
      server.drain(timestampNanos);
      boolean tcpEnded = why == CloseReason.FIN || why == CloseReason.RST || firstFin != null;
      if (!session.closed && tcpEnded) {
        session.closed = true;
        session.closeAbnormal = true;
        session.closeCode = WebSocketSession.ABNORMAL_CLOSURE;
        session.closeReason = why == CloseReason.RST ? "tcp rst" : "tcp fin";
        session.closeInitiator = why == CloseReason.RST ? null : firstFin;
      }
      session.unansweredPings += client.outstandingPings() + server.outstandingPings();
    }
    close();
  }

  /**
   * Releases everything held without reading it, like {@code onClose} without its last look at the unfinished frames
   * (for a caller that cannot let it read them, e.g. after a fault in the buffers they lie in): the session keeps what
   * was learnt so far. Idempotent; nothing is dissected afterwards.
   */
  @Override
  public void close() {
    if (phase != Phase.CLOSED) {
      client.close();
      server.close();
      phase = Phase.CLOSED;
    }
  }
}
