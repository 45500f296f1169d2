package dev.wirelens.examples.audit;

import static dev.wirelens.examples.audit.Conversation.at;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wirelens.examples.cli.Wirelens;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code wirelens audit --json FILE} whose capture file is truncated while it is read (through mapped memory, the
 * default): the file is cut as the first report is printed, to a page boundary far ahead of the reading thread.
 * The run ends with exit code 2 and one line on standard error, "wirelens audit: FILE: the capture file shrank while
 * it was read (at byte N)", N the offset of the pcapng block holding the first lost byte (found by walking the block
 * total lengths here, not by the reader under test), no "internal error" and no stack trace; every report printed
 * before is whole and is the same line as in the run over the whole file, but for the connection the cut fell
 * in, printed last as read until then (still open). Both reading paths: a batch ahead on a
 * second thread ({@link AuditSession#readAhead}, the default) and in line ({@link AuditSession#read},
 * {@code -Dwirelens.audit.readAhead=false}).
 */
class TruncatedCaptureFileTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PAGE = 4096;
  private static final int CONNECTIONS = 3000;

  @TempDir static Path dir;
  private static byte[] capture;
  private static List<String> whole;
  private static long cut;
  private static long lostBlock;

  @BeforeAll
  static void capture() throws IOException {
    Conversation c = new Conversation();
    byte[] reply = new byte[200];
    for (int i = 0; i < CONNECTIONS; i++) {
      double t = i * 0.1;
      c.tcp("10.0.0.1", 10_000 + i, "10.0.0.2", 80).handshake(at(t))
          .clientSends(at(t + 0.003), "GET / HTTP/1.1\r\nHost: example\r\n\r\n")
          .serverSends(at(t + 0.004), reply)
          .closeByClient(at(t + 0.005));
    }
    ByteBuf b = c.capture();
    capture = ByteBufUtil.getBytes(b);
    b.release();
    // the cut: a page boundary at three fifths of the file; the block holding its first lost byte, by block lengths
    cut = (capture.length * 3L / 5) & -PAGE;
    ByteBuffer bb = ByteBuffer.wrap(capture).order(ByteOrder.LITTLE_ENDIAN);
    long off = 0;
    while (off + bb.getInt((int) off + 4) <= cut) {
      off += bb.getInt((int) off + 4);
    }
    lostBlock = off;
    Path f = dir.resolve("whole.pcapng");
    Files.write(f, capture);
    Result r = run(f, null);
    assertThat(r.code).as(r.err).isZero();
    whole = r.out.lines().toList();
    assertThat(whole).hasSize(CONNECTIONS);
  }

  /**
   * The cut falls behind the reading thread: the dissecting thread waits in the first report's consumer (half a
   * second) while the reading thread fills its queue (up to 1,536 frames, about 190 connections, ahead), then the
   * file is cut at connection 75's page. The vanished bytes are met by the dissecting thread in frames already
   * queued: the same problem, at the block holding the cut or the next one (whose frame bytes the dissector reads
   * first: a cut inside a block's trailer after its packet data is not read by the dissector).
   */
  @Test
  void cutBehindTheReadAheadThreadIsMetWhileDissectingQueuedFramesAndIsTheSameProblem() throws Exception {
    Path f = dir.resolve("cut-behind.pcapng");
    Files.write(f, capture);
    ByteBuffer bb = ByteBuffer.wrap(capture).order(ByteOrder.LITTLE_ENDIAN);
    List<Long> blocks = new ArrayList<>();
    for (long off = 0; off < capture.length; off += bb.getInt((int) off + 4)) {
      blocks.add(off);
    }
    // blocks: section header, interface, then 8 packets per connection (3 handshake, 2 data, 3 close)
    long behind = blocks.get(2 + 75 * 8) & -PAGE;
    int holding = 0;
    while (blocks.get(holding + 1) <= behind) {
      holding++;
    }
    List<Long> ids = new ArrayList<>();
    AuditSummary summary = Audit.builder().build().run(f, r -> {
      if (ids.isEmpty()) {
        try {
          Thread.sleep(500);
          try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(behind);
          }
        } catch (IOException | InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
      ids.add(r.id());
    });
    assertThat(summary.problem()).isIn(
        "the capture file shrank while it was read (at byte " + blocks.get(holding) + ")",
        "the capture file shrank while it was read (at byte " + blocks.get(holding + 1) + ")");
    assertThat(ids).hasSizeBetween(74, 76);
    for (int i = 0; i < ids.size(); i++) {
      assertThat(ids.get(i)).isEqualTo(i);
    }
  }

  record Result(int code, String out, String err) {}

  /** Runs {@code wirelens audit --json file}; the file is truncated to {@code cut} bytes when the first line is printed. */
  private static Result run(Path file, Long truncateTo) {
    StringWriter out = new StringWriter();
    Writer cutting = new Writer() {
      private boolean done;

      @Override
      public void write(char[] cbuf, int off, int len) {
        out.write(cbuf, off, len);
        if (truncateTo != null && !done && out.getBuffer().indexOf("\n") >= 0) {
          done = true;
          try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(truncateTo);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    StringWriter err = new StringWriter();
    int code = Wirelens.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(cutting), new PrintWriter(err),
        "audit", "--json", file.toString());
    return new Result(code, out.toString(), err.toString());
  }

  @ParameterizedTest(name = "read ahead: {0}")
  @ValueSource(booleans = {true, false})
  void captureFileTruncatedWhileAuditedEndsWithOneLineAndKeepsEveryReportPrinted(boolean readAhead)
      throws IOException {
    Path f = dir.resolve("cut-" + readAhead + ".pcapng");
    Files.write(f, capture);
    String before = System.getProperty(Audit.READ_AHEAD_PROPERTY);
    System.setProperty(Audit.READ_AHEAD_PROPERTY, Boolean.toString(readAhead));
    Result r;
    try {
      r = run(f, cut);
    } finally {
      if (before == null) {
        System.clearProperty(Audit.READ_AHEAD_PROPERTY);
      } else {
        System.setProperty(Audit.READ_AHEAD_PROPERTY, before);
      }
    }
    assertThat(Files.size(f)).isEqualTo(cut);
    assertThat(r.code).as(r.err).isEqualTo(2);
    assertThat(r.err.lines().toList()).as(r.err).containsExactly(
        "wirelens audit: " + f + ": the capture file shrank while it was read (at byte " + lostBlock + ")");
    List<String> lines = r.out.lines().toList();
    assertThat(lines).hasSizeGreaterThan(1).hasSizeLessThan(CONNECTIONS);
    for (String line : lines) {
      JsonNode n = JSON.readTree(line); // fails on a cut line
      assertThat(n.isObject()).isTrue();
    }
    // every connection closed before the cut reads as in the whole run; the one the cut fell in is flushed at the
    // break as read so far (still open, its last packets lost), after them
    int n = lines.size();
    assertThat(lines.subList(0, n - 1)).isEqualTo(whole.subList(0, n - 1));
    JsonNode last = JSON.readTree(lines.get(n - 1));
    assertThat(last.get("id").asLong()).isEqualTo(n - 1);
    assertThat(last.get("tcp").get("close").asText()).isEqualTo("open");
    assertThat(lines.get(n - 1)).isNotEqualTo(whole.get(n - 1));
  }
}
