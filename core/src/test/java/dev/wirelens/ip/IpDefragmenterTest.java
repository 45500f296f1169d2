package dev.wirelens.ip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirelens.Layer;
import dev.wirelens.Limits;
import dev.wirelens.link.LinkTypes;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.testkit.PacketBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpDefragmenterTest {
  private static final long SECOND = 1_000_000_000L;
  private final PacketDissector dissector = new PacketDissector();
  private final List<String> events = new ArrayList<>();

  private IpDefragmenter defrag(Limits limits) {
    return new IpDefragmenter(limits, IpDefragmenter.DEFAULT_TIMEOUT,
        (e, v, id, off, ts) -> events.add(e + " v" + v + " id" + id + " @" + off));
  }

  /** The whole UDP datagram as the sender built it (fragment fields clear): the expected reassembly. */
  private static byte[] whole4(int payload) {
    return PacketBuilder.raw().ipv4("10.0.0.1", "10.0.0.2").identification(0x1234).udp(1000, 2000).payload(payload)
        .build();
  }

  /** IPv4 fragment carrying bytes [from, to) of the IP payload of {@code whole}. */
  private static byte[] frag4(byte[] whole, int from, int to, boolean more) {
    return PacketBuilder.raw().ipv4("10.0.0.1", "10.0.0.2").identification(0x1234).fragment(false, more, from / 8)
        .ipProtocol(17).payload(Arrays.copyOfRange(whole, 20 + from, 20 + to)).build();
  }

  private ByteBuf offer(IpDefragmenter d, byte[] frame, long ts) {
    ByteBuf buf = Unpooled.wrappedBuffer(frame);
    try {
      dissector.dissect(buf, LinkTypes.RAW);
      assertTrue(dissector.isFragment());
      return d.offer(dissector, ts);
    } finally {
      buf.release();
    }
  }

  private static byte[] bytes(ByteBuf b) {
    try {
      return ByteBufUtil.getBytes(b);
    } finally {
      b.release();
    }
  }

  @Test
  void inOrderFragmentsReassembleToTheOriginalDatagram() {
    byte[] whole = whole4(1000);
    IpDefragmenter d = defrag(Limits.defaults());
    assertNull(offer(d, frag4(whole, 0, 400, true), 0));
    assertNull(offer(d, frag4(whole, 400, 800, true), 1));
    ByteBuf out = offer(d, frag4(whole, 800, 1008, false), 2);
    assertNotNull(out);
    assertArrayEquals(whole, bytes(out));
    assertEquals(1, d.completed());
    assertEquals(0, d.inProgress());
    assertEquals(0, d.bufferedBytes());
    assertEquals(List.of(), events);
  }

  @Test
  void reassembledDatagramDissectsAsUdpWithTheWholeLength() {
    byte[] whole = whole4(1000);
    IpDefragmenter d = defrag(Limits.defaults());
    offer(d, frag4(whole, 0, 504, true), 0);
    ByteBuf out = offer(d, frag4(whole, 504, 1008, false), 0);
    try {
      PacketDissector inner = new PacketDissector();
      inner.dissect(out, LinkTypes.RAW);
      assertTrue(inner.has(Layer.UDP));
      assertEquals(false, inner.isFragment());
      assertEquals(1008, inner.udp().length());
      assertTrue(inner.ipv4().isHeaderChecksumValid());
    } finally {
      out.release();
    }
  }

  @Test
  void reversedFragmentsReassembleToTheOriginalDatagram() {
    byte[] whole = whole4(1000);
    IpDefragmenter d = defrag(Limits.defaults());
    assertNull(offer(d, frag4(whole, 800, 1008, false), 0));
    assertNull(offer(d, frag4(whole, 400, 800, true), 0));
    assertArrayEquals(whole, bytes(offer(d, frag4(whole, 0, 400, true), 0)));
    assertEquals(List.of(), events);
  }

  @Test
  void duplicateFragmentIsHarmless() {
    byte[] whole = whole4(1000);
    IpDefragmenter d = defrag(Limits.defaults());
    offer(d, frag4(whole, 0, 504, true), 0);
    offer(d, frag4(whole, 0, 504, true), 0);
    assertArrayEquals(whole, bytes(offer(d, frag4(whole, 504, 1008, false), 0)));
    assertEquals(List.of(), events);
  }

  @Test
  void overlapWithSameBytesIsNotReported() {
    byte[] whole = whole4(1000);
    IpDefragmenter d = defrag(Limits.defaults());
    offer(d, frag4(whole, 0, 504, true), 0);
    offer(d, frag4(whole, 400, 808, true), 0);
    assertArrayEquals(whole, bytes(offer(d, frag4(whole, 800, 1008, false), 0)));
    assertEquals(0, d.count(FragmentEvent.OVERLAP_CONFLICT));
  }

  @Test
  void overlapWithDifferentBytesIsReportedAndFirstBytesWin() {
    byte[] whole = whole4(1000);
    byte[] forged = whole.clone();
    Arrays.fill(forged, 20 + 400, 20 + 808, (byte) 0xee);
    IpDefragmenter d = defrag(Limits.defaults());
    offer(d, frag4(whole, 0, 504, true), 0);
    offer(d, frag4(forged, 400, 808, true), 0);
    assertEquals(1, d.count(FragmentEvent.OVERLAP_CONFLICT));
    assertEquals(List.of("OVERLAP_CONFLICT v4 id4660 @400"), events);
    // bytes 504..808 were new, so the forged ones are kept there; 400..504 stay the first fragment's
    byte[] expected = whole.clone();
    Arrays.fill(expected, 20 + 504, 20 + 808, (byte) 0xee);
    assertArrayEquals(expected, bytes(offer(d, frag4(whole, 800, 1008, false), 0)));
  }

  @Test
  void overlappingFragmentCannotRewriteTheTransportHeader() {
    byte[] whole = PacketBuilder.raw().ipv4("10.0.0.1", "10.0.0.2").identification(0x1234).tcp(1, 2)
        .flags(PacketBuilder.ACK).payload(100).build();
    byte[] forged = whole.clone();
    forged[20 + 13] = PacketBuilder.SYN; // RFC 1858 §4: offset 1 rewrites the flags... here offset 0 again
    IpDefragmenter d = defrag(Limits.defaults());
    byte[] first = PacketBuilder.raw().ipv4("10.0.0.1", "10.0.0.2").identification(0x1234).fragment(false, true, 0)
        .ipProtocol(6).payload(Arrays.copyOfRange(whole, 20, 20 + 24)).build();
    byte[] attack = PacketBuilder.raw().ipv4("10.0.0.1", "10.0.0.2").identification(0x1234)
        .fragment(false, true, 0).ipProtocol(6).payload(Arrays.copyOfRange(forged, 20, 20 + 24)).build();
    byte[] rest = PacketBuilder.raw().ipv4("10.0.0.1", "10.0.0.2").identification(0x1234)
        .fragment(false, false, 3).ipProtocol(6).payload(Arrays.copyOfRange(whole, 20 + 24, whole.length)).build();
    offer(d, first, 0);
    offer(d, attack, 0);
    byte[] out = bytes(offer(d, rest, 0));
    assertEquals(PacketBuilder.ACK, out[20 + 13]);
    assertEquals(1, d.count(FragmentEvent.OVERLAP_CONFLICT));
  }

  @Test
  void tinyFirstFragmentIsReported() {
    byte[] whole = PacketBuilder.raw().ipv4("10.0.0.1", "10.0.0.2").identification(0x1234).tcp(1, 2).payload(100)
        .build();
    IpDefragmenter d = defrag(Limits.defaults());
    byte[] tiny = PacketBuilder.raw().ipv4("10.0.0.1", "10.0.0.2").identification(0x1234).fragment(false, true, 0)
        .ipProtocol(6).payload(Arrays.copyOfRange(whole, 20, 28)).build();
    byte[] rest = PacketBuilder.raw().ipv4("10.0.0.1", "10.0.0.2").identification(0x1234)
        .fragment(false, false, 1).ipProtocol(6).payload(Arrays.copyOfRange(whole, 28, whole.length)).build();
    offer(d, tiny, 0);
    assertEquals(List.of("TINY_FIRST_FRAGMENT v4 id4660 @0"), events);
    assertArrayEquals(whole, bytes(offer(d, rest, 0)));
  }

  @Test
  void missingPieceTimesOutAndIsReported() {
    byte[] whole = whole4(1000);
    IpDefragmenter d = defrag(Limits.defaults());
    offer(d, frag4(whole, 0, 504, true), 0);
    assertEquals(1, d.inProgress());
    assertTrue(d.bufferedBytes() > 0);
    d.expire(30 * SECOND); // exactly the timeout: still held
    assertEquals(1, d.inProgress());
    d.expire(30 * SECOND + 1);
    assertEquals(0, d.inProgress());
    assertEquals(0, d.bufferedBytes());
    assertEquals(List.of("TIMED_OUT v4 id4660 @-1"), events);
    // the late last piece starts a new datagram that cannot complete
    assertNull(offer(d, frag4(whole, 504, 1008, false), 31 * SECOND));
    d.close();
    assertEquals(1, d.count(FragmentEvent.INCOMPLETE_AT_END));
  }

  @Test
  void datagramLimitEvictsTheOldestAndReportsIt() {
    Limits limits = Limits.builder().maxFragmentedDatagrams(2).build();
    IpDefragmenter d = defrag(limits);
    for (int id = 1; id <= 3; id++) {
      byte[] f = PacketBuilder.raw().ipv4("10.0.0.1", "10.0.0.2").identification(id).fragment(false, true, 0)
          .ipProtocol(17).payload(16).build();
      offer(d, f, id);
    }
    assertEquals(2, d.inProgress());
    assertEquals(List.of("DATAGRAM_LIMIT v4 id1 @-1"), events);
    assertEquals(1, d.count(FragmentEvent.DATAGRAM_LIMIT));
    assertEquals(0, d.count(FragmentEvent.TOTAL_BUFFER_LIMIT));
  }

  @Test
  void byteBudgetEvictsTheOldestAndReportsIt() {
    Limits limits = Limits.builder().maxBufferedBytesTotal(1000).build();
    IpDefragmenter d = defrag(limits);
    for (int id = 1; id <= 3; id++) {
      byte[] f = PacketBuilder.raw().ipv4("10.0.0.1", "10.0.0.2").identification(id).fragment(false, true, 0)
          .ipProtocol(17).payload(400).build();
      offer(d, f, id);
    }
    assertEquals(2, d.inProgress());
    assertTrue(d.bufferedBytes() <= 1000);
    assertEquals(List.of("TOTAL_BUFFER_LIMIT v4 id1 @-1"), events);
    assertEquals(0, d.count(FragmentEvent.DATAGRAM_LIMIT));
    assertEquals(1, d.count(FragmentEvent.TOTAL_BUFFER_LIMIT));
  }

  @Test
  void eachEvictionNamesTheCapItMadeRoomFor() {
    // two datagrams at most, 1000 bytes at most: the third and fourth datagrams pass the count, then the fourth's
    // 820 bytes (header included) pass the bytes
    IpDefragmenter d = defrag(Limits.builder().maxFragmentedDatagrams(2).maxBufferedBytesTotal(1000).build());
    int[] payloads = {200, 200, 200, 800};
    for (int id = 1; id <= payloads.length; id++) {
      byte[] f = PacketBuilder.raw().ipv4("10.0.0.1", "10.0.0.2").identification(id).fragment(false, true, 0)
          .ipProtocol(17).payload(payloads[id - 1]).build();
      offer(d, f, id);
    }
    assertEquals(List.of("DATAGRAM_LIMIT v4 id1 @-1", "DATAGRAM_LIMIT v4 id2 @-1", "TOTAL_BUFFER_LIMIT v4 id3 @-1"),
        events);
    assertEquals(1, d.inProgress());
    d.close();
  }

  @Test
  void nonLastFragmentNotAMultipleOfEightIsDropped() {
    byte[] whole = whole4(1000);
    IpDefragmenter d = defrag(Limits.defaults());
    assertNull(offer(d, frag4(whole, 0, 500, true), 0));
    assertEquals(List.of("INVALID_FRAGMENT v4 id4660 @0"), events);
    assertEquals(0, d.inProgress());
  }

  @Test
  void fragmentPastTheLastFragmentIsDropped() {
    byte[] whole = whole4(1000);
    IpDefragmenter d = defrag(Limits.defaults());
    offer(d, frag4(whole, 400, 504, false), 0);
    assertNull(offer(d, frag4(whole, 504, 1008, false), 0));
    assertEquals(List.of("INVALID_FRAGMENT v4 id4660 @504"), events);
  }

  @Test
  void unfragmentedPacketIsIgnored() {
    IpDefragmenter d = defrag(Limits.defaults());
    ByteBuf buf = Unpooled.wrappedBuffer(whole4(10));
    try {
      dissector.dissect(buf, LinkTypes.RAW);
      assertNull(d.offer(dissector, 0));
    } finally {
      buf.release();
    }
    assertEquals(0, d.inProgress());
  }

  private static final byte[] SRC6 = addr(1);
  private static final byte[] DST6 = addr(2);

  private static byte[] addr(int last) {
    byte[] a = new byte[16];
    a[0] = 0x20;
    a[1] = 0x01;
    a[15] = (byte) last;
    return a;
  }

  @Test
  void ipv6FragmentsReassembleWithTheFragmentHeaderRemoved() {
    byte[] whole = PacketBuilder.raw().ipv6(SRC6, DST6).ipv6Extension(0, new byte[6]).udp(1000, 2000).payload(1000)
        .build();
    int upper = 48; // fixed header + hop-by-hop
    byte[] f1 = PacketBuilder.raw().ipv6(SRC6, DST6).ipv6Extension(0, new byte[6]).ipv6Fragment(0, true, 77)
        .ipProtocol(17).payload(Arrays.copyOfRange(whole, upper, upper + 504)).build();
    byte[] f2 = PacketBuilder.raw().ipv6(SRC6, DST6).ipv6Extension(0, new byte[6]).ipv6Fragment(63, false, 77)
        .ipProtocol(17).payload(Arrays.copyOfRange(whole, upper + 504, whole.length)).build();
    IpDefragmenter d = defrag(Limits.defaults());
    assertNull(offer(d, f2, 0));
    assertArrayEquals(whole, bytes(offer(d, f1, 0)));
    assertEquals(List.of(), events);
  }

  @Test
  void ipv6AtomicFragmentPassesAtOnce() {
    byte[] whole = PacketBuilder.raw().ipv6(SRC6, DST6).udp(1000, 2000).payload(100).build();
    byte[] atomic = PacketBuilder.raw().ipv6(SRC6, DST6).ipv6Fragment(0, false, 5).ipProtocol(17)
        .payload(Arrays.copyOfRange(whole, 40, whole.length)).build();
    IpDefragmenter d = defrag(Limits.defaults());
    assertArrayEquals(whole, bytes(offer(d, atomic, 0)));
    assertEquals(0, d.inProgress());
    assertEquals(1, d.completed());
  }

  @Test
  void ipv6DatagramsWithAnotherIdentificationStayApart() {
    byte[] whole = PacketBuilder.raw().ipv6(SRC6, DST6).udp(1000, 2000).payload(100).build();
    byte[] f1 = PacketBuilder.raw().ipv6(SRC6, DST6).ipv6Fragment(0, true, 1).ipProtocol(17)
        .payload(Arrays.copyOfRange(whole, 40, 40 + 56)).build();
    byte[] f2 = PacketBuilder.raw().ipv6(SRC6, DST6).ipv6Fragment(7, false, 2).ipProtocol(17)
        .payload(Arrays.copyOfRange(whole, 40 + 56, whole.length)).build();
    IpDefragmenter d = defrag(Limits.defaults());
    assertNull(offer(d, f1, 0));
    assertNull(offer(d, f2, 0));
    assertEquals(2, d.inProgress());
    d.close();
    assertEquals(2, d.count(FragmentEvent.INCOMPLETE_AT_END));
  }

  @Test
  void ipv6OverlapWithDifferentBytesIsReportedAndFirstBytesWin() {
    byte[] whole = PacketBuilder.raw().ipv6(SRC6, DST6).udp(1000, 2000).payload(200).build();
    byte[] forged = whole.clone();
    Arrays.fill(forged, 40 + 8, 40 + 112, (byte) 0x55);
    byte[] f1 = PacketBuilder.raw().ipv6(SRC6, DST6).ipv6Fragment(0, true, 9).ipProtocol(17)
        .payload(Arrays.copyOfRange(whole, 40, 40 + 112)).build();
    byte[] attack = PacketBuilder.raw().ipv6(SRC6, DST6).ipv6Fragment(1, true, 9).ipProtocol(17)
        .payload(Arrays.copyOfRange(forged, 40 + 8, 40 + 112)).build();
    byte[] f2 = PacketBuilder.raw().ipv6(SRC6, DST6).ipv6Fragment(14, false, 9).ipProtocol(17)
        .payload(Arrays.copyOfRange(whole, 40 + 112, whole.length)).build();
    IpDefragmenter d = defrag(Limits.defaults());
    assertNull(offer(d, f1, 0));
    assertNull(offer(d, attack, 0));
    assertArrayEquals(whole, bytes(offer(d, f2, 0)));
    assertEquals(List.of("OVERLAP_CONFLICT v6 id9 @8"), events);
  }

  @Test
  void ipv4DatagramsOfAnotherProtocolStayApart() {
    byte[] whole = whole4(1000);
    byte[] otherProtocol = PacketBuilder.raw().ipv4("10.0.0.1", "10.0.0.2").identification(0x1234)
        .fragment(false, false, 63).ipProtocol(6).payload(Arrays.copyOfRange(whole, 20 + 504, whole.length)).build();
    IpDefragmenter d = defrag(Limits.defaults());
    assertNull(offer(d, frag4(whole, 0, 504, true), 0));
    assertNull(offer(d, otherProtocol, 0));
    assertEquals(2, d.inProgress());
  }

  @Test
  void datagramLargerThanTheByteBudgetIsDroppedAndReported() {
    byte[] whole = whole4(1000);
    IpDefragmenter d = defrag(Limits.builder().maxBufferedBytesTotal(300).build());
    assertNull(offer(d, frag4(whole, 0, 504, true), 0));
    assertEquals(0, d.inProgress());
    assertEquals(0, d.bufferedBytes());
    assertEquals(List.of("TOTAL_BUFFER_LIMIT v4 id4660 @-1"), events);
  }
}
