package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 8, "the command line under bad input": every subcommand ({@code packets}, {@code flows --out},
 * {@code audit}, {@code audit --json}, with {@code --keylog} where it takes one) times every kind of bad input. Each
 * run must end with exit code 2 and exactly one line on standard error naming the input and the problem, with no
 * stack trace and no exception name; what was written before the error must stay whole: the {@code packets} lines
 * are the first lines of the run over the whole capture, every JSON line parses, {@code index.json} parses, says
 * {@code "complete": false} with the same error, and each stream file it names has its listed size and is a prefix
 * of the same file from the whole capture.
 *
 * <p>Expected offsets and packet counts come from walking the record and block lengths of the source captures here
 * (pcap record headers, pcapng block total lengths), not from the readers under test; the whole-capture outputs the
 * cut ones are compared with are themselves checked against tshark by {@code PacketsCommandMatchesTsharkTest} and
 * {@code FlowsCommandMatchesTsharkTest}.
 *
 * <p>"Unreadable key log": the tests run as root here, and root reads a file of mode 000, so the key log that no
 * user can read is a directory (reading it fails with "Is a directory" for root too).
 */
class CommandLineUnderBadInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private static byte[] pcap;
  private static byte[] pcapng;
  private static Path goodCapture;
  private static final List<Case> CASES = new ArrayList<>();

  /** One bad input: what the command is given and what its error line must say. */
  record Case(String name, String capture, byte[] stdin, Path keylog, String named, String problem,
      long packetsBefore, byte[] source) {
    boolean upFront() {
      return packetsBefore < 0;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** The subcommands, each with the arguments it is given for a case. */
  enum Command {
    PACKETS, FLOWS, AUDIT, AUDIT_JSON;

    String[] args(Case c, Path out) {
      List<String> a = new ArrayList<>();
      switch (this) {
        case PACKETS -> a.add("packets");
        case FLOWS -> a.addAll(List.of("flows", "--out", out.toString()));
        case AUDIT -> a.add("audit");
        case AUDIT_JSON -> a.addAll(List.of("audit", "--json"));
      }
      if (c.keylog != null) {
        a.addAll(List.of("--keylog", c.keylog.toString()));
      }
      a.add(c.capture);
      return a.toArray(String[]::new);
    }

    String word() {
      return this == PACKETS ? "packets" : this == FLOWS ? "flows" : "audit";
    }
  }

  @BeforeAll
  static void makeBadInputs() throws IOException {
    pcap = Files.readAllBytes(CliCaptures.path("http.pcap"));
    pcapng = Files.readAllBytes(CliCaptures.path("ethernet.pcapng"));
    goodCapture = CliCaptures.path("http.pcap");

    notACapture("an empty file", Files.write(dir.resolve("empty.pcap"), new byte[0]), "empty file, not a capture");
    upFront("a directory", Files.createDirectories(dir.resolve("a-directory")), "is a directory, not a capture file");
    notACapture("a text file", Files.writeString(dir.resolve("notes.txt"), "this is not a capture\n"),
        "not a pcap or pcapng capture (unknown magic number at offset 0)");
    // the PNG signature and the start of an IHDR chunk (ISO/IEC 15948 §5.2)
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    notACapture("a PNG image", Files.write(dir.resolve("image.png"), png),
        "not a pcap or pcapng capture (unknown magic number at offset 0)");
    upFront("a nonexistent path", dir.resolve("no-such.pcap"), "no such file");
    byte[] linkType147 = pcap.clone();
    ByteBuffer.wrap(linkType147).order(pcapOrder()).putInt(20, 147); // LINKTYPE_USER0
    Path user0 = Files.write(dir.resolve("user0.pcap"), linkType147);
    CASES.add(new Case("a capture of link type 147", user0.toString(), null, null, user0.toString(),
        "unsupported link type 147 (LINKTYPE_147) at packet 1", 0, linkType147));

    // pcap: global header 24 bytes, then records of a 16-byte header and incl_len bytes (pcap file format)
    truncated("a pcap cut in its file header", pcap, 12, 0, 0, "24 bytes needed, 12 available");
    long[] record = pcapRecordContaining(pcap.length / 2); // {offset, length, packets before}
    int cutPcap = (int) (record[0] + 16 + (record[1] - 16) / 2);
    truncated("a pcap cut inside a packet", pcap, cutPcap, record[0], record[2],
        record[1] + " bytes needed, " + (cutPcap - record[0]) + " available");
    // pcapng: blocks of type(4), total length(4), body, total length(4) (pcapng draft §3.1)
    truncated("a pcapng cut in its section header", pcapng, 10, 0, 0, "12 bytes needed, 10 available");
    long[] block = pcapngBlockContaining(pcapng.length * 2 / 3);
    int cutPcapng = (int) (block[0] + block[1] / 2);
    truncated("a pcapng cut inside a block", pcapng, cutPcapng, block[0], block[2],
        block[1] + " bytes needed, " + (cutPcapng - block[0]) + " available");
    byte[] cut = Arrays.copyOf(pcapng, cutPcapng);
    CASES.add(new Case("standard input closing inside a pcapng block", "-", cut, null, "<stdin>",
        "truncated capture at offset " + block[0] + ": " + block[1] + " bytes needed, " + (cutPcapng - block[0])
            + " available (after " + block[2] + " packets)", block[2], cut));

    keylog("a missing key log", dir.resolve("missing.keys"), "no such file");
    keylog("a key log no one can read (a directory)", Files.createDirectories(dir.resolve("keys-dir")),
        "is a directory, not a TLS key log");
    keylog("a key log that is prose", Files.writeString(dir.resolve("prose.keys"), "secrets are in the vault\n"),
        "not a TLS key log: no line starts with a key log label such as CLIENT_RANDOM");
    keylog("a key log line with bad hex",
        Files.writeString(dir.resolve("badhex.keys"), "CLIENT_RANDOM zz 00\n"), "not a TLS key log: ");
    keylog("a capture given as key log", goodCapture, "not a TLS key log (binary data; a capture given as --keylog?)");
  }

  private static void upFront(String name, Path path, String problem) {
    CASES.add(new Case(name, path.toString(), null, null, path.toString(), problem, -1, null));
  }

  /** A file the reader opens and refuses: nothing read, but {@code flows} has begun its index. */
  private static void notACapture(String name, Path path, String problem) {
    CASES.add(new Case(name, path.toString(), null, null, path.toString(), problem, 0, null));
  }

  private static void truncated(String name, byte[] source, int cut, long offset, long packets, String lengths)
      throws IOException {
    Path file = Files.write(dir.resolve(name.replace(' ', '-') + ".cap"), Arrays.copyOf(source, cut));
    String problem = "truncated capture at offset " + offset + ": " + lengths + " (after " + packets + " packets)";
    CASES.add(new Case(name, file.toString(), null, null, file.toString(), problem, packets,
        Arrays.copyOf(source, cut)));
  }

  private static void keylog(String name, Path keylog, String problem) {
    CASES.add(new Case(name, goodCapture.toString(), null, keylog, keylog.toString(), problem, -1, null));
  }

  static Stream<Arguments> matrix() {
    List<Arguments> all = new ArrayList<>();
    for (Command command : Command.values()) {
      for (Case c : CASES) {
        if (command == Command.PACKETS && c.keylog != null) {
          continue; // packets takes no key log
        }
        all.add(Arguments.of(command, c));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} given {1}")
  @MethodSource("matrix")
  void everyCommandEndsBadInputWithOneLineAndExitCode2AndKeepsWhatItWrote(Command command, Case c)
      throws IOException {
    Path out = Files.createTempDirectory(dir, "out");
    Files.delete(out); // flows creates it; it must not be left behind by a run refused up front
    Result r = run(c.stdin == null ? new byte[0] : c.stdin, command.args(c, out));

    assertThat(r.code).as(r.err).isEqualTo(2);
    assertThat(r.err.lines().toList()).as(r.err).hasSize(1);
    assertThat(r.err).startsWith("wirelens " + command.word() + ": " + c.named + ": " + c.problem)
        .doesNotContain("Exception").doesNotContain("at dev.").doesNotContain("\tat ");

    switch (command) {
      case PACKETS -> {
        List<String> lines = r.out.lines().toList();
        long expected = Math.max(0, c.packetsBefore);
        assertThat(lines).hasSize((int) expected);
        if (expected > 0) {
          List<String> whole = run(new byte[0], "packets", source(c)).out.lines().toList();
          assertThat(lines).isEqualTo(whole.subList(0, lines.size()));
        }
      }
      case AUDIT_JSON -> {
        long previous = -1;
        for (String line : r.out.lines().toList()) {
          JsonNode n = JSON.readTree(line); // fails on a cut line
          assertThat(n.isObject()).isTrue();
          assertThat(n.get("id").asLong()).isGreaterThan(previous);
          assertThat(n.get("verdict").get("encrypted").isBoolean()).isTrue();
          previous = n.get("id").asLong();
        }
        if (c.packetsBefore <= 0) {
          assertThat(r.out).isEmpty();
        }
      }
      case AUDIT -> {
        if (c.packetsBefore <= 0) {
          assertThat(r.out).as("no table and no verdict for an input that gave nothing").isEmpty();
        } else {
          assertThat(r.out).contains("verdict (of the connections read before the input broke off): ");
        }
      }
      case FLOWS -> checkFlows(c, out, r);
    }
  }

  /**
   * The real {@code main} in a child JVM (the test's own class path: the classes the jar is shaded from; the jar is
   * built after the tests), its standard input a pipe that delivers part of a pcapng capture, pauses, delivers up to
   * the middle of a block and closes: one line on standard error, exit code 2, valid JSON lines before it, and no
   * stack trace from {@code main} or any other thread.
   */
  @Test
  @Timeout(120)
  void theProcessGivenAPipeThatClosesMidBlockPrintsOneLineAndNoStackTrace() throws Exception {
    long[] block = pcapngBlockContaining(pcapng.length * 2 / 3);
    int cut = (int) (block[0] + block[1] / 2);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        Wirelens.class.getName(), "audit", "--json", "-").start();
    CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
    CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    try (OutputStream pipe = p.getOutputStream()) {
      pipe.write(pcapng, 0, cut / 2);
      pipe.flush();
      Thread.sleep(300); // the reader waits for more, as on a live tcpdump pipe
      pipe.write(pcapng, cut / 2, cut - cut / 2);
    }
    assertThat(p.waitFor(100, TimeUnit.SECONDS)).isTrue();
    String err = new String(stderr.get(), StandardCharsets.UTF_8);
    String out = new String(stdout.get(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(err).isEqualTo(2);
    assertThat(err.lines().toList()).as(err).containsExactly("wirelens audit: <stdin>: truncated capture at offset "
        + block[0] + ": " + block[1] + " bytes needed, " + (cut - block[0]) + " available (after " + block[2]
        + " packets)");
    assertThat(out.lines().toList()).isNotEmpty();
    for (String line : out.lines().toList()) {
      assertThat(JSON.readTree(line).get("verdict").isObject()).isTrue();
    }
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void checkFlows(Case c, Path out, Result r) throws IOException {
    assertThat(r.out).isEmpty();
    Path index = out.resolve("index.json");
    if (c.upFront()) {
      assertThat(index).doesNotExist();
      return;
    }
    JsonNode json = JSON.readTree(index.toFile());
    assertThat(json.get("complete").asBoolean()).isFalse();
    assertThat(json.get("error").asText()).isEqualTo(c.problem);
    assertThat(json.get("connection_count").asInt()).isEqualTo(json.get("connections").size());
    if (json.get("connections").isEmpty()) {
      return;
    }
    Path wholeOut = Files.createTempDirectory(dir, "whole");
    Result whole = run(new byte[0], "flows", "--out", wholeOut.toString(), source(c));
    assertThat(whole.code).as(whole.err).isZero();
    for (JsonNode connection : json.get("connections")) {
      for (String side : List.of("client", "server")) {
        JsonNode stream = connection.get("streams").get(side);
        byte[] bytes = Files.readAllBytes(out.resolve(stream.get("file").asText()));
        assertThat((long) bytes.length).isEqualTo(stream.get("bytes").asLong());
        byte[] all = Files.readAllBytes(wholeOut.resolve(stream.get("file").asText()));
        assertThat(bytes).as("%s is a prefix of the whole capture's file", stream.get("file").asText())
            .isEqualTo(Arrays.copyOf(all, Math.min(all.length, bytes.length)));
        assertThat(bytes.length).isLessThanOrEqualTo(all.length);
      }
    }
  }

  /** The uncut capture a truncated case was made from, as a file. */
  private static String source(Case c) throws IOException {
    byte[] original = c.source.length > 0 && c.source[0] == 0x0a ? pcapng : pcap;
    Path p = dir.resolve(original == pcapng ? "whole.pcapng" : "whole.pcap");
    if (!Files.exists(p)) {
      Files.write(p, original);
    }
    return p.toString();
  }

  record Result(int code, String out, String err) {}

  /** Runs in process; standard input delivers at most 100 bytes per read, as a pipe hands over what it has. */
  private static Result run(byte[] stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    InputStream in = new ByteArrayInputStream(stdin) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 100));
      }
    };
    int code = Wirelens.run(in, new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  private static ByteOrder pcapOrder() {
    // magic 0xa1b2c3d4 (or 0xa1b23c4d) written in the file's byte order
    return (pcap[0] & 0xff) == 0xd4 || (pcap[0] & 0xff) == 0x4d ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
  }

  /** {offset, 16 + incl_len, records before it} of the pcap record that holds byte {@code at}. */
  private static long[] pcapRecordContaining(int at) {
    ByteBuffer b = ByteBuffer.wrap(pcap).order(pcapOrder());
    int offset = 24;
    long before = 0;
    while (true) {
      int length = 16 + b.getInt(offset + 8); // incl_len at record offset 8
      if (at < offset + length) {
        return new long[] {offset, length, before};
      }
      offset += length;
      before++;
    }
  }

  /** {offset, block total length, packet blocks before it} of the pcapng block that holds byte {@code at}. */
  private static long[] pcapngBlockContaining(int at) {
    // the section header's byte-order magic 0x1a2b3c4d at offset 8 tells the section's byte order
    ByteOrder order = (pcapng[8] & 0xff) == 0x4d ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    ByteBuffer b = ByteBuffer.wrap(pcapng).order(order);
    int offset = 0;
    long packets = 0;
    while (true) {
      int type = b.getInt(offset);
      int length = b.getInt(offset + 4);
      if (at < offset + length) {
        if (type != 6) {
          throw new IllegalStateException("the cut should fall in an enhanced packet block, not type " + type);
        }
        return new long[] {offset, length, packets};
      }
      if (type == 6 || type == 3) { // enhanced and simple packet blocks
        packets++;
      }
      offset += length;
    }
  }
}
