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
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The rule "a record header that cannot start a TLS record ends TLS" (RFC 8446 §5.1, RFC 5246 §6.2.1 and Appendix E:
 * legacy_record_version's major byte is 3; content types 20..25, the ones tshark 4.0.17 frames over TCP), applied to
 * both directions after a TLS 1.2 handshake, whether or not the record the header announces ever completes, and
 * whatever the segmentation. Expected offsets are the positions written into the hand-built streams below; the content
 * types tshark frames were checked with tshark 4.0.17 on hand-built captures (types 24 and 25 reassembled as records,
 * 26 and 27 "Ignored Unknown Record").
 */
class PlaintextAfterHandshakeTest {
  static final Direction C = Direction.CLIENT_TO_SERVER;
  static final Direction S = Direction.SERVER_TO_CLIENT;
  static final byte[] CLIENT_HELLO = record(22, 0x0301, clientHello());
  static final byte[] SERVER_HELLO = record(22, 0x0303, serverHello(new byte[0], 0xC02F));
  /** "GET /" read as a header: type 0x47, version 0x4554, length 0x202f (8,239), a length TLS allows. */
  static final byte[] GET = ascii("GET /secret HTTP/1.1\r\nHost: x\r\n\r\n");
  /** "220 m" read as a header: type 0x32, version 0x3230, length 0x206d (8,301). */
  static final byte[] SMTP_GREETING = ascii("220 mail.example ESMTP ready\r\n");
  /** "HTTP/" read as a header: type 0x48, version 0x5454, length 0x502f (20,527), more than TLS allows. */
  static final byte[] HTTP_RESPONSE = ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

  @Test
  void plaintextFromTheClientAfterTheHandshakeIsPlaintextFromItsFirstByte() {
    Result r = run(List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO), ev(C, GET)), whole());
    assertThat(r.plaintextOffset[0]).isEqualTo(CLIENT_HELLO.length);
    assertThat(r.plaintextOffset[1]).isEqualTo(-1);
    assertThat(r.malformation[0]).isEqualTo("BAD_VERSION TLS " + (CLIENT_HELLO.length + 1));
    assertThat(r.malformation[1]).isEqualTo("NONE");
    assertThat(r.plaintextApplicationData).isTrue();
    assertThat(r.heldAfterData).as("nothing waits for the 8,239 bytes the header announced").isZero();
  }

  @Test
  void plaintextFromTheServerAfterTheHandshakeIsPlaintextFromItsFirstByte() {
    Result r = run(List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO), ev(S, SMTP_GREETING)), whole());
    assertThat(r.plaintextOffset[0]).isEqualTo(-1);
    assertThat(r.plaintextOffset[1]).isEqualTo(SERVER_HELLO.length);
    assertThat(r.malformation[1]).isEqualTo("BAD_VERSION TLS " + (SERVER_HELLO.length + 1));
    assertThat(r.plaintextApplicationData).isTrue();
    assertThat(r.heldAfterData).isZero();
  }

  @Test
  void bothDirectionsFollowTheSameRule() {
    for (byte[] plain : List.of(GET, SMTP_GREETING, HTTP_RESPONSE)) {
      Result fromClient = run(List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO), ev(C, plain)), whole());
      Result fromServer = run(List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO), ev(S, plain)), whole());
      String what = new String(plain, 0, 5, StandardCharsets.US_ASCII);
      assertThat(fromClient.plaintextOffset[0] - CLIENT_HELLO.length).as(what).isZero();
      assertThat(fromServer.plaintextOffset[1] - SERVER_HELLO.length).as(what).isZero();
      assertThat(relative(fromClient.malformation[0], CLIENT_HELLO.length)).as(what)
          .isEqualTo(relative(fromServer.malformation[1], SERVER_HELLO.length));
      assertThat(fromClient.plaintextApplicationData).as(what).isTrue();
      assertThat(fromServer.plaintextApplicationData).as(what).isTrue();
    }
  }

  @Test
  void aLengthNoTlsVersionAllowsIsCheckedBeforeTheVersion() {
    // the record reader judges the length first (RFC 5246 §6.2.3: at most 2^14 + 2048), in every segmentation
    Result r = run(List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO), ev(S, HTTP_RESPONSE)), whole());
    assertThat(r.plaintextOffset[1]).isEqualTo(SERVER_HELLO.length);
    assertThat(r.malformation[1]).isEqualTo("BAD_LENGTH_FIELD TLS " + (SERVER_HELLO.length + 3));
  }

  @Test
  void anUnknownContentTypeWithVersionMajorThreeIsPlaintextWithoutAMalformation() {
    // 26 (ACK) is registered for DTLS 1.3 only; tshark 4.0.17 shows it over TCP as "Ignored Unknown Record"
    byte[] header = {26, 3, 3, 0x10, 0};
    Result r = run(List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO), ev(C, header)), whole());
    assertThat(r.plaintextOffset[0]).isEqualTo(CLIENT_HELLO.length);
    assertThat(r.malformation[0]).isEqualTo("NONE");
  }

  @Test
  void plaintextSplitAtEveryIndexOrInOneBytePiecesGivesTheSameResult() {
    for (List<Event> events : List.of(
        List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO), ev(C, GET)),
        List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO), ev(S, SMTP_GREETING)),
        List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO), ev(S, HTTP_RESPONSE)),
        List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO), ev(C, concat(record(23, 0x0303, new byte[40]), GET))))) {
      String expected = run(events, whole()).facts();
      assertThat(run(events, PlaintextAfterHandshakeTest::oneBytePieces).facts()).isEqualTo(expected);
      int longest = events.stream().mapToInt(e -> e.bytes.length).max().orElse(0);
      for (int at = 1; at < longest; at++) {
        int k = at;
        assertThat(run(events, n -> new int[] {k, n}).facts()).as("split at " + k).isEqualTo(expected);
      }
    }
  }

  @Test
  void aRecordWhoseHeaderIsTlsStillWaitsForItsFragment() {
    // no false positive on the records of a TLS connection: application data (23), a heartbeat (24, RFC 6520), a
    // tls12_cid record (25, RFC 9146: tshark frames it), a TLS 1.3 middlebox-compatibility ChangeCipherSpec (0x0303)
    byte[][] headers = {{23, 3, 3, 0x10, 0}, {24, 3, 3, 0, 40}, {25, 3, 3, 0, 40}, {20, 3, 3, 0, 1}, {22, 3, 1, 0, 9}};
    for (byte[] header : headers) {
      Result r = run(List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO), ev(C, header), ev(S, header)), whole());
      assertThat(r.plaintextOffset).as("type " + header[0]).containsExactly(-1, -1);
      assertThat(r.malformation).as("type " + header[0]).containsExactly("NONE", "NONE");
      assertThat(r.plaintextApplicationData).as("type " + header[0]).isFalse();
    }
  }

  @Test
  void aCompleteTls12CidRecordIsATlsRecordNotPlaintext() {
    byte[] cid = record(25, 0x0303, new byte[40]);
    Result r = run(List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO), ev(C, cid), ev(S, cid)), whole());
    assertThat(r.plaintextOffset).containsExactly(-1, -1);
    assertThat(r.malformation).containsExactly("NONE", "NONE");
  }

  @Test
  void anSslv2CompatibleClientHelloStillBeingReceivedIsNotPlaintext() {
    // RFC 5246 Appendix E.2: 2-byte header, high bit set (0x80 0x2e: 46 bytes), msg_type 1, version 0x0301, ...
    byte[] start = {(byte) 0x80, 0x2e, 1, 3, 1, 0, 0x15, 0, 0, 0, 0x10};
    Result r = run(List.of(ev(C, start)), whole());
    assertThat(r.plaintextOffset).containsExactly(-1, -1);
    assertThat(r.malformation[0]).isEqualTo("NONE");
  }

  @Test
  void aGenuineSslv2ConnectionsRecordWithTheThreeByteHeaderIsNotPlaintext() {
    // RFC 6101 Appendix E (SSL 2.0), the layout of corpus zeek/tls/ssl-v2.pcap: CLIENT-HELLO (msg_type 1, version
    // 0x0002, cipher specs 21, session id 0, challenge 16), SERVER-HELLO (msg_type 4, hit 0, certificate type 1,
    // version 0x0002, certificate 0, cipher specs 3, connection id 16), then a record with the 3-byte header (high
    // bit clear, length 0x0028, padding 7), which read as a TLS header is type 0, version 0x2807, length 0x3edf
    byte[] clientHello = concat(fromHex("802e 01 0002 0015 0000 0010 0700c0 050080 030080 010080 060040 040080 020080"),
        new byte[16]);
    byte[] serverHello = concat(fromHex("801e 04 00 01 0002 0000 0003 0010 0700c0"), new byte[16]);
    byte[] threeByteHeader = concat(fromHex("0028 07"), new byte[20]);
    for (byte[] later : List.of(threeByteHeader, concat(threeByteHeader, new byte[0x3edf]))) {
      Result r = run(List.of(ev(C, clientHello), ev(S, serverHello), ev(C, later), ev(S, later)), whole());
      assertThat(r.plaintextOffset).containsExactly(-1, -1);
      assertThat(r.plaintextApplicationData).isFalse();
    }
  }

  @Test
  void aNonTlsHeaderCutBeforeItsFifthByteThenFinIsPlaintext() {
    // "GE" cannot start a record: type 0x47; from 2 bytes on, version major 0x45 (the 5-byte rule's BAD_VERSION);
    // the server's "22" likewise (type 0x32, major 0x32)
    for (int n = 1; n <= 4; n++) {
      Result c = run(List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO), ev(C, Arrays.copyOf(GET, n)), fin(C)), whole());
      assertThat(c.plaintextOffset).as("%d bytes", n).containsExactly(CLIENT_HELLO.length, -1);
      assertThat(c.malformation[0]).as("%d bytes", n)
          .isEqualTo(n == 1 ? "NONE" : "BAD_VERSION TLS " + (CLIENT_HELLO.length + 1));
      assertThat(c.plaintextApplicationData).isTrue();
      Result s = run(List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO), ev(S, Arrays.copyOf(SMTP_GREETING, n)),
          fin(S)), whole());
      assertThat(s.plaintextOffset).as("%d bytes", n).containsExactly(-1, SERVER_HELLO.length);
      assertThat(s.malformation[1]).as("%d bytes", n)
          .isEqualTo(n == 1 ? "NONE" : "BAD_VERSION TLS " + (SERVER_HELLO.length + 1));
    }
  }

  @Test
  void aCutHeaderWhoseTypeFitsButWhoseVersionDoesNotIsPlaintext() {
    byte[] header = {23, 0x45};
    Result r = run(List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO), ev(C, header), fin(C)), whole());
    assertThat(r.plaintextOffset[0]).isEqualTo(CLIENT_HELLO.length);
    assertThat(r.malformation[0]).isEqualTo("BAD_VERSION TLS " + (CLIENT_HELLO.length + 1));
  }

  @Test
  void aTlsRecordHeaderCutBeforeItsFifthByteThenFinStaysTruncated() {
    byte[][] headers = {{23, 3, 3, 0x10, 0}, {21, 3, 1, 0, 2}, {25, 3, 3, 0, 40}};
    for (byte[] header : headers) {
      for (int n = 1; n <= 4; n++) {
        Result r = run(List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO), ev(C, Arrays.copyOf(header, n)), fin(C)),
            whole());
        assertThat(r.plaintextOffset).as("type %d, %d bytes", header[0], n).containsExactly(-1, -1);
        assertThat(r.malformation[0]).as("type %d, %d bytes", header[0], n)
            .isEqualTo("TRUNCATED TLS " + CLIENT_HELLO.length);
        assertThat(r.plaintextApplicationData).isFalse();
      }
    }
  }

  @Test
  void aCutHeaderThenFinGivesTheSameResultInEverySplit() {
    for (byte[] cut : List.of(Arrays.copyOf(GET, 4), new byte[] {23, 3, 3, 0x10})) {
      byte[] tail = concat(record(23, 0x0303, new byte[40]), cut);
      List<Event> events = List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO), ev(C, tail), fin(C));
      String expected = run(events, whole()).facts();
      assertThat(run(events, PlaintextAfterHandshakeTest::oneBytePieces).facts()).isEqualTo(expected);
      for (int at = 1; at < CLIENT_HELLO.length; at++) {
        int k = at;
        assertThat(run(events, n -> new int[] {k, n}).facts()).as("split at " + k).isEqualTo(expected);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  static byte[] fromHex(String hex) {
    return java.util.HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  record Event(Direction dir, byte[] bytes) {}

  static Event ev(Direction d, byte[] bytes) {
    return new Event(d, bytes);
  }

  /** A FIN from {@code d}: its stream ends. */
  static Event fin(Direction d) {
    return new Event(d, null);
  }

  /** Each event's bytes in one piece. */
  static IntFunction<int[]> whole() {
    return n -> new int[] {n};
  }

  /** What the session says after the events and a close (before the close, what the dissector holds). */
  static final class Result {
    long[] plaintextOffset = new long[2];
    String[] malformation = new String[2];
    boolean plaintextApplicationData;
    long heldAfterData;

    String facts() {
      return Arrays.toString(plaintextOffset) + " " + Arrays.toString(malformation) + " " + plaintextApplicationData;
    }
  }

  static int[] oneBytePieces(int n) {
    int[] ones = new int[n];
    Arrays.fill(ones, 1);
    return ones;
  }

  /**
   * Feeds each event's bytes in pieces of the lengths {@code pieces} gives (cut to what is left),
   * re-offering unconsumed bytes with the next piece as the TCP reassembler does, then closes.
   */
  static Result run(List<Event> events, IntFunction<int[]> pieces) {
    TlsConnectionDissector d = new TlsConnectionDissector(Limits.defaults(), TlsKeySource.NONE, null);
    byte[][] pending = {new byte[0], new byte[0]};
    Result r = new Result();
    try {
      for (Event e : events) {
        if (e.bytes == null) {
          d.onFin(e.dir, 1);
          continue;
        }
        int at = 0;
        for (int size : pieces.apply(e.bytes.length)) {
          int k = Math.min(size, e.bytes.length - at);
          if (k <= 0) {
            continue;
          }
          int side = e.dir.ordinal();
          byte[] offered = concat(pending[side], Arrays.copyOfRange(e.bytes, at, at + k));
          ByteBuf b = Unpooled.wrappedBuffer(offered);
          try {
            int used = d.onData(e.dir, 1, b);
            pending[side] = Arrays.copyOfRange(offered, used, offered.length);
          } finally {
            b.release();
          }
          at += k;
        }
      }
      r.heldAfterData = d.retainedBytes();
      d.onClose(CloseReason.FIN, 2);
      TlsSession s = d.session();
      for (Direction dir : Direction.values()) {
        r.plaintextOffset[dir.ordinal()] = s.plaintextOffset(dir);
        MalformationReport m = s.malformation(dir);
        r.malformation[dir.ordinal()] = m.isMalformed() ? m.malformation() + " " + m.layer() + " " + m.offset()
            : "NONE";
      }
      r.plaintextApplicationData = s.plaintextApplicationData();
      return r;
    } finally {
      d.close();
    }
  }

  static String relative(String malformation, long base) {
    String[] f = malformation.split(" ");
    return f.length < 3 ? malformation : f[0] + " " + f[1] + " +" + (Long.parseLong(f[2]) - base);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] o = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, o, a.length, b.length);
    return o;
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
