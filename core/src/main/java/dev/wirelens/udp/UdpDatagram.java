package dev.wirelens.udp;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * A UDP datagram (RFC 768).
 *
 * <pre>
 *  0      7 8     15 16    23 24    31
 * +--------+--------+--------+--------+
 * |     Source      |   Destination   |
 * |      Port       |      Port       |
 * +--------+--------+--------+--------+
 * |     Length      |    Checksum     |
 * +--------+--------+--------+--------+
 * |          data octets ...
 * +---------------- ...
 * </pre>
 *
 * <p>{@code wrap} fails for fewer than 8 bytes (TRUNCATED), for a length field below 8 or above the length the IP
 * header announces (BAD_LENGTH_FIELD at the length field, as Wireshark's "bad length value"); a length of 0 in an IP
 * payload above 65,535 bytes is a jumbogram's (RFC 2675 §4) and the IP length is used. A length field above the
 * bytes captured is not a failure ({@link #isTruncated()}, snaplen); bytes after the length are excluded.
 *
 * <p>Lengths: {@link #payloadLength()} is the length field minus 8; {@link #capturedPayloadLength()} is what is there
 * and what {@link #payload()} returns.
 *
 * <p>Lifetime: {@code wrap} borrows the buffer; valid while it is and until the next {@code wrap}. Allocation: none,
 * except {@link #payload()}. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * if (udp.wrap(buf, ip.payloadOffset(), ip.capturedPayloadLength(), ip.payloadLength()) && udp.destinationPort() == 53) {
 *   dns(udp.payload());
 * }
 * }</pre>
 */
public final class UdpDatagram {
  /** Bytes of the header. */
  public static final int HEADER_LENGTH = 8;

  private final MalformationReport report = new MalformationReport();
  private ByteBuf buf;
  private int offset;
  private int datagramLength;
  private int capturedLength;

  /** Creates an empty view. */
  public UdpDatagram() {}

  /** Points the view at a datagram of which {@code length} bytes are there and nothing more was announced. */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    return wrap(buf, offset, length, length);
  }

  /**
   * Points the view at a datagram at {@code offset}: {@code capturedLength} bytes are in the buffer, the IP header
   * announced {@code ipPayloadLength} bytes.
   */
  public boolean wrap(ByteBuf buf, int offset, int capturedLength, int ipPayloadLength) {
    report.clear();
    this.offset = offset;
    if (capturedLength > ipPayloadLength) {
      capturedLength = ipPayloadLength;
    }
    if (capturedLength < HEADER_LENGTH) {
      this.buf = null;
      return report.truncated(Layer.UDP, offset, HEADER_LENGTH, capturedLength,
          capturedLength == ipPayloadLength ? LengthSource.HEADER_MINIMUM : LengthSource.AVAILABLE_BYTES);
    }
    int len = buf.getUnsignedShort(offset + 4);
    if (len == 0 && ipPayloadLength > 0xffff) {
      len = ipPayloadLength; // RFC 2675 §4: a jumbogram's UDP length is 0, the IPv6 jumbo payload length rules
    }
    if (len < HEADER_LENGTH || len > ipPayloadLength) {
      this.buf = null;
      return report.invalid(Layer.UDP, Malformation.BAD_LENGTH_FIELD, offset + 4);
    }
    if (this.buf != buf) {
      this.buf = buf; // a conditional store skips the GC write barrier when re-wrapping the same buffer
    }
    this.datagramLength = len;
    this.capturedLength = Math.min(len, capturedLength);
    return true;
  }

  /** The malformation of the last {@code wrap}. */
  public MalformationReport report() {
    return report;
  }

  /** Absolute offset of the header. */
  public int offset() {
    return offset;
  }

  /** Bytes 0-1: source port. */
  public int sourcePort() {
    // bounds: checked in wrap()
    return buf.getUnsignedShort(offset);
  }

  /** Bytes 2-3: destination port. */
  public int destinationPort() {
    return buf.getUnsignedShort(offset + 2);
  }

  /** Bytes 4-5: length of header and data. */
  public int length() {
    return buf.getUnsignedShort(offset + 4);
  }

  /** Bytes 6-7: checksum as sent (0: none computed, IPv4 only). */
  public int checksum() {
    return buf.getUnsignedShort(offset + 6);
  }

  /** Absolute offset of the data. */
  public int payloadOffset() {
    return offset + HEADER_LENGTH;
  }

  /** Data bytes announced: the length field minus 8. */
  public int payloadLength() {
    return datagramLength - HEADER_LENGTH;
  }

  /** Data bytes present in the buffer (≤ {@link #payloadLength()}). */
  public int capturedPayloadLength() {
    return capturedLength - HEADER_LENGTH;
  }

  /** True when fewer bytes were captured than the length field announces (snaplen). */
  public boolean isTruncated() {
    return capturedLength < datagramLength;
  }

  /** The captured data as a non-retained slice. */
  public ByteBuf payload() {
    return buf.slice(offset + HEADER_LENGTH, capturedLength - HEADER_LENGTH);
  }

  /** Fields for debugging. Allocates. */
  @Override
  public String toString() {
    return buf == null ? "UdpDatagram{unwrapped}"
        : "UdpDatagram{" + sourcePort() + " -> " + destinationPort() + ", len=" + length() + '}';
  }
}
