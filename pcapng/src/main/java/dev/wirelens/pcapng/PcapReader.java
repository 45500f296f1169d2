package dev.wirelens.pcapng;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.pcapng.internal.ByteAccumulator;
import dev.wirelens.pcapng.internal.Timestamps;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Objects;

/**
 * Pull reader of classic pcap files (draft-ietf-opsawg-pcap), push-fed like {@link PcapngReader}.
 *
 * <pre>
 * File header (24 bytes):                   Packet record (16 bytes + data):
 *  0 | Magic Number                    |     0 | Timestamp (Seconds)                  |
 *  4 | Major Version | Minor Version   |     4 | Timestamp (Microseconds or nanosecs) |
 *  8 | Reserved1 (thiszone)            |     8 | Captured Packet Length (incl_len)    |
 * 12 | Reserved2 (sigfigs)             |    12 | Original Packet Length (orig_len)    |
 * 16 | SnapLen                         |    16 / Packet Data (incl_len bytes)        /
 * 20 | FCS |f|  reserved  | LinkType   |
 * </pre>
 *
 * <p>Magic {@code a1b2c3d4} means microsecond, {@code a1b23c4d} nanosecond timestamps; read byte-swapped, the file
 * is little-endian. The last header field carries the link type in its low 16 bits and, when bit 26 is set, an FCS
 * length in bits 28–31.
 *
 * <p>Grammar: {@code (feed* next)* endOfInput next* close}; {@link #next()} returns {@link DecodeStatus#RECORD},
 * {@code NEED_MORE}, {@code MALFORMED} or {@code END}. Malformed input: unknown magic ({@link Malformation#BAD_MAGIC}
 * at 0), {@code incl_len} above {@link Limits#maxCaptureBlockLength()} ({@link Malformation#LIMIT_EXCEEDED} at the
 * field), the end of input inside the header or a record ({@link Malformation#TRUNCATED}). An {@code incl_len}
 * above the snaplen is not an error: the record is read and {@link #exceedsSnapLength()} says so.
 *
 * <p>Lifetime: {@link #packetData()} is valid until the next {@code next()}, {@code feed()} or {@code close()}.
 * Allocation: none per record. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * try (PcapReader r = new PcapReader(Limits.defaults())) {
 *   r.feed(bytes);
 *   r.endOfInput();
 *   while (r.next() == DecodeStatus.RECORD) use(r.timestampNanos(), r.packetData());
 * }
 * }</pre>
 */
public final class PcapReader implements AutoCloseable {
  /** Microsecond magic, as read in the file's own byte order. */
  public static final int MAGIC_MICROSECONDS = 0xA1B2C3D4;
  /** Nanosecond magic, as read in the file's own byte order. */
  public static final int MAGIC_NANOSECONDS = 0xA1B23C4D;
  /** File header length. */
  public static final int HEADER_LENGTH = 24;
  /** Record header length. */
  public static final int RECORD_HEADER_LENGTH = 16;

  private final Limits limits;
  private final ByteAccumulator in;
  private final MalformationReport report = new MalformationReport();

  private boolean haveHeader;
  private boolean le;
  private boolean nanosecond;
  private int versionMajor;
  private int versionMinor;
  private int thisZone;
  private long sigFigs;
  private long snapLength;
  private int linkTypeField;

  private int pendingSkip;
  private boolean haveRecord;
  private int recordIndex;
  private long recordOffset = -1;
  private long seconds;
  private long fraction;
  private int capturedLength;
  private long originalLength;
  private long needed;
  private boolean terminal;
  private boolean closed;

  /** A reader with default {@link Limits}. */
  public PcapReader() {
    this(Limits.defaults());
  }

  /** A reader with the given limits. */
  public PcapReader(Limits limits) {
    this(limits, new ByteAccumulator(ByteBufAllocator.DEFAULT, false));
  }

  PcapReader(Limits limits, ByteAccumulator in) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.in = in;
  }

  /** Appends input; takes over one reference of {@code data}. Invalidates the current record. */
  public void feed(ByteBuf data) {
    if (closed) {
      data.release();
      throw new IllegalStateException("closed");
    }
    consumePending();
    in.feed(data);
  }

  /** Declares that no more input will come. */
  public void endOfInput() {
    in.end();
  }

  /** Reads the file header if needed, then the next record: RECORD, NEED_MORE, MALFORMED or END. */
  public DecodeStatus next() {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    if (terminal) {
      return DecodeStatus.MALFORMED;
    }
    consumePending();
    in.trim();
    report.clear();
    haveRecord = false;
    if (!haveHeader) {
      DecodeStatus s = header();
      if (s != null) {
        return s;
      }
    }
    return record();
  }

  /** Reads the file header; null when done, else the status to return. */
  private DecodeStatus header() {
    int avail = in.readable();
    long pos = in.position();
    ByteBuf b = in.buffer();
    int i = in.index();
    if (avail >= 4 && magic(b, i) == 0) {
      return malformed(Malformation.BAD_MAGIC, pos);
    }
    if (avail < HEADER_LENGTH) {
      needed = HEADER_LENGTH;
      return in.isEnded() ? truncated(pos, HEADER_LENGTH, avail, LengthSource.HEADER_MINIMUM)
          : DecodeStatus.NEED_MORE;
    }
    int m = magic(b, i);
    le = m < 0;
    nanosecond = Math.abs(m) == 2;
    versionMajor = Bytes.u16(b, i + 4, le);
    versionMinor = Bytes.u16(b, i + 6, le);
    thisZone = Bytes.i32(b, i + 8, le);
    sigFigs = Bytes.u32(b, i + 12, le);
    snapLength = Bytes.u32(b, i + 16, le);
    linkTypeField = Bytes.i32(b, i + 20, le);
    haveHeader = true;
    in.skip(HEADER_LENGTH);
    return null;
  }

  /** Reads one record header (two 8-byte reads) once the file header is known: the short common path. */
  private DecodeStatus record() {
    int avail = in.readable();
    if (avail < RECORD_HEADER_LENGTH) {
      return shortRecord(avail);
    }
    ByteBuf b = in.buffer();
    int i = in.index();
    long time;
    long lengths;
    if (le) {
      long x = b.getLongLE(i);
      long y = b.getLongLE(i + 8);
      time = (x << 32) | (x >>> 32); // seconds high, fraction low, as in a big-endian read
      lengths = (y << 32) | (y >>> 32);
    } else {
      time = b.getLong(i);
      lengths = b.getLong(i + 8);
    }
    long incl = lengths >>> 32;
    if (incl > limits.maxCaptureBlockLength()) {
      return malformed(Malformation.LIMIT_EXCEEDED, in.position() + 8);
    }
    long total = RECORD_HEADER_LENGTH + incl;
    if (avail < total) {
      needed = total;
      return in.isEnded() ? truncated(in.position(), total, avail, LengthSource.PCAP_RECORD_LENGTH)
          : DecodeStatus.NEED_MORE;
    }
    seconds = time >>> 32;
    fraction = time & 0xFFFFFFFFL;
    capturedLength = (int) incl;
    originalLength = lengths & 0xFFFFFFFFL;
    recordIndex = i;
    recordOffset = in.position();
    pendingSkip = (int) total;
    haveRecord = true;
    return DecodeStatus.RECORD;
  }

  /** Fewer bytes than a record header: the end, more needed, or a truncated record header. */
  private DecodeStatus shortRecord(int avail) {
    needed = RECORD_HEADER_LENGTH;
    if (!in.isEnded()) {
      return DecodeStatus.NEED_MORE;
    }
    return avail == 0 ? DecodeStatus.END
        : truncated(in.position(), RECORD_HEADER_LENGTH, avail, LengthSource.HEADER_MINIMUM);
  }

  /** 1 for µs, 2 for ns magic, negative when byte-swapped (little-endian), 0 when unknown. */
  private static int magic(ByteBuf b, int i) {
    int m = b.getInt(i);
    if (m == MAGIC_MICROSECONDS) {
      return 1;
    } else if (m == MAGIC_NANOSECONDS) {
      return 2;
    } else if (m == Integer.reverseBytes(MAGIC_MICROSECONDS)) {
      return -1;
    } else if (m == Integer.reverseBytes(MAGIC_NANOSECONDS)) {
      return -2;
    }
    return 0;
  }

  /** True if {@code first4} (read big-endian) is a pcap magic in either byte order. */
  static boolean isMagic(int first4) {
    return first4 == MAGIC_MICROSECONDS || first4 == MAGIC_NANOSECONDS
        || first4 == Integer.reverseBytes(MAGIC_MICROSECONDS) || first4 == Integer.reverseBytes(MAGIC_NANOSECONDS);
  }

  private DecodeStatus malformed(Malformation m, long offset) {
    report.invalid(Layer.CAPTURE, m, offset);
    terminal = true;
    return DecodeStatus.MALFORMED;
  }

  private DecodeStatus truncated(long offset, long required, long available, LengthSource source) {
    report.truncated(Layer.CAPTURE, offset, required, available, source);
    terminal = true;
    return DecodeStatus.MALFORMED;
  }

  private void consumePending() {
    if (pendingSkip > 0) {
      in.skip(pendingSkip);
      pendingSkip = 0;
    }
  }

  /** True once the file header was read. */
  public boolean hasHeader() {
    return haveHeader;
  }

  /** True if the file is little-endian (magic read byte-swapped). */
  public boolean isLittleEndian() {
    return le;
  }

  /** True for the nanosecond magic {@code a1b23c4d}. */
  public boolean isNanosecond() {
    return nanosecond;
  }

  /** Header bytes 4–5: major version (2). */
  public int versionMajor() {
    return versionMajor;
  }

  /** Header bytes 6–7: minor version (4). */
  public int versionMinor() {
    return versionMinor;
  }

  /** Header bytes 8–11: thiszone (reserved, 0). */
  public int thisZone() {
    return thisZone;
  }

  /** Header bytes 12–15: sigfigs (reserved, 0). */
  public long sigFigs() {
    return sigFigs;
  }

  /** Header bytes 16–19: snaplen. */
  public long snapLength() {
    return snapLength;
  }

  /** Header bytes 20–23, low 16 bits: the link type (LINKTYPE_* number). */
  public int linkType() {
    return linkTypeField & 0xFFFF;
  }

  /** Header bytes 20–23, raw: link type plus FCS bits. */
  public int linkTypeField() {
    return linkTypeField;
  }

  /** Bit 26 of the link type field (libpcap LT_FCS_DATALINK_EXT, the draft's P bit): an FCS length is present. */
  public boolean isFcsLengthPresent() {
    return (linkTypeField & 0x04000000) != 0;
  }

  /** Bits 28–31 of the link type field: FCS length in units of 16 bits, meaningful when present. */
  public int fcsLength() {
    return linkTypeField >>> 28;
  }

  /** Record bytes 0–3: seconds since the epoch (u32). */
  public long timestampSeconds() {
    return seconds;
  }

  /** Record bytes 4–7: microseconds or nanoseconds (u32, not range-checked). */
  public long timestampFraction() {
    return fraction;
  }

  /** Epoch nanoseconds of the current record: seconds × 10⁹ + fraction (× 1000 for µs files). */
  public long timestampNanos() {
    return Timestamps.pcapToEpochNanos(seconds, fraction, nanosecond);
  }

  /** Record bytes 8–11: captured length (incl_len). */
  public int capturedLength() {
    return capturedLength;
  }

  /** Record bytes 12–15: original length (orig_len). */
  public long originalLength() {
    return originalLength;
  }

  /**
   * True if the current record's incl_len is larger than the header's snaplen (read anyway). A snaplen of 0 promises
   * nothing and is never exceeded, as in {@link CaptureReader#exceedsSnapLength()} and a pcapng IDB.
   */
  public boolean exceedsSnapLength() {
    return snapLength > 0 && capturedLength > snapLength;
  }

  /** Input offset of the current record header. */
  public long recordOffset() {
    return recordOffset;
  }

  /** The packet data of the current record, a non-retained slice valid until the next call. */
  public ByteBuf packetData() {
    if (!haveRecord) {
      throw new IllegalStateException("no current record");
    }
    return in.buffer().slice(recordIndex + RECORD_HEADER_LENGTH, capturedLength);
  }

  /** Why the last {@link #next()} returned MALFORMED. */
  public MalformationReport report() {
    return report;
  }

  long needed() {
    return needed;
  }

  /** Releases buffered input. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      in.release();
    }
  }
}
