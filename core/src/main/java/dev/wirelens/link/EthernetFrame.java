package dev.wirelens.link;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * An Ethernet frame header as captured with {@link LinkTypes#ETHERNET} (IEEE 802.3 §3.2; the frame check sequence is
 * not captured). Both framings are recognised: Ethernet II, whose type/length field is an EtherType
 * ({@code >= 0x0600}), and IEEE 802.3 length frames, whose field is a length followed by an IEEE 802.2 LLC header
 * and, for {@code AA AA 03}, a SNAP header (RFC 1042).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  Destination MAC address ...                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ... destination (cont.)      |   Source MAC address ...      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  ... source (cont.)                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     EtherType or length       |  802.3 only: DSAP | SSAP | Ctl ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>VLAN tags are not part of this view: when {@link #etherType()} is a tag protocol identifier
 * ({@link EtherTypes#isVlanTag(int)}), wrap a {@link VlanTag} at {@link #payloadOffset()}.
 *
 * <p>Lifetime: {@code wrap} borrows the buffer; the view is valid while the buffer is and until the next {@code wrap}.
 * {@link #payload()} is a non-retained slice with the same lifetime.
 *
 * <p>Allocation: none, except {@link #payload()} (a slice object) and {@link #formatMac(long)}.
 *
 * <p>Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * EthernetFrame eth = new EthernetFrame();
 * if (eth.wrap(buf, buf.readerIndex(), buf.readableBytes()) && eth.etherType() == EtherTypes.IPV4) {
 *   ipv4.wrap(buf, eth.payloadOffset(), eth.payloadLength());
 * }
 * }</pre>
 */
public final class EthernetFrame {
  /** Bytes of the Ethernet II header: two addresses and the type/length field. */
  public static final int HEADER_LENGTH = 14;

  private final MalformationReport report = new MalformationReport();
  private ByteBuf buf;
  private int offset;
  private int length;
  private int payloadOffset;
  private int payloadLength;
  private int etherType;
  private int llcLength;

  /** Creates an empty view; call {@link #wrap(ByteBuf, int, int)}. */
  public EthernetFrame() {}

  /**
   * Points this view at the frame of {@code length} bytes at absolute {@code offset} of {@code buf}. Returns false,
   * with {@link #report()} saying why, when fewer than 14 bytes are there, or when an 802.3 frame's LLC (3 bytes) or
   * SNAP (8 bytes) header is cut short.
   */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    report.clear();
    if (this.buf != buf) {
      this.buf = buf; // a conditional store skips the GC write barrier when re-wrapping the same buffer
    }
    this.offset = offset;
    this.length = length;
    if (length < HEADER_LENGTH) {
      this.buf = null;
      return report.truncated(Layer.LINK, offset, HEADER_LENGTH, length, LengthSource.HEADER_MINIMUM);
    }
    int typeOrLength = buf.getUnsignedShort(offset + 12);
    if (typeOrLength >= EtherTypes.MIN_ETHER_TYPE) {
      etherType = typeOrLength;
      llcLength = 0;
      payloadOffset = offset + HEADER_LENGTH;
      payloadLength = length - HEADER_LENGTH;
      return true;
    }
    return wrapLengthFrame(buf, offset, length, typeOrLength);
  }

  // Kept out of wrap() so that the Ethernet II path stays small enough for the JIT to inline.
  private boolean wrapLengthFrame(ByteBuf buf, int offset, int length, int typeOrLength) {
    // IEEE 802.2 LLC: DSAP, SSAP, control (1 byte for U-format, 2 bytes for I/S-format, low bits != 11).
    if (length < HEADER_LENGTH + 3) {
      this.buf = null;
      return report.truncated(Layer.LINK, offset, HEADER_LENGTH + 3, length, LengthSource.HEADER_MINIMUM);
    }
    int dsap = buf.getUnsignedByte(offset + 14);
    int ssap = buf.getUnsignedByte(offset + 15);
    int control = buf.getUnsignedByte(offset + 16);
    etherType = -1;
    if (dsap == 0xAA && ssap == 0xAA && control == 0x03) {
      // SNAP (RFC 1042): 3-byte OUI, 2-byte protocol id; OUI 0 means the protocol id is an EtherType.
      if (length < HEADER_LENGTH + 8) {
        this.buf = null;
        return report.truncated(Layer.LINK, offset, HEADER_LENGTH + 8, length, LengthSource.HEADER_MINIMUM);
      }
      llcLength = 8;
      if (buf.getUnsignedMedium(offset + 17) == 0) {
        etherType = buf.getUnsignedShort(offset + 20);
      }
    } else if ((control & 0x03) != 0x03) {
      if (length < HEADER_LENGTH + 4) {
        this.buf = null;
        return report.truncated(Layer.LINK, offset, HEADER_LENGTH + 4, length, LengthSource.HEADER_MINIMUM);
      }
      llcLength = 4;
    } else {
      llcLength = 3;
    }
    payloadOffset = offset + HEADER_LENGTH + llcLength;
    // The length field counts LLC header and data; bytes beyond it are padding (or a trailer) and are excluded.
    int data = Math.min(typeOrLength, length - HEADER_LENGTH);
    payloadLength = Math.max(0, data - llcLength);
    return true;
  }

  /** The malformation of the last {@code wrap}, {@link dev.wirelens.Malformation#NONE} after success. */
  public MalformationReport report() {
    return report;
  }

  /** Absolute offset of the frame in the buffer. */
  public int offset() {
    return offset;
  }

  /** Bytes 0-5: destination MAC address as the low 48 bits of a long. */
  public long destination() {
    // bounds: checked in wrap()
    return ((long) buf.getUnsignedShort(offset) << 32) | buf.getUnsignedInt(offset + 2);
  }

  /** Bytes 6-11: source MAC address as the low 48 bits of a long. */
  public long source() {
    // bounds: checked in wrap()
    return ((long) buf.getUnsignedShort(offset + 6) << 32) | buf.getUnsignedInt(offset + 8);
  }

  /** Copies the 6 destination address bytes into {@code dst} at {@code dstOffset}. */
  public void copyDestinationTo(byte[] dst, int dstOffset) {
    buf.getBytes(offset, dst, dstOffset, 6);
  }

  /** Copies the 6 source address bytes into {@code dst} at {@code dstOffset}. */
  public void copySourceTo(byte[] dst, int dstOffset) {
    buf.getBytes(offset + 6, dst, dstOffset, 6);
  }

  /** Bytes 12-13: the raw type/length field (Wireshark {@code eth.type} or {@code eth.len}). */
  public int typeOrLength() {
    return buf.getUnsignedShort(offset + 12);
  }

  /** True for an IEEE 802.3 length frame (type/length field below 0x0600). */
  public boolean isLengthFrame() {
    return llcLength != 0;
  }

  /**
   * The EtherType of the payload: the type field of an Ethernet II frame, or the protocol id of an RFC 1042 SNAP
   * header (OUI 00-00-00); -1 for other 802.3 frames.
   */
  public int etherType() {
    return etherType;
  }

  /** 802.3 only: the LLC destination service access point (byte 14), else -1. */
  public int dsap() {
    return llcLength == 0 ? -1 : buf.getUnsignedByte(offset + 14);
  }

  /** 802.3 only: the LLC source service access point (byte 15), else -1. */
  public int ssap() {
    return llcLength == 0 ? -1 : buf.getUnsignedByte(offset + 15);
  }

  /** 802.3 only: the LLC control field (1 byte, or 2 bytes big-endian for I/S-format frames), else -1. */
  public int control() {
    if (llcLength == 0) {
      return -1;
    }
    return llcLength == 4 ? buf.getUnsignedShort(offset + 16) : buf.getUnsignedByte(offset + 16);
  }

  /** True when an 802.3 frame carries a SNAP header (LLC {@code AA AA 03}). */
  public boolean isSnap() {
    return llcLength == 8;
  }

  /** SNAP only: the organisationally unique identifier (bytes 17-19), else -1. */
  public int snapOui() {
    return llcLength == 8 ? buf.getUnsignedMedium(offset + 17) : -1;
  }

  /** SNAP only: the protocol id (bytes 20-21), else -1. */
  public int snapProtocolId() {
    return llcLength == 8 ? buf.getUnsignedShort(offset + 20) : -1;
  }

  /** Length of the link header: 14, or 17/18/22 with the LLC/SNAP header of an 802.3 frame. */
  public int headerLength() {
    return HEADER_LENGTH + llcLength;
  }

  /** Absolute offset of the first byte after the header (after LLC/SNAP for 802.3 frames). */
  public int payloadOffset() {
    return payloadOffset;
  }

  /** Bytes after the header; for 802.3 frames limited by the length field, excluding padding. */
  public int payloadLength() {
    return payloadLength;
  }

  /** The payload as a non-retained slice, valid while the wrapped buffer is. */
  public ByteBuf payload() {
    return buf.slice(payloadOffset, payloadLength);
  }

  /** Formats a 48-bit MAC address as {@code 00:1a:2b:3c:4d:5e} (lowercase, like tshark). Allocates. */
  public static String formatMac(long mac) {
    StringBuilder s = new StringBuilder(17);
    for (int shift = 40; shift >= 0; shift -= 8) {
      int b = (int) (mac >>> shift) & 0xff;
      s.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xf, 16));
      if (shift != 0) {
        s.append(':');
      }
    }
    return s.toString();
  }

  /** Fields for debugging. Allocates. */
  @Override
  public String toString() {
    if (buf == null) {
      return "EthernetFrame{unwrapped}";
    }
    return "EthernetFrame{dst=" + formatMac(destination()) + ", src=" + formatMac(source())
        + ", typeOrLength=0x" + Integer.toHexString(typeOrLength()) + ", payloadLength=" + payloadLength + '}';
  }
}
