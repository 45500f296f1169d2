package dev.wirelens.ip;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * An IPv4 header and its payload (RFC 791 §3.1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |    DSCP   |ECN|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|      Fragment Offset    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options                    |    Padding    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>{@code wrap} fails for fewer than 20 bytes or fewer than IHL×4 bytes (TRUNCATED), a version other than 4
 * (BAD_VERSION), IHL below 5 or a total length below the header length (BAD_LENGTH_FIELD). A total length larger
 * than the bytes given is <em>not</em> a failure: the frame was cut by the snaplen, the header is valid,
 * {@link #isTruncated()} is true and {@link #payload()} holds what was captured (Wireshark dissects such a packet
 * too and marks the upper layer "packet size limited during capture"). Bytes beyond the total length (Ethernet
 * padding, trailers) are excluded. A total length of 0 is taken as "TCP segmentation offload" as Wireshark does:
 * the datagram is every byte given.
 *
 * <p>Lengths: {@link #payloadLength()} is what the header announces (total length minus header length);
 * {@link #capturedPayloadLength()} is what is there and what {@link #payload()} returns.
 *
 * <p>Lifetime: {@code wrap} borrows the buffer; the view is valid while the buffer is and until the next
 * {@code wrap}. {@link #payload()} and {@link #options()} are non-retained slices with the same lifetime.
 *
 * <p>Allocation: none, except the slices and {@link #formatAddress(int)}. Thread safety: this class is not thread
 * safe.
 *
 * <pre>{@code
 * Ipv4Packet ip = new Ipv4Packet();
 * if (ip.wrap(buf, off, len) && ip.protocol() == IpProtocols.TCP && ip.fragmentOffset() == 0) {
 *   tcp.wrap(buf, ip.payloadOffset(), ip.capturedPayloadLength(), ip.payloadLength());
 * }
 * }</pre>
 */
public final class Ipv4Packet {
  /** Bytes of a header without options. */
  public static final int MIN_HEADER_LENGTH = 20;

  private final MalformationReport report = new MalformationReport();
  private ByteBuf buf;
  private int offset;
  private int headerLength;
  private int word6;
  private long addresses; // bytes 12-19: source address (high 32 bits), destination address (low 32 bits)
  private int datagramLength;
  private int capturedLength;

  /** Creates an empty view. */
  public Ipv4Packet() {}

  /** Points the view at the IPv4 datagram at {@code offset}, of which {@code length} bytes were captured. */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    report.clear();
    this.offset = offset;
    if (length < MIN_HEADER_LENGTH) {
      this.buf = null;
      return report.truncated(Layer.IPV4, offset, MIN_HEADER_LENGTH, length, LengthSource.HEADER_MINIMUM);
    }
    int word0 = buf.getInt(offset); // version, IHL, type of service, total length in one read
    int b0 = word0 >>> 24;
    if ((b0 >>> 4) != 4) {
      this.buf = null;
      return report.invalid(Layer.IPV4, Malformation.BAD_VERSION, offset);
    }
    int hl = (b0 & 0x0f) << 2;
    if (hl < MIN_HEADER_LENGTH) {
      this.buf = null;
      return report.invalid(Layer.IPV4, Malformation.BAD_LENGTH_FIELD, offset);
    }
    if (hl > length) {
      this.buf = null;
      return report.truncated(Layer.IPV4, offset, hl, length, LengthSource.HEADER_LENGTH_FIELD);
    }
    int total = word0 & 0xffff;
    if (total == 0) {
      total = length; // TSO: the NIC fills in the length after the capture point
    } else if (total < hl) {
      this.buf = null;
      return report.invalid(Layer.IPV4, Malformation.BAD_LENGTH_FIELD, offset + 2);
    }
    if (this.buf != buf) {
      this.buf = buf; // a conditional store skips the GC write barrier when re-wrapping the same buffer
    }
    // bounds: checked above (at least 20 bytes); flags/fragment offset, TTL and protocol in one read
    this.word6 = buf.getInt(offset + 6);
    this.addresses = buf.getLong(offset + 12); // both addresses in one read: every flow lookup needs them
    this.headerLength = hl;
    this.datagramLength = total;
    this.capturedLength = Math.min(total, length);
    return true;
  }

  /** The wrapped buffer (null after a failed wrap), for the defragmenter of this package. */
  ByteBuf buffer() {
    return buf;
  }

  /** The malformation of the last {@code wrap}. */
  public MalformationReport report() {
    return report;
  }

  /** Absolute offset of the header. */
  public int offset() {
    return offset;
  }

  /** Byte 0, high nibble: version, always 4 after a successful wrap. */
  public int version() {
    return 4;
  }

  /** Byte 0, low nibble: Internet header length in 32-bit words (5..15). */
  public int ihl() {
    return headerLength >>> 2;
  }

  /** Header length in bytes, IHL × 4 (Wireshark {@code ip.hdr_len}). */
  public int headerLength() {
    return headerLength;
  }

  /** Byte 1: the whole type-of-service / traffic-class byte (Wireshark {@code ip.dsfield}). */
  public int typeOfService() {
    // bounds: checked in wrap()
    return buf.getUnsignedByte(offset + 1);
  }

  /** Byte 1, bits 0-5: differentiated services code point (RFC 2474). */
  public int dscp() {
    return buf.getUnsignedByte(offset + 1) >>> 2;
  }

  /** Byte 1, bits 6-7: explicit congestion notification (RFC 3168). */
  public int ecn() {
    return buf.getUnsignedByte(offset + 1) & 0x03;
  }

  /**
   * Bytes 2-3: total length (Wireshark {@code ip.len}). A field of 0 (TCP segmentation offload, see the class
   * comment) is reported as the bytes given, as Wireshark does; {@link #totalLengthField()} has the raw value.
   */
  public int totalLength() {
    return datagramLength;
  }

  /** Bytes 2-3 exactly as sent, 0 included. */
  public int totalLengthField() {
    return buf.getUnsignedShort(offset + 2);
  }

  /** True when the total length field is 0 and the datagram length was taken from the bytes given (TSO). */
  public boolean isTotalLengthZero() {
    return buf.getUnsignedShort(offset + 2) == 0;
  }

  /** Bytes 4-5: identification. */
  public int identification() {
    return buf.getUnsignedShort(offset + 4);
  }

  /** Byte 6, bits 0-2: the flags (reserved, DF, MF) as a 3-bit value. */
  public int flags() {
    return word6 >>> 29;
  }

  /** Flag bit 0: reserved, must be zero (RFC 3514's "evil bit"); reported, not rejected. */
  public boolean isReservedFlag() {
    return (word6 & 0x80000000) != 0;
  }

  /** Flag bit 1: don't fragment. */
  public boolean isDontFragment() {
    return (word6 & 0x40000000) != 0;
  }

  /** Flag bit 2: more fragments. */
  public boolean isMoreFragments() {
    return (word6 & 0x20000000) != 0;
  }

  /** Bytes 6-7, low 13 bits: fragment offset in units of 8 bytes. */
  public int fragmentOffset() {
    return (word6 >>> 16) & 0x1fff;
  }

  /** Fragment offset in bytes (the field × 8; Wireshark 4 shows {@code ip.frag_offset} this way). */
  public int fragmentOffsetBytes() {
    return ((word6 >>> 16) & 0x1fff) << 3;
  }

  /** True when this is a fragment: more-fragments set or a non-zero fragment offset. */
  public boolean isFragment() {
    return (word6 & 0x3fff0000) != 0;
  }

  /** Byte 8: time to live. */
  public int timeToLive() {
    return (word6 >>> 8) & 0xff;
  }

  /** Byte 9: protocol of the payload, see {@link IpProtocols}. */
  public int protocol() {
    return word6 & 0xff;
  }

  /** Bytes 10-11: header checksum as sent. */
  public int headerChecksum() {
    return buf.getUnsignedShort(offset + 10);
  }

  /** Bytes 12-15: source address as 32 bits in network order (10.0.0.1 is {@code 0x0a000001}). */
  public int sourceAddress() {
    return (int) (addresses >>> 32);
  }

  /** Bytes 16-19: destination address as 32 bits in network order. */
  public int destinationAddress() {
    return (int) addresses;
  }

  /** Copies the 4 source address bytes into {@code dst} at {@code dstOffset}. */
  public void copySourceAddressTo(byte[] dst, int dstOffset) {
    buf.getBytes(offset + 12, dst, dstOffset, 4);
  }

  /** Copies the 4 destination address bytes into {@code dst} at {@code dstOffset}. */
  public void copyDestinationAddressTo(byte[] dst, int dstOffset) {
    buf.getBytes(offset + 16, dst, dstOffset, 4);
  }

  /** Absolute offset of the options (byte 20). */
  public int optionsOffset() {
    return offset + MIN_HEADER_LENGTH;
  }

  /** Bytes of options and padding, header length minus 20. */
  public int optionsLength() {
    return headerLength - MIN_HEADER_LENGTH;
  }

  /** The option bytes as a non-retained slice. */
  public ByteBuf options() {
    return buf.slice(offset + MIN_HEADER_LENGTH, headerLength - MIN_HEADER_LENGTH);
  }

  /**
   * True when the header checksum is right: the one's complement sum of the header's 16-bit words is 0xFFFF
   * (RFC 791 §3.1, RFC 1071). Computed on each call.
   */
  public boolean isHeaderChecksumValid() {
    long sum = 0;
    for (int i = 0; i < headerLength; i += 2) {
      sum += buf.getUnsignedShort(offset + i);
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return sum == 0xffff;
  }

  /** Bytes of the datagram present in the buffer: {@code min(totalLength(), length)}. */
  public int capturedLength() {
    return capturedLength;
  }

  /** True when fewer bytes were captured than the total length announces (snaplen). */
  public boolean isTruncated() {
    return capturedLength < datagramLength;
  }

  /** Absolute offset of the payload. */
  public int payloadOffset() {
    return offset + headerLength;
  }

  /** Payload bytes the header announces: total length minus header length. */
  public int payloadLength() {
    return datagramLength - headerLength;
  }

  /** Payload bytes present in the buffer (≤ {@link #payloadLength()}). */
  public int capturedPayloadLength() {
    return capturedLength - headerLength;
  }

  /** The captured payload as a non-retained slice. */
  public ByteBuf payload() {
    return buf.slice(offset + headerLength, capturedLength - headerLength);
  }

  /** Formats an address in dotted decimal, {@code "10.0.0.1"}. Allocates. */
  public static String formatAddress(int address) {
    return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
        + (address & 0xff);
  }

  /** Fields for debugging. Allocates. */
  @Override
  public String toString() {
    return buf == null ? "Ipv4Packet{unwrapped}"
        : "Ipv4Packet{" + formatAddress(sourceAddress()) + " -> " + formatAddress(destinationAddress())
            + ", proto=" + protocol() + ", len=" + totalLength() + ", hl=" + headerLength + ", id=" + identification()
            + ", frag=" + fragmentOffset() + (isMoreFragments() ? "+MF" : "") + ", ttl=" + timeToLive()
            + (isTruncated() ? ", truncated" : "") + '}';
  }
}
