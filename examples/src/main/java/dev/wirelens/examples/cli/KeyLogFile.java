package dev.wirelens.examples.cli;

import dev.wirelens.Limits;
import dev.wirelens.tls.KeyLog;
import dev.wirelens.tls.KeyLogProblem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Internal: the {@code --keylog FILE} of {@code audit} and {@code flows}, read once with the same checks for both, so
 * a bad key log gives the same one line on standard error (and exit code 2) whichever subcommand was given it.
 *
 * <p>A key log is refused when it is missing, a directory or unreadable, when it holds binary data (a capture given
 * as {@code --keylog}), or when it has lines but none is a key log line (no known label such as {@code CLIENT_RANDOM},
 * or only bad ones). An empty or comment-only file is accepted: {@code SSLKEYLOGFILE} is often created before the
 * program writes to it. Lines that are not understood next to good ones are a warning, not an error.
 *
 * <p>Thread safety: immutable.
 */
record KeyLogFile(KeyLog keyLog, String problem, String warning) {

  /** Reads {@code path}; the result has a key log, or a problem clause (for {@code wirelens CMD: FILE: <problem>}). */
  static KeyLogFile load(Path path) {
    if (!Files.exists(path)) {
      return refused("no such file");
    }
    if (Files.isDirectory(path)) {
      return refused("is a directory, not a TLS key log");
    }
    if (!Files.isReadable(path)) {
      return refused("permission denied");
    }
    KeyLog log;
    String head;
    try {
      log = KeyLog.read(path, Limits.defaults());
      head = head(path);
    } catch (IOException e) {
      return refused("cannot read key log: " + FlowsCommand.message(e));
    } catch (UncheckedIOException e) {
      return refused("cannot read key log: " + FlowsCommand.message(e.getCause()));
    }
    if (log.size() == 0) {
      if (isBinary(head)) {
        return refused("not a TLS key log (binary data; a capture given as --keylog?)");
      }
      if (!log.problems().isEmpty()) {
        return refused("not a TLS key log: " + log.problems().get(0));
      }
      if (hasContentLine(head)) {
        return refused("not a TLS key log: no line starts with a key log label such as CLIENT_RANDOM");
      }
      return new KeyLogFile(log, null, null);
    }
    String warning = log.problems().isEmpty() ? null
        : log.problemCount() + " key log lines not understood (first: " + log.problems().get(0) + ")" + limitsHit(log);
    return new KeyLogFile(log, null, warning);
  }

  /**
   * The caps the key log hit, as the audit names limits ("; limits hit: maxKeyLogLines 1, KeyLog.MAX_PROBLEMS 400
   * (...)"), or "" for none: the line cap stops reading (its problem is kept last, so it is not the first one shown);
   * the problem cap only drops the descriptions of bad lines beyond the first {@link KeyLog#MAX_PROBLEMS}.
   */
  private static String limitsHit(KeyLog log) {
    long lineCap = log.problems().stream().filter(p -> p.kind() == KeyLogProblem.Kind.LIMIT_EXCEEDED).count();
    long notKept = log.problemCount() - log.problems().size();
    if (lineCap == 0 && notKept == 0) {
      return "";
    }
    StringBuilder sb = new StringBuilder("; limits hit: ");
    if (lineCap > 0) {
      sb.append("maxKeyLogLines ").append(lineCap);
    }
    if (notKept > 0) {
      sb.append(lineCap > 0 ? ", " : "").append("KeyLog.MAX_PROBLEMS ").append(notKept);
    }
    sb.append(lineCap > 0 ? " (lines past maxKeyLogLines were not read" : " (");
    sb.append(notKept > 0 ? (lineCap > 0 ? "; " : "") + "bad lines past the first " + KeyLog.MAX_PROBLEMS
        + " were counted, not kept)" : ")");
    return sb.toString();
  }

  private static KeyLogFile refused(String problem) {
    return new KeyLogFile(null, problem, null);
  }

  /** The first 4 KiB of {@code file}, one char per byte (ISO-8859-1, so every byte survives). */
  private static String head(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return new String(in.readNBytes(4096), StandardCharsets.ISO_8859_1);
    }
  }

  /** True when {@code head} holds a byte a text key log never has (NUL or another C0 control but tab, CR, LF). */
  private static boolean isBinary(String head) {
    for (int i = 0; i < head.length(); i++) {
      char c = head.charAt(i);
      if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
        return true;
      }
    }
    return false;
  }

  /** True when {@code head} has a line that is neither blank nor a {@code #} comment. */
  private static boolean hasContentLine(String head) {
    for (String line : head.split("\r?\n")) {
      String t = line.strip();
      if (!t.isEmpty() && t.charAt(0) != '#') {
        return true;
      }
    }
    return false;
  }
}
