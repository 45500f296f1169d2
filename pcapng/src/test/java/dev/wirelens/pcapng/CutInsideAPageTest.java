package dev.wirelens.pcapng;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mapped capture file cut short of a page boundary while it is read: the page holding the new end stays mapped
 * whole, zeros past the end, so without a check its record headers read as all-zero records (frames of no bytes)
 * until the next page faults. Every cut inside one record (pcap) or block (pcapng), byte by byte: the reader returns
 * the frames before it (and at most the record or block the cut fell in, when it read whole: its lost bytes were
 * zeros anyway, or its data read as zeros), never a frame past the end, and ends with the shrank error at the record
 * or block holding the first lost byte.
 *
 * <p>Record and block offsets are those the test wrote (fixed sizes), not the reader's. Page size 4,096.
 */
class CutInsideAPageTest {
  private static final int PAGE = 4096;
  private static final int FRAMES = 400;
  private static final int DATA = 100; // pcap record 116 bytes; pcapng EPB 32 + 100 = 132 bytes, no options

  private static ByteBuf data(int i) {
    ByteBuf b = Unpooled.buffer(DATA).writeZero(DATA);
    b.setInt(0, i + 1); // never zero: a frame read from zeros cannot pass for one
    b.setByte(DATA - 1, 0x5a);
    return b;
  }

  private static List<Long> pcap(Path f) {
    List<Long> offsets = new ArrayList<>();
    try (PcapWriter w = PcapWriter.create(f, 1)) {
      for (int i = 0; i < FRAMES; i++) {
        offsets.add(24L + (long) i * (16 + DATA));
        ByteBuf d = data(i);
        w.writeRecord(1_000_000_000L * (i + 1), d, DATA);
        d.release();
      }
    }
    return offsets;
  }

  private static List<Long> pcapng(Path f) {
    List<Long> offsets = new ArrayList<>();
    try (PcapngWriter w = PcapngWriter.create(f)) {
      w.writeSectionHeader(null, null, null, null);
      w.writeInterface(1, 0, 6, null, null);
      for (int i = 0; i < FRAMES; i++) {
        ByteBuf d = data(i);
        w.writeEnhancedPacket(0, 1_000_000_000L * (i + 1), d, DATA, -1, null);
        d.release();
      }
    }
    try {
      long size = Files.size(f);
      long first = size - (long) FRAMES * (32 + DATA);
      for (int i = 0; i < FRAMES; i++) {
        offsets.add(first + (long) i * (32 + DATA));
      }
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
    return offsets;
  }

  private static void truncate(Path f, long size) throws Exception {
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }

  /** The first record or block {@code k} that starts in the second half of a page and ends inside it. */
  private static int recordInsidePage(List<Long> offsets, int length) {
    for (int k = 10; k < offsets.size() - 1; k++) {
      long start = offsets.get(k);
      if (start % PAGE > PAGE / 2 && (start + length + 16) / PAGE == start / PAGE) {
        return k;
      }
    }
    throw new AssertionError("no record inside a page");
  }

  private static void cutEveryByteOf(Path dir, boolean ng) throws Exception {
    int length = ng ? 32 + DATA : 16 + DATA;
    for (int cutAt = 0; cutAt < length; cutAt++) {
      Path f = dir.resolve("cut-" + cutAt + (ng ? ".pcapng" : ".pcap"));
      List<Long> offsets = ng ? pcapng(f) : pcap(f);
      int k = recordInsidePage(offsets, length);
      long cut = offsets.get(k) + cutAt;
      try (CaptureReader r = CaptureReader.openMapped(f, Limits.defaults())) {
        assertThat(r.next()).isEqualTo(DecodeStatus.FRAME);
        truncate(f, cut);
        int frames = 1;
        UncheckedIOException error = null;
        try {
          while (r.next() == DecodeStatus.FRAME) {
            assertThat(r.capturedLength()).as("cut at %d: frame %d", cutAt, frames).isEqualTo(DATA);
            if (frames < k) {
              assertThat(r.frameBuffer().getInt(r.frameIndex())).isEqualTo(frames + 1);
            }
            frames++;
          }
        } catch (UncheckedIOException e) {
          error = e;
        }
        assertThat(error).as("cut at %d: the shrank error, not the end", cutAt).isNotNull()
            .hasCauseInstanceOf(CaptureFileShrankException.class);
        CaptureFileShrankException e = (CaptureFileShrankException) error.getCause();
        assertThat(e.offset()).as("cut at byte %d of record %d", cutAt, k).isEqualTo(offsets.get(k));
        assertThat(e.size()).isEqualTo(cut);
        // the frames before the cut, and perhaps the cut one itself when it read whole (its lost bytes were zeros
        // anyway, or its data read as zeros), no more
        assertThat(frames).as("cut at %d", cutAt).isBetween(k, k + 1);
        assertThatThrownBy(r::next).isSameAs(error);
      }
    }
  }

  @Test
  void pcapCutInsideAPageEndsWithShrankErrorAtTheCutRecordAndNoZeroFrames(@TempDir Path dir) throws Exception {
    cutEveryByteOf(dir, false);
  }

  @Test
  void pcapngCutInsideAPageEndsWithShrankErrorAtTheCutBlockAndNoZeroFrames(@TempDir Path dir) throws Exception {
    cutEveryByteOf(dir, true);
  }

  @Test
  void faultAfterCloseIsStillExplainedAtTheFirstLostByte(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("kept.pcap");
    List<Long> offsets = pcap(f);
    ByteBuf kept = null;
    CaptureReader r = CaptureReader.openMapped(f, Limits.defaults());
    try {
      for (int i = 0; i <= 300; i++) {
        assertThat(r.next()).isEqualTo(DecodeStatus.FRAME);
      }
      kept = r.retainedFrame(); // record 300, on a page the cut removes
    } finally {
      r.close();
    }
    long cut = offsets.get(200) & -PAGE;
    truncate(f, cut);
    InternalError fault = null;
    try {
      kept.getInt(0);
      CaptureReader.raisePendingFaults(); // compiled code raises the fault later, not at the read
    } catch (InternalError e) {
      fault = e;
    } finally {
      kept.release();
    }
    assertThat(fault).as("the JVM's fault for a vanished mapped byte").isNotNull();
    assertThat(r.fileShrank()).as("after close").isTrue();
    UncheckedIOException u = r.truncationFault(fault);
    assertThat(u).isNotNull().hasCauseInstanceOf(CaptureFileShrankException.class);
    assertThat(((CaptureFileShrankException) u.getCause()).offset()).isEqualTo(cut);
    assertThat(u.getSuppressed()).containsExactly(fault);
  }

  @Test
  void captureRenamedAwayAfterCloseIsNotTakenForAShrunkOne(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("rotated.pcap");
    pcap(f);
    CaptureReader r = CaptureReader.openMapped(f, Limits.defaults());
    assertThat(r.next()).isEqualTo(DecodeStatus.FRAME);
    r.close();
    Files.move(f, dir.resolve("rotated.pcap.1"));
    Files.write(f, new byte[24]); // a new, shorter file under the old name (tcpdump -C rotation)
    assertThat(r.fileShrank()).isFalse();
    assertThat(r.truncationFault(new InternalError("a bug"))).isNull();
  }
}
