package dev.wirelens.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * A fuzz input split into the bytes of a stream and the cut points at which the stream is delivered in pieces.
 *
 * <p>Layout (so that raw captured streams work as seeds): the stream is the data from the start; the cut points come
 * from the end, as {@link FuzzedDataProvider} consumes integers from the end: one byte giving the number of cuts
 * (0..15), then two bytes per cut position (taken modulo the stream length). A seed made from a captured stream gets
 * a short trailer (see {@code scripts/fuzz-seeds.py}); without it the last bytes of the stream choose the cuts.
 *
 * <p>Buffers are made with {@link #exact(byte[], int, int)}: capacity and maximum capacity equal to their length, so
 * that any read outside the bytes given throws {@link IndexOutOfBoundsException} instead of reading zeros.
 */
public final class FuzzInput {
  public final byte[] stream;
  public final int[] cuts;

  private FuzzInput(byte[] stream, int[] cuts) {
    this.stream = stream;
    this.cuts = cuts;
  }

  /** Reads cut points (from the end) and the stream (the rest). */
  public static FuzzInput of(FuzzedDataProvider data) {
    int n = data.consumeInt(0, 15);
    int[] raw = new int[n];
    for (int i = 0; i < n; i++) {
      raw[i] = data.consumeInt(0, 0xFFFF);
    }
    byte[] stream = data.consumeRemainingAsBytes();
    return new FuzzInput(stream, cutsWithin(raw, stream.length));
  }

  public static int[] cutsWithin(int[] raw, int length) {
    if (length < 2) {
      return new int[0];
    }
    int[] c = new int[raw.length];
    for (int i = 0; i < raw.length; i++) {
      c[i] = 1 + raw[i] % (length - 1);
    }
    return Arrays.stream(c).sorted().distinct().toArray();
  }

  /** The stream as the pieces between the cut points (never empty pieces). */
  public List<byte[]> pieces() {
    return split(stream, cuts);
  }

  public static List<byte[]> split(byte[] bytes, int[] cuts) {
    List<byte[]> out = new ArrayList<>();
    int from = 0;
    for (int c : cuts) {
      if (c > from && c < bytes.length) {
        out.add(Arrays.copyOfRange(bytes, from, c));
        from = c;
      }
    }
    if (from < bytes.length || bytes.length == 0) {
      out.add(Arrays.copyOfRange(bytes, from, bytes.length));
    }
    return out;
  }

  /**
   * A buffer holding exactly {@code bytes[from, from+length)}: a slice of a larger buffer with guard bytes either
   * side, readerIndex 0 of the slice, capacity {@code length}. Reading outside throws.
   */
  public static ByteBuf exact(byte[] bytes, int from, int length) {
    ByteBuf backing = Unpooled.buffer(length + 16, length + 16);
    backing.writeLong(0xA5A5A5A55A5A5A5AL).writeBytes(bytes, from, length).writeLong(0xA5A5A5A55A5A5A5AL);
    // a slice cannot be read outside [0, length): Netty checks its bounds on every absolute get; it shares the
    // backing buffer's reference count, so releasing it (or what was derived from it) frees the backing buffer
    return backing.slice(8, length);
  }

  public static ByteBuf exact(byte[] bytes) {
    return exact(bytes, 0, bytes.length);
  }

  /** Fails unless every buffer has been released. */
  public static void assertReleased(List<ByteBuf> bufs) {
    for (ByteBuf b : bufs) {
      assertThat(b.refCnt()).as("refCnt of a fed buffer after close").isZero();
    }
  }

  public static String crc(ByteBuf b, int index, int length) {
    CRC32 c = new CRC32();
    for (int i = 0; i < length; i++) {
      c.update(b.getByte(index + i));
    }
    return Long.toHexString(c.getValue()) + "/" + length;
  }
}
