package dev.wirelens.examples.cli;

import dev.wirelens.Limits;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.tcp.TcpReassembler;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wirelens flows --out DIR [--keylog FILE] [--max-open-files N] CAPTURE|-}: writes every TCP connection's
 * reassembled byte streams to files and describes them in {@code DIR/index.json}.
 *
 * <p>TLS ({@link TlsFlowFiles}): a connection whose TLS was decrypted (with {@code --keylog}, or the pcapng
 * decryption-secrets blocks, read in a first pass over a file) also gets {@code DIR/<id>-client.tls.bin} and
 * {@code DIR/<id>-server.tls.bin}, the decrypted application data of each direction, and its index entry a
 * {@code "tls"} object: {@code {"version", "cipher_suite", "sni", "decrypted", "client": {"file", "bytes"},
 * "server": {...}}} ({@code "tls": null} for a connection that is not TLS).
 *
 * <p>Files, per connection id (0-based, in order of each connection's first packet, {@code TcpConnection.id()}):
 * {@code DIR/<id>-client.bin} holds the bytes the client sent, {@code DIR/<id>-server.bin} the bytes the server
 * sent, in stream order, each byte once, gaps (bytes never captured) omitted: the same bytes as tshark's
 * {@code -z follow,tcp,raw,N} without its "bytes missing" markers. Both files are created when the connection's
 * first packet is read (empty until data arrives) and are complete when the connection closes. The client is the
 * side that sent the SYN (without a SYN: see {@code TcpConnection}). Existing files of those names are overwritten;
 * other files in DIR are left alone. DIR is created if missing. TCP segments carried in IPv4 or IPv6 fragments are
 * reassembled first ({@code TcpReassembler.defragment()}), as tshark does by default.
 *
 * <p>Memory and files are bounded: bytes go to the files as the reassembler delivers them (nothing accumulates
 * here; what the reassembler holds out of order is bounded by {@link Limits}); at most {@code --max-open-files}
 * files (default 64) are open at once, the least recently written closed first and reopened for appending when
 * needed; a connection's files are closed when it closes.
 *
 * <p>{@code index.json} is written incrementally: its header when the command starts, each connection's entry
 * when that connection closes (then its two files are complete), and the trailer when the input ends, also when it
 * ends with an error (a truncated or malformed capture, a read error, an unsupported link type). At that point the
 * connections still open are closed (reason {@code end_of_input}) and written, so after any capture error the
 * index is valid JSON, lists every connection, and every file it names is complete up to the last packet read.
 * The file is valid JSON only once the command has ended. Schema (format_version 1):
 * <pre>
 * {
 *   "format": "wirelens-flows", "format_version": 1,
 *   "capture": "trace.pcapng",              the CAPTURE argument, "&lt;stdin&gt;" for -
 *   "connections": [                         in the order the connections closed (sort by id for first-packet order)
 *     {
 *       "id": 0,
 *       "client": {"ip": "10.0.0.2", "port": 51234}, "server": {"ip": "10.0.0.1", "port": 443},
 *       "ip_version": 4,
 *       "start": "2026-11-28T01:05:26.532284525Z",   first packet, ISO-8601 UTC, always 9 fraction digits
 *       "end": "2026-11-28T01:05:26.536743371Z",     last packet up to the close
 *       "handshake": "complete" | "syn_synack" | "syn_only" | "missing",
 *       "close": "fin" | "rst" | "open",              rst wins when both were seen; open: neither was seen
 *       "close_reason": "fin" | "rst" | "idle_timeout" | "evicted" | "port_reused" | "end_of_input",
 *       "closed_by": "client" | "server" | null,      sender of the first RST, else of the first FIN
 *       "streams": {
 *         "client": {                                 the bytes the client sent
 *           "file": "0-client.bin", "bytes": 79,      bytes in the file (unique, in order, gaps excluded)
 *           "packets": 6,                             TCP segments the client sent up to the close
 *           "fin": true,                              the client's FIN was delivered after all its bytes
 *           "gaps": {"count": 1, "bytes": 1448,
 *                    "list": [{"offset": 1000, "file_offset": 1000, "length": 1448, "reason": "acknowledged"}],
 *                    "list_truncated": false}         list holds the first 1000 gaps (fewer when over 100,000
 *                                                     gaps are waiting in open connections); offset counts the
 *         },                                          direction's bytes and gaps before it, file_offset only bytes;
 *         "server": { "file": "0-server.bin", ... }   reason: acknowledged | connection_closed | buffer_limit | snaplen
 *       }
 *     }
 *   ],
 *   "connection_count": 1,
 *   "complete": true,                                 false when the input ended with an error
 *   "error": null                                     that error, as printed on standard error
 * }
 * </pre>
 *
 * <p>{@code -} reads the capture from standard input as it arrives: each connection's bytes are in its files as
 * soon as the reassembler delivers them. When the process is stopped (SIGINT from Ctrl-C, SIGTERM), a shutdown hook
 * waits for the packet being processed (up to 5 seconds), then ends the run as above with the error
 * "interrupted before the end of the input": the open connections are closed and written and the index is closed. Exit codes: 0 when the whole input was read; 2 for bad usage, a capture
 * that cannot be opened, read or dissected, or an output that cannot be written, with one line on standard error
 * naming the file and the problem. On success one line on standard output says how many connections were written.
 */
@Command(
    name = "flows",
    mixinStandardHelpOptions = true,
    description = "Writes each TCP connection's reassembled streams to DIR/<id>-client.bin and DIR/<id>-server.bin "
        + "and describes them in DIR/index.json.")
final class FlowsCommand implements Callable<Integer> {
  /** Default of {@code --max-open-files}. */
  static final int DEFAULT_MAX_OPEN_FILES = 64;

  @Option(names = "--out", paramLabel = "DIR", required = true,
      description = "Directory for the stream files and index.json (created if missing).")
  private Path out;

  @Option(names = "--keylog", paramLabel = "FILE",
      description = "NSS key log (SSLKEYLOGFILE): decrypted TLS data also goes to DIR/<id>-client.tls.bin and "
          + "DIR/<id>-server.tls.bin; pcapng decryption-secrets blocks are used too.")
  private Path keylog;

  @Option(names = "--max-open-files", paramLabel = "N",
      description = "Stream files kept open at once (default ${DEFAULT-VALUE}); others are reopened to append.")
  private int maxOpenFiles = DEFAULT_MAX_OPEN_FILES;

  @Parameters(paramLabel = "CAPTURE|-", description = "A pcap or pcapng file (optionally gzipped), or - for standard input.")
  private String capture;

  /** The options above for {@link PlainArguments} (a test checks them against the annotations). */
  static final PlainArguments.Syntax SYNTAX = new PlainArguments.Syntax(Map.of(
      "--out", PlainArguments.Kind.PATH,
      "--keylog", PlainArguments.Kind.PATH,
      "--max-open-files", PlainArguments.Kind.INT), Set.of("--out"));

  private final InputStream stdin;
  private final PrintWriter stdout;
  private final PrintWriter stderr;

  /** A command reading {@code stdin} for {@code -} and writing to {@code stdout} and {@code stderr}. */
  FlowsCommand(InputStream stdin, PrintWriter stdout, PrintWriter stderr) {
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** Sets the options and the capture from arguments parsed without picocli; returns this. */
  FlowsCommand set(PlainArguments a) {
    out = a.path("--out", out);
    keylog = a.path("--keylog", keylog);
    maxOpenFiles = a.intValue("--max-open-files", maxOpenFiles);
    capture = a.positional();
    return this;
  }

  @Override
  public Integer call() {
    PrintWriter err = stderr;
    if (maxOpenFiles < 1) {
      err.println("wirelens flows: --max-open-files must be at least 1");
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
    KeyLogFile keyLogFile = null;
    if (keylog != null) {
      keyLogFile = KeyLogFile.load(keylog);
      if (keyLogFile.problem() != null) {
        return fail(err, keylog.toString(), keyLogFile.problem());
      }
      if (keyLogFile.warning() != null) {
        err.println("wirelens flows: " + keylog + ": " + keyLogFile.warning());
        err.flush();
      }
    }
    String outProblem = prepare(out);
    if (outProblem != null) {
      return fail(err, out.toString(), outProblem);
    }
    CaptureReader reader;
    try {
      reader = live ? CaptureReader.open(stdin, Limits.defaults(), CliAllocator.ALLOC)
          : CaptureReader.open(Path.of(capture), Limits.defaults(), CliAllocator.ALLOC);
    } catch (UncheckedIOException e) {
      return fail(err, name, CaptureInputs.describe(e));
    } catch (RuntimeException e) {
      return fail(err, name, "cannot open: " + e.getMessage());
    }
    try (CaptureReader r = reader) {
      return run(r, name, keyLogFile, err);
    }
  }

  private int run(CaptureReader r, String name, KeyLogFile keyLogFile, PrintWriter err) {
    Path indexFile = out.resolve("index.json");
    FlowIndexWriter index;
    try {
      index = new FlowIndexWriter(indexFile, name);
    } catch (IOException e) {
      return fail(err, indexFile.toString(), "cannot write: " + message(e));
    }
    FlowFileWriter files = new FlowFileWriter(out, index, maxOpenFiles);
    TlsKeys keys = new TlsKeys();
    if (keyLogFile != null) {
      keys.add(keyLogFile.keyLog());
    }
    if (!"-".equals(capture)) {
      keys.prescan(Path.of(capture));
    }
    TlsFlowFiles listener = new TlsFlowFiles(files, out, keys);
    Session session = new Session(new TcpReassembler(Limits.defaults(), listener).defragment(), index, files, keys);
    Thread hook = new Thread(session::shutdown, "wirelens-flows-shutdown");
    boolean hooked = addShutdownHook(hook);
    String captureError;
    try {
      captureError = session.feed(r);
      session.finish(captureError);
    } catch (FlowFileWriter.WriteFailure e) {
      session.abandon();
      return fail(err, e.file.toString(), "cannot write: " + message((IOException) e.getCause()));
    } catch (IOException e) {
      session.abandon();
      return fail(err, indexFile.toString(), "cannot write: " + message(e));
    } finally {
      if (hooked) {
        removeShutdownHook(hook);
      }
    }
    if (captureError != null) {
      return fail(err, name, captureError);
    }
    stdout.println(index.connections() + " TCP connections written to " + out + " (index.json)");
    stdout.flush();
    return 0;
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
   * One run's reassembler and writers. The command's thread feeds packets holding {@link #lock} (but not while it
   * waits for input); the shutdown hook (SIGINT, SIGTERM) takes the lock, closes the connections still open and the
   * index, so a live capture stopped with Ctrl-C still leaves a valid index.json and complete files.
   */
  private static final class Session {
    static final String INTERRUPTED = "interrupted before the end of the input";
    /** How long the shutdown hook waits for the packet being processed. */
    static final long SHUTDOWN_WAIT_SECONDS = 5;

    private final ReentrantLock lock = new ReentrantLock();
    private final TcpReassembler tcp;
    private final FlowIndexWriter index;
    private final FlowFileWriter files;
    private boolean ended; // guarded by lock

    private final TlsKeys keys;

    Session(TcpReassembler tcp, FlowIndexWriter index, FlowFileWriter files, TlsKeys keys) {
      this.tcp = tcp;
      this.index = index;
      this.files = files;
      this.keys = keys;
    }

    /** Reads every frame into the reassembler; returns the problem that ended the input early, or null. */
    String feed(CaptureReader r) {
      return CaptureInputs.feed(r, lock, () -> ended, INTERRUPTED, (dissector, ts) -> {
        keys.track(r);
        tcp.onPacket(dissector, ts);
      });
    }

    /**
     * Closes the connections still open (reason end_of_input; each is written to the index) and the index with
     * {@code error}. Does nothing if the session already ended.
     */
    void finish(String error) throws IOException {
      lock.lock();
      try {
        if (ended) {
          return;
        }
        ended = true;
        tcp.close();
        index.finish(error);
      } finally {
        lock.unlock();
      }
    }

    /** After a write failure: releases what the reassembler holds, closes every file; the index stays as it is. */
    void abandon() {
      lock.lock();
      try {
        ended = true;
        try {
          tcp.close();
        } catch (RuntimeException ignored) {
          // already failing: the first error is the one reported
        }
        files.closeAll();
        closeQuietly(index);
      } finally {
        lock.unlock();
      }
    }

    /** The shutdown hook: ends the session as if the input had ended, with an error saying it was interrupted. */
    void shutdown() {
      try {
        if (!lock.tryLock(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        if (!ended) {
          ended = true;
          tcp.close();
          index.finish(INTERRUPTED);
        }
      } catch (IOException | RuntimeException ignored) {
        // the process is exiting; nothing more can be done
      } finally {
        lock.unlock();
      }
    }
  }

  /** Creates the output directory if needed; returns why it cannot be used, or null. */
  private static String prepare(Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      return "not a directory";
    }
    try {
      Files.createDirectories(dir);
    } catch (FileAlreadyExistsException e) {
      return "not a directory";
    } catch (IOException e) {
      return "cannot create directory: " + message(e);
    }
    if (!Files.isWritable(dir)) {
      return "directory not writable";
    }
    return null;
  }

  /** The I/O problem in words, without the path (the error line names it) and without exception names if possible. */
  static String message(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "file exists";
    }
    if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
      return ((FileSystemException) e).getReason(); // "Is a directory", "No space left on device", ...
    }
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }

  private static void closeQuietly(FlowIndexWriter index) {
    try {
      index.close();
    } catch (IOException | RuntimeException ignored) {
      // already failing: the first error is the one reported
    }
  }

  private static int fail(PrintWriter err, String name, String problem) {
    err.println("wirelens flows: " + name + ": " + problem);
    err.flush();
    return Wirelens.EXIT_USAGE_OR_INPUT;
  }
}
