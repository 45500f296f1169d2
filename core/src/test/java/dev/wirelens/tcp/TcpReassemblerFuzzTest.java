package dev.wirelens.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wirelens.Limits;
import dev.wirelens.link.LinkTypes;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.testkit.CutPoints;
import dev.wirelens.testkit.EventDigest;
import dev.wirelens.testkit.ExactBuffer;
import dev.wirelens.testkit.PacketBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;

/**
 * Fuzz target of {@link TcpReassembler} fed arbitrary segments of four connections (issue 8).
 *
 * <p>Input: 9-byte segment records, each followed by its payload: flow and direction (and a snaplen cut), TCP
 * flags, sequence and acknowledgment numbers relative to fixed initial ones (the client's near 2^32, to cross the
 * wrap), window, payload length, capture-time step. Parameters (limits, consumption, cut points) come from the end
 * of the input. Every segment is built as a raw IPv4 or IPv6 packet, given as an exact buffer, dissected and
 * offered with {@link TcpReassembler#onPacket}.
 *
 * <p>Property: never an exception; a listener per connection sees the documented grammar ({@code onOpen (onAnalysis
 * | onData | onGap | onFin)* onClose}, per direction consecutive ranges, redelivered bytes equal to those left
 * unconsumed, nothing after the FIN or the close); bytes held stay within the (small) per-flow and total limits and
 * the flow table within {@link Limits#maxFlows()}; packet buffers are neither retained nor released; all is released
 * at close. And, with a listener that consumes everything: the delivered bytes, gaps, FINs and closes are the same
 * when every data segment is split into smaller segments at fuzz-chosen points (unless a limit forced a gap).
 */
class TcpReassemblerFuzzTest {
  private static final int RECORD = 9;

  @FuzzTest(maxDuration = "5m")
  void anySegmentsKeepTheStreamGrammarAndLimits(FuzzedDataProvider data) {
    boolean small = data.consumeBoolean();
    int perFlow = small ? data.consumeInt(1, 4096) : Limits.DEFAULT_MAX_BUFFERED_BYTES_PER_FLOW;
    long total = small ? data.consumeLong(1, 16384) : Limits.DEFAULT_MAX_BUFFERED_BYTES_TOTAL;
    int maxFlows = small ? data.consumeInt(1, 4) : Limits.DEFAULT_MAX_FLOWS;
    boolean compare = data.consumeBoolean();
    int consumeSeed = data.consumeInt();
    CutPoints cuts = CutPoints.consume(data, 6);
    byte[] input = data.consumeRemainingAsBytes();
    Limits limits = Limits.builder().maxBufferedBytesPerFlow(perFlow).maxBufferedBytesTotal(total)
        .maxFlows(maxFlows).build();

    Run whole = new Run(limits, compare, consumeSeed);
    whole.feed(input, null);
    if (compare) {
      Run split = new Run(limits, true, consumeSeed);
      split.feed(input, cuts);
      if (!whole.limited && !split.limited) {
        assertEquals(whole.digest, split.digest, "whole segments vs split segments");
      }
    }
  }

  /** One pass over the segments with a fresh reassembler. */
  private static final class Run {
    final Limits limits;
    final boolean consumeAll;
    final int consumeSeed;
    final EventDigest digest = new EventDigest();
    final List<Checker> checkers = new ArrayList<>();
    final PacketDissector dissector = new PacketDissector();
    boolean limited;
    long ts = 1_000_000_000L;

    Run(Limits limits, boolean consumeAll, int consumeSeed) {
      this.limits = limits;
      this.consumeAll = consumeAll;
      this.consumeSeed = consumeSeed;
    }

    void feed(byte[] input, CutPoints split) {
      TcpReassembler r = new TcpReassembler(limits, c -> {
        Checker k = new Checker(this, c);
        checkers.add(k);
        return k;
      });
      try {
        for (int at = 0; at + RECORD <= input.length; ) {
          int b0 = input[at] & 0xff;
          int flags = input[at + 1] & 0xff;
          int relSeq = ((input[at + 2] & 0xff) << 8) | (input[at + 3] & 0xff);
          int relAck = ((input[at + 4] & 0xff) << 8) | (input[at + 5] & 0xff);
          int window = (input[at + 6] & 0xff) << 8;
          int length = Math.min(input[at + 7] & 0xff, input.length - at - RECORD);
          long step = (input[at + 8] & 0xffL) * 1_000_000L << ((b0 >>> 5) * 4); // up to minutes: idle timeouts
          byte[] payload = Arrays.copyOfRange(input, at + RECORD, at + RECORD + length);
          at += RECORD + length;
          if (consumeAll) {
            window |= 0x100; // no zero windows when comparing: a 1-byte piece could become a zero-window probe
          }
          ts += step;
          int flow = b0 & 3;
          boolean fromServer = (b0 & 4) != 0;
          int snapCut = (b0 & 8) != 0 && !consumeAll ? (b0 >>> 4) + 1 : 0;
          if (split != null && (flags & (PacketBuilder.SYN | PacketBuilder.RST)) == 0 && length > 1) {
            int from = 0;
            int[] at2 = split.within(length);
            for (int i = 0; i <= at2.length; i++) {
              int to = i < at2.length ? at2[i] : length;
              int f = i < at2.length ? flags & ~PacketBuilder.FIN : flags;
              packet(r, flow, fromServer, f, relSeq + from, relAck, window,
                  Arrays.copyOfRange(payload, from, to), 0);
              from = to;
            }
          } else {
            packet(r, flow, fromServer, flags, relSeq, relAck, window, payload, snapCut);
          }
        }
      } finally {
        r.close();
      }
      assertEquals(0, r.bufferedBytes(), "bytes held after close");
      for (Checker k : checkers) {
        assertTrue(k.closed, "connection " + k.c.id() + " not closed by close()");
      }
      if (r.evictions() > 0) {
        limited = true;
      }
    }

    private void packet(TcpReassembler r, int flow, boolean fromServer, int flags, int relSeq, int relAck,
        int window, byte[] payload, int snapCut) {
      long clientIsn = 0xFFFFFF00L + flow * 7;
      long serverIsn = 0x1000L * (flow + 1);
      long seq = ((fromServer ? serverIsn : clientIsn) + relSeq) & 0xFFFFFFFFL;
      long ack = ((fromServer ? clientIsn : serverIsn) + relAck) & 0xFFFFFFFFL;
      int clientPort = 40000 + flow;
      int serverPort = flow == 2 ? 443 : 8084;
      PacketBuilder b = PacketBuilder.raw();
      String c = flow == 3 ? "2001:db8::1" : "10.0.0.1";
      String s = flow == 3 ? "2001:db8::2" : "10.0.0.2";
      if (flow == 3) {
        b = fromServer ? b.ipv6(s, c) : b.ipv6(c, s);
      } else {
        b = fromServer ? b.ipv4(s, c) : b.ipv4(c, s);
      }
      b.tcp(fromServer ? serverPort : clientPort, fromServer ? clientPort : serverPort)
          .seq(seq).ack(ack).flags(flags).window(window).payload(payload);
      byte[] frame = b.build();
      if (snapCut > 0) {
        frame = Arrays.copyOf(frame, Math.max(0, frame.length - snapCut)); // as a snaplen would cut it
      }
      ByteBuf buf = ExactBuffer.heap(frame);
      try {
        dissector.dissect(buf, LinkTypes.RAW);
        r.onPacket(dissector, ts);
      } finally {
        assertEquals(1, buf.refCnt(), "the reassembler neither retains nor releases the packet");
        buf.release();
      }
      assertTrue(r.bufferedBytes() >= 0 && r.bufferedBytes() <= limits.maxBufferedBytesTotal(),
          () -> "bytes held " + r.bufferedBytes() + " outside [0, " + limits.maxBufferedBytesTotal() + "]");
      assertTrue(r.connectionCount() <= limits.maxFlows(), "flow table above maxFlows");
      for (Checker k : checkers) {
        if (!k.closed) {
          for (Direction d : Direction.values()) {
            long held = k.c.half(d).bufferedBytes();
            assertTrue(held >= 0 && held <= limits.maxBufferedBytesPerFlow(),
                () -> "flow " + k.c.id() + " " + d + " holds " + held + " bytes, limit "
                    + limits.maxBufferedBytesPerFlow());
          }
        }
      }
    }
  }

  /** The listener of one connection: checks the call grammar and digests the events. */
  private static final class Checker implements TcpStreamListener {
    final Run run;
    final TcpConnection c;
    boolean opened;
    boolean closed;
    final EnumMap<Direction, long[]> next = new EnumMap<>(Direction.class); // [expected offset]
    final EnumMap<Direction, byte[]> unconsumed = new EnumMap<>(Direction.class);
    final EnumMap<Direction, Boolean> fin = new EnumMap<>(Direction.class);
    final EnumMap<Direction, ByteArrayOutputStream> pending = new EnumMap<>(Direction.class);
    int calls;

    Checker(Run run, TcpConnection c) {
      this.run = run;
      this.c = c;
      for (Direction d : Direction.values()) {
        pending.put(d, new ByteArrayOutputStream());
        next.put(d, new long[1]);
        unconsumed.put(d, new byte[0]);
        fin.put(d, false);
      }
    }

    /** Digests the bytes consumed since the last gap, FIN or close of {@code d}, as one event. */
    private void flush(Direction d) {
      ByteArrayOutputStream p = pending.get(d);
      if (p.size() > 0) {
        run.digest.add("data", c.id(), d, p.size());
        ByteBuf b = Unpooled.wrappedBuffer(p.toByteArray());
        run.digest.bytes(b);
        b.release();
        p.reset();
      }
    }

    private void live(Direction d) {
      assertTrue(opened && !closed, "event outside onOpen..onClose");
      assertFalse(d != null && fin.get(d), "event after the FIN of " + d);
    }

    @Override
    public void onOpen(TcpConnection connection) {
      assertFalse(opened, "onOpen twice");
      assertTrue(connection == c);
      opened = true;
      run.digest.add("open", c.id(), c.ipVersion(), c.clientPort(), c.serverPort());
    }

    @Override
    public int onData(TcpConnection connection, Direction d, long offset, ByteBuf data) {
      live(d);
      int n = data.readableBytes();
      assertTrue(n > 0, "empty onData");
      byte[] bytes = ByteBufUtil.getBytes(data);
      long expected = next.get(d)[0];
      byte[] left = unconsumed.get(d);
      if (left.length > 0 && offset == expected) {
        // the unconsumed rest comes again in front of the next bytes
        assertTrue(n >= left.length, "redelivery shorter than what was left");
        assertArrayEquals(left, Arrays.copyOf(bytes, left.length), "redelivered bytes differ");
      } else {
        assertTrue(offset >= expected, () -> d + " data at " + offset + " before the expected " + expected);
        if (run.consumeAll) {
          assertEquals(expected, offset, d + " data not consecutive");
        }
      }
      int consumed = run.consumeAll ? n : Math.floorMod(run.consumeSeed ^ (int) offset ^ (calls++ * 31), n + 1);
      next.get(d)[0] = offset + consumed;
      unconsumed.put(d, Arrays.copyOfRange(bytes, consumed, n));
      if (consumed > 0) {
        pending.get(d).write(bytes, 0, consumed); // digested at the next gap, FIN or close: chunking is no event
      }
      return consumed;
    }

    @Override
    public void onGap(TcpConnection connection, Direction d, long offset, long length, GapReason why) {
      live(d);
      assertTrue(length > 0, "empty gap");
      long expected = next.get(d)[0];
      assertTrue(offset >= expected, () -> d + " gap at " + offset + " before the expected " + expected);
      if (run.consumeAll) {
        assertEquals(expected, offset, d + " gap not consecutive");
      }
      if (why == GapReason.FLOW_BUFFER_LIMIT || why == GapReason.TOTAL_BUFFER_LIMIT) {
        run.limited = true;
      }
      if (why == GapReason.FLOW_BUFFER_LIMIT) {
        assertTrue(run.limits.maxBufferedBytesPerFlow() < run.limits.maxBufferedBytesTotal(),
            "a per-flow cap at least the total is never the one named");
      }
      flush(d);
      next.get(d)[0] = offset + length;
      unconsumed.put(d, new byte[0]);
      run.digest.add("gap", c.id(), d, offset, length, why);
    }

    @Override
    public void onAnalysis(TcpConnection connection, Direction d, int flags) {
      live(null);
      assertTrue(flags != 0, "empty analysis flags");
    }

    @Override
    public void onFin(TcpConnection connection, Direction d) {
      live(d);
      flush(d);
      fin.put(d, true);
      unconsumed.put(d, new byte[0]);
      run.digest.add("fin", c.id(), d, next.get(d)[0]);
    }

    @Override
    public void onClose(TcpConnection connection, CloseReason why) {
      live(null);
      closed = true;
      flush(Direction.CLIENT_TO_SERVER);
      flush(Direction.SERVER_TO_CLIENT);
      assertTrue(c.isClosed(), "onClose of an open connection");
      run.digest.add("close", c.id(), why, c.bytes(Direction.CLIENT_TO_SERVER), c.bytes(Direction.SERVER_TO_CLIENT),
          c.gapBytes(Direction.CLIENT_TO_SERVER), c.gapBytes(Direction.SERVER_TO_CLIENT));
      if (why == CloseReason.EVICTED) {
        run.limited = true;
      }
    }
  }
}
