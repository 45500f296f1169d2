package dev.wirelens.websocket;

import static dev.wirelens.websocket.Frames.KEY;
import static dev.wirelens.websocket.Frames.frame;
import static dev.wirelens.tcp.Direction.CLIENT_TO_SERVER;
import static dev.wirelens.tcp.Direction.SERVER_TO_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.testkit.Hex;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/** RFC 7692 §7.2.3's examples (each frame below is quoted from the RFC), and decompression bombs. */
class PerMessageDeflateTest {
  private static Frames.Feeder open(String extensions, Limits limits) {
    return new Frames.Feeder(WebSocketConnectionDissector.afterHandshake(limits, extensions));
  }

  private static String violations(WebSocketSession s) {
    return s.violations().stream().map(WebSocketViolation::toString).collect(Collectors.joining(", "));
  }

  @Test
  void aMessageCompressedInOneFrameInflatesToHello() { // §7.2.3.1
    WebSocketSession s = open("permessage-deflate", Limits.defaults())
        .server(1, Hex.decode("c107f248cdc9c90700")).close(CloseReason.FIN, 2);
    assertThat(s.violations()).isEmpty();
    assertThat(s.inflatedBytes(SERVER_TO_CLIENT)).isEqualTo(5);
    assertThat(s.compressedFrames()).isEqualTo(1);
    assertThat(s.messages(SERVER_TO_CLIENT)).isEqualTo(1);
  }

  @Test
  void aCompressedMessageMayBeFragmentedWithRsv1OnlyOnTheFirstFrame() { // §7.2.3.1, second example
    WebSocketSession s = open("permessage-deflate", Limits.defaults())
        .server(1, Hex.decode("4103f248cd"), Hex.decode("8004c9c90700")).close(CloseReason.FIN, 2);
    assertThat(s.violations()).isEmpty();
    assertThat(s.inflatedBytes(SERVER_TO_CLIENT)).isEqualTo(5);
    assertThat(s.compressedFrames()).isEqualTo(1);
  }

  @Test
  void withContextTakeoverTheSecondMessageReusesTheWindow() { // §7.2.3.2
    WebSocketSession s = open("permessage-deflate", Limits.defaults())
        .server(1, Hex.decode("c107f248cdc9c90700"), Hex.decode("c105f200110000")).close(CloseReason.FIN, 2);
    assertThat(s.violations()).isEmpty();
    assertThat(s.inflatedBytes(SERVER_TO_CLIENT)).isEqualTo(10);
    assertThat(s.messages(SERVER_TO_CLIENT)).isEqualTo(2);
  }

  @Test
  void withoutContextTakeoverEveryMessageStandsAlone() { // §7.1.1.1, §7.2.3.1 sent twice
    WebSocketSession s = open("permessage-deflate; server_no_context_takeover", Limits.defaults())
        .server(1, Hex.decode("c107f248cdc9c90700"), Hex.decode("c107f248cdc9c90700")).close(CloseReason.FIN, 2);
    assertThat(s.violations()).isEmpty();
    assertThat(s.inflatedBytes(SERVER_TO_CLIENT)).isEqualTo(10);
  }

  @Test
  void aResetWindowCannotResolveABackReference() { // §7.2.3.2's second message after a context reset
    WebSocketSession s = open("permessage-deflate; server_no_context_takeover", Limits.defaults())
        .server(1, Hex.decode("c107f248cdc9c90700"), Hex.decode("c105f200110000")).close(CloseReason.FIN, 2);
    assertThat(violations(s)).isEqualTo("invalid_deflate_data from server frame 1");
  }

  @Test
  void deflateBlocksWithNoCompressionAndBfinalAreInflated() { // §7.2.3.3 and §7.2.3.4
    WebSocketSession s = open("permessage-deflate", Limits.defaults())
        .server(1, Hex.decode("c10b000500faff48656c6c6f00"), Hex.decode("c108f348cdc9c9070000"))
        .close(CloseReason.FIN, 2);
    assertThat(s.violations()).isEmpty();
    assertThat(s.inflatedBytes(SERVER_TO_CLIENT)).isEqualTo(10);
  }

  @Test
  void maskedClientMessagesAreUnmaskedBeforeInflating() {
    WebSocketSession s = open("permessage-deflate", Limits.defaults())
        .client(1, frame(true, 4, 1, KEY, Hex.decode("f248cdc9c90700"))).close(CloseReason.FIN, 2);
    assertThat(s.violations()).isEmpty();
    assertThat(s.inflatedBytes(CLIENT_TO_SERVER)).isEqualTo(5);
  }

  @Test
  void inflatedTextIsValidatedAsUtf8() {
    byte[] bad = deflate(new byte[] {'o', 'k', (byte) 0xff});
    WebSocketSession s = open("permessage-deflate", Limits.defaults())
        .server(1, frame(true, 4, 1, null, bad)).close(CloseReason.FIN, 2);
    assertThat(violations(s)).isEqualTo("invalid_utf8 from server frame 0");
  }

  @Test
  void aDecompressionBombStopsAtTheInflatedLengthLimit() {
    byte[] bomb = deflate(new byte[64 << 20]); // 64 MiB of zeros deflate to about 64 KiB
    Limits limits = Limits.builder().maxInflatedLength(1 << 20).maxInflationRatio(1_000_000).build();
    WebSocketSession s = open("permessage-deflate", limits)
        .server(1, frame(true, 4, 2, null, bomb), frame(true, 4, 2, null, deflate(new byte[10])))
        .close(CloseReason.FIN, 2);
    assertThat(violations(s)).isEqualTo("inflated_message_too_long from server frame 0");
    assertThat(s.inflatedBytes(SERVER_TO_CLIENT)).isEqualTo((1 << 20) + 10); // exactly up to the limit, then 10
    assertThat(s.messages(SERVER_TO_CLIENT)).isEqualTo(2);
  }

  @Test
  void aDecompressionBombStopsAtTheInflationRatioLimit() {
    byte[] bomb = deflate(new byte[8 << 20]); // about 8 KiB: a ratio near 1000
    WebSocketSession s = open("permessage-deflate", Limits.defaults())
        .server(1, frame(true, 4, 2, null, bomb)).close(CloseReason.FIN, 2);
    assertThat(violations(s)).isEqualTo("inflation_ratio_exceeded from server frame 0");
    // the ratio is judged once a message passes MessageInflater.RATIO_FLOOR (1 MiB) inflated bytes
    assertThat(s.inflatedBytes(SERVER_TO_CLIENT)).isLessThanOrEqualTo(
        Math.max(dev.wirelens.websocket.internal.MessageInflater.RATIO_FLOOR,
            (long) Limits.DEFAULT_MAX_INFLATION_RATIO * bomb.length));
  }

  @Test
  void rsv1WithoutNegotiatedDeflateIsAViolationAndNotInflated() {
    WebSocketSession s = open("", Limits.defaults()).server(1, Hex.decode("c107f248cdc9c90700"))
        .close(CloseReason.FIN, 2);
    assertThat(violations(s)).startsWith("reserved_bits_set from server frame 0");
    assertThat(s.inflatedBytes(SERVER_TO_CLIENT)).isZero();
    assertThat(s.compressedFrames()).isZero();
  }

  /** Raw DEFLATE of {@code data} with the trailing 00 00 ff ff removed (RFC 7692 §7.2.1). */
  static byte[] deflate(byte[] data) {
    Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
    d.setInput(data);
    byte[] out = new byte[data.length / 100 + 1024];
    int n = 0;
    while (true) {
      int k = d.deflate(out, n, out.length - n, Deflater.SYNC_FLUSH);
      n += k;
      if (k == 0 && d.needsInput()) {
        break;
      }
      if (n == out.length) {
        out = Arrays.copyOf(out, out.length * 2);
      }
    }
    d.end();
    assertThat(Arrays.copyOfRange(out, n - 4, n)).isEqualTo(new byte[] {0, 0, (byte) 0xff, (byte) 0xff});
    return Arrays.copyOf(out, n - 4);
  }

  @Test
  void inflaterStoppedBySizeLimitDeliversExactlyTheLimitHoweverTheInputIsChunked() {
    // found by MessageInflaterFuzzTest: the bytes delivered before LIMIT_EXCEEDED depended on input chunking
    byte[] text = new byte[100_000];
    Arrays.fill(text, (byte) 'a');
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    deflater.setInput(text);
    byte[] buf = new byte[4096];
    int n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
    deflater.end();
    for (int chunk : new int[] {n, 1, 7}) {
      long[] delivered = {0};
      try (dev.wirelens.websocket.internal.MessageInflater inflater =
          new dev.wirelens.websocket.internal.MessageInflater(false, 10_000, 100)) {
        inflater.startMessage();
        dev.wirelens.websocket.internal.MessageInflater.Result last = null;
        for (int at = 0; at < n; at += chunk) {
          dev.wirelens.websocket.internal.MessageInflater.Result r =
              inflater.inflate(buf, at, Math.min(chunk, n - at), (b, o, l) -> delivered[0] += l);
          last = last == dev.wirelens.websocket.internal.MessageInflater.Result.LENGTH_LIMIT_EXCEEDED ? last : r;
        }
        assertThat(last).isEqualTo(dev.wirelens.websocket.internal.MessageInflater.Result.LENGTH_LIMIT_EXCEEDED);
        assertThat(delivered[0]).as("chunk %d", chunk).isEqualTo(10_000);
      }
    }
  }

  /**
   * A hand-built raw DEFLATE stream (RFC 1951 §3.2.3, §3.2.4): a stored block, BFINAL=0 (header byte 00, then LEN
   * 16 = {@code 10 00}, NLEN = {@code ef ff}), its 16 bytes "0123456789abcdef", then a block header with BTYPE=11,
   * which is reserved ("error"): byte {@code 06} (bit 0 BFINAL=0, bits 1-2 BTYPE=11).
   */
  static final byte[] STORED_16_THEN_RESERVED_BLOCK =
      Hex.decode("001000efff" + "30313233343536373839616263646566" + "06");

  @Test
  void theFirstProblemInStreamOrderWinsHoweverTheInputIsChunked() {
    // found by MessageInflaterFuzzTest (crash-2d079d8b...): with a 10-byte cap the 11th output byte (inside the
    // stored block) comes before the reserved block type, so the cap wins and exactly "0123456789" is delivered;
    // with a 100-byte cap the 16 stored bytes are delivered and then the reserved block type is INVALID_DATA
    for (int[] cuts : new int[][] {{}, {1}, {5}, {15}, {21}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
        17, 18, 19, 20, 21}}) {
      assertThat(inflateInPieces(STORED_16_THEN_RESERVED_BLOCK, cuts, 10))
          .as("cuts %s", Arrays.toString(cuts)).isEqualTo("LENGTH_LIMIT_EXCEEDED 0123456789");
      assertThat(inflateInPieces(STORED_16_THEN_RESERVED_BLOCK, cuts, 100))
          .as("cuts %s", Arrays.toString(cuts)).isEqualTo("INVALID_DATA 0123456789abcdef");
    }
  }

  @Test
  void aRatioBombBeforeCorruptDataIsTheRatioLimitHoweverTheInputIsChunked() {
    // hand-built per RFC 1951 §3.2.6 (fixed Huffman codes), BFINAL=0 BTYPE=01: literal 0 (8-bit code 00110000),
    // then 4065 x length 258 (code 285, 8 bits 11000101, no extra bits) at distance 1 (distance code 0, 5 bits
    // 00000): 1 + 4065 * 258 = 1 048 771 bytes from about 6.6 KB, past RATIO_FLOOR (1 048 576) at a ratio above
    // 100; then literal/length code 286 (11000110), which "will never actually occur": corrupt data. The ratio limit
    // comes first in stream order, so exactly RATIO_FLOOR bytes are delivered, then RATIO_LIMIT_EXCEEDED.
    byte[] stream = ratioBombThenCorruptData();
    for (int chunk : new int[] {stream.length, 4096, 1000, 7}) {
      long[] delivered = {0};
      dev.wirelens.websocket.internal.MessageInflater.Result first =
          dev.wirelens.websocket.internal.MessageInflater.Result.OK;
      try (dev.wirelens.websocket.internal.MessageInflater inflater =
          new dev.wirelens.websocket.internal.MessageInflater(false, 1L << 30, 100)) {
        inflater.startMessage();
        for (int at = 0; at < stream.length; at += chunk) {
          dev.wirelens.websocket.internal.MessageInflater.Result r = inflater.inflate(stream, at,
              Math.min(chunk, stream.length - at), (b, o, l) -> delivered[0] += l);
          first = first == dev.wirelens.websocket.internal.MessageInflater.Result.OK ? r : first;
        }
      }
      assertThat(first).as("chunk %d", chunk)
          .isEqualTo(dev.wirelens.websocket.internal.MessageInflater.Result.RATIO_LIMIT_EXCEEDED);
      assertThat(delivered[0]).as("chunk %d", chunk)
          .isEqualTo(dev.wirelens.websocket.internal.MessageInflater.RATIO_FLOOR);
    }
  }

  /** The stream of the test above: 1,048,771 bytes from about 6.6 KB by fixed Huffman codes, then corrupt data. */
  private static byte[] ratioBombThenCorruptData() {
    BitWriter w = new BitWriter();
    w.bits(0, 1).bits(1, 2).code(0b00110000, 8);
    for (int i = 0; i < 4065; i++) {
      w.code(0b11000101, 8).code(0, 5);
    }
    w.code(0b11000110, 8);
    return w.bytes();
  }

  @Test
  void aBombStoppedByBothCapsAtTheSameByteNamesTheLengthCap() {
    // the ratio bomb above passes RATIO_FLOOR at a ratio of ~160 with the ratio 100: with maxInflated at RATIO_FLOOR
    // both caps allow the same bytes (raising the ratio alone would not let more through); one byte more and only
    // the ratio stops it
    byte[] stream = ratioBombThenCorruptData();
    long floor = dev.wirelens.websocket.internal.MessageInflater.RATIO_FLOOR;
    assertThat(inflateOnce(stream, floor)).isEqualTo("LENGTH_LIMIT_EXCEEDED " + floor);
    assertThat(inflateOnce(stream, floor + 1)).isEqualTo("RATIO_LIMIT_EXCEEDED " + floor);
    assertThat(inflateOnce(stream, floor - 1)).isEqualTo("LENGTH_LIMIT_EXCEEDED " + (floor - 1));
  }

  private static String inflateOnce(byte[] stream, long maxInflated) {
    long[] delivered = {0};
    try (dev.wirelens.websocket.internal.MessageInflater inflater =
        new dev.wirelens.websocket.internal.MessageInflater(false, maxInflated, 100)) {
      inflater.startMessage();
      return inflater.inflate(stream, 0, stream.length, (b, o, l) -> delivered[0] += l) + " " + delivered[0];
    }
  }

  @Test
  void theJdkInflaterCountsTheBytesItWroteBeforeADataFormatException() throws Exception {
    // MessageInflater delivers the bytes decoded before corrupt data in the same call by getBytesWritten(), which
    // the Inflater.inflate Javadoc (JDK 17 and later) says is "updated even in the event that a DataFormatException
    // is thrown to reflect the amount of data consumed and produced before the exception occurred". This checks that
    // promise on the JDK that runs the build: 16 stored bytes, then a reserved block type, in one call.
    java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
    try {
      inflater.setInput(STORED_16_THEN_RESERVED_BLOCK);
      byte[] out = new byte[64];
      Arrays.fill(out, (byte) '-');
      org.assertj.core.api.Assertions.assertThatExceptionOfType(java.util.zip.DataFormatException.class)
          .isThrownBy(() -> inflater.inflate(out, 3, 60));
      assertThat(inflater.getBytesWritten()).isEqualTo(16);
      assertThat(inflater.getBytesRead()).isEqualTo(STORED_16_THEN_RESERVED_BLOCK.length);
      assertThat(new String(out, 0, 20, java.nio.charset.StandardCharsets.ISO_8859_1))
          .isEqualTo("---0123456789abcdef-");
    } finally {
      inflater.end();
    }
    // and through MessageInflater, in one call: the 16 bytes, then INVALID_DATA
    assertThat(inflateInPieces(STORED_16_THEN_RESERVED_BLOCK, new int[0], 100))
        .isEqualTo("INVALID_DATA 0123456789abcdef");
  }

  /** Packs DEFLATE bits (RFC 1951 §3.1.1): data elements from the least significant bit, Huffman codes MSB first. */
  private static final class BitWriter {
    private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    private int acc;
    private int n;

    BitWriter bits(int value, int count) {
      for (int i = 0; i < count; i++) {
        put((value >>> i) & 1);
      }
      return this;
    }

    BitWriter code(int code, int length) {
      for (int i = length - 1; i >= 0; i--) {
        put((code >>> i) & 1);
      }
      return this;
    }

    private void put(int bit) {
      acc |= bit << n++;
      if (n == 8) {
        out.write(acc);
        acc = 0;
        n = 0;
      }
    }

    byte[] bytes() {
      if (n > 0) {
        out.write(acc);
      }
      return out.toByteArray();
    }
  }

  /** The first non-OK result of one message and the bytes delivered, the input cut at {@code cuts}. */
  private static String inflateInPieces(byte[] stream, int[] cuts, long maxInflated) {
    StringBuilder delivered = new StringBuilder();
    dev.wirelens.websocket.internal.MessageInflater.Result first =
        dev.wirelens.websocket.internal.MessageInflater.Result.OK;
    try (dev.wirelens.websocket.internal.MessageInflater inflater =
        new dev.wirelens.websocket.internal.MessageInflater(false, maxInflated, 100)) {
      dev.wirelens.websocket.internal.MessageInflater.Sink sink =
          (b, o, l) -> delivered.append(new String(b, o, l, java.nio.charset.StandardCharsets.ISO_8859_1));
      inflater.startMessage();
      int from = 0;
      for (int i = 0; i <= cuts.length; i++) {
        int to = i < cuts.length ? cuts[i] : stream.length;
        dev.wirelens.websocket.internal.MessageInflater.Result r = inflater.inflate(stream, from, to - from, sink);
        first = first == dev.wirelens.websocket.internal.MessageInflater.Result.OK ? r : first;
        from = to;
      }
      dev.wirelens.websocket.internal.MessageInflater.Result end = inflater.finishMessage(sink);
      first = first == dev.wirelens.websocket.internal.MessageInflater.Result.OK ? end : first;
    }
    return first + " " + delivered;
  }
}
