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
 * destination's array. A destination without an array (direct, composite) is unmasked through a caller's scratch
 * array when one is given ({@link #unmask(ByteBuf, int, int, int, long, ByteBuf, byte[])}): a chunk at a time,
 * bulk copy in, the vectorized pass in the array, bulk copy out; otherwise through its own {@code getLong}/{@code
 * setLong}, which C2 (JDK 17) does not vectorize (about half the speed from 16 KiB on; benchmarks/README.md).
 *
 * <p>Lifetime: borrows {@code src} for the call; writes to {@code dst} from its writer index.
 *
 * <p>Allocation: none ({@code dst} may grow as any {@code ByteBuf} does when written past its capacity; a scratch
 * array is the caller's).
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
  /**
   * From this length on, payloads are copied in bulk and then unmasked in place: {@code System.arraycopy} and the
   * in-place pass (which C2 vectorizes) together beat the one-pass copy-and-XOR loop from 1 KiB on
   * (UnmaskFloorBenchmark, WebSocketFrameReaderBenchmark; benchmarks/README.md).
   */
  private static final int COPY_FIRST = 1024;
  /**
   * From this length on, a destination without an array goes through the scratch array when one is given: the
   * two are even at 512 B (60 ns), the scratch is slower below (256 B: 60 / 40 ns) and faster above (768 B: 60 / 70
   * ns, 1000 B: 70 / 80 ns, from 16 KiB on 1.7-1.8x) (UnmaskDirectBenchmark, benchmarks/README.md).
   */
  static final int SCRATCH_FROM = 512;
  /** The scratch length {@link WebSocketFrame#unmaskTo} uses: chunks that stay in L1 (best of 2-64 KiB measured). */
  static final int SCRATCH_LENGTH = 8192;

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
    unmask(src, index, length, maskingKey, keyOffset, dst, null);
  }

  /**
   * Like {@link #unmask(ByteBuf, int, int, int, long, ByteBuf)}, with a scratch array for a destination that has no
   * backing array (direct, composite): the bytes pass through {@code scratch} in chunks of its length (rounded down
   * to a multiple of 8), so that the XOR runs vectorized over a heap array. {@code scratch} is overwritten; it may be
   * {@code null} or shorter than 8 bytes (then unused). 8 KiB is the measured best; it is not needed for a heap
   * destination.
   */
  public static void unmask(ByteBuf src, int index, int length, int maskingKey, long keyOffset, ByteBuf dst,
      byte[] scratch) {
    int key = Integer.rotateLeft(maskingKey, (int) (keyOffset & 3) * 8);
    dst.ensureWritable(length);
    int w = dst.writerIndex();
    if (dst.hasArray()) {
      byte[] d = dst.array();
      int at = dst.arrayOffset() + w;
      if (src.hasArray() && length < COPY_FIRST) {
        unmask(src.array(), src.arrayOffset() + index, d, at, length, key);
      } else {
        // any source (heap, read-only, composite, direct): one bulk copy, then the vectorized pass in place
        src.getBytes(index, d, at, length);
        xorInPlace(d, at, length, key);
      }
      dst.writerIndex(w + length);
      return;
    }
    if (scratch != null && scratch.length >= 8 && length >= SCRATCH_FROM) {
      // a direct (or composite) destination, chunk by chunk through the heap scratch: bulk copy in, vectorized XOR
      // while the chunk is in L1, bulk copy out. Chunks are multiples of 8 bytes, so the key's phase is the same
      // at every chunk's start.
      int chunk = scratch.length & ~7;
      for (int done = 0; done < length; done += chunk) {
        int n = Math.min(chunk, length - done);
        src.getBytes(index + done, scratch, 0, n);
        xorInPlace(scratch, 0, n, key);
        dst.setBytes(w + done, scratch, 0, n);
      }
      dst.writerIndex(w + length);
      return;
    }
    // a direct (or composite) destination, no scratch: one bulk copy, then unmask it in place (it is the caller's,
    // not borrowed) through its own getLong/setLong
    dst.setBytes(w, src, index, length);
    long key2 = (key & 0xFFFFFFFFL) << 32 | (key & 0xFFFFFFFFL);
    int longs = length & ~7;
    for (int i = 0; i < longs; i += 8) {
      dst.setLong(w + i, dst.getLong(w + i) ^ key2);
    }
    for (int i = longs; i < length; i++) {
      dst.setByte(w + i, dst.getByte(w + i) ^ (key >>> (24 - 8 * (i & 3))));
    }
    dst.writerIndex(w + length);
  }

  /**
   * Unmasks {@code length} bytes of {@code src} from {@code srcIndex} into {@code dst} from {@code dstIndex};
   * {@code key} is already rotated so that its top octet applies to the first byte. The two ranges may be the same
   * (unmasking in place) or overlap.
   */
  public static void unmask(byte[] src, int srcIndex, byte[] dst, int dstIndex, int length, int key) {
    if (src == dst && srcIndex == dstIndex) {
      xorInPlace(dst, dstIndex, length, key);
    } else if (length >= COPY_FIRST || (src == dst && dstIndex < srcIndex + length && srcIndex < dstIndex + length)) {
      System.arraycopy(src, srcIndex, dst, dstIndex, length);
      xorInPlace(dst, dstIndex, length, key);
    } else {
      long key2 = key2(key);
      // A counted loop in canonical form (i < a limit fixed before the loop, constant stride): C2 unrolls it and
      // hoists the view's bounds checks out of it. The same loop written `for (; i + 8 <= length; i += 8)` is not
      // recognised as counted and ran 5-7 times slower (UnmaskFloorBenchmark, benchmarks/README.md).
      int longs = length & ~7;
      for (int i = 0; i < longs; i += 8) {
        LONGS.set(dst, dstIndex + i, (long) LONGS.get(src, srcIndex + i) ^ key2);
      }
      for (int i = longs; i < length; i++) {
        dst[dstIndex + i] = (byte) (src[srcIndex + i] ^ (key >>> (24 - 8 * (i & 3))));
      }
    }
  }

  /**
   * XORs {@code length} bytes of {@code a} from {@code at} with the key, in place. One array and one index
   * expression for the load and the store: C2 (JDK 17) vectorizes this loop (75-88 GB/s measured for 16-64 KiB,
   * against about 30 GB/s for the two-array loop above, whose array offsets it cannot prove apart).
   */
  private static void xorInPlace(byte[] a, int at, int length, int key) {
    long key2 = key2(key);
    int longs = length & ~7;
    for (int i = 0; i < longs; i += 8) {
      LONGS.set(a, at + i, (long) LONGS.get(a, at + i) ^ key2);
    }
    for (int i = longs; i < length; i++) {
      a[at + i] = (byte) (a[at + i] ^ (key >>> (24 - 8 * (i & 3))));
    }
  }

  /** The key twice in a {@code long}, laid out so that a native-order load XORs byte 0 with the key's top octet. */
  private static long key2(int key) {
    long key2 = (key & 0xFFFFFFFFL) << 32 | (key & 0xFFFFFFFFL);
    return LITTLE ? Long.reverseBytes(key2) : key2; // little-endian: memory byte 0 is the long's low byte
  }
}
