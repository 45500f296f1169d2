package dev.wirelens.link;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * One IEEE 802.1Q (TPID 0x8100) or 802.1ad (TPID 0x88A8, pre-standard 0x9100) VLAN tag. The view starts after the
 * tag protocol identifier, which the enclosing header's type field already holds, and covers the tag control
 * information and the encapsulated type, as Wireshark's {@code vlan} layer does; stacked tags are one view each.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | PCP |D|         VID           |   EtherType or length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Lifetime: {@code wrap} borrows the buffer; valid while it is and until the next {@code wrap}.
 *
 * <p>Allocation: none. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * if (EtherTypes.isVlanTag(eth.etherType()) && tag.wrap(buf, eth.payloadOffset(), eth.payloadLength(), eth.etherType())) {
 *   int vid = tag.vlanId();
 * }
 * }</pre>
 */
public final class VlanTag {
  /** Bytes of the view: tag control information and encapsulated type. */
  public static final int HEADER_LENGTH = 4;

  private final MalformationReport report = new MalformationReport();
  private ByteBuf buf;
  private int offset;
  private int length;
  private int tpid = -1;

  /** Creates an empty view. */
  public VlanTag() {}

  /** Points the view at the 4 bytes at {@code offset}; the tag protocol identifier is unknown ({@link #tpid()} -1). */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    return wrap(buf, offset, length, -1);
  }

  /**
   * Points the view at the 4 bytes at {@code offset}, remembering the {@code tpid} that introduced the tag. Returns
   * false (TRUNCATED, {@link LengthSource#HEADER_MINIMUM}) when fewer than 4 bytes are there.
   */
  public boolean wrap(ByteBuf buf, int offset, int length, int tpid) {
    report.clear();
    this.offset = offset;
    this.length = length;
    this.tpid = tpid;
    if (length < HEADER_LENGTH) {
      this.buf = null;
      return report.truncated(Layer.VLAN, offset, HEADER_LENGTH, length, LengthSource.HEADER_MINIMUM);
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

  /** The tag protocol identifier given to {@code wrap} (0x8100, 0x88A8, 0x9100), or -1. */
  public int tpid() {
    return tpid;
  }

  /** Bytes 0-1: the whole tag control information. */
  public int tci() {
    // bounds: checked in wrap()
    return buf.getUnsignedShort(offset);
  }

  /** Bits 0-2 of the TCI: priority code point (Wireshark {@code vlan.priority}). */
  public int priority() {
    return buf.getUnsignedByte(offset) >>> 5;
  }

  /** Bit 3 of the TCI: drop eligible indicator (formerly CFI; Wireshark {@code vlan.dei}). */
  public boolean isDropEligible() {
    return (buf.getUnsignedByte(offset) & 0x10) != 0;
  }

  /** Bits 4-15 of the TCI: VLAN identifier (Wireshark {@code vlan.id}). */
  public int vlanId() {
    return buf.getUnsignedShort(offset) & 0x0FFF;
  }

  /** Bytes 2-3: the encapsulated EtherType (or 802.3 length), Wireshark {@code vlan.etype}. */
  public int etherType() {
    return buf.getUnsignedShort(offset + 2);
  }

  /** Absolute offset of the tag control information. */
  public int offset() {
    return offset;
  }

  /** Absolute offset of the first byte after the tag. */
  public int payloadOffset() {
    return offset + HEADER_LENGTH;
  }

  /** Bytes after the tag. */
  public int payloadLength() {
    return length - HEADER_LENGTH;
  }

  /** Fields for debugging. Allocates. */
  @Override
  public String toString() {
    return buf == null ? "VlanTag{unwrapped}"
        : "VlanTag{pcp=" + priority() + ", dei=" + isDropEligible() + ", vid=" + vlanId()
            + ", type=0x" + Integer.toHexString(etherType()) + '}';
  }
}
