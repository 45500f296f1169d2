package dev.wirelens.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The buffer shapes every view and reader must accept (house style, "Buffer shapes"): the same bytes as a heap
 * buffer, a direct buffer, a composite of 1-byte components, a read-only buffer, and a buffer whose reader index is
 * not zero. Use it as a {@code @EnumSource} parameter.
 *
 * <p>{@link #wrap(byte[])} returns a buffer the caller releases and whose readable bytes are exactly the input, at
 * {@code readerIndex()}; views are wrapped with {@code wrap(buf, buf.readerIndex(), buf.readableBytes())}.
 */
public enum BufferShape {
  /** An unpooled heap buffer. */
  HEAP {
    @Override
    public ByteBuf wrap(byte[] bytes) {
      return Unpooled.buffer(bytes.length).writeBytes(bytes);
    }
  },
  /** An unpooled direct buffer. */
  DIRECT {
    @Override
    public ByteBuf wrap(byte[] bytes) {
      return Unpooled.directBuffer(Math.max(1, bytes.length)).writeBytes(bytes);
    }
  },
  /** A composite buffer of one component per byte, as reassembled input may be. */
  COMPOSITE_ONE_BYTE {
    @Override
    public ByteBuf wrap(byte[] bytes) {
      CompositeByteBuf c = Unpooled.compositeBuffer(Math.max(2, bytes.length));
      for (byte b : bytes) {
        c.addComponent(true, Unpooled.buffer(1).writeByte(b));
      }
      return c;
    }
  },
  /** A read-only view of a heap buffer. */
  READ_ONLY {
    @Override
    public ByteBuf wrap(byte[] bytes) {
      return Unpooled.buffer(bytes.length).writeBytes(bytes).asReadOnly();
    }
  },
  /** A heap buffer with 7 bytes of garbage before the data (reader index 7). */
  NONZERO_READER_INDEX {
    @Override
    public ByteBuf wrap(byte[] bytes) {
      ByteBuf b = Unpooled.buffer(bytes.length + 7);
      b.writeBytes(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0x55, 0x66, 0x77});
      b.writeBytes(bytes);
      b.readerIndex(7);
      return b;
    }
  };

  /** The bytes in this shape; the caller releases the buffer. */
  public abstract ByteBuf wrap(byte[] bytes);
}
