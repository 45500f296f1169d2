package dev.wirelens.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fuzzing helpers of the testkit do what the fuzz targets rely on. */
class FuzzHelpersTest {
  @Test
  void cutPointsFallStrictlyInsideTheInputSortedAndDistinct() {
    CutPoints cuts = CutPoints.of(0, 5, 8, 14, 8);
    assertArrayEquals(new int[] {1, 6, 9}, cuts.within(10)); // 1 + seed % 9, sorted, distinct
    assertArrayEquals(new int[0], cuts.within(1));
    List<byte[]> pieces = cuts.split(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    assertEquals(4, pieces.size());
    assertArrayEquals(new byte[] {0}, pieces.get(0));
    assertArrayEquals(new byte[] {6, 7, 8}, pieces.get(2));
    assertArrayEquals(new byte[0], CutPoints.of(3).split(new byte[0]).get(0));
  }

  @Test
  void shortReadsNeverCrossACutPoint() throws IOException {
    byte[] data = {10, 11, 12, 13, 14, 15};
    try (ShortReadInputStream in = new ShortReadInputStream(data, new int[] {2, 5})) {
      byte[] b = new byte[10];
      assertEquals(2, in.read(b, 0, 10));
      assertEquals(3, in.read(b, 2, 10 - 2));
      assertEquals(1, in.read(b, 5, 5));
      assertEquals(-1, in.read(b, 0, 10));
      assertEquals(3, in.reads());
      in.close();
      assertTrue(in.isClosed());
      assertThrows(IOException.class, () -> in.read(b, 0, 1));
    }
  }

  @Test
  void eventDigestsAreEqualExactlyWhenTheEventsAre() {
    ByteBuf bytes = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
    try {
      EventDigest a = new EventDigest().add("x", 1).bytes(bytes);
      EventDigest b = new EventDigest().add("x", 1).bytes(bytes);
      EventDigest c = new EventDigest().add("x", 1).bytes(bytes, 0, 2);
      assertEquals(a, b);
      assertNotEquals(a, c);
      assertEquals(0, bytes.readerIndex(), "indices not moved");
    } finally {
      bytes.release();
    }
  }

  @Test
  void exactBuffersThrowOnAnyReadOutsideTheirBytesInEveryShape() {
    byte[] data = {1, 2, 3, 4, 5};
    for (int shape = 0; shape < ExactBuffer.SHAPES; shape++) {
      ByteBuf b = ExactBuffer.of(data, shape, CutPoints.of(1, 3));
      try {
        assertEquals(5, b.readableBytes());
        assertEquals(5, b.getByte(4));
        assertThrows(IndexOutOfBoundsException.class, () -> b.getByte(5), "shape " + shape);
        assertThrows(IndexOutOfBoundsException.class, () -> b.getInt(2), "shape " + shape);
      } finally {
        b.release();
      }
    }
  }
}
