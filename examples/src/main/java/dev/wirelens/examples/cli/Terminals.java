package dev.wirelens.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Internal: what a command knows of where its output goes, for {@code wirelens audit}'s progress bar: whether
 * standard output and standard error are terminals, the clock the bar is timed by, and how large a file must be
 * to get a bar. {@link #detect()} asks the system; tests pass their own, so the bar's decision and its text are
 * tested without a real terminal.
 *
 * <p>Detection: on Linux, {@code /proc/self/fd/1} and {@code /proc/self/fd/2} link to the stream's device; a
 * terminal is {@code /dev/pts/N}, {@code /dev/ttyN} or {@code /dev/console} (a pipe reads {@code pipe:[N]}, a file
 * its path). Elsewhere Java 17 only has {@link System#console()}, which exists when standard input and output
 * are a terminal; it stands for both streams there.
 *
 * @param stdout standard output is a terminal
 * @param stderr standard error is a terminal
 * @param progressMinBytes files at least this large get a progress bar (when the other conditions hold)
 * @param nanoClock a monotonic clock in nanoseconds
 */
record Terminals(boolean stdout, boolean stderr, long progressMinBytes, LongSupplier nanoClock) {
  /** Files at least this large get a progress bar on a terminal. */
  static final long PROGRESS_MIN_BYTES = 64L << 20;

  /** The process's own standard streams, {@link #PROGRESS_MIN_BYTES}, {@code System::nanoTime}. */
  static Terminals detect() {
    Boolean out = linkedToTerminal(Path.of("/proc/self/fd/1"));
    Boolean err = linkedToTerminal(Path.of("/proc/self/fd/2"));
    boolean console = System.console() != null;
    return new Terminals(out != null ? out : console, err != null ? err : console, PROGRESS_MIN_BYTES,
        System::nanoTime);
  }

  /** Whether the file descriptor link {@code fd} points to a terminal; null when that cannot be read. */
  static Boolean linkedToTerminal(Path fd) {
    try {
      return isTerminalDevice(Files.readSymbolicLink(fd).toString());
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return null;
    }
  }

  /** Whether {@code target}, what a {@code /proc/self/fd/N} link points to, is a terminal device. */
  static boolean isTerminalDevice(String target) {
    return target.startsWith("/dev/pts/") || isTty(target) || target.equals("/dev/console");
  }

  /**
   * Whether {@code target} matches {@code /dev/tty[0-9A-Za-z]*}, without a regular expression (compiling one was
   * start-up work for every run).
   */
  private static boolean isTty(String target) {
    if (!target.startsWith("/dev/tty")) {
      return false;
    }
    for (int i = "/dev/tty".length(); i < target.length(); i++) {
      char c = target.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
        return false;
      }
    }
    return true;
  }
}
