package dev.wirelens.pcapng.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Windows are unmapped once no one holds them, and never while a retained slice of one is alive. */
class MappedSourceTest {
  private static Path file(Path dir, int size) throws IOException {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) i;
    }
    return Files.write(dir.resolve("bytes"), b);
  }

  @Test
  void aWindowIsUnmappedAtTheNextOneOnceReleasedAndNotWhileASliceOfItIsRetained(@TempDir Path dir)
      throws IOException {
    Path f = file(dir, 10_000);
    ByteAccumulator acc = new ByteAccumulator(ByteBufAllocator.DEFAULT, true);
    try (MappedSource s = MappedSource.of(FileChannel.open(f, StandardOpenOption.READ), 1000)) {
      assertThat(s).as("Unsafe and unmapping are available on the JDKs this project supports").isNotNull();
      assertThat(s.read(acc, 1)).isEqualTo(1000);
      ByteBuf kept = acc.buffer().retainedSlice(acc.index() + 990, 10); // a frame someone keeps
      acc.skip(995); // 5 bytes pending: mapped again at the start of the next window
      assertThat(s.read(acc, 1)).isEqualTo(995);
      assertThat(acc.buffer().getByte(acc.index())).isEqualTo((byte) 995);
      assertThat(s.mappedWindows()).isEqualTo(2); // the first is still held by the slice
      acc.skip(1000);
      assertThat(s.read(acc, 1)).isEqualTo(1000);
      assertThat(s.mappedWindows()).isEqualTo(2);
      assertThat(kept.getByte(kept.readerIndex() + 9)).isEqualTo((byte) 999);
      kept.release();
      acc.skip(1000);
      assertThat(s.read(acc, 1)).isEqualTo(1000);
      assertThat(s.mappedWindows()).isEqualTo(1); // the first two were released: unmapped
      acc.skip(1000);
      while (s.read(acc, 1) > 0) {
        acc.skip(acc.readable());
      }
      assertThat(acc.position()).isEqualTo(10_000);
      assertThat(s.read(acc, 1)).isEqualTo(-1);
    } finally {
      acc.release();
    }
  }

  @Test
  void aReaderAskingForMoreThanAWindowGetsOneWindowHoldingAllOfIt(@TempDir Path dir) throws IOException {
    Path f = file(dir, 10_000);
    ByteAccumulator acc = new ByteAccumulator(ByteBufAllocator.DEFAULT, true);
    try (MappedSource s = MappedSource.of(FileChannel.open(f, StandardOpenOption.READ), 100)) {
      assertThat(s.read(acc, 50)).isEqualTo(100);
      acc.skip(60);
      assertThat(s.read(acc, 4000)).isEqualTo(4000); // 40 pending + 4,000 more
      assertThat(acc.readable()).isEqualTo(4040);
      assertThat(acc.buffer().getByte(acc.index() + 4039)).isEqualTo((byte) 4099);
    } finally {
      acc.release();
    }
  }
}
