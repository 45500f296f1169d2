import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Does C2 vectorize an in-place XOR over off-heap memory? The WebSocket masking loop over a direct {@code ByteBuffer}
 * at {@code at + i} (what JDK 17 code can write) beside the same loop over a {@code MemorySegment} of that buffer with
 * a {@code long} index (JDK 22+ API), for several payload sizes and offsets. Not part of the Maven build (the module
 * release is 17): a single-file program for a JDK 22 or newer, e.g.
 * {@code /usr/lib/jvm/temurin-25-jdk-amd64/bin/java benchmarks/jdk22/OffHeapXorProbe.java 16384 8}. A plain timing
 * loop, not JMH: it answers "vectorized or not" (a 10-40x difference), not the exact cost.
 */
public class OffHeapXorProbe {
  static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

  static void xorSegment(MemorySegment s, long at, long length, long key2) {
    long longs = length & ~7L;
    for (long i = 0; i < longs; i += 8) {
      s.set(LONG, at + i, s.get(LONG, at + i) ^ key2);
    }
  }

  static void xorBuffer(ByteBuffer b, int at, int length, long key2) {
    int longs = length & ~7;
    for (int i = 0; i < longs; i += 8) {
      b.putLong(at + i, b.getLong(at + i) ^ key2);
    }
  }

  public static void main(String[] args) {
    int length = Integer.parseInt(args[0]);
    int at = Integer.parseInt(args[1]);
    ByteBuffer direct = ByteBuffer.allocateDirect(length + 64).order(ByteOrder.nativeOrder());
    MemorySegment segment = MemorySegment.ofBuffer(direct);
    long key2 = 0x37fa213d37fa213dL;
    for (int round = 0; round < 6; round++) {
      long t0 = System.nanoTime();
      for (int n = 0; n < 100_000; n++) {
        xorSegment(segment, at, length, key2);
      }
      long t1 = System.nanoTime();
      for (int n = 0; n < 100_000; n++) {
        xorBuffer(direct, at, length, key2);
      }
      long t2 = System.nanoTime();
      if (round >= 4) {
        System.out.printf("%d B at %d: MemorySegment %.0f ns, ByteBuffer %.0f ns%n", length, at, (t1 - t0) / 1e5,
            (t2 - t1) / 1e5);
      }
    }
  }
}
