package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code wirelens audit}'s progress bar: its exact text, its redraw rate, its erasure, and when it is shown. */
class ProgressBarTest {
  private static final long MIB = 1L << 20;
  private static final long MS = 1_000_000L;

  private final StringWriter written = new StringWriter();
  private final PrintWriter err = new PrintWriter(written);
  private long now;

  @Test
  void theBarShowsTheShareReadBothSizesAndTheTimeElapsed() {
    assertThat(ProgressBar.render(0, 64 * MIB, 0))
        .isEqualTo("\r[                         ]   0%      0.0 MiB of 64.0 MiB  0:00");
    assertThat(ProgressBar.render(16 * MIB, 64 * MIB, 3_500 * MS))
        .isEqualTo("\r[######                   ]  25%     16.0 MiB of 64.0 MiB  0:03");
    assertThat(ProgressBar.render(1023 * MIB + MIB / 2, 2048 * MIB, 61_000 * MS))
        .isEqualTo("\r[############             ]  49%   1023.5 MiB of 2048.0 MiB  1:01");
    assertThat(ProgressBar.render(64 * MIB, 64 * MIB, 125_000 * MS))
        .isEqualTo("\r[#########################] 100%     64.0 MiB of 64.0 MiB  2:05");
  }

  @Test
  void anOffsetBeyondTheFileSizeShowsTheWholeFile() {
    // a gzipped capture's offsets count uncompressed bytes
    assertThat(ProgressBar.render(300 * MIB, 64 * MIB, 0))
        .isEqualTo("\r[#########################] 100%     64.0 MiB of 64.0 MiB  0:00");
  }

  @Test
  void theBarIsDrawnAtOnceThenAtMostFourTimesASecondAndOnlyWhenItsTextChanges() {
    ProgressBar bar = new ProgressBar(err, 100 * MIB, () -> now);
    String first = "\r[                         ]   0%      0.0 MiB of 100.0 MiB  0:00";
    assertThat(written.toString()).isEqualTo(first);
    now = 100 * MS;
    bar.accept(50 * MIB); // a tenth of a second after the last draw: not yet
    assertThat(written.toString()).isEqualTo(first);
    now = 300 * MS;
    bar.accept(50 * MIB);
    String half = "\r[############             ]  50%     50.0 MiB of 100.0 MiB  0:00";
    assertThat(written.toString()).isEqualTo(first + half);
    now = 700 * MS;
    bar.accept(50 * MIB); // same text: nothing written
    assertThat(written.toString()).isEqualTo(first + half);
    now = 1_000 * MS;
    bar.accept(50 * MIB); // the clock moved to 0:01
    assertThat(written.toString()).isEqualTo(first + half
        + "\r[############             ]  50%     50.0 MiB of 100.0 MiB  0:01");
  }

  @Test
  void erasingBlanksTheLineOnceAndTheNextUpdateRedrawsAtOnce() {
    ProgressBar bar = new ProgressBar(err, 100 * MIB, () -> now);
    String first = "\r[                         ]   0%      0.0 MiB of 100.0 MiB  0:00";
    bar.erase();
    String blank = "\r" + " ".repeat(first.length() - 1) + "\r";
    assertThat(written.toString()).isEqualTo(first + blank);
    bar.erase(); // nothing shown: nothing to erase
    assertThat(written.toString()).isEqualTo(first + blank);
    now = 10 * MS; // within the quarter second, but the line is blank: drawn again
    bar.accept(MIB);
    assertThat(written.toString()).isEqualTo(first + blank
        + "\r[                         ]   1%      1.0 MiB of 100.0 MiB  0:00");
  }

  @Test
  void aBarOnlyForLargeFilesWhenStandardErrorIsATerminalAndJsonDoesNotGoToOne() {
    long min = Terminals.PROGRESS_MIN_BYTES;
    assertThat(ProgressBar.wanted(true, min, min, true, false, false)).isTrue();
    assertThat(ProgressBar.wanted(true, min, min, true, true, false)).isTrue(); // the table: erased around rows
    assertThat(ProgressBar.wanted(true, min, min, true, false, true)).isTrue(); // --json > file or | jq
    assertThat(ProgressBar.wanted(true, min, min, true, true, true)).isFalse(); // --json on the terminal
    assertThat(ProgressBar.wanted(true, min, min, false, true, false)).isFalse(); // 2> file
    assertThat(ProgressBar.wanted(true, min - 1, min, true, false, false)).isFalse();
    assertThat(ProgressBar.wanted(false, min, min, true, false, false)).isFalse(); // standard input
  }

  @Test
  void aTerminalIsAPseudoTerminalOrATtyDeviceNotAPipeOrAFile() {
    assertThat(Terminals.isTerminalDevice("/dev/pts/3")).isTrue();
    assertThat(Terminals.isTerminalDevice("/dev/tty1")).isTrue();
    assertThat(Terminals.isTerminalDevice("/dev/tty")).isTrue();
    assertThat(Terminals.isTerminalDevice("/dev/console")).isTrue();
    assertThat(Terminals.isTerminalDevice("pipe:[123456]")).isFalse();
    assertThat(Terminals.isTerminalDevice("/dev/null")).isFalse();
    assertThat(Terminals.isTerminalDevice("/tmp/audit.err")).isFalse();
    assertThat(Terminals.isTerminalDevice("socket:[99]")).isFalse();
  }

  @Test
  void aTtyDeviceIsWhatTheRegularExpressionOfBeforeMatched() {
    for (String target : new String[] {"/dev/tty", "/dev/ttyS0", "/dev/ttyUSB1", "/dev/tty-1", "/dev/tty1/x",
        "/dev/tty\u00e9", "/dev/tt", "/dev/ttyz9Z", "/dev/tty ", "x/dev/tty1", "/dev/tty:", "/dev/tty@", "/dev/tty[",
        "/dev/tty`", "/dev/tty{"}) {
      assertThat(Terminals.isTerminalDevice(target)).as(target).isEqualTo(target.matches("/dev/tty[0-9A-Za-z]*"));
    }
  }
}
