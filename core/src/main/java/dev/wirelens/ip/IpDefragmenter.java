package dev.wirelens.ip;

import dev.wirelens.Layer;
import dev.wirelens.Limits;
import dev.wirelens.packet.PacketDissector;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reassembles fragmented IPv4 (RFC 791 §3.2) and IPv6 (RFC 8200 §4.5) datagrams from dissected packets, so that the
 * transport header and payload of a fragmented datagram can be dissected and fed to TCP/UDP consumers.
 *
 * <p>Use: dissect every packet; for those with {@link PacketDissector#isFragment()} call
 * {@link #offer(PacketDissector, long)}. When the fragment completes a datagram, {@code offer} returns it as a new
 * buffer holding a whole unfragmented IP datagram, which the caller dissects again as raw IP and then releases:
 * <pre>{@code
 * if (dissector.isFragment()) {
 *   ByteBuf whole = defragmenter.offer(dissector, timestampNanos);
 *   if (whole != null) {
 *     try {
 *       inner.dissect(whole, LinkTypes.RAW);
 *       tcpReassembler.onPacket(inner, timestampNanos);
 *     } finally {
 *       whole.release();
 *     }
 *   }
 * } else {
 *   tcpReassembler.onPacket(dissector, timestampNanos);
 * }
 * }</pre>
 *
 * <p>Wire format of the result: IPv4: the header of the first fragment (offset 0, options included) with the total
 * length set to the reassembled length, MF and fragment offset cleared (DF and the reserved bit kept), and the header
 * checksum recomputed; then the reassembled payload. IPv6: the unfragmentable part of the first fragment (fixed header
 * and the extension headers before the Fragment header) with the Fragment header removed, the next-header field
 * before it set to the Fragment header's next header, and the payload length set (RFC 8200 §4.5); then the
 * reassembled fragmentable part.
 *
 * <p>Rules. Datagrams are keyed by source, destination, protocol and identification (IPv4) or by source, destination
 * and identification (IPv6). The bytes received first win: a later fragment only fills bytes not yet held, and an
 * overlap with different content is reported as {@link FragmentEvent#OVERLAP_CONFLICT} (RFC 5722 would drop the
 * whole datagram; like Linux for IPv4 and like Wireshark, we keep the first bytes and report instead). A datagram
 * completes when its last fragment (MF=0) and every byte before it are present. An IPv6 atomic fragment (offset 0,
 * M=0, RFC 6946) is returned at once without state. Fragments that cannot belong to a datagram are dropped and
 * reported ({@link FragmentEvent#INVALID_FRAGMENT}); a too short first fragment is reported
 * ({@link FragmentEvent#TINY_FIRST_FRAGMENT}) but, bytes being first-wins, cannot be overwritten later.
 *
 * <p>Limits: at most {@link Limits#maxFragmentedDatagrams()} datagrams in progress and at most
 * {@link Limits#maxBufferedBytesTotal()} bytes held (fragment bytes plus first-fragment headers); the oldest datagram
 * is evicted to make room and reported with the cap it made room for ({@link FragmentEvent#DATAGRAM_LIMIT},
 * {@link FragmentEvent#TOTAL_BUFFER_LIMIT}); a datagram that alone would pass the byte cap is dropped the same way.
 * A datagram whose first fragment is older than the timeout ({@link #DEFAULT_TIMEOUT}, 30 s of capture time like
 * Linux {@code ipfrag_time}; RFC 8200 allows 60 s) is dropped and reported ({@link FragmentEvent#TIMED_OUT}) at the
 * next {@code offer} or {@link #expire(long)}.
 *
 * <p>Lifetime: {@code offer} only reads the dissector's buffer during the call; the returned buffer belongs to the
 * caller, who must release it. {@link #close()} drops what is still in progress (reported as
 * {@link FragmentEvent#INCOMPLETE_AT_END}).
 *
 * <p>Allocation: fragment bytes are copied into a heap array per datagram in progress (fragments are rare, and a copy
 * keeps capture buffers from being pinned); a key and a state object per datagram; the result buffer, from the
 * offered buffer's allocator. Unfragmented packets cost nothing: they are not offered.
 *
 * <p>Thread safety: this class is not thread safe.
 */
public final class IpDefragmenter implements AutoCloseable {
  /** Default reassembly timeout: 30 seconds of capture time (Linux {@code net.ipv4.ipfrag_time}). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  /** Largest reassembled IPv4 total length / IPv6 payload length: 65,535 bytes. */
  public static final int MAX_DATAGRAM_LENGTH = 0xffff;

  private final int maxDatagrams;
  private final long maxBytes;
  private final long timeoutNanos;
  private final FragmentListener listener;
  private final LinkedHashMap<Key, Datagram> table = new LinkedHashMap<>();
  private final EnumMap<FragmentEvent, long[]> counts = new EnumMap<>(FragmentEvent.class);
  private final Ipv6ExtensionCursor cursor;
  private byte[] scratch = new byte[2048];
  private long bufferedBytes;
  private long completed;

  /** A defragmenter with {@link Limits#defaults()}, {@link #DEFAULT_TIMEOUT} and no listener. */
  public IpDefragmenter() {
    this(Limits.defaults(), DEFAULT_TIMEOUT, FragmentListener.NONE);
  }

  /** A defragmenter with {@code limits}, {@link #DEFAULT_TIMEOUT} and no listener. */
  public IpDefragmenter(Limits limits) {
    this(limits, DEFAULT_TIMEOUT, FragmentListener.NONE);
  }

  /** A defragmenter with {@code limits}, a reassembly {@code timeout} in capture time, and a {@code listener}. */
  public IpDefragmenter(Limits limits, Duration timeout, FragmentListener listener) {
    this.maxDatagrams = limits.maxFragmentedDatagrams();
    this.maxBytes = limits.maxBufferedBytesTotal();
    this.timeoutNanos = timeout.toNanos();
    this.listener = listener == null ? FragmentListener.NONE : listener;
    this.cursor = new Ipv6ExtensionCursor(limits);
    for (FragmentEvent e : FragmentEvent.values()) {
      counts.put(e, new long[1]);
    }
  }

  /**
   * Takes the fragment the dissector last decoded (IPv4 or IPv6), captured at {@code timestampNanos}. Returns the
   * reassembled datagram when this fragment completed it (a new buffer the caller must release), else null; also
   * null when the packet is not an IP fragment or the fragment was dropped (see {@link #count(FragmentEvent)}).
   */
  public ByteBuf offer(PacketDissector dissector, long timestampNanos) {
    expire(timestampNanos);
    if (!dissector.isFragment()) {
      return null;
    }
    if (dissector.has(Layer.IPV4)) {
      return offer4(dissector.ipv4(), timestampNanos);
    }
    if (dissector.has(Layer.IPV6)) {
      return offer6(dissector.ipv6(), timestampNanos);
    }
    return null;
  }

  private ByteBuf offer4(Ipv4Packet ip, long ts) {
    ByteBuf buf = ip.buffer();
    if (buf == null) {
      return null;
    }
    int id = ip.identification();
    int offset = ip.fragmentOffsetBytes();
    int length = ip.payloadLength();
    if (ip.capturedPayloadLength() < length) {
      return event(FragmentEvent.INVALID_FRAGMENT, 4, id, offset, ts);
    }
    byte[] key = new byte[11];
    putInt(key, 0, ip.sourceAddress());
    putInt(key, 4, ip.destinationAddress());
    key[8] = (byte) ip.protocol();
    key[9] = (byte) (id >>> 8);
    key[10] = (byte) id;
    int headerLength = ip.headerLength();
    return add(new Key(key), 4, id, buf, ip.offset(), headerLength, -1, ip.protocol(), ip.payloadOffset(), offset,
        length, ip.isMoreFragments(), headerLength, ts);
  }

  private ByteBuf offer6(Ipv6Packet ip, long ts) {
    ByteBuf buf = ip.buffer();
    if (buf == null) {
      return null;
    }
    Ipv6ExtensionCursor ext = cursor;
    ext.wrap(ip);
    int nextHeaderAt = ip.offset() + 6;
    boolean found = false;
    while (ext.next()) {
      if (ext.headerType() == IpProtocols.IPV6_FRAG) {
        found = true;
        break;
      }
      nextHeaderAt = ext.headerOffset();
    }
    if (!found) {
      return null; // the chain before the fragment header is malformed: the dissector reported it
    }
    long id = ext.fragmentIdentification();
    int offset = ext.fragmentOffset() << 3;
    int dataOffset = ext.headerOffset() + ext.headerLength();
    int end = ip.payloadOffset() + (ip.isLengthInferred() ? ip.capturedPayloadLength() : ip.payloadLength());
    int capturedEnd = ip.payloadOffset() + ip.capturedPayloadLength();
    if (capturedEnd < end || dataOffset > end) {
      return event(FragmentEvent.INVALID_FRAGMENT, 6, id, offset, ts);
    }
    byte[] key = new byte[36];
    buf.getBytes(ip.offset() + 8, key, 0, 32);
    putInt(key, 32, (int) id);
    int unfragmentable = ext.headerOffset() - ip.offset();
    return add(new Key(key), 6, id, buf, ip.offset(), unfragmentable, nextHeaderAt - ip.offset(), ext.nextHeader(),
        dataOffset, offset, end - dataOffset, ext.isMoreFragments(), Ipv6Packet.HEADER_LENGTH, ts);
  }

  private ByteBuf add(Key key, int version, long id, ByteBuf buf, int ipOffset, int headerLength, int nextHeaderAt,
      int protocol, int dataOffset, int offset, int length, boolean more, int minHeader, long ts) {
    int end = offset + length;
    if ((more && (length & 7) != 0) || end > MAX_DATAGRAM_LENGTH - (minHeader == Ipv6Packet.HEADER_LENGTH ? 0 : 20)
        || (more && length == 0)) {
      return event(FragmentEvent.INVALID_FRAGMENT, version, id, offset, ts);
    }
    if (offset == 0 && isTiny(protocol, length)) {
      event(FragmentEvent.TINY_FIRST_FRAGMENT, version, id, offset, ts);
    }
    if (offset == 0 && !more) {
      // IPv6 atomic fragment (RFC 6946): complete on its own, no state
      Datagram d = new Datagram(key, version, id, ts);
      d.setHeader(buf, ipOffset, headerLength, nextHeaderAt, protocol);
      if (!d.insert(buf, dataOffset, 0, length, this) || !d.end(length)) {
        return event(FragmentEvent.INVALID_FRAGMENT, version, id, offset, ts);
      }
      return build(d, buf, ts);
    }
    Datagram d = table.get(key);
    if (d != null && (!more && d.lastEnd >= 0 && d.lastEnd != end || !more && d.maxEnd > end
        || d.lastEnd >= 0 && end > d.lastEnd)) {
      return event(FragmentEvent.INVALID_FRAGMENT, version, id, offset, ts);
    }
    if (d == null) {
      if (table.size() >= maxDatagrams) {
        evictOldest(FragmentEvent.DATAGRAM_LIMIT, ts);
      }
      d = new Datagram(key, version, id, ts);
      table.put(key, d);
    }
    long before = d.held();
    int growth = (offset == 0 && d.header == null ? headerLength : 0) + Math.max(0, end - d.capacity());
    while (bufferedBytes + growth > maxBytes && !table.isEmpty()) {
      Datagram oldest = table.values().iterator().next();
      if (oldest == d && table.size() == 1) {
        break;
      }
      if (oldest == d) {
        // move the current datagram behind the others so that the others go first
        table.remove(key);
        table.put(key, d);
        continue;
      }
      evictOldest(FragmentEvent.TOTAL_BUFFER_LIMIT, ts);
    }
    if (bufferedBytes + growth > maxBytes) {
      drop(d);
      return event(FragmentEvent.TOTAL_BUFFER_LIMIT, version, id, -1, ts);
    }
    if (offset == 0 && d.header == null) {
      d.setHeader(buf, ipOffset, headerLength, nextHeaderAt, protocol); // a repeated first fragment keeps the first
    }
    d.insert(buf, dataOffset, offset, length, this);
    if (!more) {
      d.end(end);
    }
    bufferedBytes += d.held() - before;
    if (d.conflict) {
      d.conflict = false;
      event(FragmentEvent.OVERLAP_CONFLICT, version, id, offset, ts);
    }
    if (!d.isComplete()) {
      return null;
    }
    drop(d);
    if (d.header.length + d.lastEnd - (version == 4 ? 0 : Ipv6Packet.HEADER_LENGTH) > MAX_DATAGRAM_LENGTH) {
      return event(FragmentEvent.INVALID_FRAGMENT, version, id, -1, ts);
    }
    return build(d, buf, ts);
  }

  private static boolean isTiny(int protocol, int length) {
    return protocol == IpProtocols.TCP ? length < 20 : protocol == IpProtocols.UDP && length < 8;
  }

  private ByteBuf build(Datagram d, ByteBuf like, long ts) {
    completed++;
    byte[] header = d.header;
    int total = header.length + d.lastEnd;
    ByteBuf out = like.alloc().heapBuffer(total, total);
    out.writeBytes(header);
    out.writeBytes(d.data, 0, d.lastEnd);
    if (d.version == 4) {
      out.setShort(2, total);
      out.setShort(6, out.getUnsignedShort(6) & 0xc000);
      out.setShort(10, 0);
      long sum = 0;
      for (int i = 0; i < header.length; i += 2) {
        sum += out.getUnsignedShort(i);
      }
      while ((sum >>> 16) != 0) {
        sum = (sum & 0xffff) + (sum >>> 16);
      }
      out.setShort(10, (int) ~sum & 0xffff);
    } else {
      out.setShort(4, total - Ipv6Packet.HEADER_LENGTH);
      out.setByte(d.nextHeaderAt, d.protocol);
    }
    return out;
  }

  /** Drops every datagram in progress whose first fragment is older than the timeout at capture time {@code now}. */
  public void expire(long nowNanos) {
    if (table.isEmpty()) {
      return; // the common case, called for every packet: no iterator to allocate
    }
    Iterator<Datagram> it = table.values().iterator();
    while (it.hasNext()) {
      Datagram d = it.next();
      if (nowNanos - d.firstSeen <= timeoutNanos) {
        break; // insertion order is first-seen order
      }
      it.remove();
      bufferedBytes -= d.held();
      event(FragmentEvent.TIMED_OUT, d.version, d.id, -1, nowNanos);
    }
  }

  /** Drops the oldest datagram in progress, reported as {@code why}: the cap it made room for. */
  private void evictOldest(FragmentEvent why, long ts) {
    Iterator<Datagram> it = table.values().iterator();
    Datagram d = it.next();
    it.remove();
    bufferedBytes -= d.held();
    event(why, d.version, d.id, -1, ts);
  }

  private void drop(Datagram d) {
    if (table.remove(d.key) != null) {
      bufferedBytes -= d.held();
    }
  }

  private ByteBuf event(FragmentEvent e, int version, long id, int offset, long ts) {
    counts.get(e)[0]++;
    listener.onEvent(e, version, id, offset, ts);
    return null;
  }

  byte[] scratch(int length) {
    if (scratch.length < length) {
      scratch = new byte[Math.max(length, scratch.length * 2)];
    }
    return scratch;
  }

  /** How many times {@code event} happened since construction. */
  public long count(FragmentEvent event) {
    return counts.get(event)[0];
  }

  /** Datagrams reassembled and returned so far (IPv6 atomic fragments included). */
  public long completed() {
    return completed;
  }

  /** Datagrams in progress now. */
  public int inProgress() {
    return table.size();
  }

  /** Bytes held now: fragment bytes (the reassembly arrays) and first-fragment headers. */
  public long bufferedBytes() {
    return bufferedBytes;
  }

  /** Drops every datagram in progress, each reported as {@link FragmentEvent#INCOMPLETE_AT_END}. */
  @Override
  public void close() {
    for (Datagram d : table.values()) {
      event(FragmentEvent.INCOMPLETE_AT_END, d.version, d.id, -1, d.firstSeen);
    }
    table.clear();
    bufferedBytes = 0;
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  @Override
  public String toString() {
    return "IpDefragmenter{inProgress=" + table.size() + ", bufferedBytes=" + bufferedBytes + ", completed="
        + completed + ", events=" + counts.entrySet().stream().filter(e -> e.getValue()[0] != 0)
            .map(e -> e.getKey() + "=" + e.getValue()[0]).toList() + "}";
  }

  /** Datagram identity: the address, protocol and identification bytes. */
  private static final class Key {
    final byte[] bytes;
    final int hash;

    Key(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** One datagram in progress: copied bytes, which of them are held, the first fragment's header. */
  private static final class Datagram {
    final Key key;
    final int version;
    final long id;
    final long firstSeen;
    byte[] header;
    int nextHeaderAt = -1;
    int protocol;
    byte[] data = new byte[0];
    final BitSet held = new BitSet();
    int lastEnd = -1;
    int maxEnd;
    boolean conflict;

    Datagram(Key key, int version, long id, long firstSeen) {
      this.key = key;
      this.version = version;
      this.id = id;
      this.firstSeen = firstSeen;
    }

    long held() {
      return (long) data.length + (header == null ? 0 : header.length);
    }

    int capacity() {
      return data.length;
    }

    void setHeader(ByteBuf buf, int offset, int length, int nextHeaderAt, int protocol) {
      header = new byte[length];
      buf.getBytes(offset, header);
      this.nextHeaderAt = nextHeaderAt;
      this.protocol = protocol;
    }

    boolean insert(ByteBuf buf, int from, int offset, int length, IpDefragmenter owner) {
      int end = offset + length;
      if (end > data.length) {
        data = Arrays.copyOf(data, end);
      }
      byte[] src = owner.scratch(length);
      buf.getBytes(from, src, 0, length);
      for (int i = 0; i < length; i++) {
        int at = offset + i;
        if (held.get(at)) {
          if (data[at] != src[i]) {
            conflict = true;
          }
        } else {
          data[at] = src[i];
          held.set(at);
        }
      }
      maxEnd = Math.max(maxEnd, end);
      return true;
    }

    boolean end(int end) {
      lastEnd = end;
      return true;
    }

    boolean isComplete() {
      return header != null && lastEnd >= 0 && held.nextClearBit(0) >= lastEnd;
    }
  }
}
