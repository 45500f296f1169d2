package dev.wirelens.tls;

import dev.wirelens.Limits;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.GapReason;
import dev.wirelens.tcp.StreamDissector;
import dev.wirelens.tcp.TcpConnection;
import dev.wirelens.tcp.TcpStreamListener;
import io.netty.buffer.ByteBuf;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Adapts {@link dev.wirelens.tcp.TcpReassembler} events to one {@link TlsConnectionDissector} per TCP connection
 * (the timestamp of each event is {@link TcpConnection#lastTimestampNanos()}), and keeps each closed connection's
 * final {@link TlsSession} until {@link #takeSession(TcpConnection)} collects it. Every connection gets a dissector;
 * one that is not TLS ends with {@link TlsSession#isTls()} false after looking at its first bytes.
 *
 * <p>{@code onOpen}, {@code onGap}, {@code onAnalysis}, {@code onFin} and {@code onClose} are forwarded to an
 * optional {@code next} listener after the dissector has seen them (so that {@code next.onClose} finds the final
 * session); {@code onData} goes to the dissector only.
 *
 * <p>Lifetime: data is borrowed for the call, as the reassembler's contract says. Memory: one dissector per open
 * connection, one session per closed connection not yet taken.
 *
 * <p>Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * TlsTcpListener tls = new TlsTcpListener(Limits.defaults(), keyLog, c -> null, null);
 * try (TcpReassembler tcp = new TcpReassembler(Limits.defaults(), tls)) { ... tcp.onPacket(dissector, ts) ... }
 * }</pre>
 */
public final class TlsTcpListener implements TcpStreamListener {
  private final Limits limits;
  private final TlsKeySource keys;
  private final Function<? super TcpConnection, ? extends StreamDissector> innerFactory;
  private final TcpStreamListener next;
  private final Map<TcpConnection, TlsConnectionDissector> open = new IdentityHashMap<>();
  private final Map<TcpConnection, TlsSession> closed = new IdentityHashMap<>();

  /**
   * @param limits caps for every dissector
   * @param keys where secrets are looked up; {@link TlsKeySource#NONE} for none
   * @param innerFactory the inner dissector of a connection's decrypted data (may return null); null for none
   * @param next listener that also gets every event but {@code onData}; null for none
   */
  public TlsTcpListener(Limits limits, TlsKeySource keys,
      Function<? super TcpConnection, ? extends StreamDissector> innerFactory, TcpStreamListener next) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.keys = keys == null ? TlsKeySource.NONE : keys;
    this.innerFactory = innerFactory;
    this.next = next;
  }

  private TlsConnectionDissector dissectorFor(TcpConnection c) {
    TlsConnectionDissector d = open.get(c);
    if (d == null) {
      StreamDissector inner = innerFactory == null ? null : innerFactory.apply(c);
      d = new TlsConnectionDissector(limits, keys, inner);
      open.put(c, d);
    }
    return d;
  }

  /** The dissector of an open connection, or null. */
  public TlsConnectionDissector dissector(TcpConnection c) {
    return open.get(c);
  }

  /** The final session of a closed connection, removed from this listener; null when unknown or taken. */
  public TlsSession takeSession(TcpConnection c) {
    return closed.remove(c);
  }

  @Override
  public void onOpen(TcpConnection connection) {
    dissectorFor(connection);
    if (next != null) {
      next.onOpen(connection);
    }
  }

  @Override
  public int onData(TcpConnection connection, Direction direction, long streamOffset, ByteBuf data) {
    return dissectorFor(connection).onData(direction, connection.lastTimestampNanos(), data);
  }

  @Override
  public void onGap(TcpConnection connection, Direction direction, long streamOffset, long length, GapReason why) {
    dissectorFor(connection).onGap(direction, connection.lastTimestampNanos(), length);
    if (next != null) {
      next.onGap(connection, direction, streamOffset, length, why);
    }
  }

  @Override
  public void onAnalysis(TcpConnection connection, Direction direction, int flags) {
    if (next != null) {
      next.onAnalysis(connection, direction, flags);
    }
  }

  @Override
  public void onFin(TcpConnection connection, Direction direction) {
    dissectorFor(connection).onFin(direction, connection.lastTimestampNanos());
    if (next != null) {
      next.onFin(connection, direction);
    }
  }

  @Override
  public void onClose(TcpConnection connection, CloseReason why) {
    TlsConnectionDissector d = open.remove(connection);
    if (d != null) {
      d.onClose(why, connection.lastTimestampNanos());
      closed.put(connection, d.session());
    }
    if (next != null) {
      next.onClose(connection, why);
    }
  }
}
