package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.link.LinkTypes;
import dev.wirelens.pcapng.PcapWriter;
import dev.wirelens.testkit.PacketBuilder;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress bar end to end, through {@code Wirelens.run} with a given {@link Terminals}: drawn and erased on a
 * terminal, never written when standard error is not one (the real detection, in this test JVM whose standard error
 * is a pipe to Maven), for standard input, or for JSON Lines on a terminal. The capture: one TCP connection of
 * 5,000 packets of 154 bytes (pcap: 24 + 5,000 x (16 + 154) = 850,024 bytes, 0.8 MiB), so that the audit reports
 * its progress once, at frame 4,096 (offset 696,174 or 696,344: 81% and 0.7 MiB either way).
 */
class AuditProgressBarTest {
  private static final int PACKETS = 5000;
  private static final String START = "\r[                         ]   0%      0.0 MiB of 0.8 MiB  0:00";
  private static final String AT_4096 = "\r[####################     ]  81%      0.7 MiB of 0.8 MiB  0:01";
  private static final String BLANK = "\r" + " ".repeat(AT_4096.length() - 1) + "\r";

  @TempDir
  static Path dir;
  static Path capture;

  @BeforeAll
  static void writeCapture() throws IOException {
    capture = dir.resolve("long.pcap");
    long t = 1_795_824_000_000_000_000L;
    try (PcapWriter w = PcapWriter.create(capture, LinkTypes.ETHERNET)) {
      long seq = 1000;
      for (int i = 0; i < PACKETS; i++) { // 54 bytes of headers + 100 of payload, the client talking alone
        int flags = i == 0 ? PacketBuilder.ACK | PacketBuilder.PSH : PacketBuilder.ACK;
        byte[] frame = PacketBuilder.ethernet().ipv4("10.0.0.2", "10.0.0.1").tcp(40000, 8084).seq(seq).ack(1)
            .flags(flags).window(65535).payload(100).build();
        w.writeRecord(t + i * 1_000_000L, Unpooled.wrappedBuffer(frame), frame.length);
        seq += 100;
      }
    }
    assertThat(Files.size(capture)).isEqualTo(850_024);
  }

  /** A clock one second later at each reading: the bar's start is 0:00, its first update 0:01. */
  private static Terminals terminals(boolean stdout, boolean stderr) {
    AtomicLong now = new AtomicLong(-1_000_000_000L);
    return new Terminals(stdout, stderr, 0, () -> now.addAndGet(1_000_000_000L));
  }

  private static AuditRun run(Terminals t, InputStream stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 1];
    all[0] = "audit";
    System.arraycopy(args, 0, all, 1, args.length);
    int code = Wirelens.run(t, stdin, new PrintWriter(out), new PrintWriter(err), all);
    return new AuditRun(code, out.toString(), err.toString());
  }

  private static AuditRun run(Terminals t, String... args) {
    return run(t, new ByteArrayInputStream(new byte[0]), args);
  }

  @Test
  void onATerminalTheBarIsDrawnUpdatedAndErasedAndTheJsonIsUntouched() {
    AuditRun plain = run(terminals(false, false), "--json", capture.toString());
    AuditRun r = run(terminals(false, true), "--json", capture.toString());
    assertThat(r.code()).isZero();
    assertThat(r.err()).isEqualTo(START + AT_4096 + BLANK);
    assertThat(r.out()).isEqualTo(plain.out());
    assertThat(r.json()).hasSize(1);
  }

  @Test
  void aCaptureThatBreaksOffErasesTheBarBeforeItsOneErrorLine() throws IOException {
    // the first 800,000 bytes (0.8 MiB): frame 4,096 ends at 87% of them, record 4,706 is cut
    Path cut = dir.resolve("cut.pcap");
    Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(capture), 800_000));
    String at4096 = "\r[#####################    ]  87%      0.7 MiB of 0.8 MiB  0:01";
    String bar = START + at4096 + "\r" + " ".repeat(at4096.length() - 1) + "\r";
    AuditRun r = run(terminals(false, true), "--json", cut.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith(bar);
    String after = r.err().substring(bar.length());
    assertThat(after.lines().toList()).hasSize(1);
    assertThat(after).startsWith("wirelens audit: " + cut + ": truncated capture").doesNotContain("\r").endsWith("\n");
  }

  @Test
  void whenStandardErrorIsNotATerminalNothingIsWritten() {
    Terminals real = Terminals.detect();
    assertThat(real.stderr()).as("standard error of a test JVM is a pipe").isFalse();
    AuditRun r = run(new Terminals(real.stdout(), real.stderr(), 0, real.nanoClock()), capture.toString());
    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(run(terminals(true, false), "--json", capture.toString()).err()).isEmpty();
  }

  @Test
  void jsonLinesOnTheTerminalGetNoBar() {
    assertThat(run(terminals(true, true), "--json", capture.toString()).err()).isEmpty();
  }

  @Test
  void standardInputGetsNoBar() throws IOException {
    AuditRun r = run(terminals(true, true), Files.newInputStream(capture), "-");
    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
  }

  @Test
  void smallFilesGetNoBar() {
    Terminals t = new Terminals(true, true, Terminals.PROGRESS_MIN_BYTES, System::nanoTime);
    assertThat(run(t, capture.toString()).err()).isEmpty();
  }

  @Test
  void onTheSameTerminalTheBarIsErasedBeforeTheTableIsPrinted() {
    String table = run(terminals(false, false), capture.toString()).out();
    StringWriter screen = new StringWriter(); // standard output and error on one terminal
    PrintWriter both = new PrintWriter(screen);
    int code = Wirelens.run(terminals(true, true), new ByteArrayInputStream(new byte[0]), both, both, "audit",
        capture.toString());
    assertThat(code).isZero();
    assertThat(screen.toString()).isEqualTo(START + AT_4096 + BLANK + table);
  }
}
