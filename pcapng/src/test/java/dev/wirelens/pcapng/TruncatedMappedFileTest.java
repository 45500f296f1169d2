package dev.wirelens.pcapng;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture file truncated while it is read through mapped memory ({@code openMapped}) ends with one read error, a
 * {@link CaptureFileShrankException} at the offset where reading stood, after exactly the frames that lay before the
 * new end; the JVM's fault for a vanished mapped byte (an {@link InternalError}) is not what the reader throws.
 *
 * <p>The file is built so that every record fills one 4,096-byte page exactly (the 24-byte file header and a first
 * record of 4,056 bytes fill page 0; record {@code i >= 1} starts at byte {@code i * 4096}): a truncation to
 * {@code k} pages keeps records 0 .. k-1 whole and record k's first byte is the first byte gone. Page size 4,096
 * (Linux x86-64 and aarch64 defaults; the expected offsets assume it).
 */
class TruncatedMappedFileTest {
  private static final int PAGE = 4096;
  private static final int RECORDS = 200;

  private static Path capture(Path dir) {
    Path f = dir.resolve("pages.pcap");
    try (PcapWriter w = PcapWriter.create(f, 1)) {
      for (int i = 0; i < RECORDS; i++) {
        int length = i == 0 ? PAGE - 24 - 16 : PAGE - 16;
        ByteBuf data = Unpooled.buffer(length).writeZero(length);
        data.setInt(0, i); // a record number to check frames by
        w.writeRecord(1_000_000_000L * (i + 1), data, length);
        data.release();
      }
    }
    return f;
  }

  private static void truncate(Path f, long size) throws Exception {
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }

  @Test
  void fileTruncatedInsideTheMappedWindowEndsWithShrankErrorAtTheFirstLostRecord(@TempDir Path dir) throws Exception {
    Path f = capture(dir);
    try (CaptureReader r = CaptureReader.openMapped(f, Limits.defaults())) { // one 8 MiB window: the whole file
      for (int i = 0; i < 10; i++) {
        assertThat(r.next()).isEqualTo(DecodeStatus.FRAME);
        assertThat(r.frameBuffer().getInt(r.frameIndex())).isEqualTo(i);
      }
      truncate(f, 50L * PAGE);
      assertThat(r.fileShrank()).isTrue();
      for (int i = 10; i < 50; i++) {
        assertThat(r.next()).as("record %d", i).isEqualTo(DecodeStatus.FRAME);
        assertThat(r.frameBuffer().getInt(r.frameIndex())).isEqualTo(i);
      }
      assertThatThrownBy(r::next).isInstanceOf(UncheckedIOException.class)
          .cause().isInstanceOfSatisfying(CaptureFileShrankException.class, e -> {
            assertThat(e.offset()).isEqualTo(50L * PAGE);
            assertThat(e.size()).isEqualTo(50L * PAGE);
            assertThat(e.getMessage()).startsWith("the capture file shrank while it was read (at byte 204800");
          });
      // the reader has ended: the same error again, not a frame read from a vanished page
      assertThatThrownBy(r::next).isInstanceOf(UncheckedIOException.class)
          .hasCauseInstanceOf(CaptureFileShrankException.class);
    }
  }

  @Test
  void fileTruncatedBeforeTheReadPositionEndsWithShrankErrorNotEnd(@TempDir Path dir) throws Exception {
    Path f = capture(dir);
    try (CaptureReader r = CaptureReader.open(f, Limits.defaults(), 4 * PAGE)) { // many small windows
      for (int i = 0; i < 20; i++) {
        assertThat(r.next()).isEqualTo(DecodeStatus.FRAME);
      }
      truncate(f, 5L * PAGE); // behind the reader: the next window finds no bytes, which is not the file's end
      DecodeStatus s = null;
      try {
        while ((s = r.next()) == DecodeStatus.FRAME) {
          // frames still in the current window's pages are gone too: the loop ends by the error
        }
      } catch (UncheckedIOException e) {
        assertThat(e).hasCauseInstanceOf(CaptureFileShrankException.class);
        assertThat(((CaptureFileShrankException) e.getCause()).size()).isEqualTo(5L * PAGE);
        return;
      }
      throw new AssertionError("ended with " + s + " instead of the shrank error");
    }
  }

  @Test
  void frameRetainedBeforeTheTruncationFaultsAndTheReaderExplainsIt(@TempDir Path dir) throws Exception {
    Path f = capture(dir);
    try (CaptureReader r = CaptureReader.openMapped(f, Limits.defaults())) {
      ByteBuf kept = null;
      for (int i = 0; i <= 60; i++) {
        assertThat(r.next()).isEqualTo(DecodeStatus.FRAME);
        if (i == 60) {
          kept = r.retainedFrame(); // bytes 60 * 4096 + 16 ..: past the end to come
        }
      }
      truncate(f, 50L * PAGE);
      InternalError fault = null;
      try {
        // in compiled code the JVM raises the fault at the thread's next entry into its runtime, not at the read
        // itself ("a fault occurred in a recent unsafe memory access operation in compiled Java code"):
        // raisePendingFaults makes one (a sleep did not, once compiled)
        kept.getInt(0);
        CaptureReader.raisePendingFaults();
      } catch (InternalError e) {
        fault = e;
      }
      kept.release();
      assertThat(fault).as("the JVM's fault for a vanished mapped byte").isNotNull();
      UncheckedIOException u = r.truncationFault(fault, 60L * PAGE);
      assertThat(u).isNotNull().hasCauseInstanceOf(CaptureFileShrankException.class);
      assertThat(((CaptureFileShrankException) u.getCause()).offset()).isEqualTo(60L * PAGE);
      assertThat(u.getSuppressed()).containsExactly(fault);
    }
  }

  @Test
  void faultWhileTheFileKeptItsSizeIsNotExplainedAsTruncation(@TempDir Path dir) throws Exception {
    Path f = capture(dir);
    try (CaptureReader mapped = CaptureReader.openMapped(f, Limits.defaults());
        CaptureReader read = CaptureReader.open(f)) {
      assertThat(mapped.next()).isEqualTo(DecodeStatus.FRAME);
      assertThat(read.next()).isEqualTo(DecodeStatus.FRAME);
      assertThat(mapped.fileShrank()).isFalse();
      assertThat(mapped.truncationFault(new InternalError("a bug"), 0)).isNull();
      truncate(f, 50L * PAGE);
      assertThat(read.fileShrank()).as("read() calls: nothing mapped can vanish").isFalse();
      assertThat(read.truncationFault(new InternalError("a bug"), 0)).isNull();
    }
  }
}
