package dev.wirelens.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every unmask path (one-pass long loop, bulk copy then in-place pass, a destination's getLong/setLong, chunks
 * through a scratch array) against RFC 6455 §5.3 applied one byte at a time, written here independently of the
 * library: source and destination at offsets 0..15, lengths 0..300 and around every threshold (512 scratch, 1024
 * bulk copy, 8 KiB scratch chunks), every source and destination shape, key phases 0..3 and beyond 2^32, scratch
 * arrays whose chunk boundaries fall at every key phase.
 */
class WebSocketUnmaskerShapesTest {
  private static final Random RANDOM = new Random(6455);
  private static final byte[] DATA = new byte[70_000];
  private static final int KEY = 0x9c41_e7b3;

  static {
    RANDOM.nextBytes(DATA);
  }

  /** RFC 6455 §5.3: transformed-octet-i = original-octet-i XOR masking-key-octet-((i + keyOffset) MOD 4). */
  private static byte[] expected(int from, int length, int key, long keyOffset) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      long j = (i + keyOffset) % 4;
      int keyOctet = (key >>> (24 - 8 * (int) j)) & 0xFF;
      out[i] = (byte) (DATA[from + i] ^ keyOctet);
    }
    return out;
  }

  enum Source {
    HEAP(b -> Unpooled.buffer(b.length).writeBytes(b)),
    DIRECT(b -> Unpooled.directBuffer(Math.max(1, b.length)).writeBytes(b)),
    HEAP_SLICE_WITH_ARRAY_OFFSET(b -> {
      byte[] a = new byte[b.length + 9];
      System.arraycopy(b, 0, a, 5, b.length);
      return Unpooled.wrappedBuffer(a).slice(5, b.length);
    }),
    COMPOSITE_37_BYTE_COMPONENTS(b -> {
      CompositeByteBuf c = Unpooled.compositeBuffer(Integer.MAX_VALUE);
      for (int i = 0; i < b.length; i += 37) {
        int n = Math.min(37, b.length - i);
        c.addComponent(true, (i & 1) == 0 ? Unpooled.buffer(n).writeBytes(b, i, n)
            : Unpooled.directBuffer(n).writeBytes(b, i, n));
      }
      return c;
    }),
    READ_ONLY_HEAP(b -> Unpooled.buffer(b.length).writeBytes(b).asReadOnly()),
    READ_ONLY_DIRECT(b -> Unpooled.directBuffer(Math.max(1, b.length)).writeBytes(b).asReadOnly());

    private final java.util.function.Function<byte[], ByteBuf> make;

    Source(java.util.function.Function<byte[], ByteBuf> make) {
      this.make = make;
    }

    /** The bytes as this shape, with {@code offset} bytes of other data before them (the index to unmask from). */
    ByteBuf wrap(byte[] bytes, int offset) {
      byte[] padded = new byte[offset + bytes.length];
      Arrays.fill(padded, 0, offset, (byte) 0xEE);
      System.arraycopy(bytes, 0, padded, offset, bytes.length);
      return make.apply(padded);
    }
  }

  enum Destination {
    HEAP(n -> Unpooled.buffer(n)),
    HEAP_SLICE_WITH_ARRAY_OFFSET(n -> Unpooled.wrappedBuffer(new byte[n + 20]).slice(3, n + 10).clear()),
    DIRECT(n -> Unpooled.directBuffer(Math.max(1, n))),
    DIRECT_SLICE(n -> Unpooled.directBuffer(n + 20).slice(3, n + 10).clear()),
    COMPOSITE_TWO_DIRECT_COMPONENTS(n -> {
      int half = n / 2 + 1;
      CompositeByteBuf c = Unpooled.compositeBuffer();
      c.addComponents(true, Unpooled.directBuffer(half).writeZero(half), Unpooled.directBuffer(half).writeZero(half));
      return c.clear();
    });

    private final IntFunction<ByteBuf> make;

    Destination(IntFunction<ByteBuf> make) {
      this.make = make;
    }

    /** A destination with {@code offset} bytes already written (0x55), room for {@code length} more. */
    ByteBuf make(int offset, int length) {
      ByteBuf b = make.apply(offset + length);
      for (int i = 0; i < offset; i++) {
        b.writeByte(0x55);
      }
      return b;
    }
  }

  private static void check(Source source, Destination destination, int from, int srcOffset, int dstOffset,
      int length, long keyOffset, byte[] scratch) {
    byte[] original = Arrays.copyOfRange(DATA, from, from + length);
    ByteBuf src = source.wrap(original, srcOffset);
    ByteBuf dst = destination.make(dstOffset, length);
    try {
      WebSocketUnmasker.unmask(src, src.readerIndex() + srcOffset, length, KEY, keyOffset, dst, scratch);
      String where = source + " -> " + destination + " length " + length + " src+" + srcOffset + " dst+" + dstOffset
          + " keyOffset " + keyOffset + " scratch " + (scratch == null ? "none" : scratch.length);
      assertThat(dst.writerIndex()).as(where).isEqualTo(dstOffset + length);
      assertThat(ByteBufUtil.getBytes(dst, dstOffset, length)).as(where).isEqualTo(expected(from, length, KEY,
          keyOffset));
      for (int i = 0; i < dstOffset; i++) {
        assertThat(dst.getByte(i)).as(where + " byte before the output").isEqualTo((byte) 0x55);
      }
      assertThat(ByteBufUtil.getBytes(src, src.readerIndex() + srcOffset, length)).as(where + ": source unchanged")
          .isEqualTo(original);
    } finally {
      src.release();
      dst.release();
    }
  }

  @ParameterizedTest
  @EnumSource(Source.class)
  void everyLengthUpTo300AtEverySourceAndDestinationOffsetMatchesTheBytewiseDefinition(Source source) {
    for (int length = 0; length <= 300; length++) {
      long keyOffset = length % 4 + (length % 3 == 0 ? 1L << 32 : 0);
      // per length: every source offset 0..15 and every destination offset 0..15 (paired by a bijection that
      // changes with the length), the destinations in turn
      for (int srcOffset = 0; srcOffset < 16; srcOffset++) {
        int dstOffset = (5 * srcOffset + length) % 16;
        Destination d = Destination.values()[(srcOffset + length) % Destination.values().length];
        check(source, d, length, srcOffset, dstOffset, length, keyOffset, (dstOffset & 1) == 0 ? null
            : new byte[16]);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Source.class)
  void lengthsAroundEveryThresholdMatchTheBytewiseDefinitionForEveryDestination(Source source) {
    int[] lengths = {505, 511, 512, 513, 1016, 1023, 1024, 1025, 8191, 8192, 8193, 16385, 65537};
    byte[][] scratches = {null, new byte[4], new byte[8], new byte[12], new byte[100], new byte[8192]};
    for (int length : lengths) {
      for (Destination d : Destination.values()) {
        for (int k = 0; k < 4; k++) {
          int srcOffset = (length + 5 * k) % 16;
          int dstOffset = (3 * length + 7 * k + d.ordinal()) % 16;
          byte[] scratch = scratches[(k + d.ordinal() + length) % scratches.length];
          check(source, d, 17 * k, srcOffset, dstOffset, length, k + (k == 3 ? 1L << 33 : 0), scratch);
        }
      }
    }
  }

  @Test
  void everyScratchLengthAndKeyPhaseAcrossChunkBoundariesMatchesTheBytewiseDefinition() {
    // chunks of scratch.length rounded down to 8: the key's phase must carry across every chunk boundary
    for (int scratchLength = 0; scratchLength <= 40; scratchLength++) {
      for (long keyOffset = 0; keyOffset < 8; keyOffset++) {
        for (int length : new int[] {512, 517, 1000, 1029}) {
          check(Source.DIRECT, Destination.DIRECT, (int) keyOffset, (int) keyOffset % 16, scratchLength % 16,
              length, keyOffset, new byte[scratchLength]);
          check(Source.HEAP, Destination.COMPOSITE_TWO_DIRECT_COMPONENTS, scratchLength, 3, 1, length, keyOffset,
              new byte[scratchLength]);
        }
      }
    }
  }

  @Test
  void aFrameDeliveredInPartsUnmasksIntoADirectBufferAsTheClientSentIt() {
    // the reader's unmaskTo takes the scratch path (direct destination, parts of at least 512 bytes); parts start
    // at payload offsets that are not multiples of 4 or 8, so each part starts at another key phase
    byte[] payload = Arrays.copyOf(DATA, 20_000);
    byte[] wire = Frames.frame(true, 0, WebSocketOpcodes.BINARY, Frames.KEY, payload);
    ByteBuf out = Unpooled.directBuffer(1);
    try (WebSocketFrameReader reader = new WebSocketFrameReader(dev.wirelens.Limits.defaults())) {
      int at = 0;
      for (int cut : new int[] {1_001, 1_614, 9_999, 10_003, wire.length}) {
        reader.feed(Unpooled.wrappedBuffer(Arrays.copyOfRange(wire, at, cut)));
        at = cut;
        while (reader.next() == dev.wirelens.DecodeStatus.FRAME) {
          reader.frame().unmaskTo(out);
        }
      }
    }
    try {
      assertThat(ByteBufUtil.getBytes(out)).isEqualTo(payload);
    } finally {
      out.release();
    }
  }

  @Test
  void aScratchArrayIsOnlyWrittenNotReadBeforeBeingWritten() {
    // stale bytes in the scratch array never reach the output
    byte[] scratch = new byte[64];
    Arrays.fill(scratch, (byte) 0x7F);
    check(Source.DIRECT, Destination.DIRECT, 0, 0, 0, 600, 0, scratch);
    Arrays.fill(scratch, (byte) 0x80);
    check(Source.HEAP, Destination.DIRECT, 100, 1, 2, 601, 1, scratch);
  }
}
