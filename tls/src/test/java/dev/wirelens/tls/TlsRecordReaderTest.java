package dev.wirelens.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
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

class TlsRecordReaderTest {
  // Three records built from RFC 8446 §5.1 / RFC 5246 §6.2.1 TLSPlaintext: a 4-byte handshake fragment, a CCS (1 byte
  // 0x01), a 2-byte alert (warning close_notify), an empty application_data record, and an unknown type 0x42.
  static final byte[] STREAM = Hex.decode(
      "16 0301 0004 0e000000"
      + "14 0303 0001 01"
      + "15 0303 0002 0100"
      + "17 0303 0000"
      + "42 0303 0003 aabbcc");
  static final List<String> EXPECTED = List.of(
      "22 0x301 4 @0 0e000000",
      "20 0x303 1 @9 01",
      "21 0x303 2 @15 0100",
      "23 0x303 0 @22 ",
      "66 0x303 3 @27 aabbcc");

  static List<String> run(TlsRecordReader reader, List<ByteBuf> pieces) {
    List<String> out = new ArrayList<>();
    for (ByteBuf piece : pieces) {
      reader.feed(piece);
      DecodeStatus s;
      while ((s = reader.next()) == DecodeStatus.RECORD) {
        TlsRecord r = reader.record();
        out.add(r.contentType() + " 0x" + Integer.toHexString(r.legacyVersion()) + " " + r.length() + " @"
            + r.streamOffset() + " " + ByteBufUtil.hexDump(r.fragment()));
      }
      if (s == DecodeStatus.MALFORMED) {
        out.add("MALFORMED " + reader.report());
        break;
      }
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(BufferShape.class)
  void recordsAreFramedInEveryBufferShape(BufferShape shape) {
    try (TlsRecordReader reader = new TlsRecordReader(Limits.defaults())) {
      assertThat(run(reader, List.of(shape.wrap(STREAM)))).isEqualTo(EXPECTED);
      reader.endOfInput();
      assertThat(reader.next()).isEqualTo(DecodeStatus.END);
    }
  }

  @Test
  void everySplitIndexGivesTheSameRecords() {
    for (int i = 0; i <= STREAM.length; i++) {
      try (TlsRecordReader reader = new TlsRecordReader(Limits.defaults())) {
        ByteBuf a = Unpooled.wrappedBuffer(STREAM, 0, i);
        ByteBuf b = Unpooled.wrappedBuffer(STREAM, i, STREAM.length - i);
        assertThat(run(reader, List.of(a, b))).as("split at %d", i).isEqualTo(EXPECTED);
      }
    }
  }

  @Test
  void oneBytePiecesGiveTheSameRecords() {
    List<ByteBuf> pieces = new ArrayList<>();
    for (byte x : STREAM) {
      pieces.add(Unpooled.buffer(1).writeByte(x));
    }
    try (TlsRecordReader reader = new TlsRecordReader(Limits.defaults())) {
      assertThat(run(reader, pieces)).isEqualTo(EXPECTED);
      assertThat(reader.streamOffset()).isEqualTo(STREAM.length);
    }
  }

  @Test
  void recordInsideOneFedBufferIsASliceOfIt() {
    ByteBuf in = Unpooled.wrappedBuffer(STREAM);
    try (TlsRecordReader reader = new TlsRecordReader(Limits.defaults())) {
      reader.feed(in.retain());
      assertThat(reader.next()).isEqualTo(DecodeStatus.RECORD);
      assertThat(reader.record().buffer()).isSameAs(in);
      assertThat(reader.next()).isEqualTo(DecodeStatus.RECORD);
      assertThat(reader.record().buffer()).as("hot path").isSameAs(in);
      assertThat(reader.record().offset()).isEqualTo(9);
    } finally {
      assertThat(in.release()).isTrue();
    }
  }

  @Test
  void everyPrefixNeedsMoreAndEndsTruncated() {
    byte[] one = Hex.decode("16 0303 0004 0e000000");
    for (int n = 0; n < one.length; n++) {
      try (TlsRecordReader reader = new TlsRecordReader(Limits.defaults())) {
        reader.feed(Unpooled.wrappedBuffer(one, 0, n));
        assertThat(reader.next()).isEqualTo(DecodeStatus.NEED_MORE);
        reader.endOfInput();
        if (n == 0) {
          assertThat(reader.next()).isEqualTo(DecodeStatus.END);
          continue;
        }
        assertThat(reader.next()).isEqualTo(DecodeStatus.MALFORMED);
        assertThat(reader.report().malformation()).isEqualTo(Malformation.TRUNCATED);
        assertThat(reader.report().layer()).isEqualTo(Layer.TLS);
        assertThat(reader.report().offset()).isEqualTo(0);
        assertThat(reader.report().availableLength()).isEqualTo(n);
        assertThat(reader.report().requiredLength()).isEqualTo(n < 5 ? 5 : 9);
        assertThat(reader.report().lengthSource())
            .isEqualTo(n < 5 ? LengthSource.HEADER_MINIMUM : LengthSource.TLS_LENGTH);
      }
    }
  }

  @Test
  void recordLongerThanAnyTlsVersionAllowsIsBadLengthNotLimitExceeded() {
    // 2^14 + 2049: one above the TLSCiphertext maximum of RFC 5246 §6.2.3; then a version whose major is not 3
    for (String header : new String[] {"17 0303 4801", "17 0403 4101"}) {
      try (TlsRecordReader reader = new TlsRecordReader(Limits.defaults())) {
        reader.feed(Unpooled.wrappedBuffer(Hex.decode(header)));
        assertThat(reader.next()).as(header).isEqualTo(DecodeStatus.MALFORMED);
        assertThat(reader.report().malformation()).as(header).isEqualTo(Malformation.BAD_LENGTH_FIELD);
        assertThat(reader.report().layer()).isEqualTo(Layer.TLS);
        assertThat(reader.report().offset()).isEqualTo(3);
      }
    }
  }

  @Test
  void recordLongerThanLimitIsMalformedAtItsLengthField() {
    // a valid 4-byte record, then a header announcing 2^14 + 257 bytes (one above the RFC 8446 §5.2 default)
    byte[] bytes = Hex.decode("17 0303 0004 01020304  17 0303 4101");
    try (TlsRecordReader reader = new TlsRecordReader(Limits.defaults())) {
      reader.feed(Unpooled.wrappedBuffer(bytes));
      assertThat(reader.next()).isEqualTo(DecodeStatus.RECORD);
      assertThat(reader.next()).isEqualTo(DecodeStatus.MALFORMED);
      assertThat(reader.report().malformation()).isEqualTo(Malformation.LIMIT_EXCEEDED);
      assertThat(reader.report().layer()).isEqualTo(Layer.TLS);
      assertThat(reader.report().offset()).isEqualTo(9 + 3);
      assertThat(reader.next()).as("terminal").isEqualTo(DecodeStatus.MALFORMED);
      reader.reset();
      reader.feed(Unpooled.wrappedBuffer(bytes, 0, 9));
      assertThat(reader.next()).as("usable after reset").isEqualTo(DecodeStatus.RECORD);
    }
  }

  @Test
  void recordOfExactlyTheLimitIsFramed() {
    Limits limits = Limits.builder().maxTlsRecordLength(3).build();
    try (TlsRecordReader reader = new TlsRecordReader(limits)) {
      reader.feed(Unpooled.wrappedBuffer(Hex.decode("17 0303 0003 010203 17 0303 0004")));
      assertThat(reader.next()).isEqualTo(DecodeStatus.RECORD);
      assertThat(reader.next()).isEqualTo(DecodeStatus.MALFORMED);
      assertThat(reader.report().offset()).isEqualTo(11);
    }
  }

  @Test
  void sslv2ClientHelloArrivingInPiecesAfterItsTypeIsStillAClientHello() {
    // found by TlsRecordReaderFuzzTest: the first 3 bytes (header + msg_type 1) arrive alone, the rest later
    byte[] hello = Hex.decode("801f 01 0301 0006 0000 0010 000035 00002f"
        + "00112233445566778899aabbccddeeff");
    try (TlsRecordReader reader = new TlsRecordReader(Limits.defaults())) {
      reader.feed(Unpooled.wrappedBuffer(hello, 0, 3));
      assertThat(reader.next()).isEqualTo(DecodeStatus.NEED_MORE);
      reader.feed(Unpooled.wrappedBuffer(hello, 3, hello.length - 3));
      assertThat(reader.next()).isEqualTo(DecodeStatus.RECORD);
      assertThat(reader.record().isSsl2ClientHello()).isTrue();
      assertThat(reader.record().legacyVersion()).isEqualTo(0x0301);
    }
  }

  @Test
  void sslv2CompatibleClientHelloIsRecognisedAtStreamStart() {
    // RFC 5246 Appendix E.2: msg_length 0x801f (high bit set, 31 bytes), msg_type 1, version 0x0301,
    // cipher_spec_length 6, session_id_length 0, challenge_length 16, two 3-byte cipher specs, 16-byte challenge.
    byte[] hello = Hex.decode("801f 01 0301 0006 0000 0010 000035 00002f"
        + "00112233445566778899aabbccddeeff");
    try (TlsRecordReader reader = new TlsRecordReader(Limits.defaults())) {
      reader.feed(Unpooled.wrappedBuffer(hello));
      reader.feed(Unpooled.wrappedBuffer(Hex.decode("16 0301 0004 02000000")));
      assertThat(reader.next()).isEqualTo(DecodeStatus.RECORD);
      TlsRecord r = reader.record();
      assertThat(r.isSsl2ClientHello()).isTrue();
      assertThat(r.contentType()).isEqualTo(TlsRecord.SSL2_CLIENT_HELLO);
      assertThat(r.headerLength()).isEqualTo(2);
      assertThat(r.length()).isEqualTo(31);
      assertThat(r.legacyVersion()).isEqualTo(0x0301);
      assertThat((int) r.fragment().getUnsignedByte(0)).isEqualTo(1);
      assertThat(reader.next()).isEqualTo(DecodeStatus.RECORD);
      assertThat(reader.record().isSsl2ClientHello()).isFalse();
      assertThat(reader.record().streamOffset()).isEqualTo(33);
    }
  }

  @Test
  void highBitTypeAfterTheFirstRecordIsAnUnknownContentType() {
    byte[] bytes = Hex.decode("17 0303 0001 00  80 0303 0001 ff");
    try (TlsRecordReader reader = new TlsRecordReader(Limits.defaults())) {
      reader.feed(Unpooled.wrappedBuffer(bytes));
      assertThat(reader.next()).isEqualTo(DecodeStatus.RECORD);
      assertThat(reader.next()).isEqualTo(DecodeStatus.RECORD);
      assertThat(reader.record().contentType()).isEqualTo(0x80);
      assertThat(reader.record().isSsl2ClientHello()).isFalse();
    }
  }

  @Test
  void wrapReportsTruncationWithItsSource() {
    TlsRecord r = new TlsRecord();
    ByteBuf b = Unpooled.wrappedBuffer(Hex.decode("16 0303 0010 00"));
    assertThat(r.wrap(b, 0, 3)).isFalse();
    assertThat(r.report().lengthSource()).isEqualTo(LengthSource.HEADER_MINIMUM);
    assertThat(r.wrap(b, 0, 6)).isFalse();
    assertThat(r.report().requiredLength()).isEqualTo(21);
    assertThat(r.report().lengthSource()).isEqualTo(LengthSource.TLS_LENGTH);
    b.release();
  }

  @Test
  void plaintextAfterRecordsDoesNotLookLikeTls() {
    byte[] bytes = Hex.decode("17 0303 0001 00  474554 202f");  // a record, then "GET /"
    try (TlsRecordReader reader = new TlsRecordReader(Limits.defaults())) {
      reader.feed(Unpooled.wrappedBuffer(bytes, 0, 3));
      assertThat(reader.nextLooksLikeTls()).isEqualTo(TlsDetection.NEED_MORE);
      reader.feed(Unpooled.wrappedBuffer(bytes, 3, 8));
      assertThat(reader.nextLooksLikeTls()).isEqualTo(TlsDetection.YES);
      assertThat(reader.next()).isEqualTo(DecodeStatus.RECORD);
      assertThat(reader.nextLooksLikeTls()).isEqualTo(TlsDetection.NO);
      assertThat(reader.bufferedBytes()).isEqualTo(5);
    }
  }

  @Test
  void pendingHeaderIsTheCompleteHeaderOfARecordNotYetComplete() {
    byte[] bytes = Hex.decode("17 0303 0001 00  474554 202f 48");  // a record, then "GET /H": 8,239 bytes announced
    try (TlsRecordReader reader = new TlsRecordReader(Limits.defaults())) {
      reader.feed(Unpooled.wrappedBuffer(bytes, 0, 9));
      assertThat(reader.pendingContentType()).as("the header at the boundary, before next()").isEqualTo(0x17);
      assertThat(reader.next()).isEqualTo(DecodeStatus.RECORD);
      assertThat(reader.next()).isEqualTo(DecodeStatus.NEED_MORE);
      assertThat(reader.pendingContentType()).as("3 of 5 header bytes").isEqualTo(-1);
      assertThat(reader.pendingLegacyVersion()).isEqualTo(-1);
      reader.feed(Unpooled.wrappedBuffer(bytes, 9, 3));
      assertThat(reader.next()).isEqualTo(DecodeStatus.NEED_MORE);
      assertThat(reader.pendingContentType()).isEqualTo(0x47);
      assertThat(reader.pendingLegacyVersion()).isEqualTo(0x4554);
      assertThat(reader.streamOffset()).isEqualTo(6);
      assertThat(reader.bufferedBytes()).isEqualTo(6);
    }
  }

  @Test
  void anSslv2HeaderIsNoPendingTlsHeader() {
    byte[] bytes = Hex.decode("801f 01 0301 0006 0000 0010");  // the first 11 of 33 bytes of an SSLv2 CLIENT-HELLO
    try (TlsRecordReader reader = new TlsRecordReader(Limits.defaults())) {
      reader.feed(Unpooled.wrappedBuffer(bytes));
      assertThat(reader.next()).isEqualTo(DecodeStatus.NEED_MORE);
      assertThat(reader.pendingContentType()).isEqualTo(-1);
      assertThat(reader.pendingLegacyVersion()).isEqualTo(-1);
    }
  }

  @Test
  void sslv2StreamKeepsSsl2FramingWhileRecordsHaveTheHighBit() {
    // CLIENT-HELLO (31 bytes, as above), then an SSLv2 CLIENT-MASTER-KEY-like record 0x8003 02 0102, then a TLS record
    byte[] bytes = Hex.decode("801f 01 0301 0006 0000 0010 000035 00002f 00112233445566778899aabbccddeeff"
        + "8003 02 0102  15 0303 0002 0100");
    try (TlsRecordReader reader = new TlsRecordReader(Limits.defaults())) {
      reader.feed(Unpooled.wrappedBuffer(bytes));
      assertThat(reader.next()).isEqualTo(DecodeStatus.RECORD);
      assertThat(reader.record().isSsl2ClientHello()).isTrue();
      assertThat(reader.next()).isEqualTo(DecodeStatus.RECORD);
      assertThat(reader.record().isSsl2()).isTrue();
      assertThat(reader.record().isSsl2ClientHello()).isFalse();
      assertThat(reader.record().length()).isEqualTo(3);
      assertThat(reader.record().streamOffset()).isEqualTo(33);
      assertThat(reader.next()).isEqualTo(DecodeStatus.RECORD);
      assertThat(reader.record().isSsl2()).isFalse();
      assertThat(reader.record().contentType()).isEqualTo(ContentTypes.ALERT);
    }
  }

  @Test
  void sslv2ServerHelloStartsAnSsl2Stream() {
    // RFC 6101 Appendix E SERVER-HELLO: msg_type 4, session_id_hit 0, certificate_type 1, server_version 0x0002, ...
    byte[] bytes = Hex.decode("800b 04 00 01 0002 0000 0000 0000");
    try (TlsRecordReader reader = new TlsRecordReader(Limits.defaults())) {
      reader.feed(Unpooled.wrappedBuffer(bytes));
      assertThat(reader.next()).isEqualTo(DecodeStatus.RECORD);
      assertThat(reader.record().isSsl2()).isTrue();
      assertThat(reader.record().isSsl2ClientHello()).isFalse();
      assertThat(reader.record().legacyVersion()).isEqualTo(0x0002);
      assertThat(reader.record().length()).isEqualTo(11);
    }
  }
}
