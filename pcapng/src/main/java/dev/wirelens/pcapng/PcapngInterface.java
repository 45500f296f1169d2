package dev.wirelens.pcapng;

import dev.wirelens.pcapng.internal.Timestamps;

/**
 * What one Interface Description Block declared (draft-ietf-opsawg-pcapng §4.2), or the single implicit interface
 * of a classic pcap file: id, link type, snaplen, if_tsresol, if_tsoffset, if_name, if_description, if_fcslen.
 *
 * <p>Lifetime: an immutable snapshot, safe to keep. Allocation: one object per IDB.
 * Thread safety: immutable.
 *
 * <pre>{@code
 * for (PcapngInterface i : reader.interfaces()) System.out.println(i.id() + " " + i.name() + " " + i.linkType());
 * }</pre>
 */
public final class PcapngInterface {
  private final int section;
  private final int id;
  private final int linkType;
  private final long snapLength;
  private final int tsresol;
  private final long tsoffset;
  private final String name;
  private final String description;
  private final int fcsLength;
  /** Nanoseconds per timestamp unit when if_tsresol is 10^-0..10^-9 and if_tsoffset is 0, else 0 (slow path). */
  private final long unitNanos;
  /** Largest timestamp whose product with {@link #unitNanos} fits a long. */
  private final long fastMax;

  /** Creates a snapshot; {@code tsresol} is the raw if_tsresol byte (6 = µs, 9 = ns, 0x80|n = 2^-n). */
  public PcapngInterface(int section, int id, int linkType, long snapLength, int tsresol, long tsoffset,
      String name, String description, int fcsLength) {
    this.section = section;
    this.id = id;
    this.linkType = linkType;
    this.snapLength = snapLength;
    this.tsresol = tsresol;
    this.tsoffset = tsoffset;
    this.name = name;
    this.description = description;
    this.fcsLength = fcsLength;
    this.unitNanos = tsoffset == 0 ? Timestamps.nanosPerUnit(tsresol) : 0;
    this.fastMax = unitNanos == 0 ? -1 : Long.MAX_VALUE / unitNanos;
  }

  /** 0-based index of the section (SHB) that declared this interface. */
  public int section() {
    return section;
  }

  /** Interface id within the section: the IDB's 0-based position. */
  public int id() {
    return id;
  }

  /** Link type (LINKTYPE_* number). */
  public int linkType() {
    return linkType;
  }

  /** Snap length; 0 means no limit. */
  public long snapLength() {
    return snapLength;
  }

  /** Raw if_tsresol byte (default 6). */
  public int tsresol() {
    return tsresol;
  }

  /** if_tsoffset in seconds (default 0). */
  public long tsoffset() {
    return tsoffset;
  }

  /** if_name, or {@code null}. */
  public String name() {
    return name;
  }

  /** if_description, or {@code null}. */
  public String description() {
    return description;
  }

  /** FCS length in bits: if_fcslen (pcapng), or the FCS length of a pcap header (P bit set), or -1 when unknown. */
  public int fcsLength() {
    return fcsLength;
  }

  /** Converts a raw timestamp of this interface (unsigned, if_tsresol units) to epoch nanoseconds. No allocation. */
  public long toEpochNanos(long timestamp) {
    // common case (µs, ns, no offset, no overflow): a multiplication, the same value as the general conversion
    if (timestamp >= 0 && timestamp <= fastMax) {
      return timestamp * unitNanos;
    }
    return Timestamps.toEpochNanos(timestamp, tsresol, tsoffset);
  }

  @Override
  public String toString() {
    return "PcapngInterface{section=" + section + ", id=" + id + ", linkType=" + linkType + ", snapLength="
        + snapLength + ", tsresol=" + tsresol + ", tsoffset=" + tsoffset + ", name=" + name + ", description="
        + description + '}';
  }
}
