package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.examples.audit.Audit;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wirelens audit FIFO} (and {@code flows}, {@code packets}): a named pipe ({@code mkfifo}) or a process substitution's {@code /dev/fd/N} given as
 * the capture is read as a stream, in line (never a batch ahead, never mapped, never prescanned for secrets: it can be
 * read once), and gives what the same capture gives as a regular file, byte for byte; it used to end with "read
 * error: Illegal seek". The regular file's output is itself checked against tshark by
 * {@code AuditCommandMatchesTsharkTest}. Skipped, with a message, where {@code mkfifo} (or {@code bash}) is absent.
 */
class NamedPipeCommandTest {
  @TempDir Path dir;

  private Path fifo(String name) throws Exception {
    Path p = dir.resolve(name);
    Process mk;
    try {
      mk = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      Assumptions.abort("mkfifo is not available here: " + e.getMessage());
      return null;
    }
    Assumptions.assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0,
        "mkfifo failed here: " + new String(mk.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    return p;
  }

  private static CompletableFuture<Void> writeInto(Path fifo, byte[] data) {
    return CompletableFuture.runAsync(() -> {
      try (OutputStream out = Files.newOutputStream(fifo)) { // waits for the reader to open the pipe
        out.write(data);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Wirelens.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  private static byte[] gzip(byte[] data) throws IOException {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(b)) {
      z.write(data);
    }
    return b.toByteArray();
  }

  @Test
  @Timeout(60)
  void auditOfANamedPipeGivesWhatTheSameCaptureGivesAsAFile() throws Exception {
    for (String name : new String[] {"ethernet.pcapng", "loopback.pcap"}) {
      Path file = CliCaptures.path(name);
      Result expected = run("audit", "--json", file.toString());
      assertThat(expected.out).isNotEmpty();
      for (boolean gz : new boolean[] {false, true}) {
        Path p = fifo(name + (gz ? ".gz" : "") + ".fifo");
        assertThat(Audit.readsAhead(p)).as("a named pipe is read in line").isFalse();
        byte[] bytes = Files.readAllBytes(file);
        CompletableFuture<Void> writer = writeInto(p, gz ? gzip(bytes) : bytes);
        Result r = run("audit", "--json", p.toString());
        writer.get(30, TimeUnit.SECONDS);
        assertThat(r.err).as("%s gzip %s", name, gz).isEqualTo(expected.err.replace(file.toString(), p.toString()));
        assertThat(r.code).isEqualTo(expected.code);
        assertThat(r.out).as("%s gzip %s", name, gz).isEqualTo(expected.out);
      }
    }
  }

  @Test
  @Timeout(60)
  void flowsAndPacketsOfANamedPipeGiveWhatTheSameCaptureGivesAsAFile() throws Exception {
    Path file = CliCaptures.path("ethernet.pcapng");
    byte[] bytes = Files.readAllBytes(file);
    Path wholeOut = dir.resolve("whole-flows");
    Result expected = run("flows", "--out", wholeOut.toString(), file.toString());
    assertThat(expected.code).as(expected.err).isZero();
    Path p = fifo("flows.fifo");
    CompletableFuture<Void> writer = writeInto(p, bytes);
    Path pipeOut = dir.resolve("pipe-flows");
    Result r = run("flows", "--out", pipeOut.toString(), p.toString());
    writer.get(30, TimeUnit.SECONDS);
    assertThat(r.code).as(r.err).isZero();
    try (java.util.stream.Stream<Path> files = Files.list(wholeOut)) {
      for (Path f : files.toList()) {
        Path same = pipeOut.resolve(f.getFileName());
        if (f.getFileName().toString().equals("index.json")) {
          assertThat(Files.readString(same)).isEqualTo(Files.readString(f).replace(file.toString(), p.toString()));
        } else {
          assertThat(Files.readAllBytes(same)).as("%s", f.getFileName()).isEqualTo(Files.readAllBytes(f));
        }
      }
    }
    Result packets = run("packets", file.toString());
    Path p2 = fifo("packets.fifo");
    writer = writeInto(p2, bytes);
    Result piped = run("packets", p2.toString());
    writer.get(30, TimeUnit.SECONDS);
    assertThat(piped.code).as(piped.err).isEqualTo(packets.code);
    assertThat(piped.out).isEqualTo(packets.out);
  }

  /**
   * The real {@code main} in a child JVM started by bash with {@code <(cat FILE)}: the capture argument is
   * {@code /dev/fd/63}, a pipe.
   */
  @Test
  @Timeout(120)
  void auditOfAProcessSubstitutionGivesWhatTheSameCaptureGivesAsAFile() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash is not available here");
    Path file = CliCaptures.path("ethernet.pcapng");
    Result expected = run("audit", "--json", file.toString());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder("/bin/bash", "-c",
        "exec \"$0\" -cp \"$1\" " + Wirelens.class.getName() + " audit --json <(cat \"$2\")",
        java, System.getProperty("java.class.path"), file.toString()).start();
    p.getOutputStream().close();
    CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
    CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    assertThat(p.waitFor(100, TimeUnit.SECONDS)).isTrue();
    String err = new String(stderr.get(), StandardCharsets.UTF_8);
    assertThat(err).doesNotContain("Illegal seek").doesNotContain("internal error");
    assertThat(p.exitValue()).as(err).isEqualTo(expected.code);
    assertThat(new String(stdout.get(), StandardCharsets.UTF_8)).isEqualTo(expected.out);
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
