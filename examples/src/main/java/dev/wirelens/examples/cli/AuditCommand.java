package dev.wirelens.examples.cli;

import dev.wirelens.Limits;
import dev.wirelens.examples.audit.Audit;
import dev.wirelens.examples.audit.AuditPolicy;
import dev.wirelens.examples.audit.AuditSession;
import dev.wirelens.examples.audit.AuditSummary;
import dev.wirelens.examples.audit.CaptureProblems;
import dev.wirelens.examples.audit.ConnectionReport;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tls.TlsKeySource;
import dev.wirelens.tls.TlsSession;
import dev.wirelens.tls.x509.CertificateSummary;
import dev.wirelens.websocket.WebSocketSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wirelens audit [--json] [--keylog FILE] [--port N]... [--fail-on-unstable] [--fail-on-plaintext]
 * [--max-waiting N] CAPTURE|-}: a thin layer over the {@link Audit} library. One report per TCP connection, in order
 * of each connection's first packet (its id), as a table or, with {@code --json}, as JSON Lines with design.md's
 * fields ({@link AuditJson}), each with its {@code verdict}.
 *
 * <p>A connection's line is printed once it closed at least one second of capture time ago, or the input ended,
 * and every connection with a lower id was printed (see {@link AuditSession}); at most {@code --max-waiting} finished
 * connections wait for a lower id that is still open, beyond that one line on standard error says which id comes
 * later, out of order. Each line is flushed, so {@code -} (standard input, read as packets arrive) gives a live
 * report; there, closed connections are printed after a second without packets.
 *
 * <p>{@code --port N} (repeatable) keeps only connections whose server port is one of the given ports and makes them
 * the policy's watched ports (the encryption rules apply to them). {@code --keylog FILE} adds an NSS key log;
 * Decryption Secrets Blocks in a pcapng capture are used as well. The table ends with the audit's verdict; JSON
 * Lines carry only the per-connection objects (a reconnect storm is in the verdict of each connection it marks).
 *
 * <p>Exit codes (design.md): 0 when the audit ran, whatever the verdict; 1 when {@code --fail-on-unstable} is given
 * and a printed connection is not stable, or {@code --fail-on-plaintext} and one is not encrypted; 2 for bad usage or
 * an input that cannot be opened, read or dissected, with one line on standard error naming the file and the
 * problem. When the input breaks off, the connections read so far are still printed (valid JSON Lines), then the
 * error line, and the exit code is 2. Ctrl-C or SIGTERM on a live pipe does the same through a shutdown hook.
 *
 * <p>A progress bar ({@link ProgressBar}) goes to standard error only for files of at least
 * {@value Terminals#PROGRESS_MIN_BYTES} bytes, only when standard error is a terminal, and not when JSON Lines go to
 * a terminal too ({@link ProgressBar#wanted}); it is erased before every line the command prints and at the end.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
        "Reports each TCP connection (endpoints, times, handshake, close, packets, bytes, gaps, retransmissions, "
            + "out-of-order segments, zero windows, duplicate ACKs), its TLS (version, cipher, SNI, certificates, "
            + "alerts, fingerprints, decryption) and WebSocket (upgrade, frames, messages, close, pings, "
            + "violations), and a verdict: encrypted? stable?",
        "Exit code 0 when the audit ran, 1 when a --fail-on-* rule failed, 2 for bad usage or an unreadable input."})
final class AuditCommand implements Callable<Integer> {
  /** Default of {@code --max-waiting}. */
  static final int DEFAULT_MAX_WAITING = Audit.DEFAULT_MAX_WAITING;
  /** Exit code when a {@code --fail-on-*} rule failed. */
  static final int EXIT_VERDICT_FAILED = 1;

  @Option(names = "--json", description = "One JSON object per connection (JSON Lines) instead of a table.")
  private boolean json;

  @Option(names = "--keylog", paramLabel = "FILE",
      description = "TLS key log (SSLKEYLOGFILE format) to decrypt with.")
  private Path keylog;

  @Option(names = "--port", paramLabel = "N",
      description = "Only connections with this server port (repeatable); these must be encrypted.")
  private List<Integer> ports = new ArrayList<>();

  @Option(names = "--fail-on-unstable", description = "Exit with 1 when a connection is not stable.")
  private boolean failOnUnstable;

  @Option(names = "--fail-on-plaintext", description = "Exit with 1 when a connection is not encrypted.")
  private boolean failOnPlaintext;

  @Option(names = "--max-waiting", paramLabel = "N",
      description = "Finished connections held back for a lower, still open id (default ${DEFAULT-VALUE}); "
          + "beyond it lines come out of id order and standard error says so.")
  private int maxWaiting = DEFAULT_MAX_WAITING;

  @Parameters(paramLabel = "CAPTURE|-", description = "A pcap or pcapng file (optionally gzipped), or - for standard input.")
  private String capture;

  /** The options above for {@link PlainArguments} (a test checks them against the annotations). */
  static final PlainArguments.Syntax SYNTAX = new PlainArguments.Syntax(Map.of(
      "--json", PlainArguments.Kind.FLAG,
      "--keylog", PlainArguments.Kind.PATH,
      "--port", PlainArguments.Kind.REPEATED_INT,
      "--fail-on-unstable", PlainArguments.Kind.FLAG,
      "--fail-on-plaintext", PlainArguments.Kind.FLAG,
      "--max-waiting", PlainArguments.Kind.INT), Set.of());

  private final InputStream stdin;
  private final Terminals terminals;
  private final PrintWriter out;
  private final PrintWriter err;

  /** A command reading {@code stdin} for {@code -} and writing to {@code out} and {@code err}. */
  AuditCommand(InputStream stdin, Terminals terminals, PrintWriter out, PrintWriter err) {
    this.stdin = stdin;
    this.terminals = terminals;
    this.out = out;
    this.err = err;
  }

  /** Sets the options and the capture from arguments parsed without picocli; returns this. */
  AuditCommand set(PlainArguments a) {
    json = a.flag("--json");
    keylog = a.path("--keylog", keylog);
    ports = a.ints("--port", ports);
    failOnUnstable = a.flag("--fail-on-unstable");
    failOnPlaintext = a.flag("--fail-on-plaintext");
    maxWaiting = a.intValue("--max-waiting", maxWaiting);
    capture = a.positional();
    return this;
  }

  @Override
  public Integer call() {
    PrintWriter err = this.err;
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
    TlsKeySource keys = TlsKeySource.NONE;
    if (keylog != null) {
      KeyLogFile file = KeyLogFile.load(keylog);
      if (file.problem() != null) {
        return fail(err, keylog.toString(), file.problem());
      }
      if (file.warning() != null) {
        err.println("wirelens audit: " + keylog + ": " + file.warning());
        err.flush();
      }
      keys = file.keyLog();
    }
    boolean live = "-".equals(capture);
    String name = live ? "<stdin>" : capture;
    if (!live) {
      String problem = CaptureProblems.fileProblem(Path.of(capture));
      if (problem != null) {
        return fail(err, name, problem);
      }
    }
    boolean ahead = !live && Audit.readsAhead(Path.of(capture)); // a regular file: read a batch ahead (see below)
    CaptureReader reader;
    try {
      reader = live ? CaptureReader.open(stdin, Limits.defaults(), CliAllocator.ALLOC)
          : Audit.openFile(Path.of(capture), Limits.defaults(), CliAllocator.ALLOC);
    } catch (UncheckedIOException e) {
      return fail(err, name, CaptureProblems.describe(e));
    } catch (RuntimeException e) {
      return fail(err, name, "cannot open: " + e.getMessage());
    }
    ProgressBar progress = live ? null : progressBar(Path.of(capture), err);
    Output output = json ? new JsonOutput(out, progress) : new TableOutput(out, progress);
    Audit audit = Audit.builder()
        .allocator(CliAllocator.ALLOC)
        .keys(keys)
        .policy(AuditPolicy.builder().watchedPorts(ports).build())
        .maxWaiting(maxWaiting)
        .onLate(id -> {
          if (progress != null) {
            progress.erase();
          }
          err.println("wirelens audit: more than " + maxWaiting + " finished connections wait for connection " + id
              + ", still open; it will be printed out of id order when it closes");
          err.flush();
        })
        .progress(progress)
        .build();
    Verdicts verdicts = new Verdicts();
    AuditSession session = audit.session(r -> {
      if (ports.isEmpty() || ports.contains(r.server().port())) {
        verdicts.add(r);
        output.print(r);
      }
    });
    if (live) {
      session.startQuietFlush();
    } else {
      session.useSecretsOf(Path.of(capture));
    }
    Thread hook = new Thread(() -> {
      try {
        if (session.interrupt()) {
          output.end(verdicts, AuditSession.INTERRUPTED);
          err.println("wirelens audit: " + name + ": " + AuditSession.INTERRUPTED);
          err.flush();
        }
      } catch (RuntimeException e) {
        // the process is exiting: no stack trace on the terminal
      }
    }, "wirelens-audit-shutdown");
    boolean hooked = addShutdownHook(hook);
    String problem = null;
    try {
      // a regular file is read on a second thread, beside the dissection (same reports, same order); a pipe
      // (also a named one, or /dev/fd/N) on this one, so that an interrupt never waits for input
      problem = ahead ? session.readAhead(reader) : session.read(reader);
    } finally {
      AuditSummary summary = session.finish();
      if (problem == null && summary != null) {
        problem = summary.problem(); // met when the connections still open closed (a mapped file that shrank)
      }
      if (progress != null) {
        progress.erase();
      }
      output.end(verdicts, problem);
      if (hooked) {
        removeShutdownHook(hook);
      }
    }
    String limits = limitsLine(session.summary());
    if (limits != null) {
      err.println("wirelens audit: " + name + ": " + limits);
      err.flush();
    }
    if (problem != null) {
      return fail(err, name, problem);
    }
    if ((failOnUnstable && verdicts.unstable > 0) || (failOnPlaintext && verdicts.notEncrypted > 0)) {
      return EXIT_VERDICT_FAILED;
    }
    return 0;
  }

  /**
   * One clause naming the caps of {@code Limits} the run hit below the capture level (those that ended the input are
   * said by the problem line), e.g. "limits hit: maxFlows 990000, maxIpv6ExtensionHeaders 1 (...)"; null for none.
   */
  static String limitsLine(AuditSummary summary) {
    if (summary == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (java.util.Map.Entry<String, Long> e : summary.limits().entrySet()) {
      if (e.getKey().startsWith("maxCapture")) {
        continue;
      }
      sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
    }
    if (summary.fragmentConflicts() > 0) {
      sb.append(sb.length() == 0 ? "" : ", ").append("IP fragment overlaps with conflicting bytes ")
          .append(summary.fragmentConflicts());
    }
    if (sb.length() == 0) {
      return null;
    }
    return "limits hit: " + sb + " (the affected packets or bytes were not dissected; the rest was)";
  }

  /** The bar for {@code file} when {@link ProgressBar#wanted} says so, else null. */
  private ProgressBar progressBar(Path file, PrintWriter err) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      return null;
    }
    if (!ProgressBar.wanted(true, size, terminals.progressMinBytes(), terminals.stderr(), terminals.stdout(), json)) {
      return null;
    }
    return new ProgressBar(err, size, terminals.nanoClock());
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

  private static int fail(PrintWriter err, String name, String problem) {
    err.println("wirelens audit: " + name + ": " + problem);
    err.flush();
    return Wirelens.EXIT_USAGE_OR_INPUT;
  }

  /** The verdicts of the printed connections, for the exit code and the table's last line. */
  static final class Verdicts {
    long connections;
    long notEncrypted;
    long unstable;

    void add(ConnectionReport r) {
      connections++;
      if (!r.verdict().encrypted()) {
        notEncrypted++;
      }
      if (!r.verdict().stable()) {
        unstable++;
      }
    }
  }

  /**
   * Where reports go, one at a time, in the order given; {@code end} once (idempotent), with the problem that ended
   * the input early, or null.
   */
  private interface Output {
    void print(ConnectionReport r);

    void end(Verdicts v, String problem);
  }

  /** JSON Lines: one object per line, flushed at once. */
  private static final class JsonOutput implements Output {
    private final AuditJson json;
    private final ProgressBar progress;

    JsonOutput(PrintWriter out, ProgressBar progress) {
      json = new AuditJson(out);
      this.progress = progress;
    }

    @Override
    public synchronized void print(ConnectionReport r) {
      if (progress != null) {
        progress.erase();
      }
      json.write(r);
    }

    @Override
    public synchronized void end(Verdicts v, String problem) {
      if (progress != null) {
        progress.erase();
      }
      json.end();
    }
  }

  /**
   * A readable table: a header, one row per connection, a count and the verdict, each reason on its own line. When
   * the input broke off, the verdict says it covers only what was read; when it broke off before any connection
   * (not a capture, an unsupported link type), nothing is printed: the error line on standard error says it all.
   */
  private static final class TableOutput implements Output {
    /**
     * The columns' widths ({@link TableText#pad}): the format "%-4s %-28s %-28s %11s %-10s %-5s %-9s %-15s %-7s %-7s
     * %-40s %-30s %s%n" of the first versions, written without a {@code Formatter} (start-up).
     */
    private static final int[] ROW = {-4, -28, -28, 11, -10, -5, -9, -15, -7, -7, -40, -30, 0};
    private final PrintWriter out;
    private final ProgressBar progress;
    private final List<String> reasons = new ArrayList<>();
    private long droppedReasons;
    private boolean ended;
    private boolean headed;

    TableOutput(PrintWriter out, ProgressBar progress) {
      this.out = out;
      this.progress = progress;
    }

    private void header() {
      if (!headed) {
        headed = true;
        row("id", "client", "server", "duration", "handshake", "close", "packets", "bytes", "gaps", "retrans", "tls",
            "websocket", "verdict");
      }
    }

    @Override
    public synchronized void print(ConnectionReport r) {
      if (progress != null) {
        progress.erase();
      }
      header();
      String verdict = (r.verdict().encrypted() ? "encrypted" : "NOT-ENCRYPTED") + ","
          + (r.verdict().stable() ? "stable" : "UNSTABLE");
      row(r.id(), r.client(), r.server(), TableText.fixed3((r.endNanos() - r.startNanos()) / 1e6) + " ms",
          r.handshake().jsonName(),
          r.close(), pair(r.packets(Direction.CLIENT_TO_SERVER), r.packets(Direction.SERVER_TO_CLIENT)),
          pair(r.bytes(Direction.CLIENT_TO_SERVER), r.bytes(Direction.SERVER_TO_CLIENT)),
          pair(r.gapCount(Direction.CLIENT_TO_SERVER), r.gapCount(Direction.SERVER_TO_CLIENT)),
          pair(r.retransmissions(Direction.CLIENT_TO_SERVER), r.retransmissions(Direction.SERVER_TO_CLIENT)),
          TlsReportJson.column(r.tls()), WebSocketReportJson.cell(r.webSocket()), verdict);
      details(r);
      out.flush();
      for (String reason : r.verdict().reasons()) {
        if (reasons.size() < AuditSummary.MAX_REASONS) {
          reasons.add(reason);
        } else {
          droppedReasons++;
        }
      }
    }

    /**
     * An indented line under a TLS or WebSocket connection with what the columns have no room for: the server name,
     * the first certificate of the chain (when it was visible), ALPN, and the WebSocket path and ping round trips.
     */
    private void details(ConnectionReport r) {
      TlsSession tls = r.tls();
      if (tls != null) {
        StringBuilder line = new StringBuilder("     tls: sni ").append(tls.sni() == null ? "-" : tls.sni());
        if (!tls.certificates().isEmpty()) {
          CertificateSummary leaf = tls.certificates().get(0);
          line.append(", certificate ").append(leaf.subject()).append(" issued by ").append(leaf.issuer())
              .append(", valid until ").append(leaf.notAfter());
          if (tls.sni() != null) {
            line.append(leaf.matchesHostName(tls.sni()) ? ", names the sni" : ", does NOT name the sni");
          }
        } else {
          line.append(", certificate not visible").append(tls.decrypted() ? "" : " (encrypted; --keylog shows it)");
        }
        line.append(", alpn ").append(tls.alpn() == null ? "-" : tls.alpn());
        out.println(line);
      }
      WebSocketSession ws = r.webSocket();
      if (ws != null && ws.isWebSocket()) {
        out.print("     websocket: " + ws.path() + ", pings answered " + ws.pingRttCount() + " (median "
            + TableText.fixed3(ws.pingRttMedianNanos() / 1e6) + " ms, max " + TableText.fixed3(ws.pingRttMaxNanos() / 1e6)
            + " ms)" + System.lineSeparator());
      }
    }

    /** One line of the table: the cells padded to {@link #ROW}'s widths, one space apart. */
    private void row(Object... cells) {
      StringBuilder sb = new StringBuilder(256);
      for (int i = 0; i < cells.length; i++) {
        if (i > 0) {
          sb.append(' ');
        }
        TableText.pad(sb, String.valueOf(cells[i]), ROW[i]);
      }
      out.print(sb.append(System.lineSeparator()));
    }

    private static String pair(long client, long server) {
      return client + "/" + server;
    }

    @Override
    public synchronized void end(Verdicts v, String problem) {
      if (ended) {
        return;
      }
      ended = true;
      if (progress != null) {
        progress.erase();
      }
      if (problem != null && v.connections == 0) {
        out.flush();
        return;
      }
      header();
      out.println(v.connections + (v.connections == 1 ? " TCP connection" : " TCP connections")
          + " (packets, bytes, gaps, retrans: client/server)");
      out.println((problem == null ? "verdict: " : "verdict (of the connections read before the input broke off): ") + (v.notEncrypted == 0 ? "encrypted" : "NOT encrypted (" + v.notEncrypted + ")")
          + ", " + (v.unstable == 0 ? "stable" : "NOT stable (" + v.unstable + ")"));
      for (String reason : reasons) {
        out.println("  " + reason);
      }
      if (droppedReasons > 0) {
        out.println("  ... and " + droppedReasons + " more reasons");
      }
      out.flush();
    }
  }
}
