package dev.wirelens.pcapng;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The factories that take a {@code ByteBufAllocator} take the reader's own buffers from it (the chunks of a stream or
 * of a file read with {@code read} calls; a mapped file needs none) and read exactly what the allocator-less factories
 * read.
 */
class CaptureReaderAllocatorTest {
  /** Counts what it hands out; unpooled buffers. */
  private static final class CountingAllocator extends AbstractByteBufAllocator {
    final AtomicInteger heap = new AtomicInteger();
    final AtomicInteger direct = new AtomicInteger();

    CountingAllocator() {
      super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      heap.incrementAndGet();
      return new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      direct.incrementAndGet();
      return new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }
  }

  private static Path capture() throws Exception {
    // a public test vector with several records (see the vectors' SOURCES.md)
    try (var files = Files.walk(Path.of(CaptureReaderAllocatorTest.class.getResource("/vectors").toURI()))) {
      return files.filter(p -> p.toString().endsWith("gopacket-test_loopback.pcap")).findFirst().orElseThrow();
    }
  }

  private static Frames.Run streamed(Path f) throws Exception {
    try (InputStream in = Files.newInputStream(f); CaptureReader r = CaptureReader.open(in, Limits.defaults())) {
      return Frames.readAll(r);
    }
  }

  @Test
  void aStreamReaderTakesItsChunksFromTheGivenAllocatorAndReadsTheSameFrames() throws Exception {
    Path f = capture();
    Frames.Run expected = streamed(f);
    assertThat(expected.frames()).hasSizeGreaterThan(4);
    CountingAllocator alloc = new CountingAllocator();
    try (InputStream in = Files.newInputStream(f);
        CaptureReader r = CaptureReader.open(in, Limits.defaults(), alloc)) {
      Frames.Run run = Frames.readAll(r);
      assertThat(run.frames()).isEqualTo(expected.frames());
      assertThat(run.end()).isEqualTo(expected.end());
      assertThat(run.report()).isEqualTo(expected.report());
    }
    assertThat(alloc.heap.get()).isPositive();
    assertThat(alloc.direct.get()).isZero();
  }

  @Test
  void aMappedReaderReadsTheSameFramesWithoutBuffersOfItsOwn() throws Exception {
    Path f = capture();
    Frames.Run expected = streamed(f);
    CountingAllocator alloc = new CountingAllocator();
    try (CaptureReader r = CaptureReader.open(f, Limits.defaults(), 100, alloc)) { // every record straddles
      Frames.Run run = Frames.readAll(r);
      assertThat(run.frames()).isEqualTo(expected.frames());
      assertThat(run.end()).isEqualTo(expected.end());
    }
    // a record straddling two windows is mapped again from its start, not copied
    assertThat(alloc.direct.get() + alloc.heap.get()).isZero();
  }

  @Test
  void aFileReadWithReadCallsTakesItsChunksFromTheGivenAllocator() throws Exception {
    Path f = capture();
    Frames.Run expected = streamed(f);
    CountingAllocator alloc = new CountingAllocator();
    try (CaptureReader r = CaptureReader.open(f, Limits.defaults(), alloc)) {
      assertThat(Frames.readAll(r).frames()).isEqualTo(expected.frames());
    }
    assertThat(alloc.direct.get() + alloc.heap.get()).isPositive();
  }
}
