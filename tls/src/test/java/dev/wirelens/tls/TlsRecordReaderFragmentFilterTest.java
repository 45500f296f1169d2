package dev.wirelens.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.testkit.BufferShape;
import dev.wirelens.testkit.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link TlsRecordReader.FragmentFilter}: records whose fragment is not needed come with their header only, with the
 * same statuses, stream offsets and truncation reports as without the filter (whose framing {@link TlsRecordReaderTest}
 * checks against records built from RFC 8446 §5.1), whether their bytes are fed or passed over with
 * {@link TlsRecordReader#pass(int)}, split anywhere.
 */
class TlsRecordReaderFragmentFilterTest {
  // TlsRecordReaderTest.STREAM (handshake, CCS, alert, empty application_data, unknown type 0x42), then an
  // application_data record of 300 bytes, so that a passed-over fragment spans many pieces, and an alert after it.
  static final byte[] STREAM = concat(TlsRecordReaderTest.STREAM, Hex.decode("17 0303 012c"), new byte[300],
      Hex.decode("15 0303 0002 0230"));
  /** Application data and unknown types: read by their header alone. */
  static final TlsRecordReader.FragmentFilter HEADERS_OF_DATA =
      (type, version) -> type != ContentTypes.APPLICATION_DATA && type != 0x42;
  static final List<String> EXPECTED = List.of(
      "22 0x301 4 @0 0e000000",
      "20 0x303 1 @9 01",
      "21 0x303 2 @15 0100",
      "23 0x303 0 @22 -",
      "66 0x303 3 @27 -",
      "23 0x303 300 @35 -",
      "21 0x303 2 @340 0230");

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** Feeds the pieces in order; with {@code pass}, bytes inside a passed-over fragment are passed, not fed. */
  static List<String> run(TlsRecordReader reader, List<ByteBuf> pieces, boolean pass) {
    List<String> out = new ArrayList<>();
    for (ByteBuf piece : pieces) {
      int k = pass ? Math.min(reader.bytesToPass(), piece.readableBytes()) : 0;
      if (k > 0) {
        reader.pass(k);
        piece.skipBytes(k);
      }
      reader.feed(piece);
      DecodeStatus s;
      while ((s = reader.next()) == DecodeStatus.RECORD) {
        TlsRecord r = reader.record();
        out.add(r.contentType() + " 0x" + Integer.toHexString(r.legacyVersion()) + " " + r.length() + " @"
            + r.streamOffset() + " " + (r.hasFragment() ? ByteBufUtil.hexDump(r.fragment()) : "-"));
      }
      if (s == DecodeStatus.MALFORMED) {
        out.add("MALFORMED " + reader.report());
        break;
      }
    }
    return out;
  }

  static TlsRecordReader filtered() {
    TlsRecordReader reader = new TlsRecordReader(Limits.defaults());
    reader.fragmentFilter(HEADERS_OF_DATA);
    return reader;
  }

  @ParameterizedTest
  @EnumSource(BufferShape.class)
  void fragmentsNotNeededAreLeftOutInEveryBufferShape(BufferShape shape) {
    try (TlsRecordReader reader = filtered()) {
      assertThat(run(reader, List.of(shape.wrap(STREAM)), false)).isEqualTo(EXPECTED);
      reader.endOfInput();
      assertThat(reader.next()).isEqualTo(DecodeStatus.END);
    }
  }

  @Test
  void everySplitIndexGivesTheSameRecordsFedOrPassed() {
    for (boolean pass : new boolean[] {false, true}) {
      for (int i = 0; i <= STREAM.length; i++) {
        try (TlsRecordReader reader = filtered()) {
          ByteBuf a = Unpooled.wrappedBuffer(STREAM, 0, i);
          ByteBuf b = Unpooled.wrappedBuffer(STREAM, i, STREAM.length - i);
          assertThat(run(reader, List.of(a, b), pass)).as("split at %d, pass %s", i, pass).isEqualTo(EXPECTED);
        }
      }
    }
  }

  @Test
  void oneBytePiecesGiveTheSameRecordsFedOrPassed() {
    for (boolean pass : new boolean[] {false, true}) {
      List<ByteBuf> pieces = new ArrayList<>();
      for (byte x : STREAM) {
        pieces.add(Unpooled.buffer(1).writeByte(x));
      }
      try (TlsRecordReader reader = filtered()) {
        assertThat(run(reader, pieces, pass)).as("pass %s", pass).isEqualTo(EXPECTED);
      }
    }
  }

  @Test
  void withoutTheFilterEveryFragmentIsKept() {
    try (TlsRecordReader reader = new TlsRecordReader(Limits.defaults())) {
      List<String> all = run(reader, List.of(Unpooled.wrappedBuffer(STREAM)), false);
      assertThat(all).hasSize(EXPECTED.size());
      assertThat(all.get(5)).startsWith("23 0x303 300 @35 0000");
    }
  }

  @Test
  void recordThatEndsWithAPieceIsReturnedWithThatPiece() {
    // the 300-byte record's last byte is STREAM[339]: passing exactly up to it must give the record at once
    try (TlsRecordReader reader = filtered()) {
      List<String> out = run(reader, List.of(Unpooled.wrappedBuffer(STREAM, 0, 100),
          Unpooled.wrappedBuffer(STREAM, 100, 240)), true);
      assertThat(out).isEqualTo(EXPECTED.subList(0, 6));
      assertThat(reader.bytesToPass()).isZero();
      assertThat(reader.streamOffset()).isEqualTo(340);
    }
  }

  @Test
  void everyPrefixEndsTruncatedExactlyAsWithoutTheFilter() {
    for (boolean pass : new boolean[] {false, true}) {
      for (int n = 0; n < STREAM.length; n++) {
        MalformationReport plain = truncatedAt(new TlsRecordReader(Limits.defaults()), n, false);
        MalformationReport filtered = truncatedAt(filtered(), n, pass);
        assertThat(filtered == null ? null : filtered.toString()).as("prefix %d, pass %s", n, pass)
            .isEqualTo(plain == null ? null : plain.toString());
      }
    }
  }

  @Test
  void passedRecordCutShortIsTruncatedAtItsHeaderWithItsLength() {
    try (TlsRecordReader reader = filtered()) {
      MalformationReport r = truncatedAt(reader, 35 + 5 + 100, true);
      assertThat(r.malformation()).isEqualTo(Malformation.TRUNCATED);
      assertThat(r.layer()).isEqualTo(Layer.TLS);
      assertThat(r.offset()).isEqualTo(35);
      assertThat(r.requiredLength()).isEqualTo(305);
      assertThat(r.availableLength()).isEqualTo(105);
      assertThat(r.lengthSource()).isEqualTo(LengthSource.TLS_LENGTH);
    }
  }

  /** The first {@code n} bytes in pieces of 7, end of input: the report when MALFORMED, null at END. */
  private static MalformationReport truncatedAt(TlsRecordReader reader, int n, boolean pass) {
    try (reader) {
      List<ByteBuf> pieces = new ArrayList<>();
      for (int i = 0; i < n; i += 7) {
        pieces.add(Unpooled.wrappedBuffer(STREAM, i, Math.min(7, n - i)));
      }
      run(reader, pieces, pass);
      reader.endOfInput();
      DecodeStatus s;
      while ((s = reader.next()) == DecodeStatus.RECORD) {
        // records completed by the last piece
      }
      if (s == DecodeStatus.END) {
        return null;
      }
      assertThat(s).isEqualTo(DecodeStatus.MALFORMED);
      MalformationReport copy = new MalformationReport();
      copy.copyFrom(reader.report());
      return copy;
    }
  }

  @Test
  void passedBytesAreReleasedAsTheyCome() {
    try (TlsRecordReader reader = filtered()) {
      for (int i = 0; i < STREAM.length; i += 50) {
        ByteBuf piece = Unpooled.copiedBuffer(STREAM, i, Math.min(50, STREAM.length - i));
        reader.feed(piece);
        while (reader.next() == DecodeStatus.RECORD) {
          // drain
        }
        reader.compact();
        if (i + 50 > 40 && i + 50 <= 340) { // inside the 300-byte fragment: nothing is held
          assertThat(reader.bufferedBytes()).as("after %d", i + 50).isZero();
          assertThat(reader.retainedCapacity()).as("after %d", i + 50).isZero();
          assertThat(piece.refCnt()).isZero();
        }
      }
    }
  }

  @Test
  void firstRecordKeepsItsFragmentWhateverTheFilter() {
    try (TlsRecordReader reader = new TlsRecordReader(Limits.defaults())) {
      reader.fragmentFilter((type, version) -> false);
      reader.feed(Unpooled.wrappedBuffer(STREAM));
      assertThat(reader.next()).isEqualTo(DecodeStatus.RECORD);
      assertThat(reader.record().hasFragment()).isTrue();
      assertThat(reader.next()).isEqualTo(DecodeStatus.RECORD);
      assertThat(reader.record().hasFragment()).isFalse();
    }
  }

  @Test
  void fragmentOfAHeaderOnlyRecordIsMisuse() {
    try (TlsRecordReader reader = filtered()) {
      reader.feed(Unpooled.wrappedBuffer(STREAM));
      DecodeStatus s;
      while ((s = reader.next()) == DecodeStatus.RECORD && reader.record().hasFragment()) {
        // up to the empty application_data record
      }
      assertThat(s).isEqualTo(DecodeStatus.RECORD);
      TlsRecord r = reader.record();
      assertThat(r.buffer()).isNull();
      assertThatThrownBy(r::fragment).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(r::retainedFragment).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void passingMoreThanTheFragmentLeftIsMisuse() {
    try (TlsRecordReader reader = filtered()) {
      reader.feed(Unpooled.wrappedBuffer(STREAM, 0, 40)); // up to the 300-byte record's header
      while (reader.next() == DecodeStatus.RECORD) {
        // drain
      }
      assertThat(reader.bytesToPass()).isEqualTo(300);
      assertThatThrownBy(() -> reader.pass(301)).isInstanceOf(IllegalArgumentException.class);
      reader.pass(300);
      assertThat(reader.next()).isEqualTo(DecodeStatus.RECORD);
      assertThat(reader.record().length()).isEqualTo(300);
      assertThat(reader.bytesToPass()).isZero();
      assertThatThrownBy(() -> reader.pass(1)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
