package dev.wirelens.benchmarks.websocket;

import dev.wirelens.benchmarks.AbstractMicrobenchmark;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Ways to unmask a direct source into a direct destination (the payload at index 8 of the source, as after a
 * 16-bit-length masked header), in one run, beside the bare copy: what {@code WebSocketUnmasker} chooses between.
 * Only JDK and Netty API (no {@code sun.misc.Unsafe}, no {@code io.netty.util.internal}).
 *
 * <ul>
 *   <li>{@code floorCopy}: {@code writeBytes} of the payload, nothing unmasked: the least any unmasking costs.</li>
 *   <li>{@code current}: bulk copy, then the destination's {@code getLong}/{@code setLong} in place (the library
 *       without a scratch array; what Netty's decoder does too).</li>
 *   <li>{@code scratch4k}/{@code scratch8k}/{@code scratch16k}/{@code scratchWhole}: a heap scratch array, a chunk
 *       at a time: bulk copy in, the in-place long loop over the array (which C2 vectorizes), bulk copy out (the
 *       library with a scratch array uses 8 KiB).</li>
 *   <li>{@code nioOnePass}, {@code nioOnePassUnrolled4}, {@code nioCopyThenInPlace}: {@code ByteBuffer} absolute
 *       {@code getLong}/{@code putLong} over {@code internalNioBuffer} views (no per-access reference-count check;
 *       big-endian views: C2 on JDK 17 keeps the byte swaps scalar).</li>
 *   <li>{@code nioNativeCopyThenInPlace}: bulk copy, then the in-place loop over the view in native byte order at
 *       {@code position() + i}; {@code nioNativeSlice}: the same over a zero-based {@code slice()} (one 64-byte view
 *       object per call, which escape analysis does not remove). On JDK 17 only the zero-based loop comes out
 *       vectorized; the offset loop is erratic from size to size and fork to fork (measured 2026-11-28: 60 ns at
 *       1000 B but 3.6 us at 8 KiB and 1.1-7.4 us at 16 KiB, against 360 and 530 ns through the scratch), which is
 *       why the library keeps the scratch for direct destinations (benchmarks/README.md).</li>
 *   <li>{@code library}: {@code WebSocketUnmasker.unmask} with an 8 KiB scratch, as the frame reader calls it.</li>
 * </ul>
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.wirelens.benchmarks.websocket.UnmaskDirectBenchmark
 * -f 1 -wi 2 -w 1s -i 3 -r 1s -bm sample -tu ns}.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-da", "-dsa", "-Dio.netty.leakDetection.level=disabled",
    "-Dio.netty.leakDetectionLevel=disabled", "-Xms512m", "-Xmx512m"})
public class UnmaskDirectBenchmark extends AbstractMicrobenchmark {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final int AT = 8;

  @Param({"125", "1000", "16384", "65536"})
  public int size;

  private ByteBuf src;
  private ByteBuf dst;
  private byte[] scratch = new byte[65536];
  private final int key = 0x37fa213d;

  @Setup(Level.Trial)
  public void setUp() {
    byte[] data = new byte[size + AT];
    new Random(size).nextBytes(data);
    src = Unpooled.directBuffer(size + AT).writeBytes(data);
    dst = Unpooled.directBuffer(size);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    src.release();
    dst.release();
  }

  @Benchmark
  public int floorCopy() {
    dst.clear();
    dst.writeBytes(src, AT, size);
    return dst.writerIndex();
  }

  @Benchmark
  public int current() {
    dst.clear();
    int w = dst.writerIndex();
    int length = size;
    dst.setBytes(w, src, AT, length);
    long key2 = (key & 0xFFFFFFFFL) << 32 | (key & 0xFFFFFFFFL);
    int longs = length & ~7;
    for (int i = 0; i < longs; i += 8) {
      dst.setLong(w + i, dst.getLong(w + i) ^ key2);
    }
    for (int i = longs; i < length; i++) {
      dst.setByte(w + i, dst.getByte(w + i) ^ (key >>> (24 - 8 * (i & 3))));
    }
    dst.writerIndex(w + length);
    return dst.writerIndex();
  }

  private int viaScratch(int chunk) {
    dst.clear();
    int w = dst.writerIndex();
    int length = size;
    byte[] s = scratch;
    long key2 = key2(key);
    for (int done = 0; done < length; done += chunk) {
      int n = Math.min(chunk, length - done);
      src.getBytes(AT + done, s, 0, n);
      xorInPlace(s, 0, n, key2, key); // chunk is a multiple of 8: the key's phase is the same at every chunk
      dst.setBytes(w + done, s, 0, n);
    }
    dst.writerIndex(w + length);
    return dst.writerIndex();
  }

  @Benchmark
  public int scratchWhole() {
    return viaScratch(65536);
  }

  @Benchmark
  public int scratch2k() {
    return viaScratch(2048);
  }

  @Benchmark
  public int scratch4k() {
    return viaScratch(4096);
  }

  @Benchmark
  public int scratch16k() {
    return viaScratch(16384);
  }

  @Benchmark
  public int scratch8k() {
    return viaScratch(8192);
  }

  @Benchmark
  public int nioOnePass() {
    dst.clear();
    int w = dst.writerIndex();
    int length = size;
    ByteBuffer s = src.internalNioBuffer(AT, length);
    ByteBuffer d = dst.internalNioBuffer(w, length);
    int sp = s.position();
    int dp = d.position();
    long key2 = (key & 0xFFFFFFFFL) << 32 | (key & 0xFFFFFFFFL); // big-endian ByteBuffer
    int longs = length & ~7;
    for (int i = 0; i < longs; i += 8) {
      d.putLong(dp + i, s.getLong(sp + i) ^ key2);
    }
    for (int i = longs; i < length; i++) {
      d.put(dp + i, (byte) (s.get(sp + i) ^ (key >>> (24 - 8 * (i & 3)))));
    }
    dst.writerIndex(w + length);
    return dst.writerIndex();
  }

  @Benchmark
  public int nioCopyThenInPlace() {
    dst.clear();
    int w = dst.writerIndex();
    int length = size;
    dst.setBytes(w, src, AT, length);
    ByteBuffer d = dst.internalNioBuffer(w, length);
    int dp = d.position();
    long key2 = (key & 0xFFFFFFFFL) << 32 | (key & 0xFFFFFFFFL);
    int longs = length & ~7;
    for (int i = 0; i < longs; i += 8) {
      d.putLong(dp + i, d.getLong(dp + i) ^ key2);
    }
    for (int i = longs; i < length; i++) {
      d.put(dp + i, (byte) (d.get(dp + i) ^ (key >>> (24 - 8 * (i & 3)))));
    }
    dst.writerIndex(w + length);
    return dst.writerIndex();
  }

  /** {@code nioCopyThenInPlace} with the view in native byte order (what the library does). */
  @Benchmark
  public int nioNativeCopyThenInPlace() {
    dst.clear();
    int w = dst.writerIndex();
    int length = size;
    dst.setBytes(w, src, AT, length);
    ByteBuffer d = dst.internalNioBuffer(w, length);
    ByteOrder order = d.order();
    d.order(ByteOrder.nativeOrder());
    int dp = d.position();
    long key2 = key2(key);
    int longs = length & ~7;
    for (int i = 0; i < longs; i += 8) {
      d.putLong(dp + i, d.getLong(dp + i) ^ key2);
    }
    for (int i = longs; i < length; i++) {
      d.put(dp + i, (byte) (d.get(dp + i) ^ (key >>> (24 - 8 * (i & 3)))));
    }
    d.order(order);
    dst.writerIndex(w + length);
    return dst.writerIndex();
  }

  /** {@code nioNativeCopyThenInPlace} over a zero-based {@code slice()} of the view (one view object per call). */
  @Benchmark
  public int nioNativeSlice() {
    dst.clear();
    int w = dst.writerIndex();
    int length = size;
    dst.setBytes(w, src, AT, length);
    ByteBuffer d = dst.internalNioBuffer(w, length).slice().order(ByteOrder.nativeOrder());
    long key2 = key2(key);
    int longs = length & ~7;
    for (int i = 0; i < longs; i += 8) {
      d.putLong(i, d.getLong(i) ^ key2);
    }
    for (int i = longs; i < length; i++) {
      d.put(i, (byte) (d.get(i) ^ (key >>> (24 - 8 * (i & 3)))));
    }
    dst.writerIndex(w + length);
    return dst.writerIndex();
  }

  /** The library's own {@code WebSocketUnmasker.unmask} with its scratch argument, as the frame reader calls it. */
  @Benchmark
  public int library() {
    dst.clear();
    dev.wirelens.websocket.WebSocketUnmasker.unmask(src, AT, size, key, 0, dst, scratch8);
    return dst.writerIndex();
  }

  private final byte[] scratch8 = new byte[8192];

  @Benchmark
  public int nioOnePassUnrolled4() {
    dst.clear();
    int w = dst.writerIndex();
    int length = size;
    ByteBuffer s = src.internalNioBuffer(AT, length);
    ByteBuffer d = dst.internalNioBuffer(w, length);
    int sp = s.position();
    int dp = d.position();
    long key2 = (key & 0xFFFFFFFFL) << 32 | (key & 0xFFFFFFFFL);
    int blocks = length & ~31;
    for (int i = 0; i < blocks; i += 32) {
      long a = s.getLong(sp + i);
      long b = s.getLong(sp + i + 8);
      long c = s.getLong(sp + i + 16);
      long e = s.getLong(sp + i + 24);
      d.putLong(dp + i, a ^ key2);
      d.putLong(dp + i + 8, b ^ key2);
      d.putLong(dp + i + 16, c ^ key2);
      d.putLong(dp + i + 24, e ^ key2);
    }
    for (int i = blocks; i < length; i++) {
      d.put(dp + i, (byte) (s.get(sp + i) ^ (key >>> (24 - 8 * (i & 3)))));
    }
    dst.writerIndex(w + length);
    return dst.writerIndex();
  }

  private static long key2(int key) {
    long k = (key & 0xFFFFFFFFL) << 32 | (key & 0xFFFFFFFFL);
    return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Long.reverseBytes(k) : k;
  }

  private static void xorInPlace(byte[] a, int at, int length, long key2, int key) {
    int longs = length & ~7;
    for (int i = 0; i < longs; i += 8) {
      LONGS.set(a, at + i, (long) LONGS.get(a, at + i) ^ key2);
    }
    for (int i = longs; i < length; i++) {
      a[at + i] = (byte) (a[at + i] ^ (key >>> (24 - 8 * (i & 3))));
    }
  }

  public static void main(String[] args) throws Exception {
    run(UnmaskDirectBenchmark.class, args);
  }
}
