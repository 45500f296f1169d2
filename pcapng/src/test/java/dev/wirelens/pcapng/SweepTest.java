package dev.wirelens.pcapng;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.LengthSource;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import dev.wirelens.testkit.BufferShape;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Truncation, split and buffer-shape sweeps over small pcap and pcapng files (both byte orders, several sections):
 * every prefix gives END at a block boundary or the exact truncation report; every split, 1-byte feeds, 1-byte
 * stream reads and every {@link BufferShape} give the same frames as one whole read.
 */
class SweepTest {
  static final Path PCAPNG = Paths.get("src/test/resources/vectors/pcapng");
  static final Path CAPTURES = Paths.get("src/test/resources/vectors/captures");

  static Stream<Path> files() {
    return Stream.of(PCAPNG.resolve("output_le/basic/test001.pcapng"), PCAPNG.resolve("output_be/basic/test001.pcapng"),
        PCAPNG.resolve("output_le/basic/test010.pcapng"), PCAPNG.resolve("output_le/difficult/test202.pcapng"),
        PCAPNG.resolve("output_be/difficult/test202.pcapng"), CAPTURES.resolve("tcpdump-tcp-handshake-nano.pcap"),
        CAPTURES.resolve("arkime-bigendian.pcap"));
  }

  static Frames.Run whole(byte[] bytes) {
    try (CaptureReader r = CaptureReader.of(Unpooled.wrappedBuffer(bytes), Limits.defaults())) {
      return Frames.readAll(r);
    }
  }

  /** Block or record boundaries, found by a minimal walk written for this test, and packet counts before each. */
  record Layout(List<Integer> boundaries, List<Integer> packetsBefore, List<Integer> headerAt, List<Long> lengthAt,
      boolean pcap) {}

  static Layout layout(byte[] b) {
    ByteBuf buf = Unpooled.wrappedBuffer(b);
    List<Integer> bounds = new ArrayList<>();
    List<Integer> packets = new ArrayList<>();
    List<Integer> headers = new ArrayList<>();
    List<Long> lengths = new ArrayList<>();
    int magic = buf.getInt(0);
    boolean pcap = magic != 0x0A0D0D0A;
    int pos;
    int count = 0;
    if (pcap) {
      boolean le = magic == 0xD4C3B2A1 || magic == 0x4D3CB2A1;
      pos = 24;
      while (pos < b.length) {
        bounds.add(pos);
        packets.add(count);
        headers.add(16);
        long incl = le ? buf.getUnsignedIntLE(pos + 8) : buf.getUnsignedInt(pos + 8);
        lengths.add(16 + incl);
        pos += 16 + (int) incl;
        count++;
      }
    } else {
      boolean le = false;
      pos = 0;
      while (pos < b.length) {
        int type = buf.getInt(pos);
        if (type == 0x0A0D0D0A) {
          le = buf.getInt(pos + 8) == 0x4D3C2B1A;
        }
        int t = le ? buf.getIntLE(pos) : type;
        long len = le ? buf.getUnsignedIntLE(pos + 4) : buf.getUnsignedInt(pos + 4);
        bounds.add(pos);
        packets.add(count);
        headers.add(type == 0x0A0D0D0A ? 12 : 8);
        lengths.add(len);
        if (t == 2 || t == 3 || t == 6) {
          count++;
        }
        pos += (int) len;
      }
    }
    bounds.add(pos);
    packets.add(count);
    buf.release();
    return new Layout(bounds, packets, headers, lengths, pcap);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void everyPrefixEndsAtABoundaryOrReportsTheExactTruncation(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    Layout l = layout(bytes);
    Frames.Run full = whole(bytes);
    for (int n = 0; n < bytes.length; n++) {
      Frames.Run run = whole(Arrays.copyOf(bytes, n));
      String at = file.getFileName() + " prefix " + n + ": " + run.report();
      if (n < 4) {
        assertTruncated(run, at, 0, 4, n, LengthSource.HEADER_MINIMUM);
        continue;
      }
      if (l.pcap() && n < 24) {
        assertTruncated(run, at, 0, 24, n, LengthSource.HEADER_MINIMUM);
        continue;
      }
      int i = 0;
      while (i + 1 < l.boundaries().size() && l.boundaries().get(i + 1) <= n) {
        i++;
      }
      int b = l.boundaries().get(i);
      assertThat(run.frames()).as(at).isEqualTo(full.frames().subList(0, l.packetsBefore().get(i)));
      if (b == n) {
        assertThat(run.end()).as(at).isEqualTo(DecodeStatus.END);
      } else if (n - b < l.headerAt().get(i)) {
        // an SHB needs 12 bytes (its byte-order magic) once its type is visible, any other block 8
        int header = !l.pcap() && n - b < 4 ? 8 : l.headerAt().get(i);
        assertTruncated(run, at, b, header, n - b, LengthSource.HEADER_MINIMUM);
      } else {
        assertTruncated(run, at, b, l.lengthAt().get(i), n - b,
            l.pcap() ? LengthSource.PCAP_RECORD_LENGTH : LengthSource.PCAPNG_BLOCK_LENGTH);
      }
    }
  }

  private static void assertTruncated(Frames.Run run, String at, long offset, long required, long available,
      LengthSource source) {
    assertThat(run.end()).as(at).isEqualTo(DecodeStatus.MALFORMED);
    assertThat(run.raw().malformation()).as(at).isEqualTo(Malformation.TRUNCATED);
    assertThat(run.raw().offset()).as(at).isEqualTo(offset);
    assertThat(run.raw().requiredLength()).as(at).isEqualTo(required);
    assertThat(run.raw().availableLength()).as(at).isEqualTo(available);
    assertThat(run.raw().lengthSource()).as(at).isEqualTo(source);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void everyTwoWaySplitGivesTheSameFrames(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    Frames.Run full = whole(bytes);
    assertThat(full.end()).isEqualTo(DecodeStatus.END);
    for (int k = 0; k <= bytes.length; k++) {
      List<Frames.Frame> frames = new ArrayList<>();
      try (CaptureReader r = CaptureReader.forFeeding(Limits.defaults())) {
        r.feed(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, 0, k)));
        drain(r, frames);
        r.feed(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, k, bytes.length)));
        r.endOfInput();
        Frames.Run rest = Frames.readAll(r);
        frames.addAll(rest.frames());
        assertThat(rest.end()).as("split at %d: %s", k, rest.report()).isEqualTo(DecodeStatus.END);
      }
      assertThat(frames).as("split at %d", k).isEqualTo(full.frames());
    }
  }

  /** Reads frames until NEED_MORE, which a feeding reader must say instead of MALFORMED before the end. */
  private static void drain(CaptureReader r, List<Frames.Frame> into) {
    DecodeStatus s;
    while ((s = r.next()) == DecodeStatus.FRAME) {
      into.add(Frames.current(r));
    }
    assertThat(s).as(r.report().toString()).isEqualTo(DecodeStatus.NEED_MORE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void oneByteFeedsGiveTheSameFrames(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    List<Frames.Frame> frames = new ArrayList<>();
    try (CaptureReader r = CaptureReader.forFeeding(Limits.defaults())) {
      for (byte x : bytes) {
        r.feed(Unpooled.wrappedBuffer(new byte[] {x}));
        drain(r, frames);
      }
      r.endOfInput();
      assertThat(r.next()).isEqualTo(DecodeStatus.END);
    }
    assertThat(frames).isEqualTo(whole(bytes).frames());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void oneByteStreamReadsGiveTheSameFrames(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    InputStream trickle = new FilterInputStream(new ByteArrayInputStream(bytes)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, 1));
      }
    };
    try (CaptureReader r = CaptureReader.open(trickle, Limits.defaults())) {
      Frames.Run run = Frames.readAll(r);
      assertThat(run.end()).isEqualTo(DecodeStatus.END);
      assertThat(run.frames()).isEqualTo(whole(bytes).frames());
    }
  }

  static Stream<Arguments> shapes() {
    return files().flatMap(f -> Arrays.stream(BufferShape.values()).map(s -> Arguments.of(f, s)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("shapes")
  void everyBufferShapeGivesTheSameFrames(Path file, BufferShape shape) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuf data = shape.wrap(bytes);
    try (CaptureReader r = CaptureReader.of(data, Limits.defaults())) {
      Frames.Run run = Frames.readAll(r);
      assertThat(run.end()).isEqualTo(DecodeStatus.END);
      assertThat(run.frames()).isEqualTo(whole(bytes).frames());
    }
    assertThat(data.refCnt()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void retainedFramesKeepTheirBytesWhileTheReaderReusesItsBuffer(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    List<Frames.Frame> expected = whole(bytes).frames();
    InputStream trickle = new FilterInputStream(new ByteArrayInputStream(bytes)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, 7));
      }
    };
    List<ByteBuf> kept = new ArrayList<>();
    try (CaptureReader r = CaptureReader.open(trickle, Limits.defaults())) {
      while (r.next() == DecodeStatus.FRAME) {
        kept.add(r.retainedFrame());
      }
    }
    try {
      assertThat(kept).hasSize(expected.size());
      for (int i = 0; i < kept.size(); i++) {
        assertThat(java.util.HexFormat.of().formatHex(io.netty.buffer.ByteBufUtil.getBytes(kept.get(i))))
            .isEqualTo(expected.get(i).hex());
      }
    } finally {
      kept.forEach(ByteBuf::release);
    }
  }

  @Test
  void aPipeDeliveringHalfABlockMakesNextWaitForTheRest() throws Exception {
    byte[] bytes = Files.readAllBytes(PCAPNG.resolve("output_le/basic/test001.pcapng"));
    Layout l = layout(bytes);
    // cut in the middle of the first EPB (block 2: SHB, IDB, EPB ...)
    int cut = l.boundaries().get(2) + (int) (l.lengthAt().get(2) / 2);
    PipedInputStream in = new PipedInputStream(bytes.length);
    PipedOutputStream out = new PipedOutputStream(in);
    AtomicBoolean restWritten = new AtomicBoolean();
    Thread writer = new Thread(() -> {
      try {
        out.write(bytes, 0, cut);
        out.flush();
        Thread.sleep(300);
        restWritten.set(true);
        out.write(bytes, cut, bytes.length - cut);
        out.close();
      } catch (IOException | InterruptedException e) {
        throw new RuntimeException(e);
      }
    });
    writer.start();
    try (CaptureReader r = CaptureReader.open(in, Limits.defaults())) {
      assertThat(r.next()).isEqualTo(DecodeStatus.FRAME);
      assertThat(restWritten).isTrue();
      List<Frames.Frame> frames = new ArrayList<>();
      frames.add(Frames.current(r));
      Frames.Run rest = Frames.readAll(r);
      frames.addAll(rest.frames());
      assertThat(rest.end()).isEqualTo(DecodeStatus.END);
      assertThat(frames).isEqualTo(whole(bytes).frames());
    }
    writer.join();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void gzippedInputGivesTheSameFramesAndACutGzipStreamIsATruncation(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(gz)) {
      z.write(bytes);
    }
    byte[] compressed = gz.toByteArray();
    try (CaptureReader r = CaptureReader.of(Unpooled.wrappedBuffer(compressed), Limits.defaults())) {
      Frames.Run run = Frames.readAll(r);
      assertThat(run.end()).isEqualTo(DecodeStatus.END);
      assertThat(run.frames()).isEqualTo(whole(bytes).frames());
    }
    // the compressed stream cut in half: decompression ends early, the reader reports where the data stopped
    try (CaptureReader r = CaptureReader.open(new ByteArrayInputStream(compressed, 0, compressed.length / 2),
        Limits.defaults())) {
      Frames.Run run = Frames.readAll(r);
      assertThat(run.end()).isIn(DecodeStatus.MALFORMED, DecodeStatus.END);
      if (run.end() == DecodeStatus.MALFORMED) {
        assertThat(run.raw().malformation()).isEqualTo(Malformation.TRUNCATED);
      }
      assertThat(run.frames()).isEqualTo(whole(bytes).frames().subList(0, run.frames().size()));
    }
  }

  @Test
  void aStreamEndingInsideABlockReportsTheBlockOffsetAndLengths() throws IOException {
    byte[] bytes = Files.readAllBytes(PCAPNG.resolve("output_be/basic/test001.pcapng"));
    Layout l = layout(bytes);
    int cut = l.boundaries().get(3) + 10;
    try (CaptureReader r = CaptureReader.open(new ByteArrayInputStream(bytes, 0, cut), Limits.defaults())) {
      Frames.Run run = Frames.readAll(r);
      assertThat(run.frames()).hasSize(1);
      assertTruncated(run, "stream", l.boundaries().get(3), l.lengthAt().get(3), 10, LengthSource.PCAPNG_BLOCK_LENGTH);
    }
  }
}
