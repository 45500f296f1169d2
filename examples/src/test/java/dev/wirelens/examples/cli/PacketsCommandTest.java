package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.pcapng.PcapWriter;
import dev.wirelens.testkit.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The {@code packets} command's behaviour apart from the line contents: inputs, errors, exit codes, options. */
class PacketsCommandTest {
  @TempDir Path dir;

  /** Output of one in-process run. */
  private record Run(int code, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }
  }

  private static Run run(InputStream stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Wirelens.run(stdin, new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  private static Run run(String... args) {
    return run(new ByteArrayInputStream(new byte[0]), args);
  }

  private static void assertOneErrorLine(Run r, String file, String problem) {
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines().toList()).hasSize(1);
    assertThat(r.err()).contains(file).contains(problem).doesNotContain("Exception").doesNotContain("\tat ");
  }

  /** Number of packets in a recorded capture: lines of tshark's summary recorded next to it. */
  private static int packetsIn(String capture) throws IOException {
    return Files.readAllLines(CliCaptures.path(capture + ".txt")).size();
  }

  @Test
  void readsACaptureFile() throws IOException {
    Run r = run("packets", CliCaptures.path("vlan.pcap").toString());
    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.lines()).hasSize(packetsIn("vlan.pcap"));
    assertThat(r.lines().get(0)).isEqualTo(
        "    1 0.000000 02:00:5e:00:64:01 → ff:ff:ff:ff:ff:ff ARP 46 Who has 10.200.100.2? Tell 10.200.100.1");
  }

  @Test
  void gzippedCaptureReadsLikeThePlainOne() throws IOException {
    Path gz = dir.resolve("multi-interface.pcapng.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(CliCaptures.path("multi-interface.pcapng")));
    }
    Run r = run("packets", gz.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo(run("packets", CliCaptures.path("multi-interface.pcapng").toString()).out());
    assertThat(r.lines()).hasSize(packetsIn("multi-interface.pcapng"));
  }

  @Test
  void limitStopsAfterNPackets() {
    Run r = run("packets", "--limit", "3", CliCaptures.path("ethernet.pcapng").toString());
    assertThat(r.code()).isZero();
    assertThat(r.lines()).hasSize(3);
    assertThat(r.lines().get(2)).startsWith("    3 ");
  }

  @Test
  void limitZeroPrintsNothing() {
    Run r = run("packets", "--limit", "0", CliCaptures.path("ethernet.pcapng").toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEmpty();
  }

  @Test
  void dashReadsStandardInput() throws IOException {
    byte[] capture = Files.readAllBytes(CliCaptures.path("sll2.pcap"));
    Run r = run(new ByteArrayInputStream(capture), "packets", "-");
    Run fromFile = run("packets", CliCaptures.path("sll2.pcap").toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).isEqualTo(fromFile.out());
  }

  @Test
  @Timeout(30)
  void standardInputIsPrintedAsPacketsArriveNotAtEndOfInput() throws Exception {
    byte[] capture = Files.readAllBytes(CliCaptures.path("vlan.pcap"));
    int firstThree = pcapRecordsEnd(capture, 3);
    PipedOutputStream feed = new PipedOutputStream();
    PipedInputStream stdin = new PipedInputStream(feed, 1 << 16);
    LineCountingWriter out = new LineCountingWriter(3);
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> cli = CompletableFuture.supplyAsync(
        () -> Wirelens.run(stdin, new PrintWriter(out), new PrintWriter(err), "packets", "-"));
    feed.write(capture, 0, firstThree);
    feed.flush();
    // The pipe stays open: the three lines must come out while the command still waits for more input.
    assertThat(out.await(20, TimeUnit.SECONDS)).as("3 lines printed before end of input").isTrue();
    assertThat(cli).isNotDone();
    assertThat(out.text().lines().toList()).hasSize(3);
    feed.write(capture, firstThree, capture.length - firstThree);
    feed.close();
    assertThat(cli.get(20, TimeUnit.SECONDS)).isZero();
    assertThat(err.toString()).isEmpty();
    assertThat(out.text().lines().toList()).hasSize(packetsIn("vlan.pcap"));
  }

  @Test
  void missingFileIsOneLineAndExitTwo() {
    String missing = dir.resolve("nope.pcap").toString();
    Run r = run("packets", missing);
    assertOneErrorLine(r, missing, "no such file");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void directoryIsOneLineAndExitTwo() {
    Run r = run("packets", dir.toString());
    assertOneErrorLine(r, dir.toString(), "is a directory");
  }

  @Test
  void fileThatIsNotACaptureIsOneLineAndExitTwo() throws IOException {
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "these are not the packets you are looking for\n");
    Run r = run("packets", text.toString());
    assertOneErrorLine(r, text.toString(), "not a pcap or pcapng capture");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void emptyFileIsOneLineAndExitTwo() throws IOException {
    Path empty = Files.createFile(dir.resolve("empty.pcap"));
    Run r = run("packets", empty.toString());
    assertOneErrorLine(r, empty.toString(), "empty");
  }

  @Test
  void truncatedFilePrintsWhatItCouldReadThenOneLine() throws IOException {
    byte[] capture = Files.readAllBytes(CliCaptures.path("vlan.pcap"));
    int cut = pcapRecordsEnd(capture, 5) + 10; // inside the 6th record header
    Path truncated = dir.resolve("cut.pcap");
    Files.write(truncated, Arrays.copyOf(capture, cut));
    Run r = run("packets", truncated.toString());
    assertOneErrorLine(r, truncated.toString(), "truncated");
    assertThat(r.err()).contains("offset " + pcapRecordsEnd(capture, 5));
    assertThat(r.lines()).hasSize(5);
  }

  @Test
  void truncatedStandardInputNamesStdin() throws IOException {
    byte[] capture = Files.readAllBytes(CliCaptures.path("vlan.pcap"));
    Run r = run(new ByteArrayInputStream(Arrays.copyOf(capture, pcapRecordsEnd(capture, 2) + 30)), "packets", "-");
    assertOneErrorLine(r, "<stdin>", "truncated");
    assertThat(r.lines()).hasSize(2);
  }

  @Test
  void unknownLinkTypeIsOneLineAndExitTwo() throws IOException {
    Path file = dir.resolve("dlt147.pcap");
    writePcap(file, 147, Hex.decode("00112233445566778899"));
    Run r = run("packets", file.toString());
    assertOneErrorLine(r, file.toString(), "unsupported link type 147");
  }

  @Test
  void malformedFrameIsPrintedWithItsMalformationAndTheCommandGoesOn() throws IOException {
    // Ethernet II, IPv4 with IHL 4 (below the minimum of 5, RFC 791 §3.1), then a good ARP frame.
    byte[] badIp = Hex.decode("020000000002" + "020000000001" + "0800"
        + "44000014000040004001" + "0000" + "0a000001" + "0a000002");
    byte[] arp = Hex.decode("ffffffffffff" + "020000000001" + "0806"
        + "0001080006040001" + "020000000001" + "0a000001" + "000000000000" + "0a000002");
    Path file = dir.resolve("bad.pcap");
    writePcap(file, 1, badIp, arp);
    Run r = run("packets", file.toString());
    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.lines()).hasSize(2);
    assertThat(r.lines().get(0)).endsWith("IPv4 34 [Malformed IPV4: BAD_LENGTH_FIELD at offset 14]");
    assertThat(r.lines().get(1)).endsWith("ARP 42 Who has 10.0.0.2? Tell 10.0.0.1");
  }

  @Test
  void packetStampedBeforeTheFirstGetsANegativeTimeLikeTshark() throws IOException {
    byte[] arp = Hex.decode("ffffffffffff" + "020000000001" + "0806"
        + "0001080006040001" + "020000000001" + "0a000001" + "000000000000" + "0a000002");
    Path file = dir.resolve("backwards.pcap");
    long t = 1_700_000_000_000_000_000L;
    writePcap(file, 1, new long[] {t, t - 1_250_000_000L}, arp, arp);
    Run r = run("packets", file.toString());
    assertThat(r.code()).isZero();
    assertThat(r.lines().get(0)).startsWith("    1 0.000000 ");
    // tshark 4.0.17 -r on the same two records prints "    2  -1.250000 ...".
    assertThat(r.lines().get(1)).startsWith("    2 -1.250000 ");
  }

  @Test
  void missingCaptureArgumentIsUsageErrorExitTwo() {
    Run r = run("packets");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("CAPTURE");
  }

  @Test
  void noCommandIsUsageErrorExitTwo() {
    Run r = run();
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("missing command").contains("packets");
  }

  @Test
  void unknownOptionIsUsageErrorExitTwo() {
    Run r = run("packets", "--frobnicate", "x.pcap");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--frobnicate");
  }

  @Test
  void helpAndVersionExitZero() {
    Run help = run("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("packets");
    Run packetsHelp = run("packets", "--help");
    assertThat(packetsHelp.code()).isZero();
    assertThat(packetsHelp.out()).contains("--limit").contains("CAPTURE|-");
    Run version = run("--version");
    assertThat(version.code()).isZero();
    assertThat(version.out()).startsWith("wirelens ");
  }

  /** Offset just past the first {@code n} records of a classic pcap file (either byte order). */
  private static int pcapRecordsEnd(byte[] pcap, int n) {
    ByteBuffer b = ByteBuffer.wrap(pcap);
    int magic = b.getInt(0);
    b.order(magic == 0xa1b2c3d4 || magic == 0xa1b23c4d ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    int offset = 24;
    for (int i = 0; i < n; i++) {
      offset += 16 + b.getInt(offset + 8);
    }
    return offset;
  }

  private static void writePcap(Path file, int linkType, byte[]... frames) throws IOException {
    long[] times = new long[frames.length];
    for (int i = 0; i < frames.length; i++) {
      times[i] = 1_700_000_000_000_000_000L + i * 1_000L;
    }
    writePcap(file, linkType, times, frames);
  }

  /** A little-endian microsecond pcap of the given frames with the given timestamps (epoch ns). */
  private static void writePcap(Path file, int linkType, long[] times, byte[]... frames) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PcapWriter w = new PcapWriter(bytes, linkType, 65535, false, true)) {
      for (int i = 0; i < frames.length; i++) {
        ByteBuf buf = Unpooled.wrappedBuffer(frames[i]);
        try {
          w.writeRecord(times[i], buf, frames[i].length);
        } finally {
          buf.release();
        }
      }
    }
    Files.write(file, bytes.toByteArray());
  }

  /**
   * A writer that signals once a number of complete lines has been flushed: the command must flush each line
   * for a live pipe, so lines are counted at {@code flush()}, not at {@code write()}.
   */
  private static final class LineCountingWriter extends Writer {
    private final StringBuffer text = new StringBuffer();
    private final CountDownLatch reached = new CountDownLatch(1);
    private final int target;

    LineCountingWriter(int target) {
      this.target = target;
    }

    @Override
    public void write(char[] cbuf, int off, int len) {
      text.append(cbuf, off, len);
    }

    @Override
    public void flush() {
      if (text.chars().filter(c -> c == '\n').count() >= target) {
        reached.countDown();
      }
    }

    @Override
    public void close() {}

    boolean await(long time, TimeUnit unit) throws InterruptedException {
      return reached.await(time, unit);
    }

    String text() {
      return text.toString();
    }
  }
}
