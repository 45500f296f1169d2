package dev.wirelens.icmp;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * The common header of an ICMP (RFC 792) or ICMPv6 (RFC 4443 §2.1) message: type, code, checksum, then the message
 * body, whose first 4 bytes are the "rest of header" (identifier and sequence number for echo messages).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Message Body ...                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>{@code wrap} fails only for fewer than 4 bytes (TRUNCATED at layer ICMP or ICMPV6). Types and codes pass
 * through as ints.
 *
 * <p>Lifetime: {@code wrap} borrows the buffer. Allocation: none, except {@link #payload()}. Thread safety: this
 * class is not thread safe.
 *
 * <pre>{@code
 * if (icmp.wrap(buf, ip.payloadOffset(), ip.capturedPayloadLength(), false) && icmp.type() == IcmpMessage.ECHO_REQUEST) ...
 * }</pre>
 */
public final class IcmpMessage {
  /** Bytes of type, code and checksum. */
  public static final int MIN_LENGTH = 4;
  /** ICMP type 0: echo reply. */
  public static final int ECHO_REPLY = 0;
  /** ICMP type 3: destination unreachable. */
  public static final int DESTINATION_UNREACHABLE = 3;
  /** ICMP type 8: echo request. */
  public static final int ECHO_REQUEST = 8;
  /** ICMP type 11: time exceeded. */
  public static final int TIME_EXCEEDED = 11;
  /** ICMPv6 type 1: destination unreachable. */
  public static final int V6_DESTINATION_UNREACHABLE = 1;
  /** ICMPv6 type 2: packet too big. */
  public static final int V6_PACKET_TOO_BIG = 2;
  /** ICMPv6 type 3: time exceeded. */
  public static final int V6_TIME_EXCEEDED = 3;
  /** ICMPv6 type 128: echo request. */
  public static final int V6_ECHO_REQUEST = 128;
  /** ICMPv6 type 129: echo reply. */
  public static final int V6_ECHO_REPLY = 129;
  /** ICMPv6 type 133: router solicitation (RFC 4861). */
  public static final int V6_ROUTER_SOLICITATION = 133;
  /** ICMPv6 type 134: router advertisement (RFC 4861). */
  public static final int V6_ROUTER_ADVERTISEMENT = 134;
  /** ICMPv6 type 135: neighbor solicitation (RFC 4861). */
  public static final int V6_NEIGHBOR_SOLICITATION = 135;
  /** ICMPv6 type 136: neighbor advertisement (RFC 4861). */
  public static final int V6_NEIGHBOR_ADVERTISEMENT = 136;

  private final MalformationReport report = new MalformationReport();
  private ByteBuf buf;
  private int offset;
  private int length;
  private boolean icmpv6;

  /** Creates an empty view. */
  public IcmpMessage() {}

  /** Wraps an ICMP (IPv4) message. */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    return wrap(buf, offset, length, false);
  }

  /** Wraps an ICMP message, ICMPv6 when {@code icmpv6}; false (TRUNCATED) for fewer than 4 bytes. */
  public boolean wrap(ByteBuf buf, int offset, int length, boolean icmpv6) {
    report.clear();
    this.offset = offset;
    this.length = length;
    this.icmpv6 = icmpv6;
    if (length < MIN_LENGTH) {
      this.buf = null;
      return report.truncated(icmpv6 ? Layer.ICMPV6 : Layer.ICMP, offset, MIN_LENGTH, length,
          LengthSource.HEADER_MINIMUM);
    }
    if (this.buf != buf) {
      this.buf = buf; // a conditional store skips the GC write barrier when re-wrapping the same buffer
    }
    return true;
  }

  /** The malformation of the last {@code wrap}. */
  public MalformationReport report() {
    return report;
  }

  /** True for ICMPv6. */
  public boolean isIcmpv6() {
    return icmpv6;
  }

  /** Absolute offset of the message. */
  public int offset() {
    return offset;
  }

  /** Byte 0: type. */
  public int type() {
    // bounds: checked in wrap()
    return buf.getUnsignedByte(offset);
  }

  /** Byte 1: code. */
  public int code() {
    return buf.getUnsignedByte(offset + 1);
  }

  /** Bytes 2-3: checksum as sent. */
  public int checksum() {
    return buf.getUnsignedShort(offset + 2);
  }

  /** Bytes 4-7: the "rest of header" word, or -1 when fewer than 8 bytes were captured. */
  public long restOfHeader() {
    return length >= 8 ? buf.getUnsignedInt(offset + 4) : -1;
  }

  /** True for an echo request or reply (ICMP 8/0, ICMPv6 128/129). */
  public boolean isEcho() {
    int t = type();
    return icmpv6 ? t == V6_ECHO_REQUEST || t == V6_ECHO_REPLY : t == ECHO_REQUEST || t == ECHO_REPLY;
  }

  /** Echo only: bytes 4-5, the identifier; -1 otherwise or when not captured. */
  public int identifier() {
    return isEcho() && length >= 6 ? buf.getUnsignedShort(offset + 4) : -1;
  }

  /** Echo only: bytes 6-7, the sequence number; -1 otherwise or when not captured. */
  public int sequenceNumber() {
    return isEcho() && length >= 8 ? buf.getUnsignedShort(offset + 6) : -1;
  }

  /** Absolute offset of the message body (byte 4). */
  public int payloadOffset() {
    return offset + MIN_LENGTH;
  }

  /** Captured bytes of the message body. */
  public int payloadLength() {
    return length - MIN_LENGTH;
  }

  /** The message body as a non-retained slice. */
  public ByteBuf payload() {
    return buf.slice(offset + MIN_LENGTH, length - MIN_LENGTH);
  }

  /** Fields for debugging. Allocates. */
  @Override
  public String toString() {
    return buf == null ? "IcmpMessage{unwrapped}"
        : (icmpv6 ? "Icmpv6Message{type=" : "IcmpMessage{type=") + type() + ", code=" + code() + '}';
  }
}
