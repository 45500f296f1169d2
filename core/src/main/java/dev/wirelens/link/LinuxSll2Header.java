package dev.wirelens.link;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * The 20-byte Linux cooked capture v2 header ({@link LinkTypes#LINUX_SLL2}, tcpdump.org "LINKTYPE_LINUX_SLL2"),
 * what {@code tcpdump -i any} writes since libpcap 1.10.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Protocol type          |       Reserved (MBZ)          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Interface index                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         ARPHRD_ type          |  Packet type  | Address length|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              Link-layer address (8 bytes) ...                 |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Lifetime: {@code wrap} borrows the buffer. Allocation: none. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * if (sll2.wrap(buf, off, len) && sll2.protocolType() == EtherTypes.IPV6) ipv6.wrap(buf, sll2.payloadOffset(), sll2.payloadLength());
 * }</pre>
 */
public final class LinuxSll2Header {
  /** Bytes of the header. */
  public static final int HEADER_LENGTH = 20;

  private final MalformationReport report = new MalformationReport();
  private ByteBuf buf;
  private int offset;
  private int length;

  /** Creates an empty view. */
  public LinuxSll2Header() {}

  /** Points the view at the header; false (TRUNCATED) when fewer than 20 bytes are there. */
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

  /** Bytes 0-1: protocol type, usually an EtherType (Wireshark {@code sll.etype}). */
  public int protocolType() {
    // bounds: checked in wrap()
    return buf.getUnsignedShort(offset);
  }

  /** Bytes 2-3: reserved, must be zero; reported as is. */
  public int reserved() {
    return buf.getUnsignedShort(offset + 2);
  }

  /** Bytes 4-7: interface index of the capturing device (Wireshark {@code sll.ifindex}). */
  public long interfaceIndex() {
    return buf.getUnsignedInt(offset + 4);
  }

  /** Bytes 8-9: the {@code ARPHRD_} device type. */
  public int arphrdType() {
    return buf.getUnsignedShort(offset + 8);
  }

  /** Byte 10: packet type (0 to us, 1 broadcast, 2 multicast, 3 to someone else, 4 sent by us). */
  public int packetType() {
    return buf.getUnsignedByte(offset + 10);
  }

  /** Byte 11: length of the link-layer address. */
  public int addressLength() {
    return buf.getUnsignedByte(offset + 11);
  }

  /** Copies the {@code min(addressLength(), 8)} address bytes (bytes 12-19) into {@code dst}; returns the count. */
  public int copyAddressTo(byte[] dst, int dstOffset) {
    int n = Math.min(addressLength(), 8);
    buf.getBytes(offset + 12, dst, dstOffset, n);
    return n;
  }

  /** Bytes 12-17 as a 48-bit MAC address, meaningful when {@link #addressLength()} is 6. */
  public long address48() {
    return ((long) buf.getUnsignedShort(offset + 12) << 32) | buf.getUnsignedInt(offset + 14);
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
    return buf == null ? "LinuxSll2Header{unwrapped}"
        : "LinuxSll2Header{protocol=0x" + Integer.toHexString(protocolType()) + ", ifindex=" + interfaceIndex()
            + ", arphrd=" + arphrdType() + ", packetType=" + packetType() + '}';
  }
}
