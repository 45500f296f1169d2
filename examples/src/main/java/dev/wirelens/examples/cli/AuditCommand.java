package dev.wirelens.examples.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.wirelens.Limits;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.StreamDissector;
import dev.wirelens.tcp.TcpConnection;
import dev.wirelens.tcp.TcpReassembler;
import dev.wirelens.tcp.TcpStreamListener;
import dev.wirelens.tls.TlsSession;
import dev.wirelens.tls.TlsTcpListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wirelens audit [--json] [--port N]... [--max-waiting N] CAPTURE|-}: one report per TCP connection, in
 * order of each connection's first packet (its id), as a table or, with {@code --json}, as JSON Lines with the
 * fields of design.md ("The wirelens command line"): {@code id}, {@code client}, {@code server}, {@code start},
 * {@code end}, {@code duration_ms}, {@code tcp}, {@code tls} (null for a connection that is not TLS; written by
 * {@link TlsReportJson}) and {@code websocket} (plaintext WebSocket, or WebSocket inside decrypted TLS: the Upgrade,
 * frames, messages, close, ping round trips, violations; see {@link WebSocketReportJson}). No {@code verdict} is
 * emitted yet.
 *
 * <p>{@code --keylog FILE} (NSS key log) and the decryption-secrets blocks of a pcapng input (read in a first pass
 * when the input is a file, as they come from a pipe) decrypt TLS: the {@code tls} object then has the TLS 1.3
 * certificates, encrypted alerts, {@code decrypted} and {@code decrypted_bytes}, and the decrypted application data
 * goes to the WebSocket dissector ({@link #innerDissector}).
 *
 * <p>A connection's line is printed once it closed (FIN, RST, idle timeout, eviction, port reuse, or the end of
 * the input) at least one second of capture time ago, or the input ended (so that, like tshark, its packet count
 * and end time include the stray packets after the close: the last ACK, an RST after the FINs), and every
 * connection with a lower id was printed. At most {@code --max-waiting} finished connections
 * (default {@value #DEFAULT_MAX_WAITING}) wait for a lower id that is still open; beyond that the lowest open id is
 * given up on, one line on standard error says so, the waiting lines are printed, and that connection's line comes
 * later, out of id order, when it closes. Each line is flushed when printed, so {@code -} (standard input, read as
 * packets arrive) gives a live report; there, when no packet came for a second of wall-clock time, the closed
 * connections are printed without waiting for capture time to advance.
 *
 * <p>TCP segments carried in IPv4 or IPv6 fragments are reassembled first ({@code TcpReassembler.defragment()}),
 * as tshark does by default; a segment counts once, at the time of the fragment that completed it.
 *
 * <p>{@code --port N} (repeatable) keeps only connections whose server port is one of the given ports (ids keep
 * counting all connections).
 *
 * <p>Exit codes: 0 when the whole input was audited; 2 for bad usage or an input that cannot be opened, read or
 * dissected, with one line on standard error naming the file and the problem. When the input breaks off (truncated
 * or malformed capture, read error, unsupported link type) the connections read so far are still closed and
 * printed, so the output is valid JSON Lines, then the error line is written and the exit code is 2. Stopping the
 * command (Ctrl-C on a live pipe, SIGTERM) does the same: a shutdown hook waits for the packet being processed (up
 * to 5 seconds), prints every connection still open, and says "interrupted before the end of the input".
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
        "Reports each TCP connection (endpoints, times, handshake, close, packets, bytes, gaps, retransmissions, "
            + "out-of-order segments, zero windows, duplicate ACKs) in order of first packet.",
        "TLS is found by content on any port and summarised (decrypted with --keylog or pcapng secrets blocks); "
            + "WebSocket (an HTTP Upgrade on any port, in the clear or inside decrypted TLS) under \"websocket\".",
        "No verdict is given yet."})
final class AuditCommand implements Callable<Integer> {
  /** Default of {@code --max-waiting}. */
  static final int DEFAULT_MAX_WAITING = 10_000;

  @Option(names = "--json", description = "One JSON object per connection (JSON Lines) instead of a table.")
  private boolean json;

  @Option(names = "--port", paramLabel = "N",
      description = "Only connections with this server port (repeatable).")
  private List<Integer> ports = new ArrayList<>();

  @Option(names = "--keylog", paramLabel = "FILE",
      description = "NSS key log (SSLKEYLOGFILE) to decrypt TLS; pcapng decryption-secrets blocks are used too.")
  private Path keylog;

  @Option(names = "--max-waiting", paramLabel = "N",
      description = "Finished connections held back for a lower, still open id (default ${DEFAULT-VALUE}); "
          + "beyond it lines come out of id order and standard error says so.")
  private int maxWaiting = DEFAULT_MAX_WAITING;

  @Parameters(paramLabel = "CAPTURE|-", description = "A pcap or pcapng file (optionally gzipped), or - for standard input.")
  private String capture;

  @Spec
  private CommandSpec spec;

  private final InputStream stdin;

  AuditCommand(InputStream stdin) {
    this.stdin = stdin;
  }

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    for (int port : ports) {
      if (port < 0 || port > 65535) {
        err.println("wirelens audit: --port must be 0 to 65535: " + port);
        return Wirelens.EXIT_USAGE_OR_INPUT;
      }
    }
    if (maxWaiting < 0) {
      err.println("wirelens audit: --max-waiting must not be negative");
      return Wirelens.EXIT_USAGE_OR_INPUT;
    }
    boolean live = "-".equals(capture);
    String name = live ? "<stdin>" : capture;
    if (!live) {
      String problem = CaptureInputs.fileProblem(Path.of(capture));
      if (problem != null) {
        return fail(err, name, problem);
      }
    }
    CaptureReader reader;
    try {
      reader = live ? CaptureReader.open(stdin, Limits.defaults()) : CaptureReader.open(Path.of(capture));
    } catch (UncheckedIOException e) {
      return fail(err, name, CaptureInputs.describe(e));
    } catch (RuntimeException e) {
      return fail(err, name, "cannot open: " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    Output output = json ? new JsonOutput(out) : new TableOutput(out);
    AuditOrder order = new AuditOrder(maxWaiting, output::print, id -> {
      err.println("wirelens audit: more than " + maxWaiting + " finished connections wait for connection " + id
          + ", still open; it will be printed out of id order when it closes");
      err.flush();
    });
    TlsKeys keys = new TlsKeys();
    String keyProblem = tlsKeys(keys, live);
    if (keyProblem != null) {
      reader.close();
      return fail(err, keylog.toString(), keyProblem);
    }
    WebSocketAudit webSockets = new WebSocketAudit();
    TlsTcpListener tls = tlsListener(keys, webSockets);
    Settling settling = new Settling(maxWaiting, c -> {
      AuditReport report = new AuditReport(c, tls.takeSession(c));
      report.websocket = webSockets.take(c.id());
      order.finished(c.id(), ports.isEmpty() || ports.contains(c.serverPort()) ? report : null);
    });
    TcpStreamListener closes = new TcpStreamListener() {
      @Override
      public void onClose(TcpConnection c, CloseReason why) {
        settling.closed(c);
      }
    };
    // each connection: TLS first (its session is final before the report is made), WebSocket, then the close
    java.util.function.Function<TcpConnection, TcpStreamListener> webSocket =
        webSockets.listeners(c -> new TcpStreamListener() { });
    TcpReassembler tcp = new TcpReassembler(Limits.defaults(),
        c -> new FanOutListener(tls, webSocket.apply(c), closes)).defragment();
    Session session = new Session(tcp, settling, output, keys);
    if (live) {
      session.startQuietFlush();
    }
    Thread hook = new Thread(() -> {
      if (session.shutdown()) {
        err.println("wirelens audit: " + name + ": " + Session.INTERRUPTED);
        err.flush();
      }
    }, "wirelens-audit-shutdown");
    boolean hooked = addShutdownHook(hook);
    String problem;
    try (CaptureReader r = reader) {
      problem = session.feed(r);
    } finally {
      session.finish();
      if (hooked) {
        removeShutdownHook(hook);
      }
    }
    if (problem != null) {
      return fail(err, name, problem);
    }
    return 0;
  }

  /**
   * The keys of this run: {@code --keylog}, and for a pcapng file its decryption-secrets blocks read in a first pass
   * (blocks of a pipe are taken as they come). Returns a problem line, or null.
   */
  private String tlsKeys(TlsKeys keys, boolean live) {
    if (keylog != null) {
      String problem = keys.addFile(keylog);
      if (problem != null) {
        return problem;
      }
      if (keys.problems() > 0) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("wirelens audit: " + keylog + ": " + keys.problems() + " key log lines not understood (first: "
            + keys.keyLog().problems().get(0) + ")");
        err.flush();
      }
    }
    if (!live) {
      keys.prescan(Path.of(capture));
    }
    return null;
  }

  /**
   * The TLS dissection of every connection (TlsTcpListener). Its inner dissector, where each connection's decrypted
   * application data goes, is the WebSocket dissector of {@link WebSocketAudit#insideTls(long)}.
   */
  private static TlsTcpListener tlsListener(TlsKeys keys, WebSocketAudit webSockets) {
    return new TlsTcpListener(Limits.defaults(), keys.keyLog(), c -> innerDissector(c, webSockets), null);
  }

  /** The dissector of a connection's decrypted application data: WebSocket (it ignores anything else). */
  static StreamDissector innerDissector(TcpConnection c, WebSocketAudit webSockets) {
    return webSockets.insideTls(c.id());
  }

  private static boolean addShutdownHook(Thread hook) {
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      return true;
    } catch (IllegalStateException | SecurityException e) {
      return false; // already shutting down: nothing to protect
    }
  }

  private static void removeShutdownHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException | SecurityException e) {
      // shutting down: the hook runs (and finds the session ended)
    }
  }

  /**
   * One run's reassembler and output, as in {@code FlowsCommand}: the command's thread feeds packets holding
   * {@link #lock} (not while it waits for input); the shutdown hook (SIGINT from Ctrl-C, SIGTERM) takes the lock and
   * closes and prints the connections still open, so a live audit stopped with Ctrl-C still reports every
   * connection, as complete JSON lines.
   */
  private static final class Session {
    static final String INTERRUPTED = "interrupted before the end of the input";
    /** How long the shutdown hook waits for the packet being processed. */
    static final long SHUTDOWN_WAIT_SECONDS = 5;

    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
    private final TcpReassembler tcp;
    private final Settling settling;
    private final Output output;
    private boolean ended; // guarded by lock
    private long lastPacketWallNanos = System.nanoTime(); // guarded by lock
    private Thread quietFlush;

    private final TlsKeys keys;

    Session(TcpReassembler tcp, Settling settling, Output output, TlsKeys keys) {
      this.tcp = tcp;
      this.settling = settling;
      this.output = output;
      this.keys = keys;
    }

    /** Reads every frame into the reassembler; returns the problem that ended the input early, or null. */
    String feed(CaptureReader r) {
      return CaptureInputs.feed(r, lock, () -> ended, INTERRUPTED, (dissector, timestampNanos) -> {
        keys.track(r);
        tcp.onPacket(dissector, timestampNanos);
        settling.now(timestampNanos);
        lastPacketWallNanos = System.nanoTime();
      });
    }

    /**
     * For a live input: a daemon thread that, when no packet came for {@link Settling#SETTLE_NANOS} of wall-clock
     * time, prints the closed connections waiting to settle (capture time does not advance on a quiet pipe).
     */
    void startQuietFlush() {
      quietFlush = new Thread(() -> {
        try {
          while (true) {
            Thread.sleep(Settling.SETTLE_NANOS / 1_000_000L / 4);
            lock.lock();
            try {
              if (ended) {
                return;
              }
              if (System.nanoTime() - lastPacketWallNanos > Settling.SETTLE_NANOS) {
                settling.all();
              }
            } finally {
              lock.unlock();
            }
          }
        } catch (InterruptedException e) {
          // finish() stops it
        }
      }, "wirelens-audit-quiet-flush");
      quietFlush.setDaemon(true);
      quietFlush.start();
    }

    /** The input ended: closes and prints every connection still open, then the table's footer. Idempotent. */
    void finish() {
      lock.lock();
      try {
        end();
      } finally {
        lock.unlock();
      }
      if (quietFlush != null) {
        quietFlush.interrupt();
      }
    }

    /** The shutdown hook: {@link #finish} unless the run already ended; returns whether it ended the run. */
    boolean shutdown() {
      try {
        if (!lock.tryLock(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS)) {
          return false;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      try {
        return end();
      } catch (RuntimeException e) {
        return false; // the process is exiting; nothing more can be done
      } finally {
        lock.unlock();
      }
    }

    private boolean end() {
      if (ended) {
        return false;
      }
      ended = true;
      try {
        tcp.close(); // closes and reports every connection still open
      } finally {
        settling.all();
        output.end();
      }
      return true;
    }
  }

  /**
   * Closed connections whose report is not taken yet: a closed connection still counts its stray packets (the last
   * ACK after the FINs, an RST after them) as tshark does, so its report is taken {@link #SETTLE_NANOS} of capture
   * time after it closed, at the end of the input, or when more than {@code max} connections wait here (the
   * oldest first).
   */
  static final class Settling {
    /** Capture time a closed connection's report waits for stray packets: one second. */
    static final long SETTLE_NANOS = 1_000_000_000L;
    private final int max;
    private final java.util.function.Consumer<TcpConnection> settled;
    private final java.util.ArrayDeque<TcpConnection> closed = new java.util.ArrayDeque<>();
    private final java.util.ArrayDeque<Long> closedAt = new java.util.ArrayDeque<>();

    Settling(int max, java.util.function.Consumer<TcpConnection> settled) {
      this.max = max;
      this.settled = settled;
    }

    void closed(TcpConnection c) {
      closed.addLast(c);
      closedAt.addLast(c.lastTimestampNanos());
      while (closed.size() > max) {
        settle();
      }
    }

    /** Capture time is now {@code nanos}: takes the reports of connections closed long enough ago. */
    void now(long nanos) {
      while (!closed.isEmpty() && nanos - closedAt.peekFirst() > SETTLE_NANOS) {
        settle();
      }
    }

    /** The input ended: takes every report. */
    void all() {
      while (!closed.isEmpty()) {
        settle();
      }
    }

    private void settle() {
      closedAt.pollFirst();
      settled.accept(closed.pollFirst());
    }
  }

  private static int fail(PrintWriter err, String name, String problem) {
    err.println("wirelens audit: " + name + ": " + problem);
    err.flush();
    return Wirelens.EXIT_USAGE_OR_INPUT;
  }

  /** Duration in milliseconds with nanosecond precision, e.g. 4.464238. */
  static BigDecimal durationMillis(AuditReport r) {
    return BigDecimal.valueOf(r.endNanos - r.startNanos, 6);
  }

  /** Where reports go, one at a time, in the order given. */
  private interface Output {
    void print(AuditReport r);

    void end();
  }

  /** JSON Lines: one object per line, flushed at once. */
  private static final class JsonOutput implements Output {
    private final PrintWriter out;
    private final JsonGenerator g;

    JsonOutput(PrintWriter out) {
      this.out = out;
      JsonFactory factory = new JsonFactory();
      factory.setRootValueSeparator(null);
      try {
        g = factory.createGenerator(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      g.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    @Override
    public void print(AuditReport r) {
      try {
        g.writeStartObject();
        g.writeNumberField("id", r.id);
        endpoint("client", r.clientIp, r.clientPort);
        endpoint("server", r.serverIp, r.serverPort);
        g.writeStringField("start", FlowIndexWriter.isoNanos(r.startNanos));
        g.writeStringField("end", FlowIndexWriter.isoNanos(r.endNanos));
        g.writeFieldName("duration_ms");
        g.writeNumber(durationMillis(r));
        g.writeObjectFieldStart("tcp");
        g.writeStringField("handshake", r.handshake);
        g.writeStringField("close", r.close);
        if (r.closedBy == null) {
          g.writeNullField("closed_by");
        } else {
          g.writeStringField("closed_by", r.closedBy);
        }
        pair("packets", r.packets);
        pair("bytes", r.bytes);
        g.writeObjectFieldStart("gaps");
        for (int i = 0; i < 2; i++) {
          g.writeObjectFieldStart(i == 0 ? "client" : "server");
          g.writeNumberField("count", r.gapCount[i]);
          g.writeNumberField("bytes", r.gapBytes[i]);
          g.writeEndObject();
        }
        g.writeEndObject();
        pair("retransmissions", r.retransmissions);
        pair("out_of_order", r.outOfOrder);
        pair("zero_windows", r.zeroWindows);
        pair("duplicate_acks", r.duplicateAcks);
        g.writeEndObject();
        TlsReportJson.write(g, r.tls);
        WebSocketReportJson.write(g, r.websocket);
        g.writeEndObject();
        g.writeRaw('\n');
        g.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void endpoint(String field, String ip, int port) throws IOException {
      g.writeObjectFieldStart(field);
      g.writeStringField("ip", ip);
      g.writeNumberField("port", port);
      g.writeEndObject();
    }

    private void pair(String field, long[] values) throws IOException {
      g.writeObjectFieldStart(field);
      g.writeNumberField("client", values[0]);
      g.writeNumberField("server", values[1]);
      g.writeEndObject();
    }

    @Override
    public void end() {
      out.flush();
    }
  }

  /** A readable table: a header, one row per connection, a count. */
  private static final class TableOutput implements Output {
    private static final String ROW = "%-4s %-28s %-28s %11s %-10s %-5s %-9s %-15s %-7s %-7s %-48s %s%n";
    private final PrintWriter out;
    private long rows;

    TableOutput(PrintWriter out) {
      this.out = out;
      out.printf(Locale.ROOT, ROW, "id", "client", "server", "duration", "handshake", "close", "packets", "bytes",
          "gaps", "retrans", "tls", "websocket");
      out.flush();
    }

    @Override
    public void print(AuditReport r) {
      out.printf(Locale.ROOT, ROW, r.id, AuditReport.endpoint(r.clientIp, r.clientPort),
          AuditReport.endpoint(r.serverIp, r.serverPort),
          String.format(Locale.ROOT, "%.3f ms", (r.endNanos - r.startNanos) / 1e6), r.handshake, r.close,
          r.packets[0] + "/" + r.packets[1], r.bytes[0] + "/" + r.bytes[1], r.gapCount[0] + "/" + r.gapCount[1],
          r.retransmissions[0] + "/" + r.retransmissions[1], TlsReportJson.column(r.tls),
          WebSocketReportJson.cell(r.websocket));
      out.flush();
      rows++;
    }

    @Override
    public void end() {
      out.println(rows + (rows == 1 ? " TCP connection" : " TCP connections")
          + " (packets, bytes, gaps, retrans: client/server)");
      out.flush();
    }
  }
}
