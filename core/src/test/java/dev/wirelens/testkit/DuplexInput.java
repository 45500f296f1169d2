package dev.wirelens.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.StreamDissector;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fuzz input for a two-direction {@link StreamDissector}: a sequence of events in capture order, and cut points
 * that split the data events further. Layout: cut points from the end as in {@link FuzzInput}; the rest is events
 * {@code [kind][u16 length][bytes]}: kind bit 0 is the direction (0 client, 1 server), bit 1 makes it a TCP gap of
 * {@code length} bytes (no bytes follow); the last event may be cut short.
 *
 * <p>{@link #deliver} plays the events as {@code TcpReassembler} would: bytes a call did not consume are offered
 * again in front of that direction's next bytes. Every buffer handed over is an exact buffer (reads outside it
 * throw), released by the caller after the call; at the end all of them must be released, that is, the dissector
 * kept nothing after {@code onClose}.
 */
public final class DuplexInput {
  public record Event(int direction, boolean gap, byte[] bytes, int gapLength) {}

  public final List<Event> events;
  public final int[] cuts;

  private DuplexInput(List<Event> events, int[] cuts) {
    this.events = events;
    this.cuts = cuts;
  }

  public static DuplexInput of(FuzzedDataProvider data) {
    int n = data.consumeInt(0, 15);
    int[] raw = new int[n];
    for (int i = 0; i < n; i++) {
      raw[i] = data.consumeInt(0, 0xFFFF);
    }
    byte[] rest = data.consumeRemainingAsBytes();
    List<Event> events = events(rest);
    int total = events.stream().mapToInt(e -> e.bytes().length).sum();
    return new DuplexInput(events, FuzzInput.cutsWithin(raw, total));
  }

  /** The events of a seed written by scripts/fuzz-seeds.py (its 9-byte cut trailer removed), without cuts. */
  public static DuplexInput ofSeed(byte[] seed) {
    return new DuplexInput(events(Arrays.copyOf(seed, Math.max(0, seed.length - 9))), new int[0]);
  }

  private static List<Event> events(byte[] rest) {
    List<Event> events = new ArrayList<>();
    int p = 0;
    while (p + 3 <= rest.length) {
      int kind = rest[p] & 0xff;
      int len = ((rest[p + 1] & 0xff) << 8) | (rest[p + 2] & 0xff);
      p += 3;
      if ((kind & 2) != 0) {
        events.add(new Event(kind & 1, true, new byte[0], Math.max(1, len)));
        continue;
      }
      int take = Math.min(len, rest.length - p);
      events.add(new Event(kind & 1, false, Arrays.copyOfRange(rest, p, p + take), 0));
      p += take;
    }
    return events;
  }

  /** Plays the events, whole or split at the cut points; returns the buffers handed over (to check refCnt). */
  public List<ByteBuf> deliver(StreamDissector d, boolean split, Runnable afterEachCall) {
    return deliver(d, split, true, afterEachCall);
  }

  /**
   * As {@link #deliver(StreamDissector, boolean, Runnable)}; with {@code splitAfterGap} false, a direction's data
   * after its first gap is delivered in the event's own segments even when splitting, for dissectors whose
   * resynchronisation after a gap looks at segment starts by design.
   */
  public List<ByteBuf> deliver(StreamDissector d, boolean split, boolean splitAfterGap, Runnable afterEachCall) {
    boolean[] gapSeen = new boolean[2];
    List<ByteBuf> handed = new ArrayList<>();
    byte[][] pending = {new byte[0], new byte[0]};
    long ts = 1_000_000L;
    int position = 0;
    for (Event e : events) {
      Direction dir = e.direction() == 0 ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT;
      ts += 1000;
      if (e.gap()) {
        pending[e.direction()] = new byte[0]; // the reassembler drops what was waiting in front of a hole
        gapSeen[e.direction()] = true;
        d.onGap(dir, ts, e.gapLength());
        afterEachCall.run();
        continue;
      }
      List<byte[]> parts = new ArrayList<>();
      if (split && (splitAfterGap || !gapSeen[e.direction()])) {
        int from = 0;
        for (int c : cuts) {
          int local = c - position;
          if (local > from && local < e.bytes().length) {
            parts.add(Arrays.copyOfRange(e.bytes(), from, local));
            from = local;
          }
        }
        parts.add(Arrays.copyOfRange(e.bytes(), from, e.bytes().length));
      } else {
        parts.add(e.bytes());
      }
      position += e.bytes().length;
      for (byte[] part : parts) {
        if (part.length == 0) {
          continue;
        }
        byte[] offered = concat(pending[e.direction()], part);
        ByteBuf b = FuzzInput.exact(offered);
        handed.add(b);
        int consumed;
        try {
          consumed = d.onData(dir, ts, b);
          assertThat(consumed).as("consumed").isBetween(0, offered.length);
        } finally {
          b.release();
        }
        pending[e.direction()] = Arrays.copyOfRange(offered, consumed, offered.length);
        afterEachCall.run();
      }
    }
    return handed;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
