package dev.wirelens.pcapng;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.packet.CapturedFrame;
import dev.wirelens.pcapng.internal.ByteAccumulator;
import dev.wirelens.pcapng.internal.MappedSource;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the frames of any capture: classic pcap (µs or ns, either byte order) or pcapng (any number of sections,
 * either byte order, any number of interfaces), optionally gzip-compressed, detected from the first bytes.
 *
 * <p>Frames come from pcap records and from pcapng Enhanced, Simple and (obsolete) Packet Blocks; the other pcapng
 * blocks are consumed on the way: interfaces are tracked ({@link #interfaces()}), Decryption Secrets Blocks and
 * section comments are collected ({@link #decryptionSecrets()}, {@link #sectionComments()}), everything else is
 * skipped. The block-level reader stays reachable
 * through {@link #pcapngReader()} for options and comments of the current block.
 *
 * <p>Sources: a file ({@link #open(Path)}: read through a {@link FileChannel} in chunks, never whole; or mapped into
 * memory window by window, {@link #openMapped(Path, Limits)}; a path that is not a regular file, a named pipe or
 * {@code /dev/fd/N}, is read as a stream), an
 * {@link InputStream} ({@link #open(InputStream, Limits)}: read incrementally, so a pipe that delivers half a block
 * blocks {@link #next()} until the rest arrives, as {@code tcpdump -U -w - | ...} needs), a {@link ByteBuf}
 * ({@link #of(ByteBuf, Limits)}), or bytes pushed by the caller ({@link #forFeeding(Limits)} with
 * {@link #feed(ByteBuf)}; then {@link #next()} may return {@link DecodeStatus#NEED_MORE}). Offsets are offsets in
 * the decompressed input.
 *
 * <p>Grammar: {@code open (next [FRAME accessors])* (END | MALFORMED) close}. {@link #next()} returns
 * {@link DecodeStatus#FRAME}, {@link DecodeStatus#MALFORMED} (see {@link #report()}; terminal), {@link DecodeStatus#END}
 * (input ended at a block or record boundary), or, only in feeding mode, {@link DecodeStatus#NEED_MORE}. It never
 * throws for bad input; I/O errors of the source become {@link UncheckedIOException}. Corrupt or truncated gzip data
 * is treated as the end of input (so a cut inside a block reports {@link Malformation#TRUNCATED}; a cut or corrupt
 * gzip header, an empty input); gzip data that
 * decompresses beyond {@link Limits#maxCaptureInflationRatio()} (a decompression bomb) ends the input with
 * {@link Malformation#LIMIT_EXCEEDED} at the decompressed offset where reading stopped, after the frames decompressed
 * until then. An input that is
 * not a capture gives {@link Malformation#BAD_MAGIC} at offset 0; an empty input {@link Malformation#TRUNCATED}
 * (4 bytes required, 0 available).
 *
 * <p>Lifetime: {@link #frame()} is a non-retained slice of the read buffer, valid until the next {@code next()},
 * {@code feed()} or {@code close()}; {@link #retainedFrame()} (or {@code frame().retain()}) keeps it without a
 * copy until released. {@link #close()} releases the
 * buffers and closes the source. Allocation: none per frame; one {@link PcapngInterface} per interface and a copy
 * of each Decryption Secrets Block's data. Memory: the read buffer holds at most one block plus one read chunk (a
 * mapped file: one window of 8 MiB, or of one block when that is larger, resident while it is read);
 * blocks larger than {@link Limits#maxCaptureBlockLength()} are refused before anything is buffered. Thread safety:
 * this class is not thread safe.
 *
 * <pre>{@code
 * try (CaptureReader r = CaptureReader.open(Path.of("agent.pcapng"))) {
 *   DecodeStatus s;
 *   while ((s = r.next()) == DecodeStatus.FRAME) {
 *     dissector.dissect(r);           // in place: CaptureReader is a CapturedFrame, no slice is allocated
 *   }
 *   if (s == DecodeStatus.MALFORMED) System.err.println(r.report());
 * }
 * }</pre>
 */
public final class CaptureReader implements CapturedFrame, AutoCloseable {
  private static final int FILE_CHUNK = 256 << 10;
  private static final int STREAM_CHUNK = 64 << 10;

  private final Limits limits;
  private final ByteAccumulator in;
  private final Source source;
  private final MalformationReport report = new MalformationReport();
  private final List<DecryptionSecret> secrets = new ArrayList<>();
  private final List<DecryptionSecret> secretsView = Collections.unmodifiableList(secrets);
  private long secretsBytes;
  private long droppedSecrets;
  private final List<String> sectionComments = new ArrayList<>();
  private final List<String> sectionCommentsView = Collections.unmodifiableList(sectionComments);

  private CaptureFormat format;
  private PcapReader pcap;
  private PcapngReader pcapng;
  private List<PcapngInterface> pcapInterfaces = Collections.emptyList();

  private boolean haveFrame;
  private int interfaceId;
  private int linkType;
  private long timestampNanos;
  private int capturedLength;
  private long originalLength;
  private long snapLength;
  private ByteBuf frameBuf;
  private int frameIndex;
  private long frameOffset = -1;
  private long recordOffset = -1;
  private long frameCount;
  private boolean terminal;
  private long inflationCut = -1; // decompressed offset where a gzip bomb was cut, else -1
  private boolean closed;
  /** Set once a mapped file was found shrunk: what next() throws from then on. */
  private volatile UncheckedIOException shrank;
  /** A mapped file: faults of its vanished bytes are raised per page read, see {@link #readPages}. */
  private final boolean mapped;
  /** The last page (input offset / {@link #FAULT_PAGE}) {@link #readPages} raised faults for. */
  private long pagesRaised = -1;
  /** Page size the reader raises faults by: the smallest Linux page; larger pages only raise more often than needed. */
  private static final int FAULT_PAGE_SHIFT = 12;

  private CaptureReader(Limits limits, ByteAccumulator in, Source source) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.in = in;
    this.source = source;
    this.mapped = source instanceof MappedFileSource;
  }

  /** Opens a capture file with default {@link Limits}. */
  public static CaptureReader open(Path file) {
    return open(file, Limits.defaults());
  }

  /**
   * Opens a capture file (pcap, pcapng, or either gzip-compressed); I/O errors become UncheckedIOException. What is
   * not a regular file (a named pipe made by {@code mkfifo}, {@code /dev/fd/N} of a process substitution, a device)
   * is read as a stream, as {@link #open(InputStream, Limits)} reads it: opening a named pipe waits for its writer.
   */
  public static CaptureReader open(Path file, Limits limits) {
    return open(file, limits, 0);
  }

  /**
   * {@link #open(Path, Limits)} whose own buffers (input chunks: direct for a file channel, heap for a stream) come
   * from {@code alloc} instead of {@link ByteBufAllocator#DEFAULT} (see {@link #openMapped(Path, Limits,
   * ByteBufAllocator)}).
   */
  public static CaptureReader open(Path file, Limits limits, ByteBufAllocator alloc) {
    return open(file, limits, 0, Objects.requireNonNull(alloc, "alloc"));
  }

  /**
   * Opens a capture file like {@link #open(Path, Limits)}, reading it through memory mapped in windows of 8 MiB
   * instead of {@code read} calls: no byte is copied out of the page cache, but the reading thread takes the page
   * faults, and each window is mapped and unmapped. That pays when another thread dissects the frames (the audit reads
   * a file a batch ahead on a thread of its own), not for a single thread that only walks the records (measured:
   * slower than {@code read} there). The file's size is read again before each window, so a growing file is read to
   * its current end. A file truncated while it is read loses mapped bytes: {@link #next()} then throws an
   * {@link UncheckedIOException} caused by a {@link CaptureFileShrankException} (the offset where reading stood), the
   * frames returned before stay as read, and the reader ends. The JVM raises a vanished byte as an
   * {@link InternalError} in whichever thread reads it: {@code next()} turns it into that read error when the file is
   * now shorter than what was mapped of it, and rethrows any other; a thread that reads frames (also retained ones)
   * does the same with {@link #truncationFault} ({@link #truncationFault(Throwable)} after the last frame, also after
   * {@link #close()}). A cut short of a page boundary leaves the rest of its page readable as zeros: a pcap record
   * header read from there (no bytes captured, or fewer on the wire than captured) makes the reader ask the file's
   * size again, so such zeros end the input with the same read error instead of frames of no bytes; the error's
   * offset is the record or block holding the first lost byte. Gzip files, what is not a regular file (a named pipe, {@code /dev/fd/N}),
   * and JVMs where a mapping cannot be unmapped at once are read as {@link #open(Path, Limits)} reads them. Frames retained past the reader keep their window mapped.
   */
  public static CaptureReader openMapped(Path file, Limits limits) {
    return open(file, limits, MappedSource.WINDOW, ByteBufAllocator.DEFAULT);
  }

  /**
   * {@link #openMapped(Path, Limits)} whose own buffers come from {@code alloc} instead of
   * {@link ByteBufAllocator#DEFAULT}. A mapped file needs none (frames are slices of the mapping, a record straddling
   * two windows is mapped again from its start); what is read with {@code read} calls instead (gzip, a named pipe, no
   * unmapping) is read into chunks from {@code alloc}: direct buffers for a file channel, heap buffers for a stream.
   * Frames that are slices of those chunks answer {@code alloc()} with it, so dissectors that copy with a frame's
   * allocator use it too. The {@code wirelens} CLI passes an unpooled allocator (benchmarks/README.md, "Session 6: the
   * allocator").
   */
  public static CaptureReader openMapped(Path file, Limits limits, ByteBufAllocator alloc) {
    return open(file, limits, MappedSource.WINDOW, Objects.requireNonNull(alloc, "alloc"));
  }

  /** {@link #openMapped} with windows of {@code window} bytes (tests: many windows on a small file); 0: read(). */
  static CaptureReader open(Path file, Limits limits, int window) {
    return open(file, limits, window, ByteBufAllocator.DEFAULT);
  }

  /** {@link #open(Path, Limits, int)} with the reader's own buffers from {@code alloc}. */
  static CaptureReader open(Path file, Limits limits, int window, ByteBufAllocator alloc) {
    Objects.requireNonNull(limits, "limits");
    try {
      if (Files.exists(file) && !Files.isRegularFile(file) && !Files.isDirectory(file)) {
        // a named pipe, /dev/fd/N (process substitution), a device: no positions, no size: read as a stream, like -.
        // A FileInputStream, not Files.newInputStream: that one's available() asks the channel for its position,
        // "Illegal seek" on a pipe, and the gzip reader asks available() between members.
        return open(new java.io.FileInputStream(file.toFile()), limits, alloc);
      }
      FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
      boolean gzip;
      try {
        ByteBuffer two = ByteBuffer.allocate(2);
        while (two.hasRemaining() && ch.read(two, two.position()) > 0) {
          // positional reads leave the channel at 0
        }
        gzip = two.position() == 2 && (two.get(0) & 0xff) == 0x1f && (two.get(1) & 0xff) == 0x8b;
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
      if (gzip) {
        ch.close();
        return gzipped(Files.newInputStream(file), limits, alloc);
      }
      // only a regular file: a named pipe or /dev/fd/N (process substitution) has no size to map and is read()
      MappedSource mapped = window == 0 || !Files.isRegularFile(file) ? null : MappedSource.of(ch, window, file);
      Source source = mapped == null ? new ChannelSource(ch) : new MappedFileSource(mapped);
      return new CaptureReader(limits, new ByteAccumulator(alloc, true), source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a capture from a stream, incrementally and blocking (pipes, standard input); gzip is detected. The
   * reader closes the stream on {@link #close()}.
   */
  public static CaptureReader open(InputStream stream, Limits limits) {
    return open(stream, limits, ByteBufAllocator.DEFAULT);
  }

  /**
   * {@link #open(InputStream, Limits)} whose input chunks (heap buffers) come from {@code alloc} instead of
   * {@link ByteBufAllocator#DEFAULT}; frames are slices of those chunks, so dissectors that copy with a frame's
   * allocator use {@code alloc} too (see {@link #openMapped(Path, Limits, ByteBufAllocator)}).
   */
  public static CaptureReader open(InputStream stream, Limits limits, ByteBufAllocator alloc) {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(alloc, "alloc");
    try {
      PushbackInputStream p = new PushbackInputStream(stream, 2);
      int b0 = p.read();
      int b1 = b0 < 0 ? -1 : p.read();
      if (b1 >= 0) {
        p.unread(b1);
      }
      if (b0 >= 0) {
        p.unread(b0);
      }
      if (b0 == 0x1f && b1 == 0x8b) {
        return gzipped(p, limits, alloc);
      }
      return new CaptureReader(limits, new ByteAccumulator(alloc, false), new StreamSource(p));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads a capture from a channel (a socket, a pipe), incrementally and blocking, like
   * {@link #open(InputStream, Limits)}; the reader closes the channel on {@link #close()}.
   */
  public static CaptureReader open(ReadableByteChannel channel, Limits limits) {
    return open(Channels.newInputStream(Objects.requireNonNull(channel, "channel")), limits);
  }

  /** Reads a capture held in {@code data}, taking over one reference of it; gzip is detected. */
  public static CaptureReader of(ByteBuf data, Limits limits) {
    Objects.requireNonNull(data, "data");
    if (limits == null) {
      data.release();
      throw new NullPointerException("limits");
    }
    if (data.readableBytes() >= 2 && data.getUnsignedByte(data.readerIndex()) == 0x1f
        && data.getUnsignedByte(data.readerIndex() + 1) == 0x8b) {
      return open(new ByteBufInputStream(data, true), limits, ByteBufAllocator.DEFAULT);
    }
    CaptureReader r = new CaptureReader(limits, new ByteAccumulator(ByteBufAllocator.DEFAULT, false), null);
    r.in.feed(data);
    r.in.end();
    return r;
  }

  /** A reader fed by the caller with {@link #feed(ByteBuf)} and {@link #endOfInput()}; gzip is not detected. */
  public static CaptureReader forFeeding(Limits limits) {
    return new CaptureReader(limits, new ByteAccumulator(ByteBufAllocator.DEFAULT, false), null);
  }

  private static CaptureReader gzipped(InputStream raw, Limits limits, ByteBufAllocator alloc) throws IOException {
    CountingInputStream compressed = new CountingInputStream(raw);
    InputStream gz;
    try {
      gz = new GZIPInputStream(new Peeking(compressed), STREAM_CHUNK);
    } catch (EOFException | ZipException e) {
      // a cut or corrupt gzip header: like corrupt data later on, the (decompressed) input ends here - it is empty
      raw.close();
      CaptureReader r = new CaptureReader(limits, new ByteAccumulator(alloc, false), null);
      r.in.end();
      return r;
    } catch (IOException e) {
      raw.close();
      throw e;
    }
    return new CaptureReader(limits, new ByteAccumulator(alloc, false),
        new GzipSource(gz, compressed, limits.maxCaptureInflationRatio()));
  }

  /** Feeding mode: appends input, taking over one reference of {@code data}. Invalidates the current frame. */
  public void feed(ByteBuf data) {
    if (source != null || closed) {
      data.release();
      throw new IllegalStateException(closed ? "closed" : "not a feeding reader");
    }
    haveFrame = false;
    if (pcapng != null) {
      pcapng.feed(data);
    } else if (pcap != null) {
      pcap.feed(data);
    } else {
      in.feed(data);
    }
  }

  /** Feeding mode: no more input will come. */
  public void endOfInput() {
    in.end();
  }

  /** Reads the next frame: FRAME, MALFORMED, END, or (feeding mode only) NEED_MORE. */
  public DecodeStatus next() {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    haveFrame = false;
    if (terminal) {
      if (shrank != null) {
        throw raisedFirst(shrank);
      }
      return DecodeStatus.MALFORMED;
    }
    try {
      // the common cases first, short: a pcap record, a pcapng packet block; everything else in advance()
      DecodeStatus s = null;
      if (pcap != null) {
        s = pcap.next();
        if (s == DecodeStatus.RECORD) {
          return pcapFrame();
        }
      } else if (pcapng != null) {
        s = pcapng.next();
        if (s == DecodeStatus.BLOCK) {
          if (pcapngBlock()) {
            return DecodeStatus.FRAME;
          }
          s = null;
        }
      }
      return advance(s);
    } catch (InternalError e) {
      // a mapped byte that vanished: the file was truncated under the mapping (openMapped), else a real error
      if (!fileShrank()) {
        throw e;
      }
      terminal = true;
      throw raisedFirst(shrankAt(e, lossOffset(in.position())));
    }
  }

  /**
   * True when this reader reads a file through mapped memory ({@link #openMapped}) and that file is now shorter than
   * the bytes already mapped from it: it was truncated while it was read. Safe on any thread (the file's size is
   * asked of the file system); false for every other source.
   */
  public boolean fileShrank() {
    return source instanceof MappedFileSource && ((MappedFileSource) source).mapped.shrank();
  }

  /**
   * What a fault met while reading bytes of this reader (an {@link InternalError}, "a fault occurred in an unsafe
   * memory access operation", on any thread, also while dissecting a frame retained earlier) stands for: when the
   * mapped file shrank ({@link #fileShrank()}), the read error {@link #next()} reports for it, an
   * {@link UncheckedIOException} caused by a {@link CaptureFileShrankException} at {@code offset} (the fault is added
   * to it as suppressed), and the reader ends: {@link #next()} throws the first such error again; otherwise null, and the caller
   * rethrows the fault, a real internal error.
   */
  public UncheckedIOException truncationFault(Throwable fault, long offset) {
    if (!fileShrank()) {
      return null;
    }
    return shrankAt(fault, offset);
  }

  /**
   * Like {@link #truncationFault(Throwable, long)} for a fault met when no frame is being read any more (after the
   * last one, also after {@link #close()}: bytes retained from the file and read when the connections close at the
   * end): the offset is the first byte lost, the file's new size. Works after {@link #close()} for as long as the
   * file's path names the file that was mapped.
   */
  public UncheckedIOException truncationFault(Throwable fault) {
    if (!fileShrank()) {
      return null;
    }
    return shrankAt(fault, ((MappedFileSource) source).mapped.size());
  }

  private UncheckedIOException shrankAt(Throwable fault, long offset) {
    // a new one per call: a thread dissecting frames read earlier meets the loss at a smaller offset than the reading
    // thread, which may have met it first; next() throws the first one again
    UncheckedIOException u =
        new UncheckedIOException(new CaptureFileShrankException(offset, ((MappedFileSource) source).mapped.size()));
    u.addSuppressed(fault);
    if (shrank == null) {
      shrank = u;
    }
    return u;
  }

  /** The general loop; {@code s} is the unhandled status of the format reader's last next(), or null. */
  private DecodeStatus advance(DecodeStatus s) {
    while (true) {
      if (s == null) {
        if (format == null) {
          DecodeStatus d = detect();
          if (d != null) {
            return d;
          }
          continue;
        }
        s = pcap != null ? pcap.next() : pcapng.next();
      }
      switch (s) {
        case RECORD:
          return pcapFrame();
        case BLOCK:
          if (pcapngBlock()) {
            return DecodeStatus.FRAME;
          }
          break;
        case NEED_MORE:
          if (source == null) {
            return DecodeStatus.NEED_MORE;
          }
          fill(pcap != null ? pcap.needed() : pcapng.needed());
          break;
        case MALFORMED:
          endOfMapping();
          if (inflationCut >= 0) {
            return inflationLimit();
          }
          report.copyFrom(pcap != null ? pcap.report() : pcapng.report());
          terminal = true;
          return DecodeStatus.MALFORMED;
        default:
          if (s == DecodeStatus.END) {
            endOfMapping();
          }
          if (s == DecodeStatus.END && inflationCut >= 0) {
            return inflationLimit();
          }
          return s;
      }
      s = null;
    }
  }

  /**
   * Before a mapped file's END or MALFORMED: a file that shrank below what was mapped ends with the read error, not
   * with what the cut (or, in compiled code, a fault reported late, a meaningless value) looks like.
   */
  private void endOfMapping() {
    if (source instanceof MappedFileSource && fileShrank()) {
      terminal = true;
      throw raisedFirst(shrankAt(new IOException("the file's end moved back"), lossOffset(in.position())));
    }
  }

  /** The input was cut by {@link Limits#maxCaptureInflationRatio()}: LIMIT_EXCEEDED at the decompressed offset. */
  private DecodeStatus inflationLimit() {
    report.invalid(Layer.CAPTURE, Malformation.LIMIT_EXCEEDED, inflationCut);
    terminal = true;
    return DecodeStatus.MALFORMED;
  }

  /** Detects the format from the first 4 bytes; null to go on, else the status to return. */
  private DecodeStatus detect() {
    int avail = in.readable();
    if (avail < 4) {
      if (in.isEnded()) {
        report.truncated(Layer.CAPTURE, 0, 4, avail, LengthSource.HEADER_MINIMUM);
        terminal = true;
        return DecodeStatus.MALFORMED;
      }
      if (source == null) {
        return DecodeStatus.NEED_MORE;
      }
      fill(4);
      return null;
    }
    int first = in.buffer().getInt(in.index());
    if (first == PcapngBlockTypes.SECTION_HEADER) {
      format = CaptureFormat.PCAPNG;
      pcapng = new PcapngReader(limits, in);
    } else if (PcapReader.isMagic(first)) {
      format = CaptureFormat.PCAP;
      pcap = new PcapReader(limits, in);
    } else {
      report.invalid(Layer.CAPTURE, Malformation.BAD_MAGIC, 0);
      terminal = true;
      return DecodeStatus.MALFORMED;
    }
    return null;
  }

  private void fill(long needed) {
    int pending = in.readable();
    int chunk = source instanceof ChannelSource || source instanceof MappedFileSource ? FILE_CHUNK : STREAM_CHUNK;
    // Grow in steps: ask for at most as many bytes as are already pending (at least a chunk), so the buffer at most
    // doubles from the bytes that exist. Asking for the whole announced block at once allocated it (up to
    // maxCaptureBlockLength, 16 MiB) before its bytes arrived: 68 bytes of hostile input cost 16 MiB.
    int want = (int) Math.max(chunk, Math.min(needed - pending, pending));
    try {
      if (source.read(in, want) < 0) {
        in.end();
      } else if (source instanceof GzipSource && ((GzipSource) source).isBomb()) {
        // a decompression bomb: what was decompressed is still read, nothing more (Limits.maxCaptureInflationRatio)
        inflationCut = ((GzipSource) source).decompressed;
        in.end();
      }
    } catch (EOFException | ZipException e) {
      // a cut or corrupt gzip stream: the data ends here; the reader reports a truncated block if inside one
      in.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private DecodeStatus pcapFrame() {
    if (pcapInterfaces.isEmpty()) {
      pcapInterface();
    }
    interfaceId = 0;
    linkType = pcap.linkType();
    timestampNanos = pcap.timestampNanos();
    capturedLength = pcap.capturedLength();
    originalLength = pcap.originalLength();
    snapLength = pcap.snapLength();
    if (mapped) {
      readPages(pcap.recordOffset() + PcapReader.RECORD_HEADER_LENGTH - 1);
      if (capturedLength == 0 || originalLength < capturedLength) {
        zeroedRecord(pcap.recordOffset());
      }
    }
    recordOffset = pcap.recordOffset();
    frameOffset = recordOffset + PcapReader.RECORD_HEADER_LENGTH;
    frameBuf = in.buffer();
    frameIndex = in.index() + PcapReader.RECORD_HEADER_LENGTH;
    return frameReady();
  }

  /**
   * A mapped file: the reader has read its bytes up to input offset {@code lastByte}; once per page, raises here a
   * fault of those reads that the JVM left pending. A vanished mapped byte read by compiled code faults without an
   * exception at the read (the read gives a meaningless value), and the JVM raises it at the thread's next passage
   * through the VM's runtime, which may be after {@code next()} returned a frame made of that value. Costs one
   * {@link #raisePendingFaults()} per 4 KiB page of input (about 262,000 per GiB, some 30 ms of the reading thread).
   */
  private void readPages(long lastByte) {
    long page = lastByte >>> FAULT_PAGE_SHIFT;
    if (page > pagesRaised) {
      pagesRaised = page;
      raisePendingFaults();
    }
  }

  /**
   * Raises, on the calling thread, an {@link InternalError} for a vanished mapped byte that it read in compiled code
   * and that the JVM has not raised yet (see {@link #openMapped}); returns at once when there is none. Such a fault
   * does not stop the read (it gives a meaningless value): the JVM raises it at the thread's next entry into the VM's
   * runtime, which may be far later, outside the code that can explain it ({@link #truncationFault}). A thread that
   * reads frames of a mapped file calls this before it leaves the code that handles the fault, or before it trusts
   * what it read (the audit: after each batch of frames). Costs about 0.1 µs.
   *
   * <p>How: a call the compiled code cannot inline, a runtime allocation of a two-level array of non-constant size.
   * Measured on JDK 17 (C2, C1 and the interpreter), a native call ({@code Thread.yield}, {@code Thread.holdsLock},
   * {@code FileChannel.size}) does not raise the fault once compiled and linked; this does.
   */
  public static void raisePendingFaults() {
    MappedSource.raisePendingFaults();
  }

  /**
   * {@code shrankError}, after raising a fault still pending on this thread (more vanished bytes read in compiled
   * code): thrown with one pending, the JVM may raise the fault while {@code shrankError} is being thrown, in its
   * place, and the caller would meet an {@link InternalError} instead of the read error. The fault adds nothing.
   */
  private static UncheckedIOException raisedFirst(UncheckedIOException shrankError) {
    try {
      raisePendingFaults();
    } catch (InternalError sameLoss) {
      // the same vanished bytes: the read error already says so
    }
    return shrankError;
  }

  /**
   * A pcap record header of a mapped file that reads as if its bytes were zeros (no bytes captured, or fewer on the
   * wire than captured): a file cut short of a page boundary still maps its last page whole, zeros past the new end,
   * so the record headers there read as all-zero records, frames of no bytes, until the next page faults. When the
   * file shrank, the read error, at the record holding the first lost byte: this one when the cut is at or after
   * its start, else the frame before it (returned before the loss could be seen, its lost bytes read as zeros);
   * else a real record of that shape, returned as it is. Costs a size query for such records only.
   */
  private void zeroedRecord(long at) {
    if (!fileShrank()) {
      return;
    }
    terminal = true;
    throw raisedFirst(shrankAt(new IOException("a record header read as zeros"), lossOffset(at)));
  }

  /**
   * Where the reader reports a loss met while reading at input offset {@code at}: the record or block holding the
   * first lost byte (the file's new size). That is {@code at} unless the cut lies before it, in the record or block
   * read last (records and blocks are contiguous): a cut short of a page boundary leaves zeros readable to the page's
   * end, so a record whose lost bytes were zeros, or read as zeros, was returned before the loss could be seen.
   */
  private long lossOffset(long at) {
    long size = ((MappedFileSource) source).mapped.size();
    return size >= 0 && size < at && recordOffset >= 0 && recordOffset <= size ? recordOffset : at;
  }

  /** The single interface of a pcap file, once its header was read. */
  private List<PcapngInterface> pcapInterface() {
    if (pcapInterfaces.isEmpty() && pcap.hasHeader()) {
      int fcs = pcap.isFcsLengthPresent() ? pcap.fcsLength() * 16 : -1; // 16-bit units to bits, as if_fcslen
      pcapInterfaces = List.of(new PcapngInterface(0, 0, pcap.linkType(), pcap.snapLength(),
          pcap.isNanosecond() ? 9 : 6, 0, null, null, fcs));
    }
    return pcapInterfaces;
  }

  private DecodeStatus frameReady() {
    haveFrame = true;
    frameCount++;
    return DecodeStatus.FRAME;
  }

  /** Handles one pcapng block; true if it is a frame. */
  private boolean pcapngBlock() {
    recordOffset = pcapng.blockOffset(); // also of a block that is not a frame: where a loss is reported
    if (mapped) {
      readPages(recordOffset + pcapng.blockTotalLength() - 1); // its trailer, the last byte read of it
    }
    if (pcapng.blockType() != PcapngBlockTypes.ENHANCED_PACKET) {
      return otherBlock(pcapng.blockType());
    }
    // the common case, kept small for inlining
    EnhancedPacketBlock b = pcapng.enhancedPacket();
    PcapngInterface itf = pcapng.packetInterface();
    timestampNanos = itf.toEpochNanos(b.timestamp());
    capturedLength = b.capturedLength();
    originalLength = -1; // read on demand from the block by originalLength(): most loops never ask
    packetFrame(itf, b.packetDataOffset());
    return true;
  }

  /** Records where the current pcapng packet's data is. */
  private void packetFrame(PcapngInterface itf, int dataOffset) {
    interfaceId = itf.id();
    linkType = itf.linkType();
    snapLength = itf.snapLength();
    long blockOffset = pcapng.blockOffset();
    recordOffset = blockOffset;
    frameBuf = in.buffer();
    frameIndex = dataOffset;
    frameOffset = blockOffset + (dataOffset - in.index());
    haveFrame = true;
    frameCount++;
  }

  /**
   * A block other than an EPB: SPB and PB are frames; section comments and secrets are kept, the rest is skipped.
   * True if it is a frame.
   */
  private boolean otherBlock(int type) {
    if (type == PcapngBlockTypes.SIMPLE_PACKET) {
      SimplePacketBlock b = pcapng.simplePacket();
      PcapngInterface itf = pcapng.packetInterface();
      timestampNanos = 0;
      capturedLength = b.capturedLength(itf.snapLength());
      originalLength = b.originalLength();
      packetFrame(itf, b.packetDataOffset());
      return true;
    } else if (type == PcapngBlockTypes.PACKET) {
      PacketBlock b = pcapng.packet();
      PcapngInterface itf = pcapng.packetInterface();
      timestampNanos = itf.toEpochNanos(b.timestamp());
      capturedLength = b.capturedLength();
      originalLength = b.originalLength();
      packetFrame(itf, b.packetDataOffset());
      return true;
    } else if (type == PcapngBlockTypes.SECTION_HEADER) {
      PcapngOptionCursor o = pcapng.sectionHeader().options();
      while (o.next()) {
        if (o.code() == PcapngOptionCodes.COMMENT) {
          sectionComments.add(o.valueAsString());
        }
      }
    } else if (type == PcapngBlockTypes.DECRYPTION_SECRETS) {
      DecryptionSecretsBlock b = pcapng.decryptionSecrets();
      // an endless pipe may carry DSBs forever: what is kept counts against the total buffering cap
      if (secretsBytes + b.secretsLength() > limits.maxBufferedBytesTotal()) {
        droppedSecrets++;
      } else {
        secretsBytes += b.secretsLength();
        secrets.add(new DecryptionSecret(b.secretsType(), b.copySecretsData(), pcapng.blockOffset()));
      }
    }
    return false;
  }

  private void requireFrame() {
    if (!haveFrame) {
      throw new IllegalStateException("no current frame: next() did not return FRAME");
    }
  }

  /**
   * True when the input was cut because gzip data decompressed beyond {@link Limits#maxCaptureInflationRatio()} (the
   * {@link Malformation#LIMIT_EXCEEDED} of {@link #report()} is then that cap, not
   * {@link Limits#maxCaptureBlockLength()}).
   */
  public boolean isInflationLimitExceeded() {
    return inflationCut >= 0 && terminal;
  }

  /** The detected format, or {@code null} before the first bytes were read. */
  public CaptureFormat format() {
    return format;
  }

  /** Interface id of the current frame within its pcapng section (0 for pcap and SPB). */
  public int interfaceId() {
    requireFrame();
    return interfaceId;
  }

  /** Link type (LINKTYPE_* number) of the current frame's interface. */
  @Override
  public int linkType() {
    requireFrame();
    return linkType;
  }

  /** Timestamp of the current frame in nanoseconds since the epoch; 0 for a Simple Packet Block (none stored). */
  public long timestampNanos() {
    requireFrame();
    return timestampNanos;
  }

  /** Captured length of the current frame: the number of bytes in {@link #frame()}. */
  @Override
  public int capturedLength() {
    requireFrame();
    return capturedLength;
  }

  /**
   * True if the current frame holds more bytes than its interface's snaplen (pcap header snaplen, IDB snaplen
   * unless 0): not an error, the frame is read whole, but the writer broke its own promise.
   */
  public boolean exceedsSnapLength() {
    requireFrame();
    return snapLength > 0 && capturedLength > snapLength;
  }

  /** Original length of the current frame on the wire. */
  public long originalLength() {
    requireFrame();
    return originalLength >= 0 ? originalLength : pcapng.enhancedPacket().originalLength();
  }

  /**
   * The current frame's bytes, a non-retained slice valid until the next call. Allocates the slice object (about
   * 40 bytes) on every call: hot loops dissect the reader in place instead, {@code dissector.dissect(reader)}.
   */
  public ByteBuf frame() {
    requireFrame();
    return frameBuf.slice(frameIndex, capturedLength);
  }

  /**
   * The current frame's bytes as a retained slice, without a copy: valid after the next call too, the caller
   * releases it. The reader does not reuse a read buffer that a retained frame still references.
   */
  public ByteBuf retainedFrame() {
    requireFrame();
    return frameBuf.retainedSlice(frameIndex, capturedLength);
  }

  /**
   * The read buffer holding the current frame, borrowed and valid until the next call: with
   * {@link #frameIndex()} and {@link #capturedLength()} it lets a caller dissect the frame without the slice
   * object {@link #frame()} allocates, as {@code PacketDissector.dissect(CapturedFrame)} does with this reader.
   * Do not move its indices.
   */
  @Override
  public ByteBuf frameBuffer() {
    requireFrame();
    return frameBuf;
  }

  /** Index of the current frame's first byte in {@link #frameBuffer()}. */
  @Override
  public int frameIndex() {
    requireFrame();
    return frameIndex;
  }

  /** Input offset of the current frame's first byte. */
  public long frameOffset() {
    requireFrame();
    return frameOffset;
  }

  /** Input offset of the pcap record header or pcapng block holding the current frame. */
  public long recordOffset() {
    requireFrame();
    return recordOffset;
  }

  /** Number of frames returned so far (the current frame's 1-based number). */
  public long frameCount() {
    return frameCount;
  }

  /**
   * The interfaces known so far: for pcapng those of the current section, by id; for pcap the single interface of
   * the file header (id 0, tsresol 6 or 9) once the header was read. Unmodifiable.
   */
  public List<PcapngInterface> interfaces() {
    if (pcapng != null) {
      return pcapng.interfaces();
    }
    return pcap != null ? pcapInterface() : pcapInterfaces;
  }

  /**
   * Secrets of every Decryption Secrets Block read so far, in file order (unmodifiable, grows as blocks arrive).
   * Their data counts against {@link Limits#maxBufferedBytesTotal()}; blocks beyond it are counted by
   * {@link #droppedDecryptionSecrets()} and not kept.
   */
  public List<DecryptionSecret> decryptionSecrets() {
    return secretsView;
  }

  /** Number of Decryption Secrets Blocks not kept because of {@link Limits#maxBufferedBytesTotal()}. */
  public long droppedDecryptionSecrets() {
    return droppedSecrets;
  }

  /**
   * The opt_comment strings of every pcapng Section Header Block read so far, in file order (unmodifiable, grows
   * as sections arrive; some tools store a TLS key log there).
   */
  public List<String> sectionComments() {
    return sectionCommentsView;
  }

  /** The pcapng block reader (the current frame's block and options), or {@code null} for pcap input. */
  public PcapngReader pcapngReader() {
    return pcapng;
  }

  /** The pcap record reader (header fields), or {@code null} for pcapng input. */
  public PcapReader pcapReader() {
    return pcap;
  }

  /** Why {@link #next()} returned MALFORMED. */
  public MalformationReport report() {
    return report;
  }

  /** Capacity of the input buffer held now (for tests of what input costs in memory). */
  int bufferCapacity() {
    return in.capacity();
  }

  /** Releases buffers and closes the source. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    haveFrame = false;
    in.release();
    if (source != null) {
      try {
        source.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * A stream whose {@code available()} waits for one byte when its source promises none. GZIPInputStream looks for a
   * further gzip member (concatenated files, {@code cat a.gz b.gz}) only when {@code available() > 0} or enough
   * bytes are left in its own buffer, so on a pipe it would end the input silently after the first member. Waiting
   * here happens only when the reader wants more bytes anyway.
   */
  private static final class Peeking extends PushbackInputStream {
    Peeking(InputStream in) {
      super(in, 1);
    }

    @Override
    public int available() throws IOException {
      int n = super.available();
      if (n > 0) {
        return n;
      }
      int b = read();
      if (b < 0) {
        return 0;
      }
      unread(b);
      return 1;
    }
  }

  /** Where bytes come from in pull mode. */
  private interface Source extends AutoCloseable {
    /** Reads up to {@code max} bytes into the accumulator; -1 at end of input. Blocks until some arrive. */
    int read(ByteAccumulator acc, int max) throws IOException;

    @Override
    void close() throws IOException;
  }

  private static final class ChannelSource implements Source {
    private final FileChannel ch;

    ChannelSource(FileChannel ch) {
      this.ch = ch;
    }

    @Override
    public int read(ByteAccumulator acc, int max) throws IOException {
      ByteBuf b = acc.writable(max);
      return b.writeBytes(ch, max);
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }

  /** A file mapped into memory window by window (see {@link MappedSource}): no read copy. */
  private static final class MappedFileSource implements Source {
    final MappedSource mapped;

    MappedFileSource(MappedSource mapped) {
      this.mapped = mapped;
    }

    @Override
    public int read(ByteAccumulator acc, int max) throws IOException {
      return mapped.read(acc, max);
    }

    @Override
    public void close() throws IOException {
      mapped.close();
    }
  }

  /** Counts the compressed bytes a {@link GZIPInputStream} reads. */
  private static final class CountingInputStream extends java.io.FilterInputStream {
    long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long k = super.skip(n);
      count += Math.max(0, k);
      return k;
    }
  }

  /** Decompressed bytes of a gzip stream, checked against {@link Limits#maxCaptureInflationRatio()}. */
  private static final class GzipSource implements Source {
    private final InputStream stream;
    private final CountingInputStream compressed;
    private final int maxRatio;
    long decompressed;

    GzipSource(InputStream stream, CountingInputStream compressed, int maxRatio) {
      this.stream = stream;
      this.compressed = compressed;
      this.maxRatio = maxRatio;
    }

    @Override
    public int read(ByteAccumulator acc, int max) throws IOException {
      ByteBuf b = acc.writable(max);
      int n = b.writeBytes(stream, max);
      if (n > 0) {
        decompressed += n;
      }
      return n;
    }

    boolean isBomb() {
      return decompressed > (double) maxRatio * compressed.count + Limits.CAPTURE_INFLATION_ALLOWANCE;
    }

    @Override
    public void close() throws IOException {
      stream.close();
    }
  }

  private static final class StreamSource implements Source {
    private final InputStream stream;

    StreamSource(InputStream stream) {
      this.stream = stream;
    }

    @Override
    public int read(ByteAccumulator acc, int max) throws IOException {
      ByteBuf b = acc.writable(max);
      return b.writeBytes(stream, max);
    }

    @Override
    public void close() throws IOException {
      stream.close();
    }
  }
}
