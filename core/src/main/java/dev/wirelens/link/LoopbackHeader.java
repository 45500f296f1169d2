package dev.wirelens.link;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * The 4-byte BSD loopback header: a protocol family ({@code AF_*}) value. With {@link LinkTypes#NULL} it is in the
 * capturing host's byte order, so this view detects the order: a family is small, so when the first two bytes are
 * zero the value is big-endian, otherwise little-endian (the rule Wireshark and libpcap apply). With
 * {@link LinkTypes#LOOP} it is always in network byte order.
 *
 * <pre>
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           protocol family (host or network byte order)        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>IPv4 is {@code AF_INET} = 2 everywhere; IPv6 is 10 (Linux), 24 (NetBSD, OpenBSD), 28 (FreeBSD, DragonFly) or
 * 30 (macOS), see {@link #isIpv6()}.
 *
 * <p>Lifetime: {@code wrap} borrows the buffer. Allocation: none. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * if (loop.wrap(buf, off, len, false) && loop.isIpv4()) ipv4.wrap(buf, loop.payloadOffset(), loop.payloadLength());
 * }</pre>
 */
public final class LoopbackHeader {
  /** Bytes of the header. */
  public static final int HEADER_LENGTH = 4;
  /** {@code AF_INET}: IPv4 on every system. */
  public static final int AF_INET = 2;
  /** {@code AF_INET6} on Linux. */
  public static final int AF_INET6_LINUX = 10;
  /** {@code AF_INET6} on NetBSD and OpenBSD (and Windows captures). */
  public static final int AF_INET6_BSD = 24;
  /** {@code AF_INET6} on FreeBSD and DragonFly BSD. */
  public static final int AF_INET6_FREEBSD = 28;
  /** {@code AF_INET6} on macOS / Darwin. */
  public static final int AF_INET6_DARWIN = 30;

  private final MalformationReport report = new MalformationReport();
  private ByteBuf buf;
  private int offset;
  private int length;
  private int family;
  private boolean littleEndian;

  /** Creates an empty view. */
  public LoopbackHeader() {}

  /** Wraps a {@link LinkTypes#NULL} header (host byte order, detected). */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    return wrap(buf, offset, length, true);
  }

  /**
   * Wraps a loopback header; {@code hostOrder} true for {@link LinkTypes#NULL} (byte order detected), false for
   * {@link LinkTypes#LOOP} (network byte order). Returns false (TRUNCATED) when fewer than 4 bytes are there.
   */
  public boolean wrap(ByteBuf buf, int offset, int length, boolean hostOrder) {
    report.clear();
    this.offset = offset;
    this.length = length;
    if (length < HEADER_LENGTH) {
      this.buf = null;
      return report.truncated(Layer.LINK, offset, HEADER_LENGTH, length, LengthSource.HEADER_MINIMUM);
    }
    if (this.buf != buf) {
      this.buf = buf; // a conditional store skips the GC write barrier when re-wrapping the same buffer
    }
    // bounds: checked above
    if (hostOrder && buf.getUnsignedShort(offset) != 0) {
      littleEndian = true;
      family = buf.getIntLE(offset);
    } else {
      littleEndian = false;
      family = buf.getInt(offset);
    }
    return true;
  }

  /** The malformation of the last {@code wrap}. */
  public MalformationReport report() {
    return report;
  }

  /** Bytes 0-3: the protocol family in the detected byte order (Wireshark {@code null.family}). */
  public int family() {
    return family;
  }

  /** True when the family was stored little-endian (a NULL capture from a little-endian host). */
  public boolean isLittleEndian() {
    return littleEndian;
  }

  /** True when {@link #family()} is {@code AF_INET}. */
  public boolean isIpv4() {
    return family == AF_INET;
  }

  /** True when {@link #family()} is one of the systems' {@code AF_INET6} values: 10, 24, 28 or 30. */
  public boolean isIpv6() {
    return family == AF_INET6_LINUX || family == AF_INET6_BSD || family == AF_INET6_FREEBSD
        || family == AF_INET6_DARWIN;
  }

  /** Absolute offset of the first byte after the header. */
  public int payloadOffset() {
    return offset + HEADER_LENGTH;
  }

  /** Bytes after the header. */
  public int payloadLength() {
    return length - HEADER_LENGTH;
  }

  /** Fields for debugging. Allocates. */
  @Override
  public String toString() {
    return buf == null ? "LoopbackHeader{unwrapped}"
        : "LoopbackHeader{family=" + family + (littleEndian ? ", LE" : ", BE") + '}';
  }
}
