package dev.wirelens.tls;

import static dev.wirelens.tls.TlsConnectionDissectorTest.clientHello;
import static dev.wirelens.tls.TlsConnectionDissectorTest.record;
import static dev.wirelens.tls.TlsConnectionDissectorTest.serverHello;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import dev.wirelens.MalformationReport;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rule: {@link TlsSession#plaintextOffset(Direction)} and the offsets of {@link TlsSession#malformation(Direction)}
 * count from byte 0 of that direction's TCP stream, gaps counted by their length, whatever restarted the record reader
 * on the way (a ClientHello or ServerHello after STARTTLS plaintext, a gap) and whichever reader found the
 * malformation (records, handshake messages). Every stream is fed whole and in 1-byte pieces (re-offering what the
 * dissector leaves, as the TCP reassembler does; a gap drops it, as the reassembler's gap does).
 *
 * <p>Expected offsets are worked out by hand from the bytes built below: the piece lengths are written as numbers
 * (and checked against the built arrays in {@link #theHandCountedLengthsAreRight()}), then added up in each test.
 */
class OffsetsAfterARestartTest {
  static final Direction C = Direction.CLIENT_TO_SERVER;
  static final Direction S = Direction.SERVER_TO_CLIENT;

  /** "EHLO client.example\r\n" 4 + 1 + 14 + 2 = 21, "STARTTLS\r\n" 8 + 2 = 10: 31 bytes (RFC 3207 §4). */
  static final byte[] EHLO_STARTTLS = ascii("EHLO client.example\r\nSTARTTLS\r\n");
  /** "220 mx.example ESMTP\r\n" 3 + 1 + 10 + 1 + 5 + 2 = 22, "220 go ahead\r\n" 3 + 1 + 2 + 1 + 5 + 2 = 14: 36. */
  static final byte[] SMTP_READY = ascii("220 mx.example ESMTP\r\n220 go ahead\r\n");
  /**
   * ClientHello record: header 5 + handshake header 4 + body 77 (version 2, random 32, session id 1 + 32,
   * cipher_suites 2 + 4, compression 1 + 1, extensions 2 + 0) = 86.
   */
  static final byte[] CLIENT_HELLO = record(22, 0x0301, clientHello());
  /**
   * ServerHello record: header 5 + handshake header 4 + body 40 (version 2, random 32, session id 1 + 0, suite 2,
   * compression 1, extensions 2 + 0) = 49.
   */
  static final byte[] SERVER_HELLO = record(22, 0x0303, serverHello(new byte[0], 0xC02F));
  /** An application_data record: header 5 + 10 bytes = 15 (plausible TLS after a gap: RFC 5246 §6.2.1). */
  static final byte[] APP_DATA = record(23, 0x0303, new byte[10]);
  /**
   * "HI\0\0\2ab" read as a record header: type 0x48, legacy_record_version 0x4900 (major byte not 3), length 2, and
   * its 2 bytes: a complete record that cannot be TLS; BAD_VERSION at its offset + 1, plaintext from its offset.
   */
  static final byte[] HI = ascii("HI\0\0\2ab");
  /** "GET /" read as a header: type 0x47, version 0x4554, length 0x202f that never comes: plaintext at once. */
  static final byte[] GET = ascii("GET / HTTP/1.1\r\n\r\n");

  @BeforeAll
  static void theHandCountedLengthsAreRight() {
    assertThat(EHLO_STARTTLS.length).isEqualTo(31);
    assertThat(SMTP_READY.length).isEqualTo(36);
    assertThat(CLIENT_HELLO.length).isEqualTo(86);
    assertThat(SERVER_HELLO.length).isEqualTo(49);
    assertThat(APP_DATA.length).isEqualTo(15);
  }

  @Test
  void afterStarttlsABadRecordHeaderIsAtItsStreamOffset() {
    // client: EHLO+STARTTLS 31, ClientHello 86, then "HI\0": its header at 31 + 86 = 117, version field at 118
    List<Object> events = List.of(ev(C, EHLO_STARTTLS, CLIENT_HELLO), ev(S, SMTP_READY, SERVER_HELLO), ev(C, HI));
    for (Result r : bothWays(events, Limits.defaults())) {
      assertThat(r.plaintextOffset[0]).as(r.how).isZero(); // the EHLO: plaintext from the first byte
      assertThat(r.malformation[0]).as(r.how).isEqualTo("BAD_VERSION TLS 118");
      assertThat(r.plaintextOffset[1]).as(r.how).isZero(); // the 220 greeting
      assertThat(r.malformation[1]).as(r.how).isEqualTo("NONE");
    }
  }

  @Test
  void afterStarttlsARecordLongerThanAnyTlsVersionAllowsIsAtItsLengthField() {
    // server: 220 lines 36, ServerHello 49, then a header announcing 0xffff bytes (more than 2^14 + 2048, RFC 5246
    // §6.2.3): header at 36 + 49 = 85, length field at 85 + 3 = 88
    byte[] tooLong = {23, 3, 3, (byte) 0xff, (byte) 0xff, 1, 2};
    List<Object> events = List.of(ev(C, EHLO_STARTTLS, CLIENT_HELLO), ev(S, SMTP_READY, SERVER_HELLO, tooLong));
    for (Result r : bothWays(events, Limits.defaults())) {
      assertThat(r.malformation[1]).as(r.how).isEqualTo("BAD_LENGTH_FIELD TLS 88");
      assertThat(r.plaintextOffset[1]).as(r.how).isZero();
    }
  }

  @Test
  void afterStarttlsARecordCutShortByFinIsTruncatedAtItsHeader() {
    // client: 31 plaintext bytes, then a ClientHello record header announcing 50 bytes of which 2 come: TRUNCATED at
    // the header, offset 31, 55 bytes required (5 + 50), 7 available
    byte[] cut = {22, 3, 1, 0, 50, 1, 0};
    List<Object> events = List.of(ev(C, EHLO_STARTTLS, cut), fin(C));
    for (Result r : bothWays(events, Limits.defaults())) {
      assertThat(r.malformation[0]).as(r.how).isEqualTo("TRUNCATED TLS 31 55/7");
    }
  }

  @Test
  void afterStarttlsAHandshakeLengthOverTheLimitIsAtItsStreamOffset() {
    // server: 220 lines 36, ServerHello 49, then a record (header 5) whose Certificate header (msg_type 11, length
    // 0x100000 > the 1,000 cap) has its length field at 36 + 49 + 5 + 1 = 91
    byte[] certificate = record(22, 0x0303, new byte[] {11, 0x10, 0, 0, 0, 0});
    List<Object> events = List.of(ev(C, EHLO_STARTTLS, CLIENT_HELLO), ev(S, SMTP_READY, SERVER_HELLO, certificate));
    for (Result r : bothWays(events, Limits.builder().maxTlsHandshakeMessageLength(1000).build())) {
      assertThat(r.malformation[1]).as(r.how).isEqualTo("LIMIT_EXCEEDED TLS 91");
    }
  }

  @Test
  void handshakeOffsetsCountRecordHeadersToo() {
    // no restart: ServerHello record 49, then a Certificate header cut into records of 1, 1 and 4 fragment bytes:
    // record(11) 6 bytes at 49, record(0x10) 6 bytes at 55 whose fragment byte, the first of the length field, is at
    // 55 + 5 = 60
    byte[] parts = TlsConnectionDissectorTest.concat(record(22, 0x0303, new byte[] {11}),
        record(22, 0x0303, new byte[] {0x10}), record(22, 0x0303, new byte[] {0, 0, 0, 0}));
    List<Object> events = List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO, parts));
    for (Result r : bothWays(events, Limits.builder().maxTlsHandshakeMessageLength(1000).build())) {
      assertThat(r.malformation[1]).as(r.how).isEqualTo("LIMIT_EXCEEDED TLS 60");
    }
  }

  @Test
  void afterAGapABadRecordHeaderIsAtItsStreamOffset() {
    // client: ClientHello 86, gap 1,000, application data 15, then "HI\0": header at 86 + 1000 + 15 = 1101, version
    // field at 1102
    List<Object> events = List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO), gap(C, 1000), ev(C, APP_DATA, HI));
    for (Result r : bothWays(events, Limits.defaults())) {
      assertThat(r.plaintextOffset[0]).as(r.how).isEqualTo(1101);
      assertThat(r.malformation[0]).as(r.how).isEqualTo("BAD_VERSION TLS 1102");
    }
  }

  @Test
  void afterAGapAHeaderThatAnnouncesARecordNeverSentIsAtItsStreamOffset() {
    // client: ClientHello 86, gap 1,000, application data 15, then "GET /" (a header waiting for 8,239 bytes):
    // plaintext at 1101, BAD_VERSION at 1102
    List<Object> events = List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO), gap(C, 1000), ev(C, APP_DATA, GET));
    for (Result r : bothWays(events, Limits.defaults())) {
      assertThat(r.plaintextOffset[0]).as(r.how).isEqualTo(1101);
      assertThat(r.malformation[0]).as(r.how).isEqualTo("BAD_VERSION TLS 1102");
    }
  }

  @Test
  void afterAGapAHeaderCutShortByFinThatCannotBeTlsIsAtItsStreamOffset() {
    // server: ServerHello 49, gap 7, application data 15, then "GE" and FIN: plaintext at 49 + 7 + 15 = 71, the
    // version's major byte 'E' (not 3) at 72
    List<Object> events = List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO), gap(S, 7), ev(S, APP_DATA, ascii("GE")),
        fin(S));
    for (Result r : bothWays(events, Limits.defaults())) {
      assertThat(r.plaintextOffset[1]).as(r.how).isEqualTo(71);
      assertThat(r.malformation[1]).as(r.how).isEqualTo("BAD_VERSION TLS 72");
    }
  }

  @Test
  void afterAGapAndBytesSkippedToResyncARecordOverTheLimitIsAtItsStreamOffset() {
    // server: ServerHello 49, gap 500, "zzz" 3 (skipped: not a record), application data 15, then a header with
    // length 0x4800 (18,432: allowed by RFC 5246 §6.2.3, over the default cap 2^14 + 256): header at
    // 49 + 500 + 3 + 15 = 567, length field at 570
    byte[] overCap = {23, 3, 3, 0x48, 0};
    List<Object> events = List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO), gap(S, 500), ev(S, ascii("zzz")),
        ev(S, APP_DATA, overCap));
    for (Result r : bothWays(events, Limits.defaults())) {
      assertThat(r.malformation[1]).as(r.how).isEqualTo("LIMIT_EXCEEDED TLS 570");
      assertThat(r.plaintextOffset[1]).as(r.how).isEqualTo(567); // a length no TLS 1.3 record may have
    }
  }

  @Test
  void afterAGapAHandshakeLengthThatCannotBeIsAtItsStreamOffset() {
    // server: ServerHello 49, gap 100, a record (header 5) whose handshake header (msg_type 11, length 0x100000, the
    // handshake stream joined midway: not a cap hit) has its length field at 49 + 100 + 5 + 1 = 155
    byte[] certificate = record(22, 0x0303, new byte[] {11, 0x10, 0, 0, 0, 0});
    List<Object> events = List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO), gap(S, 100), ev(S, certificate));
    for (Result r : bothWays(events, Limits.defaults())) {
      assertThat(r.malformation[1]).as(r.how).isEqualTo("BAD_LENGTH_FIELD TLS 155");
    }
  }

  @Test
  void bytesLeftUnconsumedBeforeAGapCountAsTheReassemblerDropsThem() {
    // the TCP reassembler drops what a listener left unconsumed when a gap comes, and the gap's length does not
    // include those bytes (TcpStreamListener.onData): client: ClientHello 86, gap 100, "17 03" (too few bytes to
    // resynchronise on: left unconsumed, then dropped) 2, gap 50, application data 15, then "HI\0": header at
    // 86 + 100 + 2 + 50 + 15 = 253, version field at 254
    List<Object> events = List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO), gap(C, 100), ev(C, new byte[] {23, 3}),
        gap(C, 50), ev(C, APP_DATA, HI));
    for (Result r : bothWays(events, Limits.defaults())) {
      assertThat(r.plaintextOffset[0]).as(r.how).isEqualTo(253);
      assertThat(r.malformation[0]).as(r.how).isEqualTo("BAD_VERSION TLS 254");
    }
  }

  @Test
  void aHelloHeaderCutByAGapAfterStarttlsPlaintextCountsAsDropped() {
    // server: "220 ready\r\n" 11 and the first 3 bytes of a record header (16 03 01: a hello may start there, left
    // unconsumed, then dropped at the gap) 3, gap 20, "220 again\r\n" 11, ServerHello 49, then a header announcing
    // 0xffff bytes: header at 11 + 3 + 20 + 11 + 49 = 94, length field at 97
    byte[] tooLong = {23, 3, 3, (byte) 0xff, (byte) 0xff};
    List<Object> events = List.of(ev(C, CLIENT_HELLO), ev(S, ascii("220 ready\r\n"), new byte[] {22, 3, 1}),
        gap(S, 20), ev(S, ascii("220 again\r\n"), SERVER_HELLO, tooLong));
    for (Result r : bothWays(events, Limits.defaults())) {
      assertThat(r.plaintextOffset[1]).as(r.how).isZero();
      assertThat(r.malformation[1]).as(r.how).isEqualTo("BAD_LENGTH_FIELD TLS 97");
    }
  }

  @Test
  void aDecryptedHandshakeMessageIsAtTheOffsetOfTheRecordThatCarriedTheOffendingByte() throws Exception {
    // TLS 1.3 (RFC 8446 §5.2), TLS_AES_128_GCM_SHA256, the server handshake traffic secret known: after the
    // ServerHello record (header 5 + handshake header 4 + body 46 = 55 bytes), record 1 (sequence 0) holds
    // EncryptedExtensions (08 000002 0000) and the msg_type of a Certificate (0b); record 2 (sequence 1) holds its
    // length 0x100000, over the 1,000 cap. Record 1: header 5 + 7 bytes + inner type 1 + tag 16 = 29 bytes, so
    // record 2, which carried the length field's first byte, starts at 55 + 29 = 84. Decrypted bytes have no
    // offset of their own: the record's is reported.
    byte[] serverHelloRecord = record(22, 0x0303, serverHello(new byte[0], 0x1301,
        TlsConnectionDissectorTest.ext(43, new byte[] {3, 4})));
    assertThat(serverHelloRecord.length).isEqualTo(55);
    byte[] secret = new byte[32];
    Arrays.fill(secret, (byte) 0x44);
    byte[] record1 = Tls13Records.seal(secret, 0, new byte[] {8, 0, 0, 2, 0, 0, 11}, 22);
    byte[] record2 = Tls13Records.seal(secret, 1, new byte[] {0x10, 0, 0, 0}, 22);
    assertThat(record1.length).isEqualTo(29);
    TlsKeySource keys = random -> new TlsSecrets(random, null, null, secret, null, null, null, null);
    List<Object> events = List.of(ev(C, CLIENT_HELLO), ev(S, serverHelloRecord, record1, record2));
    for (Result r : bothWays(events, Limits.builder().maxTlsHandshakeMessageLength(1000).build(), keys)) {
      assertThat(r.malformation[1]).as(r.how).isEqualTo("LIMIT_EXCEEDED TLS 84");
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** A piece of one direction's stream: the concatenation of {@code parts}. */
  static Object[] ev(Direction d, byte[]... parts) {
    byte[] all = new byte[0];
    for (byte[] p : parts) {
      all = TlsConnectionDissectorTest.concat(all, p);
    }
    return new Object[] {d, all};
  }

  /** A gap of {@code length} bytes in {@code d}'s stream. */
  static Object[] gap(Direction d, long length) {
    return new Object[] {d, length};
  }

  /** The end of {@code d}'s stream. */
  static Object[] fin(Direction d) {
    return new Object[] {d, null};
  }

  static final class Result {
    String how;
    long[] plaintextOffset = new long[2];
    String[] malformation = new String[2];
  }

  /** The events fed whole, then in 1-byte pieces; both results must be the same. */
  static List<Result> bothWays(List<Object> events, Limits limits) {
    return bothWays(events, limits, TlsKeySource.NONE);
  }

  static List<Result> bothWays(List<Object> events, Limits limits, TlsKeySource keys) {
    Result whole = run(events, limits, keys, false);
    Result ones = run(events, limits, keys, true);
    assertThat(Arrays.toString(ones.plaintextOffset) + Arrays.toString(ones.malformation))
        .isEqualTo(Arrays.toString(whole.plaintextOffset) + Arrays.toString(whole.malformation));
    List<Result> out = new ArrayList<>();
    out.add(whole);
    out.add(ones);
    return out;
  }

  static Result run(List<Object> events, Limits limits, TlsKeySource keys, boolean oneByteAtATime) {
    TlsConnectionDissector d = new TlsConnectionDissector(limits, keys, null);
    byte[][] pending = {new byte[0], new byte[0]};
    Result r = new Result();
    r.how = oneByteAtATime ? "1-byte pieces" : "whole";
    try {
      for (Object o : events) {
        Object[] e = (Object[]) o;
        Direction dir = (Direction) e[0];
        int side = dir.ordinal();
        if (e[1] == null) {
          d.onFin(dir, 1);
        } else if (e[1] instanceof Long) {
          pending[side] = new byte[0]; // the reassembler drops what was left before a gap
          d.onGap(dir, 1, (Long) e[1]);
        } else {
          byte[] bytes = (byte[]) e[1];
          int step = oneByteAtATime ? 1 : Math.max(1, bytes.length);
          for (int at = 0; at < bytes.length; at += step) {
            byte[] offered = TlsConnectionDissectorTest.concat(pending[side],
                Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + step)));
            ByteBuf b = Unpooled.wrappedBuffer(offered);
            try {
              int used = d.onData(dir, 1, b);
              pending[side] = Arrays.copyOfRange(offered, used, offered.length);
            } finally {
              b.release();
            }
          }
        }
      }
      d.onClose(CloseReason.FIN, 2);
      TlsSession s = d.session();
      for (Direction dir : Direction.values()) {
        r.plaintextOffset[dir.ordinal()] = s.plaintextOffset(dir);
        MalformationReport m = s.malformation(dir);
        String text = m.malformation() + " " + m.layer() + " " + m.offset();
        if (m.requiredLength() >= 0) {
          text += " " + m.requiredLength() + "/" + m.availableLength();
        }
        r.malformation[dir.ordinal()] = m.isMalformed() ? text : "NONE";
      }
      return r;
    } finally {
      d.close();
    }
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
