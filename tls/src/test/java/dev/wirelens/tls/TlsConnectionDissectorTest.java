package dev.wirelens.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Layer;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-built record streams (RFC 8446 §4.1.2/§4.1.3 layouts written out byte by byte below) through one
 * TlsConnectionDissector. Expected values are the ones written into the bytes.
 */
class TlsConnectionDissectorTest {
  static final Direction C = Direction.CLIENT_TO_SERVER;
  static final Direction S = Direction.SERVER_TO_CLIENT;

  static byte[] record(int type, int version, byte[] fragment) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(type);
    o.write(version >> 8);
    o.write(version);
    o.write(fragment.length >> 8);
    o.write(fragment.length);
    o.writeBytes(fragment);
    return o.toByteArray();
  }

  static byte[] handshake(int type, byte[] body) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(type);
    o.write(body.length >> 16);
    o.write(body.length >> 8);
    o.write(body.length);
    o.writeBytes(body);
    return o.toByteArray();
  }

  static byte[] ext(int type, byte[] data) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(type >> 8);
    o.write(type);
    o.write(data.length >> 8);
    o.write(data.length);
    o.writeBytes(data);
    return o.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.writeBytes(p);
    }
    return o.toByteArray();
  }

  static byte[] u16list(byte[] content) {
    return concat(new byte[] {(byte) (content.length >> 8), (byte) content.length}, content);
  }

  static byte[] sni(String host) {
    byte[] h = host.getBytes(StandardCharsets.US_ASCII);
    return ext(0, u16list(concat(new byte[] {0, (byte) (h.length >> 8), (byte) h.length}, h)));
  }

  static byte[] alpn(String... protocols) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (String p : protocols) {
      o.write(p.length());
      o.writeBytes(p.getBytes(StandardCharsets.US_ASCII));
    }
    return ext(16, u16list(o.toByteArray()));
  }

  /** ClientHello: version 0x0303, random 32 x 0x11, session id 32 x 0x22, two suites, null compression. */
  static byte[] clientHello(byte[]... extensions) {
    byte[] random = new byte[32];
    java.util.Arrays.fill(random, (byte) 0x11);
    byte[] sid = new byte[32];
    java.util.Arrays.fill(sid, (byte) 0x22);
    return handshake(1, concat(new byte[] {3, 3}, random, new byte[] {32}, sid,
        new byte[] {0, 4, (byte) 0xC0, 0x2F, 0x13, 0x01}, new byte[] {1, 0}, u16list(concat(extensions))));
  }

  /** ServerHello: version 0x0303, random 32 x 0x33, session id {@code sid}, suite, null compression. */
  static byte[] serverHello(byte[] sid, int suite, byte[]... extensions) {
    byte[] random = new byte[32];
    java.util.Arrays.fill(random, (byte) 0x33);
    return handshake(2, concat(new byte[] {3, 3}, random, new byte[] {(byte) sid.length}, sid,
        new byte[] {(byte) (suite >> 8), (byte) suite, 0}, u16list(concat(extensions))));
  }

  static int feed(TlsConnectionDissector d, Direction dir, byte[] bytes) {
    ByteBuf b = Unpooled.wrappedBuffer(bytes);
    try {
      return d.onData(dir, 1, b);
    } finally {
      b.release();
    }
  }

  @Test
  void helloFactsReachTheSession() {
    TlsConnectionDissector d = new TlsConnectionDissector(Limits.defaults(), TlsKeySource.NONE, null);
    feed(d, C, record(22, 0x0301, clientHello(sni("example.com"), alpn("h2", "http/1.1"))));
    feed(d, S, record(22, 0x0303, serverHello(new byte[0], 0xC02F, alpn("h2"))));
    d.onClose(CloseReason.FIN, 2);
    TlsSession s = d.session();
    assertThat(s.isTls()).isTrue();
    assertThat(s.version()).isEqualTo(0x0303);
    assertThat(s.versionName()).isEqualTo("TLSv1.2");
    assertThat(s.cipherSuite()).isEqualTo(0xC02F);
    assertThat(s.cipherSuiteName()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    assertThat(s.sni()).isEqualTo("example.com");
    assertThat(s.alpnOffered()).containsExactly("h2", "http/1.1");
    assertThat(s.alpn()).isEqualTo("h2");
    assertThat(s.helloRetryRequest()).isFalse();
    assertThat(s.resumed()).isFalse();
    assertThat(s.handshakeComplete()).isFalse();
    assertThat(s.plaintextApplicationData()).isFalse();
  }

  @Test
  void echoedSessionIdWithoutCertificateIsAResumption() {
    byte[] sid = new byte[32];
    java.util.Arrays.fill(sid, (byte) 0x22);
    TlsConnectionDissector d = new TlsConnectionDissector(Limits.defaults(), TlsKeySource.NONE, null);
    feed(d, C, record(22, 0x0301, clientHello()));
    feed(d, S, concat(record(22, 0x0303, serverHello(sid, 0xC02F)), record(20, 0x0303, new byte[] {1}),
        record(22, 0x0303, new byte[40])));
    feed(d, C, concat(record(20, 0x0303, new byte[] {1}), record(22, 0x0303, new byte[40])));
    feed(d, C, record(23, 0x0303, new byte[30]));
    feed(d, S, record(23, 0x0303, new byte[30]));
    d.onClose(CloseReason.FIN, 2);
    TlsSession s = d.session();
    assertThat(s.resumed()).isTrue();
    assertThat(s.handshakeComplete()).as("application data both ways without keys").isTrue();
    assertThat(s.decryptionProblem(C)).isEqualTo(DecryptionProblem.NO_KEY);
    assertThat(s.decrypted()).isFalse();
    assertThat(s.plaintextApplicationData()).isFalse();
  }

  @Test
  void helloRetryRequestIsRecognisedByItsRandom() {
    // RFC 8446 §4.1.3: the HelloRetryRequest random is SHA-256("HelloRetryRequest")
    byte[] hrr = dev.wirelens.testkit.Hex.decode("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");
    byte[] body = concat(new byte[] {3, 3}, hrr, new byte[] {0, 0x13, 0x01, 0},
        u16list(ext(43, new byte[] {3, 4})));
    TlsConnectionDissector d = new TlsConnectionDissector(Limits.defaults(), TlsKeySource.NONE, null);
    feed(d, C, record(22, 0x0301, clientHello()));
    feed(d, S, record(22, 0x0303, handshake(2, body)));
    d.onClose(CloseReason.FIN, 2);
    assertThat(d.session().helloRetryRequest()).isTrue();
    assertThat(d.session().version()).isEqualTo(-1);
  }

  @Test
  void changeCipherSpecAfterAHelloRetryRequestDoesNotHideTheSecondClientHello() {
    // RFC 8446 §D.4: a client in middlebox compatibility mode sends ChangeCipherSpec before its second ClientHello
    byte[] hrr = dev.wirelens.testkit.Hex.decode("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");
    byte[] body = concat(new byte[] {3, 3}, hrr, new byte[] {0, 0x13, 0x01, 0},
        u16list(ext(43, new byte[] {3, 4})));
    TlsConnectionDissector d = new TlsConnectionDissector(Limits.defaults(), TlsKeySource.NONE, null);
    feed(d, C, record(22, 0x0301, clientHello(sni("first.example"))));
    feed(d, S, record(22, 0x0303, handshake(2, body)));
    feed(d, C, concat(record(20, 0x0303, new byte[] {1}), record(22, 0x0303, clientHello(sni("first.example")))));
    feed(d, S, record(22, 0x0303, serverHello(new byte[0], 0x1301, ext(43, new byte[] {3, 4}))));
    d.onClose(CloseReason.FIN, 2);
    TlsSession s = d.session();
    assertThat(s.helloRetryRequest()).isTrue();
    assertThat(s.version()).isEqualTo(0x0304);
    assertThat(s.decryptionProblem(C)).isEqualTo(DecryptionProblem.NO_KEY);
    assertThat(s.malformation(C).isMalformed()).isFalse();
  }

  @Test
  void plaintextAlertIsReportedWithLevelAndName() {
    TlsConnectionDissector d = new TlsConnectionDissector(Limits.defaults(), TlsKeySource.NONE, null);
    feed(d, C, record(22, 0x0301, clientHello()));
    feed(d, S, record(21, 0x0303, new byte[] {2, 40}));
    d.onClose(CloseReason.FIN, 2);
    List<TlsAlert> alerts = d.session().alerts();
    assertThat(alerts).containsExactly(new TlsAlert(S, 2, 40));
    assertThat(alerts.get(0).levelName()).isEqualTo("fatal");
    assertThat(alerts.get(0).name()).isEqualTo("handshake_failure");
  }

  @Test
  void streamThatIsNotTlsFromItsFirstByteIsPlaintext() {
    TlsConnectionDissector d = new TlsConnectionDissector(Limits.defaults(), TlsKeySource.NONE, null);
    feed(d, C, "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    d.onClose(CloseReason.FIN, 2);
    assertThat(d.session().isTls()).isFalse();
    assertThat(d.session().plaintextOffset(C)).isZero();
  }

  @Test
  void streamThatStopsLookingLikeTlsIsPlaintextFromThatOffset() {
    TlsConnectionDissector d = new TlsConnectionDissector(Limits.defaults(), TlsKeySource.NONE, null);
    byte[] hello = record(22, 0x0301, clientHello());
    feed(d, C, concat(hello, "HELLO WORLD".getBytes(StandardCharsets.US_ASCII)));
    d.onClose(CloseReason.FIN, 2);
    TlsSession s = d.session();
    assertThat(s.isTls()).isTrue();
    assertThat(s.plaintextOffset(C)).isEqualTo(hello.length);
    // "HELLO" as a record header has length 0x4c4f, more than any TLS record may have (RFC 5246 §6.2.3): not a
    // cap hit
    assertThat(s.malformation(C).malformation()).isEqualTo(Malformation.BAD_LENGTH_FIELD);
    assertThat(s.malformation(C).offset()).isEqualTo(hello.length + 3);
    assertThat(s.plaintextApplicationData()).isTrue();
  }

  @Test
  void recordHeaderThatIsNotTlsMidwayIsPlaintext() {
    TlsConnectionDissector d = new TlsConnectionDissector(Limits.defaults(), TlsKeySource.NONE, null);
    byte[] hello = record(22, 0x0301, clientHello());
    feed(d, C, hello);
    feed(d, S, record(22, 0x0303, serverHello(new byte[0], 0xC02F)));
    feed(d, C, "HI\0\0\2ab".getBytes(StandardCharsets.US_ASCII));
    d.onClose(CloseReason.FIN, 2);
    assertThat(d.session().plaintextOffset(C)).isEqualTo(hello.length);
    // "HI\0" as a header: type 0x48, legacy_record_version 0x4900, whose major byte is not 3 (RFC 5246 Appendix E);
    // the same report whether or not the record the header announces is complete (PlaintextAfterHandshakeTest)
    assertThat(d.session().malformation(C).malformation()).isEqualTo(Malformation.BAD_VERSION);
    assertThat(d.session().malformation(C).layer()).isEqualTo(Layer.TLS);
    assertThat(d.session().malformation(C).offset()).isEqualTo(hello.length + 1);
  }

  @Test
  void applicationDataBeforeEncryptionIsPlaintext() {
    TlsConnectionDissector d = new TlsConnectionDissector(Limits.defaults(), TlsKeySource.NONE, null);
    feed(d, C, record(23, 0x0303, new byte[] {1, 2, 3}));
    d.onClose(CloseReason.FIN, 2);
    assertThat(d.session().plaintextApplicationData()).isTrue();
  }

  @Test
  void recordLongerThanLimitIsMalformed() {
    TlsConnectionDissector d = new TlsConnectionDissector(Limits.builder().maxTlsRecordLength(100).build(),
        TlsKeySource.NONE, null);
    feed(d, C, record(22, 0x0301, clientHello()));
    int helloLength = record(22, 0x0301, clientHello()).length;
    feed(d, S, new byte[] {23, 3, 3, 0, (byte) 200});
    d.onClose(CloseReason.FIN, 2);
    assertThat(d.session().malformation(S).malformation()).isEqualTo(Malformation.LIMIT_EXCEEDED);
    assertThat(d.session().malformation(S).layer()).isEqualTo(Layer.TLS);
    assertThat(d.session().malformation(S).offset()).isEqualTo(3);
    assertThat(d.session().malformation(C).isMalformed()).as(helloLength + " byte hello").isFalse();
  }

  @Test
  void firstHandshakeMessageThatCannotBeAHelloIsBadLengthNotALimitHit() {
    // random bytes in a handshake record (as the benchmarks' synthetic capture writes): msg_type 0x5a, length
    // 0xabcdef, over the 256 KiB cap but not a ClientHello, which comes first (RFC 8446 §4.1.1)
    TlsConnectionDissector d = new TlsConnectionDissector(Limits.defaults(), TlsKeySource.NONE, null);
    feed(d, C, record(22, 0x0301, new byte[] {0x5a, (byte) 0xab, (byte) 0xcd, (byte) 0xef, 1, 2, 3}));
    d.onClose(CloseReason.FIN, 2);
    assertThat(d.session().malformation(C).malformation()).isEqualTo(Malformation.BAD_LENGTH_FIELD);
    assertThat(d.session().malformation(C).layer()).isEqualTo(Layer.TLS);
    assertThat(d.session().malformation(C).offset()).isEqualTo(5 + 1); // stream offset: record header, msg_type
  }

  @Test
  void encryptedFinishedOfAStreamJoinedMidwayIsBadLengthNotALimitHit() {
    // as pcapplusplus SSL-MultipleRecords2.pcap (tshark: Client Key Exchange, Change Cipher Spec, Encrypted
    // Handshake Message): no ClientHello, so the ChangeCipherSpec switches nothing and the encrypted Finished is
    // read as a handshake header, here msg_type 0xc4, length 0x9e0d11
    TlsConnectionDissector d = new TlsConnectionDissector(Limits.defaults(), TlsKeySource.NONE, null);
    byte[] cke = handshake(16, new byte[] {0, 2, 9, 9});
    feed(d, C, concat(record(22, 0x0303, cke), record(20, 0x0303, new byte[] {1}),
        record(22, 0x0303, new byte[] {(byte) 0xc4, (byte) 0x9e, 0x0d, 0x11, 5, 6, 7, 8})));
    d.onClose(CloseReason.FIN, 2);
    assertThat(d.session().malformation(C).malformation()).isEqualTo(Malformation.BAD_LENGTH_FIELD);
    // stream offset: the ClientKeyExchange record (5 + 8), the ChangeCipherSpec record (5 + 1), a record header 5,
    // msg_type 1
    assertThat(cke.length).isEqualTo(8);
    assertThat(d.session().malformation(C).offset()).isEqualTo(13 + 6 + 5 + 1);
  }

  @Test
  void clientHelloLongerThanAnyHelloCanBeIsBadLengthNotALimitHit() {
    // 0x040001 = 262,145 > the 256 KiB cap and > 131,396, the longest ClientHello body RFC 8446 §4.1.2 allows
    TlsConnectionDissector d = new TlsConnectionDissector(Limits.defaults(), TlsKeySource.NONE, null);
    feed(d, C, record(22, 0x0301, new byte[] {1, 4, 0, 1, 3, 3}));
    d.onClose(CloseReason.FIN, 2);
    assertThat(d.session().malformation(C).malformation()).isEqualTo(Malformation.BAD_LENGTH_FIELD);
    assertThat(d.session().malformation(C).offset()).isEqualTo(5 + 1); // record header, msg_type
  }

  @Test
  void clientHelloLongerThanALoweredLimitIsLimitExceeded() {
    TlsConnectionDissector d = new TlsConnectionDissector(
        Limits.builder().maxTlsHandshakeMessageLength(50).build(), TlsKeySource.NONE, null);
    feed(d, C, record(22, 0x0301, clientHello()));
    d.onClose(CloseReason.FIN, 2);
    assertThat(d.session().malformation(C).malformation()).isEqualTo(Malformation.LIMIT_EXCEEDED);
    assertThat(d.session().malformation(C).offset()).isEqualTo(5 + 1); // record header, msg_type
  }

  @Test
  void certificateLongerThanLimitAfterServerHelloIsLimitExceeded() {
    TlsConnectionDissector d = new TlsConnectionDissector(
        Limits.builder().maxTlsHandshakeMessageLength(1000).build(), TlsKeySource.NONE, null);
    feed(d, C, record(22, 0x0301, clientHello()));
    byte[] serverHello = serverHello(new byte[0], 0xC02F);
    feed(d, S, record(22, 0x0303, concat(serverHello, new byte[] {11, 0, 0x10, 0, 0, 0})));
    d.onClose(CloseReason.FIN, 2);
    assertThat(d.session().malformation(S).malformation()).isEqualTo(Malformation.LIMIT_EXCEEDED);
    // stream offset: record header 5, the ServerHello message 44 (4 + 40), msg_type 1
    assertThat(serverHello.length).isEqualTo(44);
    assertThat(d.session().malformation(S).offset()).isEqualTo(5 + 44 + 1);
  }

  @Test
  void tls12RecordOverTheTls13LimitIsLimitExceeded() {
    // 2^14 + 2048 = 18,432 is allowed by RFC 5246 §6.2.3 but over the default cap of 2^14 + 256 (RFC 8446 §5.2)
    TlsConnectionDissector d = new TlsConnectionDissector(Limits.defaults(), TlsKeySource.NONE, null);
    byte[] hello = record(22, 0x0301, clientHello());
    feed(d, C, concat(hello, new byte[] {23, 3, 3, 0x48, 0}));
    d.onClose(CloseReason.FIN, 2);
    assertThat(d.session().malformation(C).malformation()).isEqualTo(Malformation.LIMIT_EXCEEDED);
    assertThat(d.session().malformation(C).offset()).isEqualTo(hello.length + 3);
  }

  @Test
  void recordHeaderLongerThanAnyTlsVersionAllowsIsBadLengthNotALimitHit() {
    // as the zeek tls1.2-late-protocol-error.pcap client: 14 ffff ff01 after its ClientKeyExchange
    TlsConnectionDissector d = new TlsConnectionDissector(Limits.defaults(), TlsKeySource.NONE, null);
    byte[] hello = record(22, 0x0301, clientHello());
    feed(d, C, concat(hello, new byte[] {20, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 1}));
    d.onClose(CloseReason.FIN, 2);
    assertThat(d.session().malformation(C).malformation()).isEqualTo(Malformation.BAD_LENGTH_FIELD);
    assertThat(d.session().malformation(C).layer()).isEqualTo(Layer.TLS);
    assertThat(d.session().malformation(C).offset()).isEqualTo(hello.length + 3);
  }

  @Test
  void recordCutShortByFinIsTruncated() {
    TlsConnectionDissector d = new TlsConnectionDissector(Limits.defaults(), TlsKeySource.NONE, null);
    feed(d, C, new byte[] {22, 3, 1, 0, 50, 1, 0});
    d.onFin(C, 2);
    d.onClose(CloseReason.FIN, 3);
    assertThat(d.session().malformation(C).malformation()).isEqualTo(Malformation.TRUNCATED);
    assertThat(d.session().malformation(C).offset()).isZero();
  }

  @Test
  void firstBytesTooFewToDecideAreLeftUnconsumed() {
    TlsConnectionDissector d = new TlsConnectionDissector(Limits.defaults(), TlsKeySource.NONE, null);
    assertThat(feed(d, C, new byte[] {22, 3})).isZero();
    byte[] hello = record(22, 0x0301, clientHello(sni("a.example")));
    assertThat(feed(d, C, hello)).isEqualTo(hello.length);
    d.onClose(CloseReason.FIN, 2);
    assertThat(d.session().sni()).isEqualTo("a.example");
  }

  @Test
  void garbageNeverThrows() {
    java.util.Random r = new java.util.Random(42);
    for (int i = 0; i < 2000; i++) {
      TlsConnectionDissector d = new TlsConnectionDissector(Limits.defaults(), TlsKeySource.NONE, null);
      byte[] b = new byte[r.nextInt(300)];
      r.nextBytes(b);
      if (b.length > 5) {
        b[0] = 22;
        b[1] = 3;
        b[2] = 1;
      }
      feed(d, r.nextBoolean() ? C : S, b);
      if (r.nextBoolean()) {
        d.onGap(C, 1, 10);
      }
      feed(d, C, b);
      d.onClose(CloseReason.RST, 2);
      assertThat(d.session()).isNotNull();
    }
  }

  @Test
  void tlsThatStopsLookingLikeTlsStaysPlaintextWhateverTheSegmentBoundaries() {
    // found by TlsConnectionDissectorFuzzTest: an alert record, a record with content type 0xff (not TLS any more),
    // then bytes holding a ServerHello record header. Whole, those bytes were buffered behind the bad record and
    // dropped; in a later segment they were searched for a hello and read as TLS again.
    byte[] alert = dev.wirelens.testkit.Hex.decode("15 0303 0002 0128");
    byte[] bad = dev.wirelens.testkit.Hex.decode("ff 0303 0001 00");
    byte[] later = dev.wirelens.testkit.Hex.decode("16 0303 0026 02 000022 0303" + "00".repeat(32) + "00 1301 00");
    String whole = serverSession(alert, concat(bad, later));
    String split = serverSession(alert, bad, later);
    assertThat(split).isEqualTo(whole);
    assertThat(whole).startsWith("-1 7 "); // no version learnt; plaintext from the bad record (offset 7)
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static String serverSession(byte[]... segments) {
    TlsConnectionDissector tls = new TlsConnectionDissector(Limits.defaults(), TlsKeySource.NONE, null);
    try {
      for (byte[] segment : segments) {
        ByteBuf b = Unpooled.wrappedBuffer(segment);
        try {
          tls.onData(Direction.SERVER_TO_CLIENT, 1, b);
        } finally {
          b.release();
        }
      }
      TlsSession s = tls.session();
      return s.version() + " " + s.plaintextOffset(Direction.SERVER_TO_CLIENT) + " " + s.cipherSuite() + " "
          + s.malformation(Direction.SERVER_TO_CLIENT);
    } finally {
      tls.close();
    }
  }
}
