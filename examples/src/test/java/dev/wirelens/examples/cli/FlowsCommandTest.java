package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wirelens.pcapng.PcapWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code flows} command apart from the stream contents (those are {@link FlowsCommandMatchesTsharkTest}'s):
 * the index after errors, standard input, output directory problems, bounded open files, exit codes.
 */
class FlowsCommandTest {
  @TempDir Path tmp;

  private Path out() {
    return tmp.resolve("out");
  }

  @Test
  void missingCaptureIsOneErrorLineAndNothingIsWritten() {
    String missing = tmp.resolve("nope.pcap").toString();
    FlowsRun r = FlowsRun.file(out(), Path.of(missing));
    r.assertOneErrorLine(missing, "no such file");
    assertThat(out()).doesNotExist();
  }

  @Test
  void directoryIsNotACapture() {
    FlowsRun r = FlowsRun.file(out(), tmp);
    r.assertOneErrorLine(tmp.toString(), "is a directory");
  }

  @Test
  void fileThatIsNotACaptureLeavesAClosedEmptyIndex() throws IOException {
    Path text = tmp.resolve("notes.txt");
    Files.writeString(text, "these are not the packets you are looking for\n");
    FlowsRun r = FlowsRun.file(out(), text);
    r.assertOneErrorLine(text.toString(), "not a pcap or pcapng capture");
    JsonNode index = r.index();
    assertThat(index.get("connections")).isEmpty();
    assertThat(index.get("connection_count").asInt()).isZero();
    assertThat(index.get("complete").asBoolean()).isFalse();
    assertThat(index.get("error").asText()).startsWith("not a pcap or pcapng capture");
  }

  @Test
  void truncatedCaptureKeepsTheFilesWrittenSoFarAndClosesTheIndexAtTheEnd() throws IOException {
    // truncated.pcapng: ethernet.pcapng cut inside its 34th packet, while its second connection is open.
    Path capture = CliCaptures.path("truncated.pcapng");
    FlowsRun r = FlowsRun.file(out(), capture);
    r.assertOneErrorLine(capture.toString(), "truncated capture");
    JsonNode index = r.index(); // valid JSON: the trailer was written after the error
    assertThat(index.get("complete").asBoolean()).isFalse();
    assertThat(r.err().trim()).isEqualTo("wirelens flows: " + capture + ": " + index.get("error").asText());
    assertThat(index.get("error").asText()).contains("after 33 packets");
    List<JsonNode> connections = r.connections();
    assertThat(connections).hasSize(2);
    assertThat(connections.get(0).get("close_reason").asText()).isEqualTo("fin");
    // The open connection was closed at the end of the input and its files hold every byte read before the cut.
    JsonNode open = connections.get(1);
    assertThat(open.get("close").asText()).isEqualTo("open");
    assertThat(open.get("close_reason").asText()).isEqualTo("end_of_input");
    assertThat(open.get("closed_by").isNull()).isTrue();
    for (JsonNode c : connections) {
      for (String side : List.of("client", "server")) {
        JsonNode s = c.at("/streams/" + side);
        assertThat(r.bytes(s.get("file").asText())).hasSize(s.get("bytes").asInt());
      }
    }
    // Written at close, in order: the first connection closed before the second.
    assertThat(index.get("connections").get(0).get("id").asInt()).isZero();
  }

  @Test
  @Timeout(60)
  void standardInputIsWrittenAsItArrivesNotAtEndOfInput() throws Exception {
    byte[] capture = Files.readAllBytes(CliCaptures.path("ethernet.pcapng"));
    // The first 4692 bytes hold the first 33 packets (truncated.pcapng): connection 0 has closed by then.
    int firstPart = (int) Files.size(CliCaptures.path("truncated.pcapng"));
    PipedOutputStream feed = new PipedOutputStream();
    PipedInputStream stdin = new PipedInputStream(feed, 1 << 16);
    CompletableFuture<FlowsRun> cli = CompletableFuture.supplyAsync(
        () -> FlowsRun.run(stdin, out(), "flows", "--out", out().toString(), "-"));
    feed.write(capture, 0, firstPart);
    feed.flush();
    Path server0 = out().resolve("0-server.bin");
    Path index = out().resolve("index.json");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!(Files.exists(server0) && Files.size(server0) == 205 && Files.readString(index).contains("\"id\" : 0"))
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    // The pipe is still open: connection 0's files and index entry are there while the command waits for more.
    assertThat(Files.size(server0)).isEqualTo(205);
    assertThat(Files.readString(index)).contains("\"id\" : 0").doesNotContain("\"id\" : 1");
    assertThat(cli).isNotDone();
    feed.write(capture, firstPart, capture.length - firstPart);
    feed.close();
    FlowsRun r = cli.get(30, TimeUnit.SECONDS);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.index().get("capture").asText()).isEqualTo("<stdin>");
    FlowsRun fromFile = FlowsRun.file(tmp.resolve("file"), CliCaptures.path("ethernet.pcapng"));
    assertSameStreamFiles(r, fromFile);
  }

  @Test
  @Timeout(90)
  void stoppedProcessStillClosesTheIndexAndTheOpenConnections() throws Exception {
    // A real JVM reading a pipe that stays open, stopped with SIGTERM (as Ctrl-C stops a live capture): the
    // shutdown hook closes the open connection and the index.
    byte[] capture = Files.readAllBytes(CliCaptures.path("truncated.pcapng")); // connection 1 still open
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        "dev.wirelens.examples.cli.Wirelens", "flows", "--out", out().toString(), "-")
        .redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      p.getOutputStream().write(capture);
      p.getOutputStream().flush();
      Path server1 = out().resolve("1-server.bin");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!(Files.exists(server1) && Files.size(server1) == 185) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(Files.size(server1)).isEqualTo(185);
      assertThat(p.isAlive()).isTrue();
      p.toHandle().destroy(); // SIGTERM only (Process.destroy() would also close the pipe: end of input)
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }
    FlowsRun r = new FlowsRun(-1, "", "", out());
    JsonNode index = r.index();
    assertThat(index.get("complete").asBoolean()).isFalse();
    assertThat(index.get("error").asText()).isEqualTo("interrupted before the end of the input");
    List<JsonNode> connections = r.connections();
    assertThat(connections).hasSize(2);
    assertThat(connections.get(1).get("close_reason").asText()).isEqualTo("end_of_input");
    assertThat(connections.get(1).at("/streams/server/bytes").asInt()).isEqualTo(185);
  }

  @Test
  void standardInputThatIsNotACaptureNamesStdin() {
    FlowsRun r = FlowsRun.run(new ByteArrayInputStream("hello\n".getBytes()), out(),
        "flows", "--out", out().toString(), "-");
    r.assertOneErrorLine("<stdin>", "not a pcap or pcapng capture");
  }

  @Test
  void oneOpenFileAtATimeWritesTheSameFiles() throws IOException {
    Path capture = CliCaptures.path("http.pcap");
    FlowsRun one = FlowsRun.file(out(), capture, "--max-open-files", "1");
    FlowsRun many = FlowsRun.file(tmp.resolve("many"), capture);
    assertThat(one.code()).isZero();
    assertSameStreamFiles(one, many);
  }

  @Test
  void maxOpenFilesBelowOneIsAUsageError() {
    FlowsRun r = FlowsRun.file(out(), CliCaptures.path("http.pcap"), "--max-open-files", "0");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--max-open-files");
  }

  @Test
  void missingOutOptionIsAUsageError() {
    FlowsRun r = FlowsRun.run(new ByteArrayInputStream(new byte[0]), out(), "flows",
        CliCaptures.path("http.pcap").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--out");
  }

  @Test
  void outputThatIsAFileIsOneErrorLine() throws IOException {
    Path file = Files.writeString(tmp.resolve("plain"), "x");
    FlowsRun r = FlowsRun.file(file, CliCaptures.path("http.pcap"));
    r.assertOneErrorLine(file.toString(), "not a directory");
    assertThat(Files.readString(file)).isEqualTo("x");
  }

  @Test
  void outputBelowAFileCannotBeCreated() throws IOException {
    Path file = Files.writeString(tmp.resolve("plain"), "x");
    Path below = file.resolve("sub");
    FlowsRun r = FlowsRun.file(below, CliCaptures.path("http.pcap"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines().toList()).hasSize(1);
    assertThat(r.err()).startsWith("wirelens flows: " + below + ": ").doesNotContain("\tat ");
  }

  @Test
  void streamFileThatCannotBeWrittenIsOneErrorLineNamingIt() throws IOException {
    Files.createDirectories(out().resolve("0-client.bin")); // a directory where a stream file must go
    FlowsRun r = FlowsRun.file(out(), CliCaptures.path("http.pcap"));
    r.assertOneErrorLine(out().resolve("0-client.bin").toString(), "cannot write: Is a directory");
  }

  @Test
  void missingOutputDirectoryIsCreatedAndOldStreamFilesAreOverwritten() throws IOException {
    Path nested = tmp.resolve("a").resolve("b");
    FlowsRun first = FlowsRun.file(nested, CliCaptures.path("http.pcap"));
    assertThat(first.code()).isZero();
    assertThat(first.out()).isEqualTo("2 TCP connections written to " + nested + " (index.json)\n");
    Files.write(nested.resolve("0-client.bin"), new byte[1000]);
    FlowsRun again = FlowsRun.file(nested, CliCaptures.path("http.pcap"));
    assertThat(again.code()).isZero();
    assertThat(again.bytes("0-client.bin")).hasSize(79);
  }

  @Test
  void unsupportedLinkTypeEndsTheIndexWithTheError() throws IOException {
    Path file = tmp.resolve("dlt147.pcap");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PcapWriter w = new PcapWriter(bytes, 147, 65535, false, true)) {
      ByteBuf frame = Unpooled.wrappedBuffer(new byte[] {0, 1, 2, 3});
      try {
        w.writeRecord(1_700_000_000_000_000_000L, frame, 4);
      } finally {
        frame.release();
      }
    }
    Files.write(file, bytes.toByteArray());
    FlowsRun r = FlowsRun.file(out(), file);
    r.assertOneErrorLine(file.toString(), "unsupported link type 147");
    assertThat(r.index().get("error").asText()).startsWith("unsupported link type 147");
  }

  @Test
  void indexCountsEqualTheReassemblersAndTheFiles() throws IOException {
    FlowsRun r = FlowsRun.file(out(), CliCaptures.path("ethernet.pcapng"));
    JsonNode c = r.connections().get(0);
    // ethernet.pcapng.txt (tshark): frames 16-27 are connection 0; the client sent 16, 18, 19, 22, 24, 25 up to
    // the close (the server's FIN, frame 26, completed it), and 27, the last ACK, after it.
    assertThat(c.at("/streams/client/packets").asInt()).isEqualTo(6);
    assertThat(c.at("/streams/server/packets").asInt()).isEqualTo(5);
    assertThat(c.at("/streams/client/fin").asBoolean()).isTrue();
    assertThat(c.get("closed_by").asText()).isEqualTo("client"); // frame 25: the client's FIN came first
    assertThat(c.get("close_reason").asText()).isEqualTo("fin");
    assertThat(c.get("ip_version").asInt()).isEqualTo(4);
    assertThat(c.at("/client/ip").asText()).isEqualTo("10.200.0.1");
    assertThat(c.at("/server/port").asInt()).isEqualTo(8080);
    assertThat(c.at("/streams/client/file").asText()).isEqualTo("0-client.bin");
    assertThat(c.at("/streams/server/file").asText()).isEqualTo("0-server.bin");
    assertThat(r.index().get("format_version").asInt()).isEqualTo(1);
    JsonNode c1 = r.connections().get(1);
    assertThat(c1.get("closed_by").asText()).isEqualTo("server"); // frame 37: the server's FIN came first
    assertThat(c1.get("ip_version").asInt()).isEqualTo(6);
  }

  @Test
  void gapTheReceiverAcknowledgedIsListedWhereItLiesInStreamAndFile() throws IOException {
    // lost.pcapng: ethernet.pcapng without frame 21, the server's first 185 bytes, which the client acknowledged
    // (frame 22, Ack=186); frame 23 brings the 20 bytes after them. Without frame 31, the IPv6 client's 82-byte
    // request: only its FIN at offset 82 tells the bytes were sent.
    FlowsRun r = FlowsRun.file(out(), CliCaptures.path("lost.pcapng"));
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode server = r.connections().get(0).at("/streams/server");
    assertThat(server.get("bytes").asInt()).isEqualTo(20);
    assertThat(server.at("/gaps/count").asInt()).isEqualTo(1);
    assertThat(server.at("/gaps/bytes").asInt()).isEqualTo(185);
    JsonNode gap = server.at("/gaps/list/0");
    assertThat(gap.get("offset").asInt()).isZero();
    assertThat(gap.get("file_offset").asInt()).isZero();
    assertThat(gap.get("length").asInt()).isEqualTo(185);
    assertThat(gap.get("reason").asText()).isEqualTo("acknowledged");
    JsonNode client1 = r.connections().get(1).at("/streams/client");
    assertThat(client1.get("bytes").asInt()).isZero();
    assertThat(client1.at("/gaps/list/0/length").asInt()).isEqualTo(82);
    // the server acknowledged the FIN after the missing request, so the hole is certain and the FINs close it
    assertThat(client1.at("/gaps/list/0/reason").asText()).isEqualTo("acknowledged");
    assertThat(r.connections().get(1).get("close_reason").asText()).isEqualTo("fin");
    assertThat(r.bytes("1-client.bin")).isEmpty();
  }

  private static void assertSameStreamFiles(FlowsRun a, FlowsRun b) throws IOException {
    List<JsonNode> ca = a.connections();
    assertThat(ca).hasSameSizeAs(b.connections());
    for (JsonNode c : ca) {
      for (String side : List.of("client", "server")) {
        String name = c.at("/streams/" + side + "/file").asText();
        assertThat(a.bytes(name)).as(name).isEqualTo(b.bytes(name));
      }
    }
  }
}
