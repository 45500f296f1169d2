package dev.wirelens.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;

/**
 * Buffers holding exactly the given bytes and nothing else, so that any read outside them throws
 * {@link IndexOutOfBoundsException}: the "no read outside the bytes given" property of fuzz targets. Capacity and
 * maximum capacity equal the length; the reader index is 0.
 *
 * <p>Every buffer returned belongs to the caller, who releases it.
 */
public final class ExactBuffer {
  /** Shapes {@link #of(byte[], int, CutPoints)} can make. */
  public static final int SHAPES = 3;

  private ExactBuffer() {}

  /** A heap buffer of exactly {@code bytes}. */
  public static ByteBuf heap(byte[] bytes) {
    return Unpooled.buffer(bytes.length, bytes.length).writeBytes(bytes);
  }

  /**
   * {@code bytes} in shape {@code shape % SHAPES}: 0 heap, 1 direct, 2 a composite of the pieces {@code cuts} makes
   * (each component exactly its piece).
   */
  public static ByteBuf of(byte[] bytes, int shape, CutPoints cuts) {
    switch (Math.floorMod(shape, SHAPES)) {
      case 1:
        return Unpooled.directBuffer(bytes.length, bytes.length).writeBytes(bytes);
      case 2:
        List<byte[]> pieces = cuts.split(bytes);
        CompositeByteBuf c = Unpooled.compositeBuffer(Math.max(2, pieces.size()));
        for (byte[] p : pieces) {
          c.addComponent(true, Unpooled.buffer(p.length, p.length).writeBytes(p));
        }
        return c;
      default:
        return heap(bytes);
    }
  }
}
