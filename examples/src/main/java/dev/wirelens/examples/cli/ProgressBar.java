package dev.wirelens.examples.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Internal: {@code wirelens audit}'s one-line progress bar on standard error, for large capture files read on a
 * terminal ({@link #wanted}). The line is drawn from three numbers, bytes read, file size and time elapsed
 * ({@link #render}), for example
 *
 * <pre>
 * [######                   ]  24%   245.8 MiB of 1024.0 MiB  0:03
 * </pre>
 *
 * <p>It starts with a carriage return and is redrawn in place at most {@link #UPDATES_PER_SECOND} times a second,
 * and only when its text changed. {@link #erase()} blanks it; the command erases it before every line it prints (a
 * report row, a warning), so that rows and bar never share a line on the terminal, and at the end, so nothing of it
 * stays behind.
 *
 * <p>Thread safety: the methods are synchronized (the report consumer may run on another thread than the reader).
 */
final class ProgressBar implements LongConsumer {
  /** Most redraws per second. */
  static final int UPDATES_PER_SECOND = 4;
  /** Characters between the brackets. */
  static final int WIDTH = 25;
  private static final long MIN_REDRAW_NANOS = 1_000_000_000L / UPDATES_PER_SECOND;
  private static final double MIB = 1024.0 * 1024.0;

  private final PrintWriter err;
  private final long total;
  private final LongSupplier nanoClock;
  private final long startNanos;
  private long lastDrawNanos;
  private String shown;
  private boolean visible;

  /**
   * A bar for a file of {@code total} bytes, timed by {@code nanoClock} (e.g. {@code System::nanoTime}); draws the
   * 0% line at once.
   */
  ProgressBar(PrintWriter err, long total, LongSupplier nanoClock) {
    this.err = err;
    this.total = Math.max(1, total);
    this.nanoClock = nanoClock;
    this.startNanos = nanoClock.getAsLong();
    draw(0, startNanos);
  }

  /**
   * Whether {@code wirelens audit} shows a bar: the input is a file (not {@code -}) of at least {@code minBytes},
   * standard error is a terminal, and the output is not JSON Lines on the same terminal (machine output a person is
   * reading or copying: a bar between the lines would be noise).
   */
  static boolean wanted(boolean file, long size, long minBytes, boolean stderrTerminal, boolean stdoutTerminal,
      boolean json) {
    return file && size >= minBytes && stderrTerminal && !(json && stdoutTerminal);
  }

  /**
   * The bar's text for {@code read} of {@code total} bytes after {@code elapsedNanos}: a carriage return, 25
   * columns of {@code #} for the share read, the whole percent (capped at 100: the offset of a gzipped file counts
   * uncompressed bytes), both sizes in MiB with one decimal, and the time as minutes:seconds.
   */
  static String render(long read, long total, long elapsedNanos) {
    long size = Math.max(1, total);
    int percent = (int) Math.max(0, Math.min(100, read * 100 / size));
    int filled = percent * WIDTH / 100;
    long seconds = Math.max(0, elapsedNanos / 1_000_000_000L);
    return String.format(Locale.ROOT, "\r[%s%s] %3d%% %8.1f MiB of %.1f MiB %2d:%02d", "#".repeat(filled),
        " ".repeat(WIDTH - filled), percent, Math.min(read, total) / MIB, total / MIB, seconds / 60, seconds % 60);
  }

  /** Bytes read so far: redraws the bar if a quarter second passed since the last draw and its text changed. */
  @Override
  public synchronized void accept(long read) {
    long now = nanoClock.getAsLong();
    if (visible && now - lastDrawNanos < MIN_REDRAW_NANOS) {
      return;
    }
    draw(read, now);
  }

  private void draw(long read, long now) {
    String text = render(read, total, now - startNanos);
    if (visible && text.equals(shown)) {
      return;
    }
    err.print(text);
    err.flush();
    shown = text;
    visible = true;
    lastDrawNanos = now;
  }

  /** Blanks the bar's line and puts the cursor at its start (nothing when it is not shown); the next update redraws. */
  synchronized void erase() {
    if (visible) {
      err.print("\r" + " ".repeat(shown.length() - 1) + "\r");
      err.flush();
      visible = false;
    }
  }
}
