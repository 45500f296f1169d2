package dev.wirelens.examples.audit;

import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.StreamDissector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Internal: what one TLS connection's dissector was given (data in the order of both directions, gaps, FINs), held
 * while the connection may still get its keys from a Decryption Secrets Block later in a live capture, so that the
 * connection can be dissected again from its first byte, with keys, when the block arrives ({@link #replay}).
 *
 * <p>Allocation and memory: each data call is copied (the reassembler's buffer is lent for the call only); the bytes
 * held count against the connection's cap and the audit's shared budget ({@link CaptureKeys#reserve}), and
 * {@link #add} refuses what would pass either, after which the holder gives up ({@link #release}). Not thread safe.
 */
final class HeldStream {
  private static final int DATA = 0;
  private static final int GAP = 1;
  private static final int FIN = 2;

  private final CaptureKeys budget;
  private final long cap;
  private final List<Event> events = new ArrayList<>();
  private long bytes;

  HeldStream(CaptureKeys budget, long cap) {
    this.budget = budget;
    this.cap = cap;
  }

  private record Event(int kind, Direction direction, long timestampNanos, ByteBuf data, long length) {}

  /**
   * Holds a copy of {@code length} bytes of {@code data} from {@code index}; false (nothing held) when that would
   * pass the cap or the shared budget.
   */
  boolean add(Direction d, long timestampNanos, ByteBuf data, int index, int length) {
    if (length <= 0) {
      return true;
    }
    if (bytes + length > cap || !budget.reserve(length)) {
      return false;
    }
    bytes += length;
    ByteBuf copy = Unpooled.buffer(length, length);
    copy.writeBytes(data, index, length);
    events.add(new Event(DATA, d, timestampNanos, copy, length));
    return true;
  }

  void gap(Direction d, long timestampNanos, long length) {
    events.add(new Event(GAP, d, timestampNanos, null, length));
  }

  void fin(Direction d, long timestampNanos) {
    events.add(new Event(FIN, d, timestampNanos, null, 0));
  }

  /** Bytes held. */
  long bytes() {
    return bytes;
  }

  /**
   * Gives everything held to {@code to} in the order it came, as the reassembler would have: per direction, bytes
   * {@code to} leaves unconsumed are offered again with the next ones. Releases what it held, also when {@code to}
   * throws.
   */
  void replay(StreamDissector to) {
    ByteBuf[] pending = new ByteBuf[2];
    try {
      for (int i = 0; i < events.size(); i++) {
        Event e = events.get(i);
        int side = e.direction().ordinal();
        if (e.kind() == DATA) {
          ByteBuf p = pending[side];
          if (p == null) {
            p = e.data();
          } else {
            ByteBuf joined = Unpooled.buffer(p.readableBytes() + e.data().readableBytes());
            joined.writeBytes(p).writeBytes(e.data());
            p.release();
            e.data().release();
            p = joined;
          }
          events.set(i, null);
          pending[side] = p;
          int start = p.readerIndex();
          int consumed = to.onData(e.direction(), e.timestampNanos(), p);
          p.readerIndex(start + Math.max(0, Math.min(consumed, p.writerIndex() - start)));
          if (!p.isReadable()) {
            p.release();
            pending[side] = null;
          }
        } else if (e.kind() == GAP) {
          to.onGap(e.direction(), e.timestampNanos(), e.length());
        } else {
          to.onFin(e.direction(), e.timestampNanos());
        }
      }
    } finally {
      for (ByteBuf p : pending) {
        if (p != null) {
          p.release();
        }
      }
      release();
    }
  }

  /** Releases everything still held and gives its bytes back to the shared budget. */
  void release() {
    for (Event e : events) {
      if (e != null && e.data() != null) {
        e.data().release();
      }
    }
    events.clear();
    budget.unreserve(bytes);
    bytes = 0;
  }
}
