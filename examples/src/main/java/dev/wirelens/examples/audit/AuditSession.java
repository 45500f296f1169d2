package dev.wirelens.examples.audit;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Layer;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.ip.FragmentEvent;
import dev.wirelens.ip.IpDefragmenter;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.pcapng.DecryptionSecret;
import dev.wirelens.tcp.TcpConnection;
import dev.wirelens.tcp.TcpReassembler;
import dev.wirelens.tcp.TcpStreamListener;
import dev.wirelens.tls.TlsSession;
import dev.wirelens.websocket.WebSocketSession;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One run of an {@link Audit}: packets in, one {@link ConnectionReport} per TCP connection out, delivered to the
 * consumer as connections close, in id order (order of first packet). {@link Audit#run} uses one; use it directly to
 * feed packets from your own source ({@link #onPacket}), to read several captures as one, or to stop a live run
 * from another thread ({@link #interrupt()}, e.g. a shutdown hook).
 *
 * <p>Call grammar: {@code (read | onPacket)* finish}; {@link #interrupt()} from any thread at any time.
 *
 * <p>Delivery: a connection's report is delivered one second of capture time after it closed (FIN, RST, idle
 * timeout, eviction, port reuse), so that, as in tshark, its counts include the stray packets after the close; at
 * the latest at {@link #finish()}, which closes the connections still open. Reports wait for every lower id (at
 * most {@link Audit.Builder#maxWaiting(int)} of them; beyond that the lowest open id is given up and delivered out
 * of order later). With {@link #startQuietFlush()} (a live input), closed connections are also delivered when no
 * packet came for a second of wall-clock time.
 *
 * <p>Memory: the reassembler's (bounded by {@link Limits}), one dissector per open connection, reports waiting for
 * a lower id, and the reconnect-storm window; nothing grows with the capture's length.
 *
 * <p>Thread safety: the methods take an internal lock, so the consumer is never called concurrently; it is called
 * from the thread that feeds packets, from the quiet-flush thread, or from the thread that interrupts.
 */
public final class AuditSession implements AutoCloseable {
  /** The {@link AuditSummary#problem()} of a run ended by {@link #interrupt()}. */
  public static final String INTERRUPTED = "interrupted before the end of the input";
  /** How long {@link #interrupt()} waits for the packet being processed. */
  static final long INTERRUPT_WAIT_SECONDS = 5;
  /** Frames between progress callbacks. */
  static final int PROGRESS_EVERY = 4096;

  private final ReentrantLock lock = new ReentrantLock();
  private final Audit audit;
  private final Consumer<ConnectionReport> sink;
  private final CaptureKeys keys;
  private final TcpReassembler tcp;
  private final Settling settling;
  private final AuditOrder<ConnectionReport> order;
  private final ReconnectTracker storms;
  private final Map<Long, ConnectionDissector> dissectors = new HashMap<>();
  private final Map<Long, String> stormReasons = new HashMap<>();
  private final PacketDissector packet;
  private final Map<String, Long> limitsHit = new LinkedHashMap<>();
  // summary so far
  private long connections;
  private long notEncrypted;
  private long unstable;
  private final List<String> reasons = new ArrayList<>();
  private long droppedReasons;
  private long frames;
  private String problem;
  private boolean ended;
  private AuditSummary summary;
  private long lastPacketWallNanos = System.nanoTime();
  private Thread quietFlush;
  /** The capture reader read last: explains a fault met after it ended (a mapped file that shrank), see end(). */
  private volatile CaptureReader reader;
  /** A mapped file's fault was explained: connections it kept from being closed or reported are reported at the end. */
  private volatile boolean faulted;
  /** The record offset of the frame being dissected (the last one read), for a fault met while dissecting it. */
  private long dissecting;

  AuditSession(Audit audit, Consumer<ConnectionReport> sink) {
    this.audit = audit;
    this.sink = sink;
    Limits limits = audit.limits();
    keys = new CaptureKeys(audit.keys(), limits);
    storms = new ReconnectTracker(audit.policy());
    order = new AuditOrder<>(audit.maxWaiting(), this::deliver, audit.onLate());
    settling = new Settling(audit.maxWaiting(), this::settled);
    tcp = new TcpReassembler(limits, this::listenerFor).defragment();
    packet = new PacketDissector(limits);
  }

  private TcpStreamListener listenerFor(TcpConnection c) {
    ConnectionDissector d = new ConnectionDissector(c, audit.limits(), audit.allocator(), keys, lifecycle);
    dissectors.put(c.id(), d);
    return d;
  }

  /** Reconnect storms are counted as connections open; closed ones wait in {@link Settling} for their report. */
  private final ConnectionDissector.Lifecycle lifecycle = new ConnectionDissector.Lifecycle() {
    @Override
    public void opened(TcpConnection connection) {
      String storm = storms.opened(connection.clientAddressAsString(),
          new Endpoint(connection.serverAddressAsString(), connection.serverPort()),
          connection.firstTimestampNanos());
      if (storm != null) {
        stormReasons.put(connection.id(), storm);
      }
    }

    @Override
    public void closed(TcpConnection connection) {
      settling.closed(connection);
    }
  };

  private void settled(TcpConnection c) {
    // a fault pending from bytes read before (a mapped file that shrank) is raised before the connection leaves the
    // dissectors: raised later, on the way to the consumer, it would lose this report
    raisePendingFault();
    ConnectionDissector d = dissectors.remove(c.id());
    ConnectionReport r;
    if (d == null) {
      r = new ConnectionReport(c, null, null, false, LimitsHit.of(c, null, null));
    } else {
      TlsSession tls = d.tlsSession(); // first: it may find the connection was not TLS after all
      WebSocketSession ws = d.webSocketSession();
      r = new ConnectionReport(c, tls, ws, d.plaintext(),
          LimitsHit.of(c, tls, ws, d.flowBufferLimitGaps, d.totalBufferLimitGaps, d.lateKeysLost));
    }
    r.verdict(VerdictRules.judge(r, stormReasons.remove(c.id()), audit.policy()));
    order.finished(c.id(), r);
  }

  private void deliver(ConnectionReport r) {
    connections++;
    r.limits().forEach(this::hit);
    if (!r.verdict().encrypted()) {
      notEncrypted++;
    }
    if (!r.verdict().stable()) {
      unstable++;
    }
    for (String reason : r.verdict().reasons()) {
      if (reasons.size() < AuditSummary.MAX_REASONS) {
        reasons.add(reason);
      } else {
        droppedReasons++;
      }
    }
    sink.accept(r);
  }

  /**
   * One packet, dissected by {@code dissector} (borrowed for the call), captured at {@code timestampNanos}.
   *
   * @throws IllegalStateException after {@link #finish()} or {@link #interrupt()}
   */
  public void onPacket(PacketDissector dissector, long timestampNanos) {
    lock.lock();
    try {
      if (ended) {
        throw new IllegalStateException("the audit session has ended");
      }
      packet(dissector, timestampNanos);
    } finally {
      lock.unlock();
    }
  }

  private void packet(PacketDissector dissector, long timestampNanos) {
    frames++;
    MalformationReport m = dissector.report();
    if (m.malformation() == Malformation.LIMIT_EXCEEDED) {
      if (m.layer() == Layer.IPV6_EXTENSION) {
        hit(LimitsHit.MAX_IPV6_EXTENSION_HEADERS, 1);
      } else if (m.layer() == Layer.VLAN) {
        hit(LimitsHit.MAX_VLAN_TAGS, 1);
      }
    }
    tcp.onPacket(dissector, timestampNanos);
    settling.now(timestampNanos);
    if (quietFlush != null) { // only a live input's quiet flush asks: a clock read per packet is not free
      lastPacketWallNanos = System.nanoTime();
    }
  }

  /**
   * Takes the TLS key logs of every Decryption Secrets Block in the capture file {@code capture}, so that a block
   * written after the packets it decrypts works too (a pass that dissects nothing, made when a connection first asks
   * for keys that the given key source does not have, so that a capture whose handshakes never ask is read once;
   * {@link Audit#run(Path, Consumer)} does it). Blocks met while reading are used without it. Not for a named pipe or
   * {@code /dev/fd/N} (ignored: it can be read once; its blocks are taken as they are read, as a stream's).
   */
  public void useSecretsOf(Path capture) {
    lock.lock();
    try {
      keys.prescan(capture);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Reads every frame of {@code r} (its Decryption Secrets Blocks become keys as they appear) and closes it.
   * Returns the problem that ended the input early (see {@link AuditSummary#problem()}), or null at its end; the
   * problem is also the summary's. Waiting for input does not hold the lock, so {@link #interrupt()} can end a run
   * blocked on a quiet pipe. A file read through mapped memory ({@code CaptureReader.openMapped}) that is truncated
   * meanwhile ends the input with the problem "the capture file shrank while it was read (at byte N)": the JVM's fault
   * for a vanished mapped byte ({@link InternalError}), met by the reader or while dissecting a frame, is turned into
   * it when the file is now shorter than what was mapped of it, and rethrown otherwise.
   */
  public String read(CaptureReader r) {
    reader = r;
    keys.reading(r, r.decryptionSecrets());
    String p = readAll(r);
    r.close();
    return ended(p);
  }

  /**
   * Like {@link #read(CaptureReader)}, with the capture reader on a thread of its own a few batches of frames ahead
   * (up to 1,024 frames and the read buffers they lie in), so that reading the input (the read system call's copy,
   * the record walk) runs beside the dissection on a second core: for a capture file. The reports, their order, the
   * summary and the problem are the same as {@link #read(CaptureReader)}'s (frames are dissected in capture order on
   * the calling thread, and Decryption Secrets Blocks become keys before the same frame). Do not use it for a pipe
   * that may wait for input: {@link #interrupt()} then waits for the reading thread, which waits for the pipe.
   * The lock is taken once per batch of frames, not per frame. Closes {@code r}, also when the consumer throws.
   */
  public String readAhead(CaptureReader r) {
    reader = r;
    List<DecryptionSecret> secrets = new ArrayList<>();
    keys.reading(null, secrets); // a file: its blocks were prescanned, no connection waits for late keys
    String p;
    try (ReadAhead ahead = new ReadAhead(r).start()) {
      p = readAllAhead(r, ahead, secrets);
    } finally {
      r.close(); // after the reading thread stopped (ReadAhead.close)
    }
    return ended(p);
  }

  private String ended(String p) {
    if (p != null) {
      lock.lock();
      try {
        if (problem == null) {
          problem = p;
        }
      } finally {
        lock.unlock();
      }
    }
    return p;
  }

  private String readAllAhead(CaptureReader r, ReadAhead ahead, List<DecryptionSecret> secrets) {
    return guarded(r, () -> dissectAhead(r, ahead, secrets));
  }

  /**
   * Runs {@code dissect} (a reading loop over {@code r}) and returns its problem line, or the line for the capture's
   * I/O error or mapped-memory fault when it ends in one; a fault still pending when it returns is raised here.
   */
  private String guarded(CaptureReader r, Supplier<String> dissect) {
    try {
      try {
        return dissect.get();
      } finally {
        raisePendingFault();
      }
    } catch (UncheckedIOException e) {
      return CaptureProblems.describe(e);
    } catch (InternalError e) {
      return truncationFault(r, e, dissecting);
    }
  }

  private String dissectAhead(CaptureReader r, ReadAhead ahead, List<DecryptionSecret> secrets) {
    long count = 0;
    while (true) {
      ReadAhead.Batch b = ahead.take(); // may wait for the reading thread: not under the lock
      lock.lock();
      try {
        if (ended) {
          return INTERRUPTED;
        }
        if (b.secrets != null) {
          secrets.addAll(b.secrets);
        }
        for (int i = 0; i < b.size; i++) {
          if (b.beyondSnapLength[i]) {
            hit("snapLength", 1);
          }
          int linkType = b.linkTypes[i];
          if (!CaptureProblems.isSupported(linkType)) {
            return CaptureProblems.unsupportedLinkType(linkType, count + 1);
          }
          count++;
          dissecting = b.recordOffsets[i];
          packet.dissect(b.buffers[i], b.indices[i], b.lengths[i], linkType); // not through CapturedFrame's 4 calls
          packet(packet, b.timestamps[i]);
          if (count % PROGRESS_EVERY == 0 && audit.progress() != null) {
            audit.progress().accept(b.recordOffsets[i]);
          }
        }
        if (b.last) {
          if (b.error != null) {
            throw b.error; // the reader's own exception, as read() would meet it
          }
          return endOfFrames(r, b.end, count); // the reading thread has let go of r
        }
      } finally {
        try {
          raisePendingFault(); // here, not in unlock or the next take, where the batch would be lost unreleased
        } finally {
          lock.unlock();
          ahead.done(b);
        }
      }
    }
  }

  /**
   * A fault met while dissecting bytes of {@code r} ({@link InternalError}: a mapped byte that vanished, raised where
   * it was read or, from compiled code, a little later on the same thread): the problem "the capture file shrank"
   * when {@code r}'s mapped file did (the frames dissected before stay as dissected), else the error is rethrown.
   */
  private String truncationFault(CaptureReader r, InternalError e, long offset) {
    UncheckedIOException shrank = r.truncationFault(e, offset);
    if (shrank == null) {
      throw e;
    }
    faulted = true; // the fault may have come before a connection closed or was reported: see end()
    return CaptureProblems.describe(shrank);
  }

  /**
   * Raises here a fault of compiled code still pending on this thread ({@link CaptureReader#raisePendingFaults()}): the
   * JVM raises a fault of compiled code (a vanished mapped byte) not at the read but at the thread's next entry into
   * its runtime, which may be far later, outside the code that can explain it (measured: past the end of the
   * enclosing try). Called before leaving each part that reads mapped bytes, and after each batch of frames.
   */
  static void raisePendingFault() {
    CaptureReader.raisePendingFaults();
  }

  /** After the frames: null at the end of the input, else the problem {@code status} stands for. */
  private String endOfFrames(CaptureReader r, DecodeStatus status, long count) {
    if (status == DecodeStatus.END) {
      return null;
    }
    if (r.report().malformation() == Malformation.LIMIT_EXCEEDED) {
      boolean bomb = r.isInflationLimitExceeded();
      hit(bomb ? LimitsHit.MAX_CAPTURE_INFLATION : LimitsHit.MAX_CAPTURE_BLOCK, 1);
      return bomb
          ? CaptureProblems.inflationLimit(r.report(), audit.limits().maxCaptureInflationRatio(), count)
          : CaptureProblems.blockLimit(r.report(), audit.limits().maxCaptureBlockLength(), count);
    }
    return CaptureProblems.captureProblem(r.report(), count);
  }

  private String readAll(CaptureReader r) {
    return guarded(r, () -> dissectAll(r));
  }

  private String dissectAll(CaptureReader r) {
    long count = 0;
    while (true) {
      DecodeStatus status = r.next(); // may wait for a pipe: not under the lock
      lock.lock();
      try {
        if (ended) {
          return INTERRUPTED;
        }
        if (status == DecodeStatus.END && keys.newBlocks()) {
          keys.takeNewBlocks(); // secrets written after the last packet: the connections still open get them
        }
        if (status != DecodeStatus.FRAME) {
          return endOfFrames(r, status, count);
        }
        if (r.exceedsSnapLength()) {
          hit("snapLength", 1);
        }
        int linkType = r.linkType();
        if (!CaptureProblems.isSupported(linkType)) {
          return CaptureProblems.unsupportedLinkType(linkType, count + 1);
        }
        count++;
        if (keys.newBlocks()) { // a live pcapng's secrets block may unlock connections waiting for keys
          keys.takeNewBlocks();
        }
        dissecting = r.recordOffset();
        packet.dissect(r);
        packet(packet, r.timestampNanos());
        if (count % PROGRESS_EVERY == 0 && audit.progress() != null) {
          audit.progress().accept(r.recordOffset());
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * For a live input: a daemon thread that, when no packet came for a second of wall-clock time, delivers the
   * closed connections waiting to settle (capture time does not advance on a quiet pipe). {@link #finish()} stops it.
   */
  public void startQuietFlush() {
    Thread t = new Thread(() -> {
      try {
        while (true) {
          Thread.sleep(Settling.SETTLE_NANOS / 1_000_000L / 4);
          lock.lock();
          try {
            if (ended) {
              return;
            }
            if (System.nanoTime() - lastPacketWallNanos > Settling.SETTLE_NANOS) {
              try {
                settling.all();
              } catch (RuntimeException e) {
                // the consumer failed on this thread: keep it from dying with a stack trace on the terminal;
                // the reading thread meets the same consumer and reports its failure
                problem = "internal error: " + e;
                return;
              }
            }
          } finally {
            lock.unlock();
          }
        }
      } catch (InterruptedException e) {
        // finish() stops it
      }
    }, "wirelens-audit-quiet-flush");
    t.setDaemon(true);
    quietFlush = t;
    t.start();
  }

  /**
   * The input ended: closes every connection still open, delivers every remaining report, and returns the
   * summary. Idempotent (later calls return the same summary). Closing a connection reads the bytes its dissectors
   * held, which may lie in the mapped capture file read last: when that file shrank meanwhile, the summary's
   * {@link AuditSummary#problem()} is "the capture file shrank while it was read (at byte N)" (N its new size, the
   * first byte lost, unless an earlier problem came first) and the connections the fault left open are reported as
   * they stood; any other fault is rethrown.
   */
  public AuditSummary finish() {
    lock.lock();
    try {
      end(null);
    } finally {
      lock.unlock();
    }
    if (quietFlush != null) {
      quietFlush.interrupt();
    }
    return summary;
  }

  /**
   * From another thread (a shutdown hook): waits up to 5 seconds for the packet being processed, then ends the run
   * like {@link #finish()} with the problem {@link #INTERRUPTED}. Returns true when this call ended the run, false
   * when it had ended already or the lock could not be had.
   */
  public boolean interrupt() {
    try {
      if (!lock.tryLock(INTERRUPT_WAIT_SECONDS, TimeUnit.SECONDS)) {
        return false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    try {
      return end(INTERRUPTED);
    } finally {
      lock.unlock();
    }
  }

  /** The summary once the run ended, else null. */
  public AuditSummary summary() {
    lock.lock();
    try {
      return summary;
    } finally {
      lock.unlock();
    }
  }

  private void hit(String limit, long times) {
    limitsHit.merge(limit, times, Long::sum);
  }

  /** Per-connection state held now: dissectors, storm reasons, closed connections settling, reports waiting. */
  int heldConnections() {
    lock.lock();
    try {
      return dissectors.size() + stormReasons.size() + settling.size() + order.waiting();
    } finally {
      lock.unlock();
    }
  }

  /** Bytes held now by TLS connections waiting for keys a later secrets block may bring (see CaptureKeys). */
  long heldForKeys() {
    lock.lock();
    try {
      return keys.held();
    } finally {
      lock.unlock();
    }
  }

  /** Same as {@link #finish()}. */
  @Override
  public void close() {
    finish();
  }

  private boolean end(String why) {
    if (ended) {
      return false;
    }
    ended = true;
    if (why != null && problem == null) {
      problem = why;
    }
    try {
      closeAll();
    } catch (InternalError e) {
      String p = lateFault(e);
      if (problem == null) {
        problem = p;
      }
    } finally {
      try {
        if (faulted && !dissectors.isEmpty()) {
          reportUnclosed();
        }
      } finally {
        summarize();
      }
    }
    return true;
  }

  private void summarize() {
    long conflicts = 0;
    IpDefragmenter f = tcp.defragmenter();
    if (f != null) {
      long byCount = f.count(FragmentEvent.DATAGRAM_LIMIT);
      if (byCount > 0) {
        hit(LimitsHit.MAX_FRAGMENTED_DATAGRAMS, byCount);
      }
      long byBytes = f.count(FragmentEvent.TOTAL_BUFFER_LIMIT);
      if (byBytes > 0) {
        hit(LimitsHit.MAX_BUFFERED_TOTAL, byBytes);
      }
      conflicts = f.count(FragmentEvent.OVERLAP_CONFLICT);
    }
    summary = new AuditSummary(connections, notEncrypted, unstable, reasons, droppedReasons, frames, problem,
        limitsHit, conflicts);
  }

  /** Closes and reports every connection still open, and delivers every report. */
  private void closeAll() {
    try {
      try {
        tcp.close();
      } finally {
        settling.all();
      }
    } finally {
      raisePendingFault(); // the dissectors read what they held: a fault in it belongs to this step
    }
  }

  /**
   * A fault met while the connections closed at the end (they read the bytes they held, which may lie in a mapped
   * window of the capture file): the problem "the capture file shrank while it was read (at byte N)", N the first
   * byte lost, when the reader read last ({@link #read}, {@link #readAhead}) read a mapped file that did; else the
   * error is rethrown.
   */
  private String lateFault(InternalError e) {
    CaptureReader r = reader;
    UncheckedIOException shrank = r == null ? null : r.truncationFault(e);
    if (shrank == null) {
      throw e;
    }
    faulted = true;
    return CaptureProblems.describe(shrank);
  }

  /**
   * After a fault stopped the closing of the connections, or the reporting of one closed earlier: those not reported
   * yet let go of what they hold without reading it, and are reported as they stand (their last bytes not dissected),
   * in id order with the rest.
   */
  private void reportUnclosed() {
    List<ConnectionDissector> left = new ArrayList<>(dissectors.values());
    left.sort((a, b) -> Long.compare(a.connection().id(), b.connection().id()));
    for (ConnectionDissector d : left) {
      d.release();
    }
    for (ConnectionDissector d : left) {
      settled(d.connection());
    }
  }
}
