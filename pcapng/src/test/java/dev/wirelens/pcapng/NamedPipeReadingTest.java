package dev.wirelens.pcapng;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A named pipe ({@code mkfifo}) given to {@code CaptureReader.open(Path)} (or {@code openMapped}) is read as a stream,
 * like standard input: no positional read (the gzip sniff's used to fail with "Illegal seek"), no mapping. Skipped,
 * with a message, where {@code mkfifo} is absent.
 */
class NamedPipeReadingTest {
  private static final int FRAMES = 300;

  /** A pcap of {@link #FRAMES} records of 1,000 bytes, record i starting with the int i. */
  private static byte[] capture() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PcapWriter w = new PcapWriter(bytes, 1, 262144, false, true)) {
      for (int i = 0; i < FRAMES; i++) {
        ByteBuf data = Unpooled.buffer(1000).writeZero(1000);
        data.setInt(0, i);
        w.writeRecord(1_000_000_000L * (i + 1), data, 1000);
        data.release();
      }
    }
    return bytes.toByteArray();
  }

  private static Path fifo(Path dir) throws Exception {
    Path p = dir.resolve("capture.fifo");
    Process mk;
    try {
      mk = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
    } catch (java.io.IOException e) {
      Assumptions.abort("mkfifo is not available here: " + e.getMessage());
      return null;
    }
    Assumptions.assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0,
        "mkfifo failed here: " + new String(mk.getInputStream().readAllBytes()));
    return p;
  }

  private static CompletableFuture<Void> writeInto(Path fifo, byte[] data) {
    return CompletableFuture.runAsync(() -> {
      try (OutputStream out = Files.newOutputStream(fifo)) { // waits for the reader to open the pipe
        out.write(data);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  private static void readsEveryFrame(CaptureReader r) {
    for (int i = 0; i < FRAMES; i++) {
      assertThat(r.next()).as("frame %d", i).isEqualTo(DecodeStatus.FRAME);
      assertThat(r.capturedLength()).isEqualTo(1000);
      assertThat(r.frameBuffer().getInt(r.frameIndex())).isEqualTo(i);
    }
    assertThat(r.next()).isEqualTo(DecodeStatus.END);
  }

  @Test
  void namedPipeOpenedByPathIsReadAsAStream(@TempDir Path dir) throws Exception {
    Path p = fifo(dir);
    CompletableFuture<Void> writer = writeInto(p, capture());
    try (CaptureReader r = CaptureReader.open(p)) {
      readsEveryFrame(r);
    }
    writer.get(10, TimeUnit.SECONDS);
  }

  @Test
  void gzipOnANamedPipeOpenedMappedIsReadAsAStream(@TempDir Path dir) throws Exception {
    Path p = fifo(dir);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
      z.write(capture());
    }
    CompletableFuture<Void> writer = writeInto(p, gz.toByteArray());
    try (CaptureReader r = CaptureReader.openMapped(p, Limits.defaults())) {
      readsEveryFrame(r);
      assertThat(r.fileShrank()).isFalse();
    }
    writer.get(10, TimeUnit.SECONDS);
  }
}
