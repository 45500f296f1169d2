package dev.wirelens.websocket;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Applies a WebSocket masking key (RFC 6455 §5.3) to payload bytes, copying them: the source is never written.
 *
 * <pre>
 *   j                   = i MOD 4
 *   transformed-octet-i = original-octet-i XOR masking-key-octet-j
 * </pre>
 *
 * <p>The key is applied eight bytes at a time (the key repeated twice in a {@code long}); {@code keyOffset} is the
 * position of the first byte within the frame's payload, so that a payload delivered in parts unmasks part by part.
 * Heap buffers on both sides take a {@code byte[]} fast path through a {@link VarHandle} view; any other source
 * (direct, read-only, composite) is copied to the destination in bulk and unmasked there in place, through the
 * destination's array or its own {@code getLong}/{@code setLong} (fast on an unwrapped direct buffer).
 *
 * <p>Lifetime: borrows {@code src} for the call; writes to {@code dst} from its writer index.
 *
 * <p>Allocation: none ({@code dst} may grow as any {@code ByteBuf} does when written past its capacity).
 *
 * <p>Thread safety: stateless.
 *
 * <pre>{@code
 * ByteBuf plain = alloc.buffer(frame.payload().readableBytes());
 * WebSocketUnmasker.unmask(frame.payload(), frame.maskingKey(), frame.payloadPartOffset(), plain);
 * }</pre>
 */
public final class WebSocketUnmasker {
  // native order: no byte swap per long; the key long is laid out to match (see keyLong)
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final boolean LITTLE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

  private WebSocketUnmasker() {}

  /**
   * Writes the readable bytes of {@code src} XOR the masking key to {@code dst}; {@code src}'s indices are not
   * moved. {@code maskingKey} is the key as read big-endian from the frame (octet 0 in bits 31-24);
   * {@code keyOffset} is the payload position of {@code src}'s first readable byte.
   */
  public static void unmask(ByteBuf src, int maskingKey, long keyOffset, ByteBuf dst) {
    unmask(src, src.readerIndex(), src.readableBytes(), maskingKey, keyOffset, dst);
  }

  /** Like {@link #unmask(ByteBuf, int, long, ByteBuf)} for {@code length} bytes of {@code src} from {@code index}. */
  public static void unmask(ByteBuf src, int index, int length, int maskingKey, long keyOffset, ByteBuf dst) {
    int key = Integer.rotateLeft(maskingKey, (int) (keyOffset & 3) * 8);
    dst.ensureWritable(length);
    int w = dst.writerIndex();
    if (src.hasArray() && dst.hasArray()) {
      unmask(src.array(), src.arrayOffset() + index, dst.array(), dst.arrayOffset() + w, length, key);
      dst.writerIndex(w + length);
      return;
    }
    // any other pair (read-only, composite, direct): one bulk copy, then unmask the destination in place (it is
    // the caller's, not borrowed), which is far cheaper than a checked getLong/setLong pair per 8 bytes
    dst.setBytes(w, src, index, length);
    if (dst.hasArray()) {
      int at = dst.arrayOffset() + w;
      unmask(dst.array(), at, dst.array(), at, length, key);
    } else {
      long key2 = (key & 0xFFFFFFFFL) << 32 | (key & 0xFFFFFFFFL);
      int i = 0;
      for (; i + 8 <= length; i += 8) {
        dst.setLong(w + i, dst.getLong(w + i) ^ key2);
      }
      for (; i < length; i++) {
        dst.setByte(w + i, dst.getByte(w + i) ^ (key >>> (24 - 8 * (i & 3))));
      }
    }
    dst.writerIndex(w + length);
  }

  /**
   * Unmasks {@code length} bytes of {@code src} from {@code srcIndex} into {@code dst} from {@code dstIndex};
   * {@code key} is already rotated so that its top octet applies to the first byte.
   */
  public static void unmask(byte[] src, int srcIndex, byte[] dst, int dstIndex, int length, int key) {
    long key2 = (key & 0xFFFFFFFFL) << 32 | (key & 0xFFFFFFFFL);
    if (LITTLE) {
      key2 = Long.reverseBytes(key2); // memory byte 0 is the long's low byte
    }
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      LONGS.set(dst, dstIndex + i, (long) LONGS.get(src, srcIndex + i) ^ key2);
    }
    for (; i < length; i++) {
      dst[dstIndex + i] = (byte) (src[srcIndex + i] ^ (key >>> (24 - 8 * (i & 3))));
    }
  }
}
