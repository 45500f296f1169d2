package dev.wirelens.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.testkit.BufferShape;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Build records, cut the stream anywhere, frame it: the same records come back, with their stream offsets. */
class TlsRecordReaderPropertiesTest {
  @Property(tries = 300)
  void recordsSurviveAnyCuts(@ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 600) Integer> lengths,
      @ForAll @Size(max = 20) List<@IntRange(min = 0, max = 8000) Integer> cuts,
      @ForAll @IntRange(min = 0, max = 255) int type) {
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < lengths.size(); i++) {
      int len = lengths.get(i);
      int t = i == 0 ? (type & 0x7f) : type;   // a high-bit first byte would be read as SSLv2 at the stream start
      byte[] fragment = new byte[len];
      for (int k = 0; k < len; k++) {
        fragment[k] = (byte) (i + k);
      }
      expected.add(t + " " + len + " @" + stream.size() + " " + ByteBufUtil.hexDump(fragment));
      stream.write(t);
      stream.write(3);
      stream.write(3);
      stream.write(len >>> 8);
      stream.write(len);
      stream.write(fragment, 0, len);
    }
    byte[] bytes = stream.toByteArray();
    List<Integer> points = new ArrayList<>();
    for (int c : cuts) {
      points.add(Math.min(c, bytes.length));
    }
    points.add(bytes.length);
    points.sort(null);
    List<String> got = new ArrayList<>();
    try (TlsRecordReader reader = new TlsRecordReader(Limits.defaults())) {
      int from = 0;
      for (int to : points) {
        reader.feed(Unpooled.wrappedBuffer(bytes, from, to - from));
        from = to;
        DecodeStatus s;
        while ((s = reader.next()) == DecodeStatus.RECORD) {
          TlsRecord r = reader.record();
          got.add(r.contentType() + " " + r.length() + " @" + r.streamOffset() + " " + ByteBufUtil.hexDump(r.fragment()));
        }
        assertThat(s).isEqualTo(DecodeStatus.NEED_MORE);
      }
      reader.endOfInput();
      assertThat(reader.next()).isEqualTo(DecodeStatus.END);
    }
    assertThat(got).isEqualTo(expected);
  }

  /**
   * The same records whatever the caller does between them: the queries and compact() a dissector calls between
   * records must not disturb the reader's position (its fast path keeps the position outside the fed buffer).
   */
  @Property(tries = 300)
  void callsBetweenRecordsDoNotMoveTheStream(
      @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 600) Integer> lengths,
      @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 8000) Integer> cuts,
      @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = 4) Integer> between,
      @ForAll BufferShape shape) {
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < lengths.size(); i++) {
      int len = lengths.get(i);
      byte[] fragment = new byte[len];
      for (int k = 0; k < len; k++) {
        fragment[k] = (byte) (7 * i + k);
      }
      expected.add(23 + " " + len + " @" + stream.size() + " " + ByteBufUtil.hexDump(fragment));
      stream.write(23);
      stream.write(3);
      stream.write(3);
      stream.write(len >>> 8);
      stream.write(len);
      stream.write(fragment, 0, len);
    }
    byte[] bytes = stream.toByteArray();
    List<Integer> points = new ArrayList<>();
    for (int c : cuts) {
      points.add(Math.min(c, bytes.length));
    }
    points.add(bytes.length);
    points.sort(null);
    List<String> got = new ArrayList<>();
    int call = 0;
    try (TlsRecordReader reader = new TlsRecordReader(Limits.defaults())) {
      int from = 0;
      for (int to : points) {
        reader.feed(shape.wrap(java.util.Arrays.copyOfRange(bytes, from, to)));
        from = to;
        DecodeStatus s;
        while ((s = reader.next()) == DecodeStatus.RECORD) {
          TlsRecord r = reader.record();
          got.add(r.contentType() + " " + r.length() + " @" + r.streamOffset() + " " + ByteBufUtil.hexDump(r.fragment()));
          long end = r.streamOffset() + r.headerLength() + r.length();
          switch (between.get(call++ % between.size())) {
            case 1 -> assertThat(reader.streamOffset()).isEqualTo(end);
            case 2 -> assertThat(reader.bufferedBytes()).isEqualTo(to - end);
            case 3 -> assertThat(reader.nextLooksLikeTls()).isNotEqualTo(TlsDetection.NO);
            case 4 -> reader.compact();
            default -> { }
          }
        }
        assertThat(s).isEqualTo(DecodeStatus.NEED_MORE);
        assertThat(reader.bufferedBytes()).isEqualTo(to - reader.streamOffset());
      }
      reader.endOfInput();
      assertThat(reader.next()).isEqualTo(DecodeStatus.END);
      assertThat(reader.streamOffset()).isEqualTo(bytes.length);
    }
    assertThat(got).isEqualTo(expected);
  }

  @Property(tries = 200)
  void garbageNeverThrowsAndNeverLeaks(@ForAll @Size(max = 400) List<Byte> data,
      @ForAll @IntRange(min = 1, max = 64) int piece) {
    byte[] bytes = new byte[data.size()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = data.get(i);
    }
    Limits small = Limits.builder().maxTlsRecordLength(100).build();
    try (TlsRecordReader reader = new TlsRecordReader(small)) {
      for (int from = 0; from < bytes.length; from += piece) {
        ByteBuf b = Unpooled.buffer(piece);
        b.writeBytes(bytes, from, Math.min(piece, bytes.length - from));
        reader.feed(b);
        DecodeStatus s;
        while ((s = reader.next()) == DecodeStatus.RECORD) {
          assertThat(reader.record().length()).isLessThanOrEqualTo(100);
        }
        if (s == DecodeStatus.MALFORMED) {
          break;
        }
      }
    }
  }
}
