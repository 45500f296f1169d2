package dev.wirelens.ip;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * An IPv6 fixed header and its payload (RFC 8200 §3). Extension headers are walked by {@link Ipv6ExtensionCursor}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Source Address (128 bits)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Destination Address (128 bits)                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>{@code wrap} fails for fewer than 40 bytes (TRUNCATED) or a version other than 6 (BAD_VERSION). A payload
 * length larger than the bytes captured is not a failure ({@link #isTruncated()}, snaplen); bytes beyond it are
 * excluded (padding). A payload length of 0 with a hop-by-hop header next is a possible jumbogram (RFC 2675,
 * {@link #isJumbogram()}); with any next header but No Next Header (59) the payload is then every byte given, as
 * tcpdump does for BIG TCP captures ({@link #isLengthInferred()}).
 *
 * <p>Addresses are exposed without allocation as two longs each ({@link #sourceAddressHigh()},
 * {@link #sourceAddressLow()}), or copied into caller memory.
 *
 * <p>Lifetime: {@code wrap} borrows the buffer; valid while it is and until the next {@code wrap}.
 * {@link #payload()} is a non-retained slice with the same lifetime.
 *
 * <p>Allocation: none, except {@link #payload()} and the {@code formatAddress} methods. Thread safety: this class
 * is not thread safe.
 *
 * <pre>{@code
 * if (ip6.wrap(buf, off, len)) {
 *   cursor.wrap(ip6);
 *   while (cursor.next()) { ... }
 *   int upper = cursor.protocol();
 * }
 * }</pre>
 */
public final class Ipv6Packet {
  /** Bytes of the fixed header. */
  public static final int HEADER_LENGTH = 40;

  private final MalformationReport report = new MalformationReport();
  private ByteBuf buf;
  private int offset;
  private int word1; // bytes 4-7: payload length, next header, hop limit (read once in wrap)
  // bytes 8-39, read once in wrap: every flow lookup needs both addresses, and wrap may run on another thread than
  // the lookup (the audit's read-ahead), so the reads are done where the header is in cache anyway
  private long sourceHigh;
  private long sourceLow;
  private long destinationHigh;
  private long destinationLow;
  private int declaredPayloadLength;
  private int capturedPayloadLength;
  private boolean jumbogram;
  private boolean lengthInferred;

  /** Creates an empty view. */
  public Ipv6Packet() {}

  /** Points the view at the IPv6 packet at {@code offset}, of which {@code length} bytes were captured. */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    report.clear();
    this.offset = offset;
    if (length < HEADER_LENGTH) {
      this.buf = null;
      return report.truncated(Layer.IPV6, offset, HEADER_LENGTH, length, LengthSource.HEADER_MINIMUM);
    }
    if ((buf.getUnsignedByte(offset) >>> 4) != 6) {
      this.buf = null;
      return report.invalid(Layer.IPV6, Malformation.BAD_VERSION, offset);
    }
    // bounds: checked above (at least 40 bytes); payload length, next header and hop limit in one read
    int word1 = buf.getInt(offset + 4);
    int payloadLength = word1 >>> 16;
    int available = length - HEADER_LENGTH;
    int nextHeader = (word1 >>> 8) & 0xff;
    jumbogram = payloadLength == 0 && nextHeader == IpProtocols.HOPOPT;
    // Only No Next Header can truly be empty; any other payload length 0 is a jumbogram (RFC 2675) or a
    // BIG TCP / segmentation-offload capture ("presumed BIG TCP", tcpdump): the payload is every byte given.
    lengthInferred = payloadLength == 0 && nextHeader != IpProtocols.IPV6_NONXT;
    if (lengthInferred) {
      payloadLength = available;
    }
    if (this.buf != buf) {
      this.buf = buf; // a conditional store skips the GC write barrier when re-wrapping the same buffer
    }
    this.word1 = word1;
    this.sourceHigh = buf.getLong(offset + 8);
    this.sourceLow = buf.getLong(offset + 16);
    this.destinationHigh = buf.getLong(offset + 24);
    this.destinationLow = buf.getLong(offset + 32);
    this.declaredPayloadLength = payloadLength;
    this.capturedPayloadLength = Math.min(payloadLength, available);
    return true;
  }

  /** The malformation of the last {@code wrap}. */
  public MalformationReport report() {
    return report;
  }

  /** The wrapped buffer, for the cursor of this package. */
  ByteBuf buffer() {
    return buf;
  }

  /** Absolute offset of the header. */
  public int offset() {
    return offset;
  }

  /** Byte 0, high nibble: version, always 6 after a successful wrap. */
  public int version() {
    return 6;
  }

  /** Bits 4-11: traffic class. */
  public int trafficClass() {
    // bounds: checked in wrap()
    return (buf.getUnsignedShort(offset) >>> 4) & 0xff;
  }

  /** Bits 12-31: flow label. */
  public int flowLabel() {
    return buf.getInt(offset) & 0xfffff;
  }

  /** Bytes 4-5: payload length field as sent (Wireshark {@code ipv6.plen}). */
  public int payloadLength() {
    return word1 >>> 16;
  }

  /** Byte 6: next header, the type of the first extension header or of the upper layer. */
  public int nextHeader() {
    return (word1 >>> 8) & 0xff;
  }

  /** Byte 7: hop limit. */
  public int hopLimit() {
    return word1 & 0xff;
  }

  /** Bytes 8-15: the high 64 bits of the source address. */
  public long sourceAddressHigh() {
    return sourceHigh;
  }

  /** Bytes 16-23: the low 64 bits of the source address. */
  public long sourceAddressLow() {
    return sourceLow;
  }

  /** Bytes 24-31: the high 64 bits of the destination address. */
  public long destinationAddressHigh() {
    return destinationHigh;
  }

  /** Bytes 32-39: the low 64 bits of the destination address. */
  public long destinationAddressLow() {
    return destinationLow;
  }

  /** Copies the 16 source address bytes into {@code dst} at {@code dstOffset}. */
  public void copySourceAddressTo(byte[] dst, int dstOffset) {
    buf.getBytes(offset + 8, dst, dstOffset, 16);
  }

  /** Copies the 16 destination address bytes into {@code dst} at {@code dstOffset}. */
  public void copyDestinationAddressTo(byte[] dst, int dstOffset) {
    buf.getBytes(offset + 24, dst, dstOffset, 16);
  }

  /** True for a payload length of 0 followed by a hop-by-hop header (a possible RFC 2675 jumbogram). */
  public boolean isJumbogram() {
    return jumbogram;
  }

  /**
   * True when the payload length field is 0 and the next header is not No Next Header, so that the payload length
   * was taken from the bytes given (jumbogram, BIG TCP, segmentation offload).
   */
  public boolean isLengthInferred() {
    return lengthInferred;
  }

  /** True when fewer payload bytes were captured than the payload length announces (snaplen). */
  public boolean isTruncated() {
    return capturedPayloadLength < declaredPayloadLength;
  }

  /** Absolute offset of the payload (the first extension header, if any). */
  public int payloadOffset() {
    return offset + HEADER_LENGTH;
  }

  /** Payload bytes present in the buffer: {@code min(payloadLength(), captured - 40)} (all when length inferred). */
  public int capturedPayloadLength() {
    return capturedPayloadLength;
  }

  /** The captured payload as a non-retained slice. */
  public ByteBuf payload() {
    return buf.slice(offset + HEADER_LENGTH, capturedPayloadLength);
  }

  /** Formats an address given as two longs in RFC 5952 text form ({@code "2001:db8::1"}). Allocates. */
  public static String formatAddress(long high, long low) {
    int[] g = new int[8];
    for (int i = 0; i < 4; i++) {
      g[i] = (int) (high >>> (48 - 16 * i)) & 0xffff;
      g[i + 4] = (int) (low >>> (48 - 16 * i)) & 0xffff;
    }
    return format(g);
  }

  /** Formats the 16 address bytes at {@code offset} of {@code address} in RFC 5952 text form. Allocates. */
  public static String formatAddress(byte[] address, int offset) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((address[offset + 2 * i] & 0xff) << 8) | (address[offset + 2 * i + 1] & 0xff);
    }
    return format(g);
  }

  // RFC 5952 §4: lowercase, no leading zeros, the longest run of two or more zero groups (the first of equal runs)
  // becomes "::"; §5: IPv4-mapped addresses end in dotted decimal.
  private static String format(int[] g) {
    StringBuilder s = new StringBuilder(39);
    if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff) {
      return s.append("::ffff:").append(g[6] >>> 8).append('.').append(g[6] & 0xff).append('.')
          .append(g[7] >>> 8).append('.').append(g[7] & 0xff).toString();
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        s.append("::");
        i += bestLen - 1;
        continue;
      }
      if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
        s.append(':');
      }
      s.append(Integer.toHexString(g[i]));
    }
    return s.toString();
  }

  /** Fields for debugging. Allocates. */
  @Override
  public String toString() {
    return buf == null ? "Ipv6Packet{unwrapped}"
        : "Ipv6Packet{" + formatAddress(sourceAddressHigh(), sourceAddressLow()) + " -> "
            + formatAddress(destinationAddressHigh(), destinationAddressLow()) + ", nh=" + nextHeader()
            + ", plen=" + payloadLength() + ", hlim=" + hopLimit() + (isTruncated() ? ", truncated" : "") + '}';
  }
}
