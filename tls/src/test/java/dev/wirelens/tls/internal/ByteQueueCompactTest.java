package dev.wirelens.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/**
 * ByteQueue.compact(): the reassembler's copy rule (TcpReassembler.COPY_AT_MOST = 256 bytes,
 * COPY_WHEN_PARENT_RATIO = 8) applied to what a reader keeps between calls. Expected sizes are written into the
 * buffers below.
 */
class ByteQueueCompactTest {
  private static ByteBuf chunk(int capacity) {
    ByteBuf b = Unpooled.buffer(capacity, capacity);
    for (int i = 0; i < capacity; i++) {
      b.writeByte(i);
    }
    return b;
  }

  @Test
  void aRemainderUnderAnEighthOfItsChunkIsCopiedAndTheChunkLetGo() {
    ByteBuf chunk = chunk(64 << 10);
    ByteQueue q = new ByteQueue(UnpooledByteBufAllocator.DEFAULT);
    q.add(chunk.retainedSlice(1000, 4000)); // 4000 x 8 < 65536
    q.take(10);
    q.compact();
    assertThat(chunk.refCnt()).isEqualTo(1);
    assertThat(q.available()).isEqualTo(3990);
    assertThat(q.retainedCapacity()).isEqualTo(3990);
    assertThat(q.getUnsignedByte(0)).isEqualTo((1010) & 0xFF); // same bytes, in order
    assertThat(q.position()).isEqualTo(10);
    q.clear();
    chunk.release();
  }

  @Test
  void aRemainderOfAnEighthOfItsChunkOrMoreStaysASlice() {
    ByteBuf chunk = chunk(64 << 10);
    ByteQueue q = new ByteQueue(UnpooledByteBufAllocator.DEFAULT);
    q.add(chunk.retainedSlice(0, 8192)); // 8192 x 8 = 65536: not less than the chunk
    q.compact();
    assertThat(chunk.refCnt()).isEqualTo(2);
    assertThat(q.retainedCapacity()).isEqualTo(64 << 10);
    q.clear();
    assertThat(chunk.refCnt()).isEqualTo(1);
    chunk.release();
  }

  @Test
  void atMost256BytesAreAlwaysCopied() {
    ByteBuf small = chunk(600);
    ByteQueue q = new ByteQueue(UnpooledByteBufAllocator.DEFAULT);
    q.add(small.retainedSlice(0, 256)); // 256 x 8 > 600, but 256 <= COPY_AT_MOST
    q.add(small.retainedSlice(256, 257)); // 257 x 8 > 600 and above COPY_AT_MOST: kept
    q.compact();
    assertThat(small.refCnt()).isEqualTo(2);
    assertThat(q.retainedCapacity()).isEqualTo(256 + 600);
    q.clear();
    small.release();
  }

  @Test
  void consumedBuffersAndTheLastAssemblyAreReleased() {
    ByteBuf a = chunk(1000);
    ByteBuf b = chunk(1000);
    ByteQueue q = new ByteQueue(UnpooledByteBufAllocator.DEFAULT);
    q.add(a.retain());
    q.add(b.retain());
    q.take(1400); // spans both: an assembly of 1400 bytes, a exhausted
    q.compact();
    assertThat(a.refCnt()).isEqualTo(1);
    assertThat(b.refCnt()).isEqualTo(2); // 600 of 1000 left: not much smaller than the buffer
    assertThat(q.retainedCapacity()).isEqualTo(1000);
    q.clear();
    a.release();
    b.release();
  }
}
