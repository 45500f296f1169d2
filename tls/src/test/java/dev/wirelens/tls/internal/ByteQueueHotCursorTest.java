package dev.wirelens.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/**
 * The hot cursor (hotHead/hotIndex/skipHot) keeps the read position outside the first buffer; every other method
 * must see the bytes exactly as if the buffer's reader index had moved. The buffers hold byte i at index i, so each
 * expected value is the offset written next to it.
 */
class ByteQueueHotCursorTest {
  private static ByteBuf counting(int n) {
    ByteBuf b = Unpooled.buffer(n, n);
    for (int i = 0; i < n; i++) {
      b.writeByte(i);
    }
    return b;
  }

  @Test
  void skippedHotBytesAreGoneForEveryOtherRead() {
    ByteQueue q = new ByteQueue(UnpooledByteBufAllocator.DEFAULT);
    q.add(counting(100));
    ByteBuf head = q.hotHead();
    assertThat(q.hotIndex()).isZero();
    assertThat(q.hotLimit()).isEqualTo(100);
    q.skipHot(30);
    assertThat(q.position()).isEqualTo(30);
    assertThat(q.available()).isEqualTo(70);
    assertThat(q.getUnsignedByte(0)).isEqualTo(30);
    assertThat(head.readerIndex()).isEqualTo(30); // written back before the buffer is read any other way
    ByteBuf taken = q.take(10);
    assertThat(q.takenOffset()).isEqualTo(30);
    assertThat((int) taken.getUnsignedByte(q.takenOffset())).isEqualTo(30);
    assertThat(q.position()).isEqualTo(40);
    q.clear();
  }

  @Test
  void theHotCursorResumesWhereTakeLeftOff() {
    ByteQueue q = new ByteQueue(UnpooledByteBufAllocator.DEFAULT);
    q.add(counting(100));
    q.take(5);
    assertThat(q.hotHead()).isNotNull();
    assertThat(q.hotIndex()).isEqualTo(5);
    assertThat(q.hotBase() + q.hotIndex()).isEqualTo(5);
    q.skipHot(20);
    assertThat(q.hotBase() + q.hotIndex()).isEqualTo(25);
    assertThat(q.position()).isEqualTo(25);
    q.clear();
    assertThat(q.position()).isZero();
    assertThat(q.available()).isZero();
  }

  @Test
  void theHotCursorCountsStreamOffsetsFromANonZeroReaderIndex() {
    ByteQueue q = new ByteQueue(UnpooledByteBufAllocator.DEFAULT);
    ByteBuf b = counting(100);
    b.readerIndex(60);
    q.add(b);
    assertThat(q.hotHead()).isSameAs(b);
    assertThat(q.hotIndex()).isEqualTo(60);
    assertThat(q.hotBase() + q.hotIndex()).isZero(); // stream offset 0 is the first readable byte
    q.skipHot(10);
    assertThat(q.position()).isEqualTo(10);
    assertThat(q.getUnsignedByte(0)).isEqualTo(70);
    q.clear();
  }

  @Test
  void bytesFedBehindTheHotBufferAreCountedAndReachedAfterIt() {
    ByteQueue q = new ByteQueue(UnpooledByteBufAllocator.DEFAULT);
    q.add(counting(10));
    q.hotHead();
    q.skipHot(8);
    q.add(counting(10));
    assertThat(q.available()).isEqualTo(12);
    assertThat(q.getUnsignedByte(1)).isEqualTo(9);
    assertThat(q.getUnsignedByte(2)).isEqualTo(0); // the first byte of the second buffer
    ByteBuf spanning = q.take(4);
    assertThat((int) spanning.getUnsignedByte(q.takenOffset())).isEqualTo(8);
    assertThat((int) spanning.getUnsignedByte(q.takenOffset() + 2)).isEqualTo(0);
    assertThat(q.hotHead()).isNull(); // the copy of the spanning unit waits to be reclaimed
    q.reclaim();
    assertThat(q.hotHead()).isNotNull();
    assertThat(q.hotIndex()).isEqualTo(2);
    assertThat(q.hotBase() + q.hotIndex()).isEqualTo(12);
    q.clear();
  }

  @Test
  void compactSeesTheHotPosition() {
    ByteBuf chunk = counting(64 << 10);
    ByteQueue q = new ByteQueue(UnpooledByteBufAllocator.DEFAULT);
    q.add(chunk.retainedSlice(0, 1000));
    q.hotHead();
    q.skipHot(900);
    q.compact(); // 100 bytes left, at most COPY_AT_MOST: copied, the chunk let go
    assertThat(chunk.refCnt()).isEqualTo(1);
    assertThat(q.retainedCapacity()).isEqualTo(100);
    assertThat(q.available()).isEqualTo(100);
    assertThat(q.position()).isEqualTo(900);
    assertThat(q.getUnsignedByte(0)).isEqualTo(900 & 0xff);
    q.clear();
    chunk.release();
  }

  @Test
  void anExhaustedHotBufferIsReleasedByReclaim() {
    ByteQueue q = new ByteQueue(UnpooledByteBufAllocator.DEFAULT);
    ByteBuf b = counting(10);
    q.add(b);
    q.hotHead();
    q.skipHot(10);
    assertThat(q.available()).isZero();
    q.reclaim();
    assertThat(b.refCnt()).isZero();
    assertThat(q.hotHead()).isNull();
    assertThat(q.position()).isEqualTo(10);
    q.clear();
  }

  @Test
  void skipStartsWhereTheHotCursorStopped() {
    ByteQueue q = new ByteQueue(UnpooledByteBufAllocator.DEFAULT);
    q.add(counting(50));
    q.add(counting(50));
    q.hotHead();
    q.skipHot(20);
    q.skip(40); // 30 left in the first buffer, 10 of the second
    assertThat(q.position()).isEqualTo(60);
    assertThat(q.available()).isEqualTo(40);
    assertThat(q.getUnsignedByte(0)).isEqualTo(10); // byte 10 of the second buffer
    assertThat(q.hotHead()).isNotNull();
    assertThat(q.hotIndex()).isEqualTo(10);
    assertThat(q.hotBase() + q.hotIndex()).isEqualTo(60);
    q.clear();
  }

  @Test
  void skipUnqueuedAfterTheHotCursorEmptiedTheQueueMovesPositionAndKeepsNothingAvailable() {
    ByteQueue q = new ByteQueue(UnpooledByteBufAllocator.DEFAULT);
    q.add(counting(30));
    q.hotHead();
    q.skipHot(30);
    q.skipUnqueued(1000);
    assertThat(q.position()).isEqualTo(1030);
    assertThat(q.available()).isZero();
    q.add(counting(20));
    assertThat(q.available()).isEqualTo(20);
    q.reclaim();
    assertThat(q.hotHead()).isNotNull();
    assertThat(q.hotBase() + q.hotIndex()).isEqualTo(1030); // the next fed byte is at stream offset 1030
    assertThat(q.getUnsignedByte(0)).isZero();
    q.clear();
  }

  @Test
  void skipUnqueuedWhileBytesAreQueuedIsRefused() {
    ByteQueue q = new ByteQueue(UnpooledByteBufAllocator.DEFAULT);
    q.add(counting(30));
    q.hotHead();
    q.skipHot(29);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> q.skipUnqueued(1))
        .isInstanceOf(IllegalStateException.class);
    assertThat(q.position()).isEqualTo(29);
    q.clear();
  }
}
