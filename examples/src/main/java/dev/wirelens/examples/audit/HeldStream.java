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
 * <p>Allocation and memory: each data call is copied (the reassembler's buffer is lent for the call only) to the end
 * of one buffer per connection, grown as needed; the bytes held count against the connection's cap and the audit's
 * shared budget ({@link CaptureKeys#reserve}), and {@link #add} refuses what would pass either, naming the one cap
 * passed, after which the holder gives up ({@link #release}). Not thread safe.
 */
final class HeldStream {
  /**
   * Most bytes one connection holds (when {@link dev.wirelens.Limits#maxBufferedBytesPerFlow()} is not lower):
   * holding is a bet that keys come soon after the handshake (a tool writes each secret as it is logged), so it
   * stays small; a pcapng stream without secrets copies at most this much of each TLS connection.
   */
  static final int MAX_HELD_BYTES = 16 * 1024;
  private static final int DATA = 0;
  private static final int GAP = 1;
  private static final int FIN = 2;

  private final CaptureKeys budget;
  private final long cap;
  /** The name of {@link #cap} as the audit reports it (a {@link LimitsHit} name). */
  private final String capName;
  private final List<Event> events = new ArrayList<>();
  /** Every data call's bytes, one after the other; null until the first. */
  private ByteBuf data;
  private long bytes;

  /**
   * Holds at most {@link #MAX_HELD_BYTES}, or {@code limits.maxBufferedBytesPerFlow()} when lower, and what
   * {@code budget} still has of its share of {@code limits.maxBufferedBytesTotal()}.
   */
  HeldStream(CaptureKeys budget, dev.wirelens.Limits limits) {
    this.budget = budget;
    if (limits.maxBufferedBytesPerFlow() < MAX_HELD_BYTES) {
      this.cap = limits.maxBufferedBytesPerFlow();
      this.capName = LimitsHit.MAX_BUFFERED_PER_FLOW;
    } else {
      this.cap = MAX_HELD_BYTES;
      this.capName = LimitsHit.MAX_HELD_BYTES;
    }
  }

  private record Event(int kind, Direction direction, long timestampNanos, long length) {}

  /**
   * Holds a copy of {@code length} bytes of {@code data} from {@code index}: null when held; else (nothing held) the
   * name of the one cap that holding them would pass: {@link LimitsHit#MAX_HELD_BYTES} or
   * {@link LimitsHit#MAX_BUFFERED_PER_FLOW} (this connection's cap, whichever is lower), else
   * {@link LimitsHit#MAX_BUFFERED_TOTAL} (the shared budget, a share of {@code Limits.maxBufferedBytesTotal()}; also
   * when the whole budget is not above this connection's cap: raising that cap alone would not help).
   */
  String add(Direction d, long timestampNanos, ByteBuf data, int index, int length) {
    if (length <= 0) {
      return null;
    }
    if (bytes + length > cap) {
      return cap < budget.budget() ? capName : LimitsHit.MAX_BUFFERED_TOTAL;
    }
    if (!budget.reserve(length)) {
      return LimitsHit.MAX_BUFFERED_TOTAL;
    }
    bytes += length;
    if (this.data == null) {
      this.data = Unpooled.buffer((int) Math.min(cap, 4096), (int) cap);
    }
    this.data.writeBytes(data, index, length);
    events.add(new Event(DATA, d, timestampNanos, length));
    return null;
  }

  void gap(Direction d, long timestampNanos, long length) {
    events.add(new Event(GAP, d, timestampNanos, length));
  }

  void fin(Direction d, long timestampNanos) {
    events.add(new Event(FIN, d, timestampNanos, 0));
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
    int at = 0;
    try {
      for (Event e : events) {
        int side = e.direction().ordinal();
        if (e.kind() == DATA) {
          int n = (int) e.length();
          ByteBuf p = pending[side];
          if (p == null) {
            p = data.retainedSlice(at, n);
          } else {
            ByteBuf joined = Unpooled.buffer(p.readableBytes() + n);
            joined.writeBytes(p).writeBytes(data, at, n);
            p.release();
            p = joined;
          }
          at += n;
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
    events.clear();
    if (data != null) {
      data.release();
      data = null;
    }
    budget.unreserve(bytes);
    bytes = 0;
  }
}
