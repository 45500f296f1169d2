package dev.wirelens.pcapng;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.pcapng.internal.ByteAccumulator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Pull reader of pcapng blocks (draft-ietf-opsawg-pcapng §3.1), push-fed: {@link #feed(ByteBuf)} bytes as they
 * arrive, then call {@link #next()} until it says {@link DecodeStatus#NEED_MORE}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                          Block Type                           |
 * +---------------------------------------------------------------+
 * |                      Block Total Length                       |
 * +---------------------------------------------------------------+
 * /                          Block Body                           /
 * +---------------------------------------------------------------+
 * |                      Block Total Length                       |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Grammar: {@code (feed* next)* endOfInput next* close}; {@link #next()} returns {@link DecodeStatus#BLOCK},
 * {@link DecodeStatus#NEED_MORE} (feed more, or call {@link #endOfInput()}), {@link DecodeStatus#MALFORMED} or
 * {@link DecodeStatus#END} (input ended at a block boundary). Each section (SHB) sets the byte order and starts a
 * new interface table; the views returned by {@link #enhancedPacket()} etc. are wrapped on the current block and
 * already validated. Unknown block types are returned as {@code BLOCK} with their raw {@link #blockType()}.
 *
 * <p>Malformed input: a block total length below 12, not a multiple of 4, above
 * {@link Limits#maxCaptureBlockLength()} ({@link Malformation#LIMIT_EXCEEDED}, checked before anything is buffered)
 * or different from the trailing copy; a bad byte-order magic or major version; a packet naming an undeclared
 * interface ({@link Malformation#BAD_REFERENCE}); the end of input inside a block ({@link Malformation#TRUNCATED},
 * offset of the block, required and available bytes: the block total length, or, before it is visible, 8 bytes
 * ({@link LengthSource#HEADER_MINIMUM}; 12 for a Section Header Block once its type is visible)). Offsets in {@link #report()} are input offsets. After
 * {@code MALFORMED} the reader is terminal until {@link #reset()}.
 *
 * <p>Lifetime: {@link #block()} and every view are valid until the next {@code next()}, {@code feed()},
 * {@code reset()} or {@code close()}; {@code feed} takes over one reference of its argument. {@link #close()}
 * releases what is buffered. Allocation: none per block, except a {@link PcapngInterface} per IDB; bytes of an
 * incomplete block are copied once when more are fed. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * try (PcapngReader r = new PcapngReader(Limits.defaults())) {
 *   r.feed(bytes);
 *   r.endOfInput();
 *   DecodeStatus s;
 *   while ((s = r.next()) == DecodeStatus.BLOCK) {
 *     if (r.blockType() == PcapngBlockTypes.ENHANCED_PACKET) use(r.enhancedPacket().packetData());
 *   }
 * }
 * }</pre>
 */
public final class PcapngReader implements AutoCloseable {
  private final Limits limits;
  private final ByteAccumulator in;
  private final MalformationReport report = new MalformationReport();
  private final SectionHeaderBlock shb = new SectionHeaderBlock();
  private final InterfaceDescriptionBlock idb = new InterfaceDescriptionBlock();
  private final EnhancedPacketBlock epb = new EnhancedPacketBlock();
  private final SimplePacketBlock spb = new SimplePacketBlock();
  private final PacketBlock pb = new PacketBlock();
  private final NameResolutionBlock nrb = new NameResolutionBlock();
  private final InterfaceStatisticsBlock isb = new InterfaceStatisticsBlock();
  private final DecryptionSecretsBlock dsb = new DecryptionSecretsBlock();
  private final CustomBlock custom = new CustomBlock();

  private boolean inSection;
  private boolean le;
  private int section = -1;
  private List<PcapngInterface> interfaces = new ArrayList<>();
  private List<PcapngInterface> interfacesView = Collections.unmodifiableList(interfaces);

  private int pendingSkip;
  private int blockType = -1;
  private int blockIndex;
  private long blockOffset = -1;
  private int blockLength;
  private PcapngInterface packetInterface;
  private long needed;
  private boolean terminal;
  private boolean closed;

  /** A reader with default {@link Limits}. */
  public PcapngReader() {
    this(Limits.defaults());
  }

  /** A reader with the given limits. */
  public PcapngReader(Limits limits) {
    this(limits, new ByteAccumulator(ByteBufAllocator.DEFAULT, false));
  }

  PcapngReader(Limits limits, ByteAccumulator in) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.in = in;
  }

  /** Appends input; takes over one reference of {@code data}. Invalidates the current block. */
  public void feed(ByteBuf data) {
    if (closed) {
      data.release();
      throw new IllegalStateException("closed");
    }
    consumePending();
    in.feed(data);
  }

  /** Declares that no more input will come: {@link #next()} then returns END or a truncation. */
  public void endOfInput() {
    in.end();
  }

  /** Reads the next block: BLOCK, NEED_MORE, MALFORMED or END. Never throws for bad input. */
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
    blockType = -1;
    packetInterface = null;
    int avail = in.readable();
    if (avail < 12 || !inSection) {
      return start(avail);
    }
    // common path: a whole block header in a section, type and length in one read; an SHB goes the general way
    ByteBuf b = in.buffer();
    int i = in.index();
    long h = b.getLong(i);
    int first = (int) (h >>> 32);
    if (first == PcapngBlockTypes.SECTION_HEADER) {
      return block(b, i, avail, first, true);
    }
    boolean order = le;
    int type = order ? Integer.reverseBytes(first) : first;
    long total = (order ? Integer.reverseBytes((int) h) : (int) h) & 0xFFFFFFFFL;
    return framed(b, i, avail, type, order, total);
  }

  /** Fewer than 12 bytes, or before the first section: the checks of the general path. */
  private DecodeStatus start(int avail) {
    long pos = in.position();
    if (avail == 0) {
      needed = 8;
      return in.isEnded() ? DecodeStatus.END : DecodeStatus.NEED_MORE;
    }
    ByteBuf b = in.buffer();
    int i = in.index();
    int first = avail >= 4 ? b.getInt(i) : 0;
    boolean isShb = first == PcapngBlockTypes.SECTION_HEADER;
    int header = isShb ? 12 : 8;
    if (avail < header) {
      needed = header;
      return in.isEnded() ? truncated(pos, header, avail, LengthSource.HEADER_MINIMUM) : DecodeStatus.NEED_MORE;
    }
    if (!isShb && !inSection) {
      return malformed(Malformation.BAD_MAGIC, pos);
    }
    return block(b, i, avail, first, isShb);
  }

  /** A block whose first 4 bytes ({@code first}, read big-endian) and at least its 8-byte header are available. */
  private DecodeStatus block(ByteBuf b, int i, int avail, int first, boolean isShb) {
    boolean order = le;
    if (isShb) {
      int bom = b.getInt(i + 8);
      if (bom == SectionHeaderBlock.BYTE_ORDER_MAGIC) {
        order = false;
      } else if (bom == Integer.reverseBytes(SectionHeaderBlock.BYTE_ORDER_MAGIC)) {
        order = true;
      } else {
        return malformed(Malformation.BAD_MAGIC, in.position() + 8);
      }
    }
    int type = isShb || !order ? first : Integer.reverseBytes(first);
    return framed(b, i, avail, type, order, Bytes.u32(b, i + 4, order));
  }

  /** The rest of the general path: length checks, then the block view. */
  private DecodeStatus framed(ByteBuf b, int i, int avail, int type, boolean order, long total) {
    if (total < 12 || (total & 3) != 0) {
      return malformed(Malformation.BAD_LENGTH_FIELD, in.position() + 4);
    }
    if (total > limits.maxCaptureBlockLength()) {
      return malformed(Malformation.LIMIT_EXCEEDED, in.position() + 4);
    }
    long pos = in.position();
    if (avail < total) {
      needed = total;
      return in.isEnded() ? truncated(pos, total, avail, LengthSource.PCAPNG_BLOCK_LENGTH) : DecodeStatus.NEED_MORE;
    }
    int t = (int) total;
    if (type == PcapngBlockTypes.ENHANCED_PACKET) { // the common block, outside the (too big to inline) switch
      if (!epb.wrapFramed(b, i, t, order)) {
        fail(epb.report(), i, pos);
        return DecodeStatus.MALFORMED;
      }
      if (!bindInterface(epb.interfaceId(), pos + 8)) {
        return DecodeStatus.MALFORMED;
      }
    } else if (!decode(type, b, i, t, order, pos)) {
      return DecodeStatus.MALFORMED;
    }
    blockType = type;
    blockIndex = i;
    blockOffset = pos;
    blockLength = t;
    pendingSkip = t;
    return DecodeStatus.BLOCK;
  }

  private boolean decode(int type, ByteBuf b, int i, int t, boolean order, long pos) {
    switch (type) {
      case PcapngBlockTypes.SECTION_HEADER:
        if (!shb.wrap(b, i, t)) {
          return fail(shb.report(), i, pos);
        }
        le = order;
        inSection = true;
        section++;
        interfaces = new ArrayList<>();
        interfacesView = Collections.unmodifiableList(interfaces);
        return true;
      case PcapngBlockTypes.INTERFACE_DESCRIPTION:
        if (!idb.wrap(b, i, t, order)) {
          return fail(idb.report(), i, pos);
        }
        interfaces.add(describe(idb));
        return true;
      case PcapngBlockTypes.ENHANCED_PACKET:
        if (!epb.wrapFramed(b, i, t, order)) {
          return fail(epb.report(), i, pos);
        }
        return bindInterface(epb.interfaceId(), pos + 8);
      case PcapngBlockTypes.SIMPLE_PACKET:
        if (!spb.wrap(b, i, t, order)) {
          return fail(spb.report(), i, pos);
        }
        return bindInterface(0, pos);
      case PcapngBlockTypes.PACKET:
        if (!pb.wrap(b, i, t, order)) {
          return fail(pb.report(), i, pos);
        }
        return bindInterface(pb.interfaceId(), pos + 8);
      case PcapngBlockTypes.NAME_RESOLUTION:
        return nrb.wrap(b, i, t, order) || fail(nrb.report(), i, pos);
      case PcapngBlockTypes.INTERFACE_STATISTICS:
        return isb.wrap(b, i, t, order) || fail(isb.report(), i, pos);
      case PcapngBlockTypes.DECRYPTION_SECRETS:
        return dsb.wrap(b, i, t, order) || fail(dsb.report(), i, pos);
      case PcapngBlockTypes.CUSTOM_COPYABLE:
      case PcapngBlockTypes.CUSTOM_DO_NOT_COPY:
        return custom.wrap(b, i, t, order) || fail(custom.report(), i, pos);
      default:
        return true;
    }
  }

  private boolean bindInterface(long id, long fieldOffset) {
    if (id >= interfaces.size()) {
      malformed(Malformation.BAD_REFERENCE, fieldOffset);
      return false;
    }
    packetInterface = interfaces.get((int) id);
    return true;
  }

  private PcapngInterface describe(InterfaceDescriptionBlock d) {
    int tsresol = 6;
    long tsoffset = 0;
    String name = null;
    String description = null;
    int fcsLength = -1;
    PcapngOptionCursor o = d.options();
    while (o.next()) {
      switch (o.code()) {
        case PcapngOptionCodes.IF_NAME: name = o.valueAsString(); break;
        case PcapngOptionCodes.IF_DESCRIPTION: description = o.valueAsString(); break;
        case PcapngOptionCodes.IF_TSRESOL: if (o.length() >= 1) tsresol = o.valueU8(); break;
        case PcapngOptionCodes.IF_TSOFFSET: tsoffset = o.valueI64(); break;
        case PcapngOptionCodes.IF_FCSLEN: fcsLength = o.valueU8(); break;
        default: break;
      }
    }
    return new PcapngInterface(section, interfaces.size(), d.linkType(), d.snapLength(), tsresol, tsoffset, name,
        description, fcsLength);
  }

  /** Copies a view's report, translating its buffer index into an input offset; makes the reader terminal. */
  private boolean fail(MalformationReport r, int index, long pos) {
    long off = r.offset() - index + pos;
    if (r.malformation() == Malformation.TRUNCATED) {
      report.truncated(r.layer(), off, r.requiredLength(), r.availableLength(), r.lengthSource());
    } else {
      report.invalid(r.layer(), r.malformation(), off);
    }
    terminal = true;
    return false;
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

  /** Bytes 0–3 of the current block: its type ({@link PcapngBlockTypes}), or -1 when there is none. */
  public int blockType() {
    return blockType;
  }

  /** Input offset of the current block. */
  public long blockOffset() {
    return blockOffset;
  }

  /** Block Total Length of the current block. */
  public int blockTotalLength() {
    return blockLength;
  }

  /** The whole current block, raw, a non-retained slice valid until the next call. */
  public ByteBuf block() {
    return in.buffer().slice(blockIndex, blockLength);
  }

  /** True if the current section is little-endian. */
  public boolean isLittleEndian() {
    return le;
  }

  /** 0-based index of the current section, -1 before the first SHB. */
  public int sectionIndex() {
    return section;
  }

  /** The interfaces declared so far in the current section, by id (unmodifiable; a new list per section). */
  public List<PcapngInterface> interfaces() {
    return interfacesView;
  }

  /** The interface of the current EPB, SPB or PB, else {@code null}. */
  public PcapngInterface packetInterface() {
    return packetInterface;
  }

  /** The current block as an SHB (valid when {@link #blockType()} is SECTION_HEADER). */
  public SectionHeaderBlock sectionHeader() {
    return shb;
  }

  /** The current block as an IDB (valid when {@link #blockType()} is INTERFACE_DESCRIPTION). */
  public InterfaceDescriptionBlock interfaceDescription() {
    return idb;
  }

  /** The current block as an EPB (valid when {@link #blockType()} is ENHANCED_PACKET). */
  public EnhancedPacketBlock enhancedPacket() {
    return epb;
  }

  /** The current block as an SPB (valid when {@link #blockType()} is SIMPLE_PACKET). */
  public SimplePacketBlock simplePacket() {
    return spb;
  }

  /** The current block as an obsolete PB (valid when {@link #blockType()} is PACKET). */
  public PacketBlock packet() {
    return pb;
  }

  /** The current block as an NRB (valid when {@link #blockType()} is NAME_RESOLUTION). */
  public NameResolutionBlock nameResolution() {
    return nrb;
  }

  /** The current block as an ISB (valid when {@link #blockType()} is INTERFACE_STATISTICS). */
  public InterfaceStatisticsBlock interfaceStatistics() {
    return isb;
  }

  /** The current block as a DSB (valid when {@link #blockType()} is DECRYPTION_SECRETS). */
  public DecryptionSecretsBlock decryptionSecrets() {
    return dsb;
  }

  /** The current block as a custom block (valid when {@link #blockType()} is CUSTOM_*). */
  public CustomBlock custom() {
    return custom;
  }

  /** Why the last {@link #next()} returned MALFORMED. */
  public MalformationReport report() {
    return report;
  }

  /** Bytes the reader wants from the current input offset before it can go on (after NEED_MORE). */
  long needed() {
    return needed;
  }

  /** Forgets all state and buffered input; the next input must start with an SHB. */
  public void reset() {
    in.release();
    pendingSkip = 0;
    terminal = false;
    inSection = false;
    blockType = -1;
    report.clear();
    interfaces = new ArrayList<>();
    interfacesView = Collections.unmodifiableList(interfaces);
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
