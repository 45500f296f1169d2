package dev.wirelens.ip;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * Walks the IPv6 extension header chain (RFC 8200 §4) after the fixed header: hop-by-hop options (0), routing (43),
 * fragment (44), destination options (60), authentication header (51, RFC 4302), mobility (135), HIP (139), Shim6
 * (140) and the experimental values 253/254. Every one of them starts with the same two bytes:
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Header  |  Hdr Ext Len  |   type-specific data ...      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The length is in 8-byte units not counting the first 8 bytes ({@code (len + 1) * 8}), except for AH, whose length
 * is in 4-byte units minus 2 ({@code (len + 2) * 4}); the fragment header is always 8 bytes:
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Header  |   Reserved    |      Fragment Offset    |Res|M|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Identification                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The walk ends at the first value that is not an extension header: an upper-layer protocol, ESP (50, nothing
 * after it is readable) or No Next Header (59); {@link #protocol()} and {@link #payloadOffset()} then describe it.
 * It also ends, with {@link #report()} set, at a header cut short (TRUNCATED) or after
 * {@link Limits#maxIpv6ExtensionHeaders()} headers (LIMIT_EXCEEDED). Grammar: {@code wrap (next)* }; each {@code
 * true} from {@link #next()} makes the per-header accessors describe one header.
 *
 * <p>Lifetime: {@code wrap} borrows the buffer. Allocation: none. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * cursor.wrap(ip6);
 * while (cursor.next()) {
 *   if (cursor.headerType() == IpProtocols.IPV6_FRAG && cursor.fragmentOffset() != 0) nonFirstFragment = true;
 * }
 * if (cursor.report().isMalformed()) ...; else if (cursor.protocol() == IpProtocols.TCP) ...
 * }</pre>
 */
public final class Ipv6ExtensionCursor {
  private final MalformationReport report = new MalformationReport();
  private final int maxHeaders;
  private ByteBuf buf;
  private int end;
  private int position;
  private int protocol;
  private int count;
  private int headerType = -1;
  private int headerOffset;
  private int headerLength;
  private boolean done;

  /** A cursor with {@link Limits#defaults()}. */
  public Ipv6ExtensionCursor() {
    this(Limits.defaults());
  }

  /** A cursor that stops after {@link Limits#maxIpv6ExtensionHeaders()} headers. */
  public Ipv6ExtensionCursor(Limits limits) {
    this.maxHeaders = limits.maxIpv6ExtensionHeaders();
  }

  /**
   * Starts a walk over the captured payload of {@code packet}, beginning with its next-header value. Returns false
   * (and the walk is empty) when {@code packet} is not successfully wrapped.
   */
  public boolean wrap(Ipv6Packet packet) {
    if (packet.buffer() == null) {
      wrapInternal(null, 0, 0, IpProtocols.IPV6_NONXT);
      return false;
    }
    return wrapInternal(packet.buffer(), packet.payloadOffset(), packet.capturedPayloadLength(), packet.nextHeader());
  }

  /**
   * Starts a walk over {@code length} bytes at {@code offset} that follow a header whose next-header value is
   * {@code nextHeader}. Always returns true: problems are reported by {@link #next()}.
   */
  public boolean wrap(ByteBuf buf, int offset, int length, int nextHeader) {
    return wrapInternal(buf, offset, length, nextHeader);
  }

  private boolean wrapInternal(ByteBuf buf, int offset, int length, int nextHeader) {
    report.clear();
    if (this.buf != buf) {
      this.buf = buf; // a conditional store skips the GC write barrier when re-wrapping the same buffer
    }
    this.position = offset;
    this.end = offset + length;
    this.protocol = nextHeader;
    this.count = 0;
    this.headerType = -1;
    this.done = false;
    return true;
  }

  /**
   * Advances to the next extension header. Returns false at the end of the chain (then {@link #protocol()} is the
   * upper-layer value) or at a malformed header ({@link #report()} says which).
   */
  public boolean next() {
    if (done) {
      return false;
    }
    int type = protocol;
    if (!IpProtocols.isIpv6ExtensionHeader(type)) {
      done = true;
      headerType = -1;
      return false;
    }
    if (count >= maxHeaders) {
      done = true;
      headerType = -1;
      return report.invalid(Layer.IPV6_EXTENSION, Malformation.LIMIT_EXCEEDED, position);
    }
    int available = end - position;
    if (available < 8) {
      done = true;
      headerType = -1;
      return report.truncated(Layer.IPV6_EXTENSION, position, 8, available, LengthSource.HEADER_MINIMUM);
    }
    int len;
    if (type == IpProtocols.IPV6_FRAG) {
      len = 8;
    } else if (type == IpProtocols.AH) {
      len = (buf.getUnsignedByte(position + 1) + 2) << 2;
    } else {
      len = (buf.getUnsignedByte(position + 1) + 1) << 3;
    }
    if (len > available) {
      done = true;
      headerType = -1;
      return report.truncated(Layer.IPV6_EXTENSION, position, len, available, LengthSource.HEADER_LENGTH_FIELD);
    }
    headerType = type;
    headerOffset = position;
    headerLength = len;
    protocol = buf.getUnsignedByte(position);
    position += len;
    count++;
    return true;
  }

  /** The malformation that stopped the walk, {@link Malformation#NONE} if none (yet). */
  public MalformationReport report() {
    return report;
  }

  /** The type of the current header (its protocol number, e.g. 44 for a fragment header), -1 when none. */
  public int headerType() {
    return headerType;
  }

  /** Absolute offset of the current header. */
  public int headerOffset() {
    return headerOffset;
  }

  /** Length of the current header in bytes. */
  public int headerLength() {
    return headerLength;
  }

  /** Byte 0 of the current header: the next header value. */
  public int nextHeader() {
    // bounds: checked in next()
    return buf.getUnsignedByte(headerOffset);
  }

  /** Headers walked so far. */
  public int count() {
    return count;
  }

  /** Routing header only: byte 2, the routing type; -1 for other headers. */
  public int routingType() {
    return headerType == IpProtocols.IPV6_ROUTE ? buf.getUnsignedByte(headerOffset + 2) : -1;
  }

  /** Routing header only: byte 3, segments left; -1 for other headers. */
  public int segmentsLeft() {
    return headerType == IpProtocols.IPV6_ROUTE ? buf.getUnsignedByte(headerOffset + 3) : -1;
  }

  /** Fragment header only: bytes 2-3, high 13 bits, the fragment offset in 8-byte units; -1 for other headers. */
  public int fragmentOffset() {
    return headerType == IpProtocols.IPV6_FRAG ? buf.getUnsignedShort(headerOffset + 2) >>> 3 : -1;
  }

  /** Fragment header only: the M flag (more fragments); false for other headers. */
  public boolean isMoreFragments() {
    return headerType == IpProtocols.IPV6_FRAG && (buf.getUnsignedByte(headerOffset + 3) & 1) != 0;
  }

  /** Fragment header only: bytes 4-7, the identification; -1 for other headers. */
  public long fragmentIdentification() {
    return headerType == IpProtocols.IPV6_FRAG ? buf.getUnsignedInt(headerOffset + 4) : -1;
  }

  /** AH only: bytes 4-7, the security parameters index; -1 for other headers. */
  public long securityParametersIndex() {
    return headerType == IpProtocols.AH ? buf.getUnsignedInt(headerOffset + 4) : -1;
  }

  /**
   * The protocol after the headers walked so far: after the walk ended without malformation, the upper-layer
   * protocol (e.g. 6 for TCP, 50 for ESP, 59 for No Next Header).
   */
  public int protocol() {
    return protocol;
  }

  /** Absolute offset of the bytes after the headers walked so far (the upper-layer header after the walk). */
  public int payloadOffset() {
    return position;
  }

  /** Captured bytes after the headers walked so far. */
  public int payloadLength() {
    return end - position;
  }
}
