package dev.wirelens.ip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wirelens.Layer;
import dev.wirelens.Limits;
import dev.wirelens.link.LinkTypes;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.testkit.CutPoints;
import dev.wirelens.testkit.ExactBuffer;
import dev.wirelens.testkit.PacketBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz targets of {@link IpDefragmenter} (issue 8).
 *
 * <p>{@link #anyFragmentsStayWithinLimits}: the input is a sequence of raw IP datagrams (u16 length, then the bytes;
 * parameters from the end of the input), each an exact buffer, dissected as {@link LinkTypes#RAW} and offered when
 * it is a fragment, under small fuzz-chosen {@link Limits}. Property: never an exception; datagrams in progress and
 * bytes held never above the limits; a reassembled datagram is an IP datagram whose length field matches its bytes;
 * offered buffers untouched (refCnt 1); nothing held after close.
 *
 * <p>{@link #anyDatagramReassemblesToItselfFromFragmentsInAnyOrder}: "whole vs pieces" - an IPv4 or IPv6 datagram
 * with a fuzz-chosen payload, cut at fuzz-chosen 8-byte boundaries into fragments offered in a fuzz-chosen order
 * (with repeats), reassembles exactly once, into the bytes of the unfragmented datagram.
 */
class IpDefragmenterFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void anyFragmentsStayWithinLimits(FuzzedDataProvider data) {
    // all-zero parameters (a seed followed by zero bytes): default limits, all datagrams at the same time
    boolean small = data.consumeBoolean();
    int maxDatagrams = small ? data.consumeInt(1, 8) : Limits.DEFAULT_MAX_FRAGMENTED_DATAGRAMS;
    long maxBytes = small ? data.consumeLong(1, 1 << 17) : Limits.DEFAULT_MAX_BUFFERED_BYTES_TOTAL;
    long step = data.consumeLong(0, 40_000_000_000L);
    byte[] input = data.consumeRemainingAsBytes();
    Limits limits = Limits.builder().maxFragmentedDatagrams(maxDatagrams).maxBufferedBytesTotal(maxBytes).build();

    long[] events = new long[FragmentEvent.values().length];
    FragmentListener listener = (e, version, id, offset, ts) -> {
      assertTrue(version == 4 || version == 6, "IP version of an event");
      events[e.ordinal()]++;
    };
    PacketDissector outer = new PacketDissector(limits);
    PacketDissector inner = new PacketDissector(limits);
    IpDefragmenter defragmenter = new IpDefragmenter(limits, IpDefragmenter.DEFAULT_TIMEOUT, listener);
    long ts = 1_000_000_000L;
    for (int at = 0; at + 2 <= input.length; ) {
      int length = Math.min(((input[at] & 0xff) << 8) | (input[at + 1] & 0xff), input.length - at - 2);
      ByteBuf frame = ExactBuffer.heap(Arrays.copyOfRange(input, at + 2, at + 2 + length));
      at += 2 + length;
      ts += step;
      try {
        outer.dissect(frame, LinkTypes.RAW);
        ByteBuf whole = defragmenter.offer(outer, ts);
        if (whole != null) {
          try {
            checkDatagram(inner, whole);
          } finally {
            whole.release();
          }
        }
      } finally {
        assertEquals(1, frame.refCnt(), "offer neither retains nor releases the packet");
        frame.release();
      }
      assertTrue(defragmenter.inProgress() <= maxDatagrams, "datagrams in progress above maxFragmentedDatagrams");
      assertTrue(defragmenter.bufferedBytes() >= 0 && defragmenter.bufferedBytes() <= maxBytes,
          () -> "bytes held " + defragmenter.bufferedBytes() + " outside [0, " + maxBytes + "]");
    }
    for (FragmentEvent e : FragmentEvent.values()) {
      assertEquals(events[e.ordinal()], defragmenter.count(e), "count of " + e);
    }
    defragmenter.close();
    assertEquals(0, defragmenter.inProgress());
    assertEquals(0, defragmenter.bufferedBytes());
  }

  private static void checkDatagram(PacketDissector inner, ByteBuf whole) {
    int n = whole.readableBytes();
    assertTrue(n <= IpDefragmenter.MAX_DATAGRAM_LENGTH + 40, "reassembled datagram too long: " + n);
    int version = whole.getUnsignedByte(whole.readerIndex()) >>> 4;
    if (version == 4) {
      assertEquals(n, whole.getUnsignedShort(whole.readerIndex() + 2), "IPv4 total length");
      assertEquals(0, whole.getUnsignedShort(whole.readerIndex() + 6) & 0x3fff, "MF and offset cleared");
    } else {
      assertEquals(6, version, "IP version of a reassembled datagram");
      assertEquals(n - 40, whole.getUnsignedShort(whole.readerIndex() + 4), "IPv6 payload length");
    }
    inner.dissect(whole, LinkTypes.RAW);
    assertTrue(inner.has(version == 4 ? Layer.IPV4 : Layer.IPV6), "a reassembled datagram dissects as IP");
  }

  @FuzzTest(maxDuration = "5m")
  void anyDatagramReassemblesToItselfFromFragmentsInAnyOrder(FuzzedDataProvider data) {
    boolean v6 = data.consumeBoolean();
    int protocol = data.consumeInt(0, 255);
    int id = data.consumeInt();
    CutPoints cuts = CutPoints.consume(data, 12);
    int order = data.consumeInt();
    int repeats = data.consumeInt(0, 3);
    byte[] payload = data.consumeBytes(8 * 1024);
    if (protocol == 44 || protocol == 0 || protocol == 43 || protocol == 60 || protocol == 51 || protocol == 135
        || protocol == 139 || protocol == 140 || protocol == 253 || protocol == 254) {
      protocol = 17; // IPv6 extension header numbers would make the payload a header chain
    }
    byte[] original = builder(v6, id, protocol).fragment(false, false, 0).payload(payload).build();
    // fragment boundaries: multiples of 8 strictly inside the payload
    List<Integer> bounds = new ArrayList<>();
    bounds.add(0);
    for (int c : cuts.within(payload.length)) {
      int aligned = c & ~7;
      if (aligned > bounds.get(bounds.size() - 1)) {
        bounds.add(aligned);
      }
    }
    bounds.add(payload.length);
    List<byte[]> fragments = new ArrayList<>();
    for (int i = 0; i + 1 < bounds.size(); i++) {
      int from = bounds.get(i);
      int to = bounds.get(i + 1);
      boolean more = i + 2 < bounds.size();
      PacketBuilder b = builder(v6, id, protocol).payload(Arrays.copyOfRange(payload, from, to));
      fragments.add((v6 ? b.ipv6Fragment(from / 8, more, id & 0xffffffffL) : b.fragment(false, more, from / 8))
          .build());
    }
    if (fragments.size() == 1 && !v6) {
      return; // an unfragmented IPv4 datagram is not offered (only IPv6 has atomic fragments)
    }
    // order: a fuzz-chosen rotation and swap; repeats: the first fragments again at the end
    List<byte[]> offered = new ArrayList<>(fragments);
    java.util.Collections.rotate(offered, Math.floorMod(order, offered.size()));
    if (offered.size() > 1) {
      java.util.Collections.swap(offered, 0, Math.floorMod(order >> 8, offered.size()));
    }

    PacketDissector dissector = new PacketDissector();
    int results = 0;
    try (IpDefragmenter defragmenter = new IpDefragmenter()) {
      for (int i = 0; i < offered.size() + repeats; i++) {
        byte[] f = offered.get(i % offered.size());
        ByteBuf frame = ExactBuffer.heap(f);
        try {
          dissector.dissect(frame, LinkTypes.RAW);
          assertTrue(dissector.isFragment(), "a built fragment is a fragment");
          ByteBuf whole = defragmenter.offer(dissector, 1_000_000_000L);
          boolean completes = i == offered.size() - 1;
          if (completes) {
            assertNotNull(whole, "the last fragment completes the datagram");
            try {
              assertArrayEquals(original, ByteBufUtil.getBytes(whole), "reassembled datagram");
            } finally {
              whole.release();
            }
            results++;
          } else if (i < offered.size() - 1) {
            assertNull(whole, "incomplete after " + (i + 1) + " of " + offered.size() + " fragments");
          } else if (whole != null) {
            whole.release(); // a repeat after completion starts a new datagram; with every piece again it completes
          }
        } finally {
          assertEquals(1, frame.refCnt());
          frame.release();
        }
      }
      assertEquals(1, results);
      assertEquals(0, defragmenter.count(FragmentEvent.OVERLAP_CONFLICT), "identical repeats do not conflict");
    }
  }

  private static PacketBuilder builder(boolean v6, int id, int protocol) {
    PacketBuilder b = PacketBuilder.raw();
    if (v6) {
      b.ipv6("2001:db8::1", "2001:db8::2");
    } else {
      b.ipv4("10.0.0.1", "10.0.0.2").identification(id & 0xffff);
    }
    return b.ipProtocol(protocol);
  }
}
