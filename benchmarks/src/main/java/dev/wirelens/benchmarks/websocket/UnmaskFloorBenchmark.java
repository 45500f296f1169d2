package dev.wirelens.benchmarks.websocket;

import dev.wirelens.benchmarks.AbstractMicrobenchmark;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Floors and loop shapes for unmasking, {@code byte[]} to {@code byte[]}, in one run: what any unmasking must at
 * least cost on this machine (a copy of the same bytes; a XOR with a one-byte constant, which C2 vectorizes) beside
 * ways to write the 4-byte-periodic XOR. Bytes per second = size / score.
 *
 * <ul>
 *   <li>{@code floorArraycopy}: {@code System.arraycopy} of the payload: the cost of writing it anywhere.</li>
 *   <li>{@code floorXorByte}: {@code dst[i] = src[AT + i] ^ k} with one constant byte (not a correct unmask): the
 *       simplest one-pass loop. C2 (JDK 17) does not vectorize it when source and destination are at different
 *       alignments, as here: one byte per iteration.</li>
 *   <li>{@code longLoopOldShape}: a {@code long} at a time through a {@code byteArrayViewVarHandle}, written
 *       {@code for (; i + 8 <= n; i += 8)} (the library before this benchmark): C2 does not treat it as a counted
 *       loop.</li>
 *   <li>{@code longLoop}: the same loop in canonical counted form ({@code for (int i = 0; i < longs; i += 8)}, the
 *       limit computed before the loop): what {@code WebSocketUnmasker} does under 1 KiB.</li>
 *   <li>{@code longLoopUnrolled4}: the canonical loop with four independent longs per iteration.</li>
 *   <li>{@code copyThenInPlace}: {@code System.arraycopy}, then the canonical long loop in place over one array
 *       with one index expression, which C2 vectorizes (what {@code WebSocketUnmasker} does from 1 KiB; also the
 *       shape of Netty's {@code WebSocket08FrameDecoder}: copy the payload to a new buffer, unmask it there, though
 *       Netty's in-place pass goes through {@code ByteBuf.getLong}/{@code setLong}).</li>
 *   <li>{@code keyBlock}: the key repeated into a 64-byte array, XORed a block at a time by a byte loop C2
 *       vectorizes ({@code dst[i + j] = src[i + j] ^ kb[j]}).</li>
 * </ul>
 *
 * <p>The payload starts at index 14 of the source array (after a frame header), the output at index 0, as when a
 * frame is unmasked out of the captured bytes into a buffer of its own.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.wirelens.benchmarks.websocket.UnmaskFloorBenchmark
 * -f 1 -wi 2 -i 3 -w 1s -r 1s}.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-da", "-dsa", "-Xms512m", "-Xmx512m"})
public class UnmaskFloorBenchmark extends AbstractMicrobenchmark {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

  @Param({"125", "1024", "16384", "65536"})
  public int size;

  private static final int AT = 14;

  private byte[] src;
  private byte[] dst;
  private byte[] keyBlock;
  private long key2;

  @Setup(Level.Trial)
  public void setUp() {
    src = new byte[AT + size];
    new Random(size).nextBytes(src);
    dst = new byte[size];
    int key = 0x37fa213d;
    keyBlock = new byte[64];
    for (int i = 0; i < keyBlock.length; i++) {
      keyBlock[i] = (byte) (key >>> (24 - 8 * (i & 3)));
    }
    long k = (key & 0xFFFFFFFFL) << 32 | (key & 0xFFFFFFFFL);
    key2 = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Long.reverseBytes(k) : k;
  }

  @Benchmark
  public byte[] floorArraycopy() {
    System.arraycopy(src, AT, dst, 0, size);
    return dst;
  }

  @Benchmark
  public byte[] floorXorByte() {
    byte[] s = src;
    byte[] d = dst;
    int n = size;
    for (int i = 0; i < n; i++) {
      d[i] = (byte) (s[AT + i] ^ 0x37);
    }
    return d;
  }

  @Benchmark
  public byte[] longLoopOldShape() {
    byte[] s = src;
    byte[] d = dst;
    int n = size;
    long k = key2;
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      LONGS.set(d, i, (long) LONGS.get(s, AT + i) ^ k);
    }
    for (; i < n; i++) {
      d[i] = (byte) (s[AT + i] ^ (k >>> (8 * (i & 7))));
    }
    return d;
  }

  @Benchmark
  public byte[] longLoop() {
    longs(src, AT, dst, 0, size, key2);
    return dst;
  }

  @Benchmark
  public byte[] longLoopUnrolled4() {
    byte[] s = src;
    byte[] d = dst;
    int n = size;
    long k = key2;
    int blocks = n & ~31;
    for (int i = 0; i < blocks; i += 32) {
      long a = (long) LONGS.get(s, AT + i);
      long b = (long) LONGS.get(s, AT + i + 8);
      long c = (long) LONGS.get(s, AT + i + 16);
      long e = (long) LONGS.get(s, AT + i + 24);
      LONGS.set(d, i, a ^ k);
      LONGS.set(d, i + 8, b ^ k);
      LONGS.set(d, i + 16, c ^ k);
      LONGS.set(d, i + 24, e ^ k);
    }
    longs(s, AT + blocks, d, blocks, n - blocks, k);
    return d;
  }

  @Benchmark
  public byte[] copyThenInPlace() {
    System.arraycopy(src, AT, dst, 0, size);
    byte[] d = dst;
    int n = size;
    long k = key2;
    int longs = n & ~7;
    for (int i = 0; i < longs; i += 8) {
      LONGS.set(d, i, (long) LONGS.get(d, i) ^ k);
    }
    for (int i = longs; i < n; i++) {
      d[i] = (byte) (d[i] ^ (k >>> (8 * (i & 7))));
    }
    return d;
  }

  @Benchmark
  public byte[] keyBlock() {
    byte[] s = src;
    byte[] d = dst;
    byte[] kb = keyBlock;
    int n = size;
    int i = 0;
    for (; i + 64 <= n; i += 64) {
      for (int j = 0; j < 64; j++) {
        d[i + j] = (byte) (s[AT + i + j] ^ kb[j]);
      }
    }
    for (int j = 0; i < n; i++, j++) {
      d[i] = (byte) (s[AT + i] ^ kb[j]);
    }
    return d;
  }

  private static void longs(byte[] s, int si, byte[] d, int di, int n, long k) {
    int longs = n & ~7;
    for (int i = 0; i < longs; i += 8) {
      LONGS.set(d, di + i, (long) LONGS.get(s, si + i) ^ k);
    }
    for (int i = longs; i < n; i++) {
      d[di + i] = (byte) (s[si + i] ^ (k >>> (8 * (i & 7))));
    }
  }

  public static void main(String[] args) throws Exception {
    run(UnmaskFloorBenchmark.class, args);
  }
}
