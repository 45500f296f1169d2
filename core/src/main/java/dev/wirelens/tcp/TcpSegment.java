package dev.wirelens.tcp;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * A TCP segment header and its data (RFC 9293 §3.1; AE flag RFC 9768/AccECN, formerly NS of RFC 3540).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |     |A|C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrv|E|W|C|R|C|S|S|Y|I|            Window             |
 * |       |     | |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           [Options]                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>{@code wrap} fails for fewer than 20 bytes or fewer than data offset × 4 bytes (TRUNCATED) and for a data
 * offset below 5 (BAD_LENGTH_FIELD). Options are walked with {@link TcpOptionCursor}.
 *
 * <p>Lengths: the 4-argument {@code wrap} takes the segment length the IP header announces besides the bytes
 * captured. {@link #payloadLength()} is the announced data length (Wireshark {@code tcp.len}),
 * {@link #capturedPayloadLength()} what is there and what {@link #payload()} returns; they differ only when the
 * frame was cut by the snaplen ({@link #isTruncated()}).
 *
 * <p>Lifetime: {@code wrap} borrows the buffer; valid while it is and until the next {@code wrap}. {@link #payload()}
 * is a non-retained slice with the same lifetime.
 *
 * <p>Allocation: none, except {@link #payload()} and {@link #options()}. Thread safety: this class is not thread
 * safe.
 *
 * <pre>{@code
 * if (tcp.wrap(buf, ip.payloadOffset(), ip.capturedPayloadLength(), ip.payloadLength()) && tcp.isSyn()) {
 *   options.wrap(tcp);
 *   while (options.next()) if (options.kind() == TcpOptionCursor.MSS) mss = options.mss();
 * }
 * }</pre>
 */
public final class TcpSegment {
  /** Bytes of a header without options. */
  public static final int MIN_HEADER_LENGTH = 20;
  /** Bit of {@link #flags()}: FIN. */
  public static final int FIN = 0x001;
  /** Bit of {@link #flags()}: SYN. */
  public static final int SYN = 0x002;
  /** Bit of {@link #flags()}: RST. */
  public static final int RST = 0x004;
  /** Bit of {@link #flags()}: PSH. */
  public static final int PSH = 0x008;
  /** Bit of {@link #flags()}: ACK. */
  public static final int ACK = 0x010;
  /** Bit of {@link #flags()}: URG. */
  public static final int URG = 0x020;
  /** Bit of {@link #flags()}: ECE (ECN-Echo, RFC 3168). */
  public static final int ECE = 0x040;
  /** Bit of {@link #flags()}: CWR (congestion window reduced, RFC 3168). */
  public static final int CWR = 0x080;
  /** Bit of {@link #flags()}: AE (accurate ECN), formerly NS (nonce sum, RFC 3540). */
  public static final int AE = 0x100;

  private final MalformationReport report = new MalformationReport();
  private ByteBuf buf;
  private int offset;
  private int headerLength;
  private int ports;
  private long sequenceAndAck; // bytes 4-11, read once in wrap: every segment's sequence analysis needs both
  private int word3; // bytes 12-15: data offset, flags, window, read once in wrap
  private int segmentLength;
  private int capturedLength;

  /** Creates an empty view. */
  public TcpSegment() {}

  /** Points the view at a segment of which {@code length} bytes are there and nothing more was announced. */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    return wrap(buf, offset, length, length);
  }

  /**
   * Points the view at a segment at {@code offset}: {@code capturedLength} bytes are in the buffer, the IP header
   * announced {@code segmentLength} bytes (header and data; at least {@code capturedLength}).
   */
  public boolean wrap(ByteBuf buf, int offset, int capturedLength, int segmentLength) {
    report.clear();
    this.offset = offset;
    if (capturedLength > segmentLength) {
      capturedLength = segmentLength;
    }
    if (capturedLength < MIN_HEADER_LENGTH) {
      this.buf = null;
      return report.truncated(Layer.TCP, offset, MIN_HEADER_LENGTH, capturedLength,
          capturedLength == segmentLength ? LengthSource.HEADER_MINIMUM : LengthSource.AVAILABLE_BYTES);
    }
    // The 16 bytes every segment needs in two reads (each ByteBuf read is a chain of calls and checks under C1):
    // bytes 8-15 (acknowledgment number, data offset, flags, window) first, for the header length check.
    long bytes8to15 = buf.getLong(offset + 8); // bounds: capturedLength >= 20, checked above
    int w3 = (int) bytes8to15;
    int hl = (w3 >>> 28) << 2;
    if (hl < MIN_HEADER_LENGTH) {
      this.buf = null;
      return report.invalid(Layer.TCP, Malformation.BAD_LENGTH_FIELD, offset + 12);
    }
    if (hl > capturedLength) {
      this.buf = null;
      return report.truncated(Layer.TCP, offset, hl, capturedLength, LengthSource.HEADER_LENGTH_FIELD);
    }
    if (this.buf != buf) {
      this.buf = buf; // a conditional store skips the GC write barrier when re-wrapping the same buffer
    }
    long bytes0to7 = buf.getLong(offset); // both ports and the sequence number
    this.ports = (int) (bytes0to7 >>> 32);
    this.sequenceAndAck = (bytes0to7 << 32) | (bytes8to15 >>> 32);
    this.word3 = w3;
    this.headerLength = hl;
    this.segmentLength = segmentLength;
    this.capturedLength = capturedLength;
    return true;
  }

  /** The malformation of the last {@code wrap}. */
  public MalformationReport report() {
    return report;
  }

  /** The wrapped buffer, for the option cursor. */
  ByteBuf buffer() {
    return buf;
  }

  /** Absolute offset of the header. */
  public int offset() {
    return offset;
  }

  /** Bytes 0-1: source port. */
  public int sourcePort() {
    return ports >>> 16;
  }

  /** Bytes 2-3: destination port. */
  public int destinationPort() {
    return ports & 0xffff;
  }

  /** Bytes 4-7: sequence number (raw, not relative). */
  public long sequenceNumber() {
    return sequenceAndAck >>> 32;
  }

  /** Bytes 8-11: acknowledgment number (raw; meaningful when {@link #isAck()}). */
  public long acknowledgmentNumber() {
    return sequenceAndAck & 0xffffffffL;
  }

  /** Byte 12, high nibble: data offset in 32-bit words (5..15). */
  public int dataOffset() {
    return headerLength >>> 2;
  }

  /** Header length in bytes, data offset × 4 (Wireshark {@code tcp.hdr_len}). */
  public int headerLength() {
    return headerLength;
  }

  /** Byte 12, bits 4-6: the three reserved bits, reported as is. */
  public int reservedBits() {
    return (word3 >>> 25) & 0x07;
  }

  /** Byte 12 bit 7 and byte 13: the 9 flag bits, {@link #AE} (0x100) down to {@link #FIN} (0x001). */
  public int flags() {
    return (word3 >>> 16) & 0x1ff;
  }

  /** FIN flag. */
  public boolean isFin() {
    return (word3 >>> 16 & FIN) != 0;
  }

  /** SYN flag. */
  public boolean isSyn() {
    return (word3 >>> 16 & SYN) != 0;
  }

  /** RST flag. */
  public boolean isRst() {
    return (word3 >>> 16 & RST) != 0;
  }

  /** PSH flag. */
  public boolean isPsh() {
    return (word3 >>> 16 & PSH) != 0;
  }

  /** ACK flag. */
  public boolean isAck() {
    return (word3 >>> 16 & ACK) != 0;
  }

  /** URG flag. */
  public boolean isUrg() {
    return (word3 >>> 16 & URG) != 0;
  }

  /** ECE flag. */
  public boolean isEce() {
    return (word3 >>> 16 & ECE) != 0;
  }

  /** CWR flag. */
  public boolean isCwr() {
    return (word3 >>> 16 & CWR) != 0;
  }

  /** AE flag (formerly NS, the nonce sum). */
  public boolean isAe() {
    return (word3 >>> 16 & AE) != 0;
  }

  /** Bytes 14-15: window, not scaled. */
  public int window() {
    return word3 & 0xffff;
  }

  /** Bytes 16-17: checksum as sent. */
  public int checksum() {
    return buf.getUnsignedShort(offset + 16);
  }

  /** Bytes 18-19: urgent pointer. */
  public int urgentPointer() {
    return buf.getUnsignedShort(offset + 18);
  }

  /** Absolute offset of the options (byte 20). */
  public int optionsOffset() {
    return offset + MIN_HEADER_LENGTH;
  }

  /** Bytes of options, header length minus 20. */
  public int optionsLength() {
    return headerLength - MIN_HEADER_LENGTH;
  }

  /** The option bytes as a non-retained slice. */
  public ByteBuf options() {
    return buf.slice(offset + MIN_HEADER_LENGTH, headerLength - MIN_HEADER_LENGTH);
  }

  /** Absolute offset of the data. */
  public int payloadOffset() {
    return offset + headerLength;
  }

  /** Data bytes announced: segment length minus header length (Wireshark {@code tcp.len}). */
  public int payloadLength() {
    return segmentLength - headerLength;
  }

  /** Data bytes present in the buffer (≤ {@link #payloadLength()}). */
  public int capturedPayloadLength() {
    return capturedLength - headerLength;
  }

  /** True when fewer data bytes were captured than announced (snaplen). */
  public boolean isTruncated() {
    return capturedLength < segmentLength;
  }

  /** The captured data as a non-retained slice. */
  public ByteBuf payload() {
    return buf.slice(offset + headerLength, capturedLength - headerLength);
  }

  /** Fields for debugging. Allocates. */
  @Override
  public String toString() {
    return buf == null ? "TcpSegment{unwrapped}"
        : "TcpSegment{" + sourcePort() + " -> " + destinationPort() + ", seq=" + sequenceNumber() + ", ack="
            + acknowledgmentNumber() + ", flags=0x" + Integer.toHexString(flags()) + ", win=" + window()
            + ", hl=" + headerLength + ", len=" + payloadLength() + (isTruncated() ? ", truncated" : "") + '}';
  }
}
