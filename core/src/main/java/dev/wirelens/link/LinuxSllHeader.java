package dev.wirelens.link;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * The 16-byte Linux cooked capture v1 header ({@link LinkTypes#LINUX_SLL}, tcpdump.org "LINKTYPE_LINUX_SLL").
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Packet type           |        ARPHRD_ type           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Link-layer address length    |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                 Link-layer address (8 bytes)                  |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |        Protocol type          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The protocol type is an EtherType for most devices; small values (1: Novell 802.3, 4: 802.2 LLC) are Linux's
 * {@code ETH_P_*} pseudo types and pass through unchanged.
 *
 * <p>Lifetime: {@code wrap} borrows the buffer. Allocation: none. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * if (sll.wrap(buf, off, len) && sll.protocolType() == EtherTypes.IPV4) ipv4.wrap(buf, sll.payloadOffset(), sll.payloadLength());
 * }</pre>
 */
public final class LinuxSllHeader {
  /** Bytes of the header. */
  public static final int HEADER_LENGTH = 16;

  private final MalformationReport report = new MalformationReport();
  private ByteBuf buf;
  private int offset;
  private int length;

  /** Creates an empty view. */
  public LinuxSllHeader() {}

  /** Points the view at the header; false (TRUNCATED) when fewer than 16 bytes are there. */
  public boolean wrap(ByteBuf buf, int offset, int length) {
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
    return true;
  }

  /** The malformation of the last {@code wrap}. */
  public MalformationReport report() {
    return report;
  }

  /** Bytes 0-1: packet type (0 to us, 1 broadcast, 2 multicast, 3 to someone else, 4 sent by us). */
  public int packetType() {
    // bounds: checked in wrap()
    return buf.getUnsignedShort(offset);
  }

  /** Bytes 2-3: the {@code ARPHRD_} device type (1 Ethernet, 772 loopback, ...). */
  public int arphrdType() {
    return buf.getUnsignedShort(offset + 2);
  }

  /** Bytes 4-5: length of the link-layer address (as sent, may exceed 8). */
  public int addressLength() {
    return buf.getUnsignedShort(offset + 4);
  }

  /** Copies the {@code min(addressLength(), 8)} address bytes (bytes 6-13) into {@code dst}; returns the count. */
  public int copyAddressTo(byte[] dst, int dstOffset) {
    int n = Math.min(addressLength(), 8);
    buf.getBytes(offset + 6, dst, dstOffset, n);
    return n;
  }

  /** Bytes 6-11 as a 48-bit MAC address, meaningful when {@link #addressLength()} is 6. */
  public long address48() {
    return ((long) buf.getUnsignedShort(offset + 6) << 32) | buf.getUnsignedInt(offset + 8);
  }

  /** Bytes 14-15: protocol type, usually an EtherType (Wireshark {@code sll.etype}). */
  public int protocolType() {
    return buf.getUnsignedShort(offset + 14);
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
    return buf == null ? "LinuxSllHeader{unwrapped}"
        : "LinuxSllHeader{packetType=" + packetType() + ", arphrd=" + arphrdType()
            + ", protocol=0x" + Integer.toHexString(protocolType()) + '}';
  }
}
