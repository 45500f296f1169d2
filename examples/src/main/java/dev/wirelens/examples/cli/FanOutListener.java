package dev.wirelens.examples.cli;

import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.GapReason;
import dev.wirelens.tcp.TcpConnection;
import dev.wirelens.tcp.TcpStreamListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Internal: one connection's reassembler events to several listeners, in the order given (so the last one sees a
 * close after the others have finished with it). Each listener gets every byte once: one that consumes fewer bytes
 * than offered (a dissector still deciding what the stream is) gets the rest again in front of the next bytes,
 * kept here as a copy of at most {@link #MAX_LEFTOVER} bytes per listener and direction (beyond that they are
 * dropped, as the reassembler would drop bytes no one consumes). The reassembler is always told that everything
 * was consumed.
 */
final class FanOutListener implements TcpStreamListener {
  /** Bytes kept per listener and direction for a listener that did not consume them. */
  static final int MAX_LEFTOVER = 64 << 10;
  private final TcpStreamListener[] listeners;
  private final byte[][][] leftovers;

  FanOutListener(TcpStreamListener... listeners) {
    this.listeners = listeners.clone();
    this.leftovers = new byte[listeners.length][2][];
  }

  @Override
  public void onOpen(TcpConnection c) {
    for (TcpStreamListener l : listeners) {
      l.onOpen(c);
    }
  }

  @Override
  public int onData(TcpConnection c, Direction d, long streamOffset, ByteBuf data) {
    int n = data.readableBytes();
    for (int i = 0; i < listeners.length; i++) {
      byte[] left = leftovers[i][d.ordinal()];
      leftovers[i][d.ordinal()] = null;
      ByteBuf in = left == null ? data.retainedDuplicate()
          : Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(left), data.retainedDuplicate());
      try {
        int offered = in.readableBytes();
        int used = listeners[i].onData(c, d, streamOffset - (left == null ? 0 : left.length), in.duplicate());
        if (used < offered && offered - used <= MAX_LEFTOVER) {
          byte[] rest = new byte[offered - used];
          in.getBytes(in.readerIndex() + used, rest);
          leftovers[i][d.ordinal()] = rest;
        }
      } finally {
        in.release();
      }
    }
    return n;
  }

  @Override
  public void onGap(TcpConnection c, Direction d, long streamOffset, long length, GapReason why) {
    for (int i = 0; i < listeners.length; i++) {
      leftovers[i][d.ordinal()] = null;
      listeners[i].onGap(c, d, streamOffset, length, why);
    }
  }

  @Override
  public void onAnalysis(TcpConnection c, Direction d, int flags) {
    for (TcpStreamListener l : listeners) {
      l.onAnalysis(c, d, flags);
    }
  }

  @Override
  public void onFin(TcpConnection c, Direction d) {
    for (TcpStreamListener l : listeners) {
      l.onFin(c, d);
    }
  }

  @Override
  public void onClose(TcpConnection c, CloseReason why) {
    for (int i = 0; i < listeners.length; i++) {
      leftovers[i][0] = null;
      leftovers[i][1] = null;
      listeners[i].onClose(c, why);
    }
  }
}
