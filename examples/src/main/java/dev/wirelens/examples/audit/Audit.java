package dev.wirelens.examples.audit;

import dev.wirelens.Limits;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.tls.TlsKeySource;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The audit, end to end: reads a capture through {@code CaptureReader} → {@code PacketDissector} →
 * {@code TcpReassembler} → per connection, protocol detection by content → TLS ({@code TlsConnectionDissector},
 * decrypting with the {@linkplain Builder#keys keys} and the capture's own Decryption Secrets Blocks) whose
 * decrypted data, or the plaintext stream, goes to {@code WebSocketConnectionDissector} (HTTP/1.1 Upgrade, frames,
 * messages) — and judges each connection under an {@link AuditPolicy}. Design.md's "The wirelens command line" lists
 * the facts; {@link ConnectionReport} holds them as Java values and {@code wirelens audit --json} prints them.
 *
 * <p>Two forms: streaming, {@code run(source, consumer)}, delivers each connection's report when it closes, in id
 * order, and returns the {@link AuditSummary}; memory does not grow with the capture's length. Collect-all,
 * {@code run(source)}, returns every report in id order (a problem that ended the input early is then only visible
 * through the streaming form's summary; the connections read until then are returned).
 *
 * <p>Sources: a capture file ({@code Path}, pcap or pcapng, optionally gzipped), a live stream ({@code InputStream},
 * e.g. {@code tcpdump -U -w -}; packets are processed as they arrive, and closed connections are delivered after a
 * second without packets), or the bytes of a capture a test wrote ({@code ByteBuf}, e.g. with {@code PcapngWriter};
 * one reference is taken over). For packets from elsewhere, {@link #session(Consumer)} takes them one at a time.
 * A file's Decryption Secrets Blocks are read in a first pass; on a pcapng stream, a block that comes after the
 * handshake it unlocks still decrypts the connection, dissected again from its first byte, if the connection is
 * still open and had carried no more than 16 KiB, both directions, when the block came (less when
 * {@link Limits#maxBufferedBytesPerFlow()} is lower).
 *
 * <p>Lifetime: reports hold no buffers; a {@code ByteBuf} source is released by the run. Allocation: per packet, only
 * what the dissectors document (decryption output, records spanning segments); per connection, its dissectors and
 * its report.
 *
 * <p>Thread safety: an {@code Audit} is immutable and may run several captures, also concurrently (each run has its
 * own state); a run's consumer is called from one thread at a time.
 *
 * <pre>{@code
 * Audit audit = Audit.builder()
 *     .keys(KeyLog.read(Path.of("agent.keys"), Limits.defaults()))
 *     .policy(AuditPolicy.builder().watchedPorts(8084).build())
 *     .build();
 * AuditSummary s = audit.run(Path.of("agent.pcapng"), r -> System.out.println(r.id() + " " + r.verdict()));
 * System.out.println(s.encrypted() && s.stable() ? "healthy" : String.join("\n", s.reasons()));
 * }</pre>
 */
public final class Audit {
  /** Default of {@link Builder#maxWaiting(int)}. */
  public static final int DEFAULT_MAX_WAITING = 10_000;
  /** System property: {@code false} turns the read-ahead thread off for capture files. */
  public static final String READ_AHEAD_PROPERTY = "wirelens.audit.readAhead";
  /** System property: {@code false} reads capture files with {@code read} calls instead of mapped memory. */
  public static final String MAPPED_PROPERTY = "wirelens.audit.mapped";

  private final TlsKeySource keys;
  private final Limits limits;
  private final AuditPolicy policy;
  private final int maxWaiting;
  private final LongConsumer onLate;
  private final LongConsumer progress;
  private final ByteBufAllocator allocator;

  private Audit(Builder b) {
    keys = b.keys;
    limits = b.limits;
    policy = b.policy;
    maxWaiting = b.maxWaiting;
    onLate = b.onLate;
    progress = b.progress;
    allocator = b.allocator;
  }

  /** A builder with no keys, default limits and the default policy. */
  public static Builder builder() {
    return new Builder();
  }

  /** Where TLS secrets are looked up (besides the capture's Decryption Secrets Blocks). */
  public TlsKeySource keys() {
    return keys;
  }

  /** The caps of every layer. */
  public Limits limits() {
    return limits;
  }

  /** The rules of the verdicts. */
  public AuditPolicy policy() {
    return policy;
  }

  int maxWaiting() {
    return maxWaiting;
  }

  LongConsumer onLate() {
    return onLate;
  }

  LongConsumer progress() {
    return progress;
  }

  /** A new run that delivers reports to {@code consumer}; feed it, then {@link AuditSession#finish()}. */
  public AuditSession session(Consumer<ConnectionReport> consumer) {
    return new AuditSession(this, Objects.requireNonNull(consumer, "consumer"));
  }

  /**
   * Audits a capture file, delivering each report as its connection closes. A regular file is read a batch of frames
   * ahead on a second thread ({@link AuditSession#readAhead}; system property {@value #READ_AHEAD_PROPERTY}{@code
   * =false} turns it off), through mapped memory ({@code CaptureReader.openMapped}; {@value #MAPPED_PROPERTY}{@code
   * =false}: {@code read} calls); a named pipe is read in line.
   *
   * @throws UncheckedIOException when the file cannot be opened
   */
  public AuditSummary run(Path capture, Consumer<ConnectionReport> consumer) {
    CaptureReader r = openFile(capture, limits, allocator());
    AuditSession s = session(consumer);
    s.useSecretsOf(capture);
    if (readsAhead(capture)) {
      s.readAhead(r);
    } else {
      s.read(r);
    }
    return s.finish();
  }

  /**
   * Whether the audit of {@code file} reads it a batch ahead on a second thread: a regular file, unless
   * {@value #READ_AHEAD_PROPERTY} is {@code false} (a named pipe never: an interrupt must not wait for its input).
   * With a free second core the dissecting thread's time drops by a third; on a machine whose cores are all busy the
   * second thread only adds the handover (see benchmarks/README.md, "End to end").
   */
  public static boolean readsAhead(Path file) {
    return !"false".equalsIgnoreCase(System.getProperty(READ_AHEAD_PROPERTY)) && Files.isRegularFile(file);
  }

  /**
   * Opens {@code file} as the audit reads it: {@code CaptureReader.openMapped} (mapped memory when it is a regular
   * file), or {@code CaptureReader.open} when {@value #MAPPED_PROPERTY} is {@code false}; a named pipe or
   * {@code /dev/fd/N} is read as a stream either way. A mapped file truncated while it is read ends the run
   * ({@link AuditSession#read}, {@link AuditSession#readAhead}) with the problem "the capture file shrank while it was
   * read (at byte N)", after the reports of what was read (see {@code CaptureReader.openMapped}).
   */
  public static CaptureReader openFile(Path file, Limits limits) {
    return openFile(file, limits, ByteBufAllocator.DEFAULT);
  }

  /**
   * {@link #openFile(Path, Limits)} whose reader's own buffers come from {@code alloc} (see
   * {@link Builder#allocator}).
   */
  public static CaptureReader openFile(Path file, Limits limits, ByteBufAllocator alloc) {
    return "false".equalsIgnoreCase(System.getProperty(MAPPED_PROPERTY))
        ? CaptureReader.open(file, limits, alloc) : CaptureReader.openMapped(file, limits, alloc);
  }

  /** The allocator of the audit's own buffers (see {@link Builder#allocator}). */
  public ByteBufAllocator allocator() {
    return allocator == null ? ByteBufAllocator.DEFAULT : allocator;
  }

  /** Audits a live capture stream (read until its end), delivering each report as its connection closes. */
  public AuditSummary run(InputStream live, Consumer<ConnectionReport> consumer) {
    AuditSession s = session(consumer);
    CaptureReader r;
    try {
      r = CaptureReader.open(live, limits, allocator());
    } catch (UncheckedIOException e) {
      s.finish();
      return summaryWithProblem(s, CaptureProblems.describe(e));
    }
    s.startQuietFlush();
    s.read(r);
    return s.finish();
  }

  /** Audits the capture held in {@code captured} (one reference is taken over). */
  public AuditSummary run(ByteBuf captured, Consumer<ConnectionReport> consumer) {
    AuditSession s = session(consumer);
    s.read(CaptureReader.of(captured, limits));
    return s.finish();
  }

  /** Every report of a capture file, in id order. @throws UncheckedIOException when it cannot be opened */
  public List<ConnectionReport> run(Path capture) {
    List<ConnectionReport> all = new ArrayList<>();
    run(capture, all::add);
    return sorted(all);
  }

  /** Every report of a live capture stream (read until its end), in id order. */
  public List<ConnectionReport> run(InputStream live) {
    List<ConnectionReport> all = new ArrayList<>();
    run(live, all::add);
    return sorted(all);
  }

  /** Every report of the capture held in {@code captured} (one reference is taken over), in id order. */
  public List<ConnectionReport> run(ByteBuf captured) {
    List<ConnectionReport> all = new ArrayList<>();
    run(captured, all::add);
    return sorted(all);
  }

  private static AuditSummary summaryWithProblem(AuditSession s, String problem) {
    AuditSummary a = s.summary();
    return new AuditSummary(a.connections(), a.notEncrypted(), a.unstable(), a.reasons(), a.droppedReasons(),
        a.frames(), problem, a.limits(), a.fragmentConflicts());
  }

  private static List<ConnectionReport> sorted(List<ConnectionReport> all) {
    all.sort(Comparator.comparingLong(ConnectionReport::id));
    return all;
  }

  /** Builds an {@link Audit}. Not thread safe. */
  public static final class Builder {
    private TlsKeySource keys = TlsKeySource.NONE;
    private Limits limits = Limits.defaults();
    private AuditPolicy policy = AuditPolicy.defaults();
    private int maxWaiting = DEFAULT_MAX_WAITING;
    private LongConsumer onLate = id -> { };
    private LongConsumer progress;
    /** Null: {@link ByteBufAllocator#DEFAULT}, read only when used (reading it starts Netty's pooled allocator). */
    private ByteBufAllocator allocator;

    private Builder() {}

    /**
     * Where the audit's own buffers come from: the capture reader's (when {@link Audit#run(Path, Consumer)} or
     * {@link Audit#run(InputStream, Consumer)} opens it, {@link Audit#openFile(Path, Limits, ByteBufAllocator)} for a
     * reader opened by the caller; a mapped file needs none), the WebSocket dissectors' (the bytes of frames cut across
     * TCP segments, held and joined) and, for a capture read as a stream, through the frames' {@code alloc()}, the TCP
     * reassembler's copies. Default {@link ByteBufAllocator#DEFAULT} (Netty's pooled allocator, unless
     * {@code io.netty.allocator.type} says otherwise). The {@code wirelens} CLI passes an unpooled heap allocator,
     * measured no slower on large and WebSocket captures (benchmarks/README.md, "Session 6: the allocator"). TLS
     * dissection always uses its own unpooled heap buffers.
     */
    public Builder allocator(ByteBufAllocator allocator) {
      this.allocator = Objects.requireNonNull(allocator, "allocator");
      return this;
    }

    /** TLS secrets, e.g. a {@code KeyLog}; default none (the capture's Decryption Secrets Blocks are always used). */
    public Builder keys(TlsKeySource keys) {
      this.keys = keys == null ? TlsKeySource.NONE : keys;
      return this;
    }

    /** The caps of every layer; default {@link Limits#defaults()}. */
    public Builder limits(Limits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** The verdict rules; default {@link AuditPolicy#defaults()}. */
    public Builder policy(AuditPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * At most {@code max} finished connections wait for a lower id that is still open (default
     * {@value #DEFAULT_MAX_WAITING}); beyond it the lowest open id is given up on ({@link #onLate} is told) and its
     * report comes later, out of id order.
     */
    public Builder maxWaiting(int max) {
      if (max < 0) {
        throw new IllegalArgumentException("maxWaiting must not be negative: " + max);
      }
      this.maxWaiting = max;
      return this;
    }

    /** Told the id of each connection given up on by {@link #maxWaiting(int)}; default does nothing. */
    public Builder onLate(LongConsumer onLate) {
      this.onLate = Objects.requireNonNull(onLate, "onLate");
      return this;
    }

    /** Told the input offset reached, every few thousand packets; default none. */
    public Builder progress(LongConsumer progress) {
      this.progress = progress;
      return this;
    }

    /** The audit. */
    public Audit build() {
      return new Audit(this);
    }
  }
}
