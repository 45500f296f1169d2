package dev.wirelens.tls.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.tls.TlsRecord;
import dev.wirelens.tls.TlsRecordReader;
import dev.wirelens.testkit.FuzzInput;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target for {@link TlsRecordReader}: any bytes, delivered whole and in fuzz-chosen pieces. Checks that nothing
 * throws, that every fed buffer is released after close, that no byte outside a fed buffer is read, that records
 * and the report are the same for both deliveries, that every record's fragment is the stream's own bytes at the
 * record's offset, that no record is longer than the (small) limit, that a LIMIT_EXCEEDED is reported at a length
 * field that really exceeds it, and that the reader never waits for more with a complete record buffered.
 */
class TlsRecordReaderFuzzTest {
  static final int MAX = 600;
  static final Limits LIMITS = Limits.builder().maxTlsRecordLength(MAX).build();

  @FuzzTest(maxDuration = "5m")
  void recordsAreTheSameWholeOrInPieces(FuzzedDataProvider data) {
    FuzzInput in = FuzzInput.of(data);
    String whole = run(in.stream, List.of(in.stream));
    String pieces = run(in.stream, in.pieces());
    assertThat(pieces).isEqualTo(whole);
  }

  static String run(byte[] stream, List<byte[]> pieces) {
    StringBuilder digest = new StringBuilder();
    List<ByteBuf> fed = new ArrayList<>();
    DecodeStatus s = DecodeStatus.NEED_MORE;
    try (TlsRecordReader reader = new TlsRecordReader(LIMITS)) {
      for (byte[] p : pieces) {
        ByteBuf b = FuzzInput.exact(p);
        fed.add(b);
        reader.feed(b);
        s = drain(reader, stream, digest);
        if (s == DecodeStatus.MALFORMED) {
          break;
        }
        assertThat(reader.bufferedBytes()).as("buffered while waiting").isLessThan(TlsRecord.HEADER_LENGTH + MAX);
        reader.compact();
      }
      if (s != DecodeStatus.MALFORMED) {
        reader.endOfInput();
        s = drain(reader, stream, digest);
      }
      digest.append(s);
      if (s == DecodeStatus.MALFORMED) {
        MalformationReport r = reader.report();
        digest.append(' ').append(r);
        if (r.malformation() == Malformation.LIMIT_EXCEEDED) {
          int at = (int) r.offset();
          int claimed = ((stream[at] & 0xff) << 8) | (stream[at + 1] & 0xff);
          assertThat(claimed).as("length field at the reported offset").isGreaterThan(MAX);
        }
      }
    }
    FuzzInput.assertReleased(fed);
    return digest.toString();
  }

  private static DecodeStatus drain(TlsRecordReader reader, byte[] stream, StringBuilder digest) {
    DecodeStatus s;
    while ((s = reader.next()) == DecodeStatus.RECORD) {
      TlsRecord r = reader.record();
      assertThat(r.length()).as("record length within the limit").isLessThanOrEqualTo(MAX);
      int at = (int) r.streamOffset() + r.headerLength();
      ByteBuf f = r.fragment();
      assertThat(f.readableBytes()).isEqualTo(r.length());
      for (int i = 0; i < r.length(); i++) {
        if (f.getByte(f.readerIndex() + i) != stream[at + i]) {
          throw new AssertionError("fragment byte " + i + " differs from the stream at " + (at + i));
        }
      }
      digest.append(r.contentType()).append(',').append(r.legacyVersion()).append(',').append(r.length())
          .append('@').append(r.streamOffset()).append(r.isSsl2() ? "s2" : "").append(r.isSsl2ClientHello() ? "h" : "")
          .append(';');
    }
    return s;
  }
}
