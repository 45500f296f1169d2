package dev.wirelens.tls.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.testkit.BufferShape;
import dev.wirelens.testkit.Hex;
import dev.wirelens.tls.ExtensionTypes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Messages built by hand from the structures of RFC 8446 / 5246 and the extension RFCs; the expected values are
 * the values put in.
 */
class HandBuiltHandshakeTest {
  static final String RANDOM = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
  /** SHA-256("HelloRetryRequest"), RFC 8446 §4.1.3. */
  static final String HRR_RANDOM = "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c";

  /** A ClientHello as a modern browser sends it, GREASE included, with PSK and ECH. */
  static byte[] browserHello() {
    Bytes ext = Bytes.of()
        .ext(0x1a1a, Bytes.of())                                                     // GREASE extension
        .ext(ExtensionTypes.SERVER_NAME, Bytes.of().vec16(Bytes.of().u8(0).vec16(Bytes.of().ascii("a.example"))))
        .ext(ExtensionTypes.EXTENDED_MASTER_SECRET, Bytes.of())
        .ext(ExtensionTypes.RENEGOTIATION_INFO, Bytes.of().vec8(Bytes.of()))
        .ext(ExtensionTypes.SUPPORTED_GROUPS, Bytes.of().vec16(Bytes.of().u16(0x2a2a).u16(0x001d).u16(0x0017)))
        .ext(ExtensionTypes.EC_POINT_FORMATS, Bytes.of().vec8(Bytes.of().u8(0)))
        .ext(ExtensionTypes.SESSION_TICKET, Bytes.of())
        .ext(ExtensionTypes.APPLICATION_LAYER_PROTOCOL_NEGOTIATION,
            Bytes.of().vec16(Bytes.of().vec8(Bytes.of().ascii("h2")).vec8(Bytes.of().ascii("http/1.1"))))
        .ext(ExtensionTypes.STATUS_REQUEST, Bytes.of().u8(1).u16(0).u16(0))
        .ext(ExtensionTypes.SIGNATURE_ALGORITHMS, Bytes.of().vec16(Bytes.of().u16(0x0403).u16(0x0804)))
        .ext(ExtensionTypes.ENCRYPT_THEN_MAC, Bytes.of())
        .ext(ExtensionTypes.KEY_SHARE, Bytes.of().vec16(Bytes.of()
            .u16(0x2a2a).vec16(Bytes.of().u8(0))
            .u16(0x001d).vec16(Bytes.of().raw(new byte[32]))))
        .ext(ExtensionTypes.PSK_KEY_EXCHANGE_MODES, Bytes.of().vec8(Bytes.of().u8(0x0b).u8(1)))
        .ext(ExtensionTypes.SUPPORTED_VERSIONS, Bytes.of().vec8(Bytes.of().u16(0x3a3a).u16(0x0304).u16(0x0303)))
        .ext(ExtensionTypes.ENCRYPTED_CLIENT_HELLO, Bytes.of().u8(0).u16(1).u16(1).u8(7)
            .vec16(Bytes.of().raw(new byte[32])).vec16(Bytes.of().raw(new byte[16])))
        .ext(ExtensionTypes.EARLY_DATA, Bytes.of())
        .ext(ExtensionTypes.PRE_SHARED_KEY, Bytes.of()
            .vec16(Bytes.of().vec16(Bytes.of().ascii("ticket-1")).hex("00000001")
                .vec16(Bytes.of().ascii("ticket-two")).hex("00000002"))
            .vec16(Bytes.of().vec8(Bytes.of().raw(new byte[32])).vec8(Bytes.of().raw(new byte[32])))); // binders
    return Bytes.of().u16(0x0303).hex(RANDOM).vec8(Bytes.of().hex("aabbccdd"))
        .vec16(Bytes.of().u16(0x4a4a).u16(0x1301).u16(0x1302).u16(0xc02f))
        .vec8(Bytes.of().u8(0)).vec16(ext).bytes();
  }

  static ByteBuf buf(byte[] b) {
    return Unpooled.wrappedBuffer(b);
  }

  @ParameterizedTest
  @EnumSource(BufferShape.class)
  void browserClientHelloGivesEveryExtensionValue(BufferShape shape) {
    byte[] body = browserHello();
    ByteBuf b = shape.wrap(body);
    try {
      ClientHello h = new ClientHello();
      assertThat(h.wrap(b, b.readerIndex(), body.length)).as(h.report().toString()).isTrue();
      assertThat(h.legacyVersion()).isEqualTo(0x0303);
      assertThat(h.sessionIdLength()).isEqualTo(4);
      assertThat(h.cipherSuiteCount()).isEqualTo(4);
      assertThat(Grease.isGrease(h.cipherSuite(0))).isTrue();
      assertThat(h.cipherSuite(3)).isEqualTo(0xc02f);
      byte[] random = new byte[32];
      h.copyRandomTo(random, 0);
      assertThat(random).isEqualTo(Hex.decode(RANDOM));

      TlsExtensionCursor c = h.extensions(new TlsExtensionCursor());
      TlsValueList list = new TlsValueList();
      TlsNameCursor names = new TlsNameCursor();
      KeyShareCursor shares = new KeyShareCursor();
      List<Integer> types = new ArrayList<>();
      while (c.next()) {
        types.add(c.type());
      }
      assertThat(c.report().isMalformed()).isFalse();
      assertThat(types).containsExactly(0x1a1a, 0, 23, 0xff01, 10, 11, 35, 16, 5, 13, 22, 51, 45, 43, 0xfe0d, 42, 41);

      assertThat(c.seek(0x1a1a)).isTrue();
      assertThat(c.isGrease()).isTrue();
      assertThat(c.seek(ExtensionTypes.SERVER_NAME) && c.names(names) && names.next()).isTrue();
      assertThat(names.nameType()).isEqualTo(TlsNameCursor.HOST_NAME);
      assertThat(names.nameAsString()).isEqualTo("a.example");
      assertThat(names.next()).isFalse();

      assertThat(c.seek(ExtensionTypes.APPLICATION_LAYER_PROTOCOL_NEGOTIATION) && c.names(names)).isTrue();
      List<String> alpn = new ArrayList<>();
      while (names.next()) {
        alpn.add(names.nameAsString());
      }
      assertThat(alpn).containsExactly("h2", "http/1.1");

      assertThat(c.seek(ExtensionTypes.SUPPORTED_GROUPS) && c.values(list)).isTrue();
      assertThat(list.count()).isEqualTo(3);
      assertThat(Grease.isGrease(list.value(0))).isTrue();
      assertThat(list.value(1)).isEqualTo(0x001d);
      assertThat(c.seek(ExtensionTypes.SUPPORTED_VERSIONS) && c.values(list)).isTrue();
      assertThat(list.count()).isEqualTo(3);
      assertThat(list.contains(0x0304)).isTrue();
      assertThat(c.selectedVersion()).as("client form has no selected_version").isEqualTo(-1);
      assertThat(c.seek(ExtensionTypes.PSK_KEY_EXCHANGE_MODES) && c.values(list)).isTrue();
      assertThat(Grease.isGreasePskMode(list.value(0))).isTrue();
      assertThat(list.value(1)).isEqualTo(1);
      assertThat(c.seek(ExtensionTypes.SIGNATURE_ALGORITHMS) && c.values(list)).isTrue();
      assertThat(list.value(1)).isEqualTo(0x0804);
      assertThat(c.seek(ExtensionTypes.EC_POINT_FORMATS) && c.values(list)).isTrue();
      assertThat(list.count()).isEqualTo(1);

      assertThat(c.seek(ExtensionTypes.KEY_SHARE) && c.keyShares(shares)).isTrue();
      assertThat(c.keyShareGroup()).as("client form").isEqualTo(-1);
      assertThat(shares.next()).isTrue();
      assertThat(shares.group()).isEqualTo(0x2a2a);
      assertThat(shares.keyExchangeLength()).isEqualTo(1);
      assertThat(shares.next()).isTrue();
      assertThat(shares.group()).isEqualTo(0x001d);
      assertThat(shares.keyExchangeLength()).isEqualTo(32);
      assertThat(shares.next()).isFalse();

      assertThat(c.seek(ExtensionTypes.PRE_SHARED_KEY)).isTrue();
      assertThat(c.pskIdentityCount()).isEqualTo(2);
      assertThat(c.selectedIdentity()).isEqualTo(-1);
      assertThat(c.seek(ExtensionTypes.STATUS_REQUEST)).isTrue();
      assertThat(c.statusType()).isEqualTo(1);
      assertThat(c.seek(ExtensionTypes.RENEGOTIATION_INFO)).isTrue();
      assertThat(c.renegotiatedConnectionLength()).isZero();
      assertThat(c.seek(ExtensionTypes.ENCRYPTED_CLIENT_HELLO)).isTrue();
      assertThat(c.echClientHelloType()).isZero();
      assertThat(c.seek(ExtensionTypes.EARLY_DATA)).isTrue();
      assertThat(c.dataLength()).isZero();
      assertThat(c.maxEarlyDataSize()).isEqualTo(-1);
      assertThat(c.seek(ExtensionTypes.EXTENDED_MASTER_SECRET)).isTrue();
      assertThat(c.seek(ExtensionTypes.ENCRYPT_THEN_MAC)).isTrue();
      assertThat(c.seek(ExtensionTypes.SESSION_TICKET)).isTrue();
      assertThat(c.dataLength()).isZero();
      assertThat(c.seek(ExtensionTypes.COOKIE)).isFalse();
    } finally {
      b.release();
    }
  }

  static byte[] serverHello(String random, Bytes extensions) {
    Bytes b = Bytes.of().u16(0x0303).hex(random).vec8(Bytes.of().hex("aabbccdd")).u16(0x1301).u8(0);
    return extensions == null ? b.bytes() : b.vec16(extensions).bytes();
  }

  @Test
  void helloRetryRequestIsRecognisedByItsRandom() {
    byte[] hrr = serverHello(HRR_RANDOM, Bytes.of()
        .ext(ExtensionTypes.SUPPORTED_VERSIONS, Bytes.of().u16(0x0304))
        .ext(ExtensionTypes.KEY_SHARE, Bytes.of().u16(0x0017))
        .ext(ExtensionTypes.COOKIE, Bytes.of().vec16(Bytes.of().hex("0102"))));
    ServerHello h = new ServerHello();
    assertThat(h.wrap(buf(hrr), 0, hrr.length)).isTrue();
    assertThat(h.isHelloRetryRequest()).isTrue();
    assertThat(h.selectedVersion()).isEqualTo(0x0304);
    assertThat(h.legacyVersion()).isEqualTo(0x0303);
    TlsExtensionCursor c = h.extensions(new TlsExtensionCursor());
    assertThat(c.seek(ExtensionTypes.KEY_SHARE)).isTrue();
    assertThat(c.keyShareGroup()).as("selected_group").isEqualTo(0x0017);
  }

  @Test
  void serverHelloWithPskAndKeyShareIsNoHelloRetryRequest() {
    byte[] sh = serverHello(RANDOM, Bytes.of()
        .ext(ExtensionTypes.SUPPORTED_VERSIONS, Bytes.of().u16(0x0304))
        .ext(ExtensionTypes.KEY_SHARE, Bytes.of().u16(0x001d).vec16(Bytes.of().raw(new byte[32])))
        .ext(ExtensionTypes.PRE_SHARED_KEY, Bytes.of().u16(1)));
    ServerHello h = new ServerHello();
    assertThat(h.wrap(buf(sh), 0, sh.length)).isTrue();
    assertThat(h.isHelloRetryRequest()).isFalse();
    assertThat(h.cipherSuite()).isEqualTo(0x1301);
    assertThat(h.downgradeSentinel()).isEqualTo(-1);
    TlsExtensionCursor c = h.extensions(new TlsExtensionCursor());
    assertThat(c.seek(ExtensionTypes.KEY_SHARE)).isTrue();
    assertThat(c.keyShareGroup()).isEqualTo(0x001d);
    assertThat(c.keyShareKeyExchangeLength()).isEqualTo(32);
    assertThat(c.seek(ExtensionTypes.PRE_SHARED_KEY)).isTrue();
    assertThat(c.selectedIdentity()).isEqualTo(1);
  }

  @Test
  void selectedVersionIsTheLegacyVersionWithoutSupportedVersions() {
    byte[] sh = serverHello(RANDOM, null);
    ServerHello h = new ServerHello();
    assertThat(h.wrap(buf(sh), 0, sh.length)).isTrue();
    assertThat(h.hasExtensions()).isFalse();
    assertThat(h.selectedVersion()).isEqualTo(0x0303);
    assertThat(h.supportedVersion()).isEqualTo(-1);
  }

  @Test
  void downgradeSentinelIsReported() {
    // RFC 8446 §4.1.3: the last 8 bytes are 44 4F 57 4E 47 52 44 01 when a TLS 1.3 server negotiates TLS 1.2
    byte[] sh = serverHello("000102030405060708090a0b0c0d0e0f1011121314151617444f574e47524401", null);
    ServerHello h = new ServerHello();
    assertThat(h.wrap(buf(sh), 0, sh.length)).isTrue();
    assertThat(h.downgradeSentinel()).isEqualTo(ServerHello.DOWNGRADE_TLS12);
  }

  @Test
  void everyPrefixOfTheIllustratedClientHelloIsMalformedAtTheFieldItCuts() {
    // The TLS 1.3 illustrated ClientHello body: 244 bytes; tshark (expected/illustrated-handshakes.tsv) gives
    // session_id_length 32, cipher_suites_length 8, comp_methods_length 1, extensions_length 163, so the fields sit at
    // version 0, random 2, session id length 34, cipher suites length 67, compression length 77, extensions length 79.
    byte[] record = IllustratedHandshakeTest.bytes("vectors/tls/illustrated-tls13/clienthello");
    byte[] body = java.util.Arrays.copyOfRange(record, 9, record.length);
    assertThat(body).hasSize(244);
    ClientHello h = new ClientHello();
    ByteBuf b = buf(body);
    for (int n = 0; n < body.length; n++) {
      boolean ok = h.wrap(b, 0, n);
      MalformationReport r = h.report();
      if (n == 79) {
        assertThat(ok).as("a hello without extensions is well formed").isTrue();
        assertThat(h.hasExtensions()).isFalse();
        continue;
      }
      assertThat(ok).as("prefix %d", n).isFalse();
      assertThat(r.layer()).isEqualTo(Layer.TLS);
      if (n < 35) {
        assertTruncated(r, 0, 35, n, LengthSource.HEADER_MINIMUM);
      } else if (n < 67) {
        assertInvalid(r, 34);
      } else if (n < 69) {
        assertTruncated(r, 67, 2, n - 67, LengthSource.OPTION_LENGTH);
      } else if (n < 77) {
        assertInvalid(r, 67);
      } else if (n == 77) {
        assertTruncated(r, 77, 1, 0, LengthSource.OPTION_LENGTH);
      } else if (n == 78) {
        assertInvalid(r, 77);
      } else if (n == 80) {
        assertTruncated(r, 79, 2, 1, LengthSource.OPTION_LENGTH);
      } else {
        assertInvalid(r, 79);
      }
    }
    assertThat(h.wrap(b, 0, body.length)).isTrue();
  }

  static void assertTruncated(MalformationReport r, long offset, long required, long available, LengthSource s) {
    assertThat(r.malformation()).as(r.toString()).isEqualTo(Malformation.TRUNCATED);
    assertThat(r.offset()).as(r.toString()).isEqualTo(offset);
    assertThat(r.requiredLength()).as(r.toString()).isEqualTo(required);
    assertThat(r.availableLength()).as(r.toString()).isEqualTo(available);
    assertThat(r.lengthSource()).as(r.toString()).isEqualTo(s);
  }

  static void assertInvalid(MalformationReport r, long offset) {
    assertThat(r.malformation()).as(r.toString()).isEqualTo(Malformation.BAD_LENGTH_FIELD);
    assertThat(r.offset()).as(r.toString()).isEqualTo(offset);
  }

  @Test
  void extensionRunningPastItsBlockIsABadLengthAtItsLengthField() {
    // extensions block: server_name claiming 10 bytes of data with only 2 present
    byte[] body = Bytes.of().u16(0x0303).hex(RANDOM).u8(0).vec16(Bytes.of().u16(0x1301)).vec8(Bytes.of().u8(0))
        .vec16(Bytes.of().u16(0).u16(10).hex("0000")).bytes();
    ClientHello h = new ClientHello();
    assertThat(h.wrap(buf(body), 0, body.length)).isFalse();
    // 2 + 32 + 1 + 4 + 2 = 41: extensions length; the extension starts at 43, its length field at 45
    assertInvalid(h.report(), 45);
  }

  @Test
  void extensionHeaderCutInsideItsBlockIsTruncated() {
    byte[] body = Bytes.of().u16(0x0303).hex(RANDOM).u8(0).vec16(Bytes.of().u16(0x1301)).vec8(Bytes.of().u8(0))
        .vec16(Bytes.of().hex("000000")).bytes();
    ClientHello h = new ClientHello();
    assertThat(h.wrap(buf(body), 0, body.length)).isFalse();
    assertTruncated(h.report(), 43, 4, 3, LengthSource.OPTION_LENGTH);
  }

  @Test
  void sessionIdLongerThan32IsABadLength() {
    byte[] body = Bytes.of().u16(0x0303).hex(RANDOM).vec8(Bytes.of().raw(new byte[33]))
        .vec16(Bytes.of().u16(0x1301)).vec8(Bytes.of().u8(0)).bytes();
    ClientHello h = new ClientHello();
    assertThat(h.wrap(buf(body), 0, body.length)).isFalse();
    assertInvalid(h.report(), 34);
  }

  @Test
  void oddCipherSuitesLengthIsABadLength() {
    byte[] body = Bytes.of().u16(0x0303).hex(RANDOM).u8(0).vec16(Bytes.of().hex("130113")).vec8(Bytes.of().u8(0))
        .bytes();
    ClientHello h = new ClientHello();
    assertThat(h.wrap(buf(body), 0, body.length)).isFalse();
    assertInvalid(h.report(), 35);
  }

  @Test
  void alpnEntryRunningPastTheListIsABadLengthAtTheEntry() {
    byte[] data = Bytes.of().vec16(Bytes.of().u8(5).ascii("h2")).bytes();
    TlsNameCursor names = new TlsNameCursor();
    assertThat(names.wrapProtocolNames(buf(data), 0, data.length)).isTrue();
    assertThat(names.next()).isFalse();
    assertInvalid(names.report(), 2);
  }

  @Test
  void serverNameListLengthThatDisagreesWithTheDataIsABadLength() {
    byte[] data = Bytes.of().u16(9).u8(0).vec16(Bytes.of().ascii("ab")).bytes();
    TlsNameCursor names = new TlsNameCursor();
    assertThat(names.wrapServerNames(buf(data), 0, data.length)).isFalse();
    assertInvalid(names.report(), 0);
  }

  @Test
  void emptyServerNameFromAServerIsAnEmptyList() {
    TlsNameCursor names = new TlsNameCursor();
    assertThat(names.wrapServerNames(Unpooled.EMPTY_BUFFER, 0, 0)).isTrue();
    assertThat(names.next()).isFalse();
  }

  @Test
  void valueListOfOddLengthIsABadLength() {
    byte[] data = Hex.decode("0003 001d00");
    TlsValueList list = new TlsValueList();
    assertThat(list.wrapU16Values(buf(data), 0, data.length)).isFalse();
    assertInvalid(list.report(), 0);
    assertThat(list.count()).isZero();
  }

  @Test
  void keyShareEntryRunningPastTheListIsABadLength() {
    byte[] data = Bytes.of().vec16(Bytes.of().u16(0x001d).u16(32).hex("0102")).bytes();
    KeyShareCursor shares = new KeyShareCursor();
    assertThat(shares.wrap(buf(data), 0, data.length)).isTrue();
    assertThat(shares.next()).isFalse();
    assertInvalid(shares.report(), 4);
  }

  @Test
  void pskWithInconsistentBindersHasNoIdentityCount() {
    byte[] body = Bytes.of().ext(ExtensionTypes.PRE_SHARED_KEY, Bytes.of()
        .vec16(Bytes.of().vec16(Bytes.of().ascii("t")).hex("00000001")).u16(40).hex("00")).bytes();
    TlsExtensionCursor c = new TlsExtensionCursor();
    c.wrap(buf(body), 0, body.length);
    assertThat(c.next()).isTrue();
    assertThat(c.pskIdentityCount()).isEqualTo(-1);
  }

  @Test
  void earlyDataInANewSessionTicketCarriesMaxEarlyDataSize() {
    byte[] body = Bytes.of().hex("00001c20 01020304").vec8(Bytes.of().hex("00")).vec16(Bytes.of().ascii("ticket"))
        .vec16(Bytes.of().ext(ExtensionTypes.EARLY_DATA, Bytes.of().hex("00004000"))).bytes();
    NewSessionTicket t = new NewSessionTicket();
    assertThat(t.wrapTls13(buf(body), 0, body.length)).as(t.report().toString()).isTrue();
    assertThat(t.ticketLifetime()).isEqualTo(7200);
    assertThat(t.ticketAgeAdd()).isEqualTo(0x01020304L);
    assertThat(t.ticketNonceLength()).isEqualTo(1);
    assertThat(t.ticketLength()).isEqualTo(6);
    TlsExtensionCursor c = t.extensions(new TlsExtensionCursor());
    assertThat(c.next()).isTrue();
    assertThat(c.maxEarlyDataSize()).isEqualTo(16384);
  }

  @Test
  void tls12NewSessionTicketHasLifetimeHintAndTicket() {
    // RFC 5077 §3.3
    byte[] body = Bytes.of().hex("0000012c").vec16(Bytes.of().raw(new byte[100])).bytes();
    NewSessionTicket t = new NewSessionTicket();
    assertThat(t.wrap(buf(body), 0, body.length)).isTrue();
    assertThat(t.ticketLifetime()).isEqualTo(300);
    assertThat(t.ticketLength()).isEqualTo(100);
    assertThat(t.wrap(buf(body), 0, body.length - 1)).isFalse();
    assertInvalid(t.report(), 4);
  }

  @Test
  void certificateWhoseEntryRunsPastTheListIsABadLengthAtTheEntry() {
    byte[] body = Bytes.of().vec24(Bytes.of().u24(10).hex("3082")).bytes();
    Certificate c = new Certificate();
    assertThat(c.wrap(buf(body), 0, body.length)).isFalse();
    assertInvalid(c.report(), 3);
  }

  @Test
  void tls13CertificateHasContextAndPerEntryExtensions() {
    byte[] body = Bytes.of().vec8(Bytes.of().hex("0102"))
        .vec24(Bytes.of().vec24(Bytes.of().hex("300100")).vec16(Bytes.of().ext(5, Bytes.of().hex("01")))
            .vec24(Bytes.of().hex("3000")).vec16(Bytes.of()))
        .bytes();
    Certificate c = new Certificate();
    assertThat(c.wrapTls13(buf(body), 0, body.length)).as(c.report().toString()).isTrue();
    assertThat(c.certificateRequestContextLength()).isEqualTo(2);
    assertThat(c.certificateCount()).isEqualTo(2);
    CertificateEntryCursor e = c.entries(new CertificateEntryCursor());
    assertThat(e.next()).isTrue();
    assertThat(e.certDataToArray()).isEqualTo(Hex.decode("300100"));
    TlsExtensionCursor x = e.extensions(new TlsExtensionCursor());
    assertThat(x.next()).isTrue();
    assertThat(x.type()).isEqualTo(ExtensionTypes.STATUS_REQUEST);
    assertThat(e.next()).isTrue();
    assertThat(e.certDataLength()).isEqualTo(2);
    assertThat(e.extensionsLength()).isZero();
    assertThat(e.next()).isFalse();
    assertThat(c.wrap(buf(body), 0, body.length)).as("the TLS 1.2 reading does not fit").isFalse();
  }

  @Test
  void certificateRequestFormsAreRead() {
    byte[] tls12 = Bytes.of().vec8(Bytes.of().u8(1).u8(64)).vec16(Bytes.of().u16(0x0401).u16(0x0403))
        .vec16(Bytes.of()).bytes();
    CertificateRequest r = new CertificateRequest();
    assertThat(r.wrap(buf(tls12), 0, tls12.length)).isTrue();
    assertThat(r.certificateTypeCount()).isEqualTo(2);
    assertThat(r.certificateType(1)).isEqualTo(64);
    TlsValueList list = new TlsValueList();
    assertThat(r.signatureAlgorithms(list)).isTrue();
    assertThat(list.value(1)).isEqualTo(0x0403);
    byte[] tls13 = Bytes.of().vec8(Bytes.of())
        .vec16(Bytes.of().ext(ExtensionTypes.SIGNATURE_ALGORITHMS, Bytes.of().vec16(Bytes.of().u16(0x0804))))
        .bytes();
    assertThat(r.wrapTls13(buf(tls13), 0, tls13.length)).isTrue();
    assertThat(r.extensions(new TlsExtensionCursor()).seek(ExtensionTypes.SIGNATURE_ALGORITHMS)).isTrue();
    assertThat(r.signatureAlgorithms(list)).isFalse();
  }

  @Test
  void clientKeyExchangeRsaFormHasATwoByteLength() {
    byte[] body = Bytes.of().vec16(Bytes.of().raw(new byte[256])).bytes();
    ClientKeyExchange k = new ClientKeyExchange();
    assertThat(k.wrap(buf(body), 0, body.length)).isTrue();
    assertThat(k.isEcdhForm()).isFalse();
    assertThat(k.exchangeKeysLength()).isEqualTo(256);
    assertThat(k.wrap(buf(body), 0, 100)).isFalse();
    assertInvalid(k.report(), 0);
  }

  @Test
  void dheServerKeyExchangeGivesThePrimeLength() {
    byte[] body = Bytes.of().vec16(Bytes.of().raw(new byte[256])).vec16(Bytes.of().u8(2))
        .vec16(Bytes.of().raw(new byte[256])).u16(0x0401).vec16(Bytes.of().raw(new byte[8])).bytes();
    ServerKeyExchange k = new ServerKeyExchange();
    assertThat(k.wrapDhe(buf(body), 0, body.length)).isTrue();
    assertThat(k.primeLength()).isEqualTo(256);
    assertThat(k.publicLength()).isEqualTo(256);
    assertThat(k.signatureAlgorithm()).isEqualTo(0x0401);
    assertThat(k.signatureLength()).isEqualTo(8);
  }

  @Test
  void keyUpdateIsOneByte() {
    KeyUpdate k = new KeyUpdate();
    assertThat(k.wrap(buf(Hex.decode("01")), 0, 1)).isTrue();
    assertThat(k.isUpdateRequested()).isTrue();
    assertThat(k.wrap(buf(Hex.decode("0000")), 0, 2)).isFalse();
    assertInvalid(k.report(), 1);
    assertThat(k.wrap(Unpooled.EMPTY_BUFFER, 0, 0)).isFalse();
    assertThat(k.report().malformation()).isEqualTo(Malformation.TRUNCATED);
  }

  @Test
  void serverHelloDoneAndEndOfEarlyDataAreEmpty() {
    assertThat(new ServerHelloDone().wrap(Unpooled.EMPTY_BUFFER, 0, 0)).isTrue();
    ServerHelloDone d = new ServerHelloDone();
    assertThat(d.wrap(buf(Hex.decode("00")), 7, 1)).isFalse();
    assertInvalid(d.report(), 7);
    assertThat(new EndOfEarlyData().wrap(buf(Hex.decode("00")), 0, 1)).isFalse();
  }

  @Test
  void finishedIsAllVerifyData() {
    Finished f = new Finished();
    assertThat(f.wrap(buf(new byte[12]), 0, 12)).isTrue();
    assertThat(f.verifyDataLength()).isEqualTo(12);
    assertThat(f.wrap(Unpooled.EMPTY_BUFFER, 0, 0)).isFalse();
  }

  @Test
  void greaseValuesAreRecognised() {
    for (int i = 0; i < 16; i++) {
      int v = (i << 12) | 0x0a00 | (i << 4) | 0x0a;
      assertThat(Grease.isGrease(v)).as("0x%04x", v).isTrue();
    }
    assertThat(Grease.isGrease(0x0a1a)).isFalse();
    assertThat(Grease.isGrease(0x1301)).isFalse();
    assertThat(Grease.isGrease(0x1a1a1a)).isFalse();
    assertThat(List.of(0x0b, 0x2a, 0x49, 0x68, 0x87, 0xa6, 0xc5, 0xe4)).allMatch(Grease::isGreasePskMode);
    assertThat(Grease.isGreasePskMode(1)).isFalse();
  }

  @Test
  void draftServerHelloHasNoSessionIdNorCompression() {
    // draft-ietf-tls-tls13-18 §4.1.3: ProtocolVersion version (0x7f12); Random; CipherSuite; Extension extensions<..>
    byte[] body = Bytes.of().u16(0x7f12).hex(RANDOM).u16(0x1301)
        .vec16(Bytes.of().ext(TlsExtensionCursor.KEY_SHARE_DRAFT, Bytes.of().u16(0x001d).vec16(Bytes.of().hex("aa"))))
        .bytes();
    ServerHello h = new ServerHello();
    assertThat(h.wrap(buf(body), 0, body.length)).as(h.report().toString()).isTrue();
    assertThat(h.isDraftLayout()).isTrue();
    assertThat(h.selectedVersion()).isEqualTo(0x7f12);
    assertThat(h.sessionIdLength()).isZero();
    assertThat(h.cipherSuite()).isEqualTo(0x1301);
    assertThat(h.compressionMethod()).isEqualTo(-1);
    TlsExtensionCursor c = h.extensions(new TlsExtensionCursor());
    assertThat(c.next()).isTrue();
    assertThat(c.keyShareGroup()).isEqualTo(0x001d);
  }

  @Test
  void serverKeyExchangeOfAnUnparsedCurveTypeHasAnEmptySignatureInsideItsBody() {
    // found by HandshakeReaderFuzzTest: the view reused after a named_curve body kept that body's signature offset
    // ECDHE named_curve x25519, 4-byte point, signature 0x0401 with 4 bytes; then explicit_prime (1), 3 bytes
    ByteBuf named = Unpooled.wrappedBuffer(Hex.decode("03 001d 04 01020304  0401 0004 aabbccdd"));
    ByteBuf explicit = Unpooled.wrappedBuffer(Hex.decode("01 0000"));
    try {
      ServerKeyExchange ske = new ServerKeyExchange();
      assertThat(ske.wrap(named, 0, named.readableBytes())).isTrue();
      assertThat(ske.signatureLength()).isEqualTo(4);
      assertThat(ske.wrap(explicit, 0, explicit.readableBytes())).isTrue();
      assertThat(ske.curveType()).isEqualTo(1);
      assertThat(ske.signatureLength()).isEqualTo(-1);
      assertThat(ske.signature().readableBytes()).isZero();
    } finally {
      named.release();
      explicit.release();
    }
  }
}
