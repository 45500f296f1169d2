package dev.wirelens.tls.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.tls.ContentTypes;
import dev.wirelens.tls.ExtensionTypes;
import dev.wirelens.tls.HandshakeTypes;
import dev.wirelens.tls.TlsRecordReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every handshake message of the illustrated TLS 1.2 and 1.3 connections (tls12.xargs.org, tls13.xargs.org; the
 * per-message bytes of {@code vectors/tls/illustrated-tls1x/}) read by our views and compared field by field with
 * tshark's dissection of the same connection ({@code expected/illustrated-handshakes.tsv}, recorded by
 * {@code scripts/record-tls-handshake-expectations.sh}).
 */
class IllustratedHandshakeTest {
  /** Per capture, the vector files in tshark's handshake-message order; "+" marks decrypted plaintext. */
  static final Map<String, List<String>> FILES = Map.of(
      "tls13", List.of("clienthello", "serverhello", "+serverextensions", "+servercert", "+servercertverify",
          "+serverfinished", "+clientfinished", "+serverticket1", "+serverticket2"),
      "tls12", List.of("clienthello", "serverhello", "servercert", "serverkeyexchange", "serverhellodone",
          "clientkeyexchange", "+clientfinishedplain", "+serverfinishedplain"));

  /** The tshark fields this test derives from our views; any of them tshark shows must match, and vice versa. */
  static final Set<String> FIELDS = Set.of(
      "tls.handshake.type", "tls.handshake.length", "tls.handshake.version", "tls.handshake.random",
      "tls.handshake.session_id_length", "tls.handshake.session_id", "tls.handshake.cipher_suites_length",
      "tls.handshake.ciphersuite", "tls.handshake.comp_methods_length", "tls.handshake.comp_method",
      "tls.handshake.extensions_length", "tls.handshake.extension.type", "tls.handshake.extension.len",
      "tls.handshake.extensions_server_name_type", "tls.handshake.extensions_server_name",
      "tls.handshake.extensions_supported_group", "tls.handshake.sig_hash_alg",
      "tls.handshake.extensions.supported_version", "tls.extension.psk_ke_mode",
      "tls.handshake.extensions_key_share_group", "tls.handshake.extensions_key_share_key_exchange_length",
      "tls.handshake.extensions_ec_point_format", "tls.handshake.extensions_reneg_info_len",
      "tls.handshake.extensions_status_request_type",
      "tls.handshake.certificate_request_context_length", "tls.handshake.certificates_length",
      "tls.handshake.certificate_length", "tls.handshake.client_cert_vrfy.sig_len", "tls.handshake.server_curve_type",
      "tls.handshake.server_named_curve", "tls.handshake.server_point_len", "tls.handshake.sig_len",
      "tls.handshake.client_point_len", "tls.handshake.session_ticket_lifetime_hint",
      "tls.handshake.session_ticket_age_add", "tls.handshake.session_ticket_nonce_length",
      "tls.handshake.session_ticket_length");

  static Map<String, Map<Integer, Map<String, String>>> expected() {
    Map<String, Map<Integer, Map<String, String>>> out = new TreeMap<>();
    for (String line : resource("expected/illustrated-handshakes.tsv").split("\n")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      out.computeIfAbsent(f[0], k -> new TreeMap<>()).computeIfAbsent(Integer.parseInt(f[2]), k -> new TreeMap<>())
          .put(f[3], f[4]);
    }
    return out;
  }

  static String resource(String name) {
    return new String(bytes(name), StandardCharsets.UTF_8);
  }

  static byte[] bytes(String name) {
    try (InputStream in = IllustratedHandshakeTest.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Iterable<Arguments> messages() {
    List<Arguments> out = new ArrayList<>();
    FILES.forEach((capture, files) -> {
      for (int i = 0; i < files.size(); i++) {
        out.add(Arguments.of(capture, i, files.get(i)));
      }
    });
    return out;
  }

  /** The handshake bytes of a vector file: the fragment of its record, or the decrypted plaintext itself. */
  static ByteBuf handshakeBytes(String capture, String file) {
    String dir = "vectors/tls/illustrated-" + capture + "/";
    if (file.startsWith("+")) {
      return Unpooled.wrappedBuffer(bytes(dir + file.substring(1)));
    }
    try (TlsRecordReader records = new TlsRecordReader(Limits.defaults())) {
      records.feed(Unpooled.wrappedBuffer(bytes(dir + file)));
      assertThat(records.next()).isEqualTo(DecodeStatus.RECORD);
      assertThat(records.record().contentType()).isEqualTo(ContentTypes.HANDSHAKE);
      return Unpooled.copiedBuffer(records.record().fragment());
    }
  }

  @ParameterizedTest(name = "{0} message {1} ({2})")
  @MethodSource("messages")
  void viewsAgreeWithTshark(String capture, int index, String file) {
    Map<String, String> want = new TreeMap<>(expected().get(capture).get(index));
    want.keySet().retainAll(FIELDS);
    Map<String, String> got = new TreeMap<>();
    try (HandshakeReader reader = new HandshakeReader(Limits.defaults())) {
      reader.feed(handshakeBytes(capture, file));
      assertThat(reader.next()).isEqualTo(DecodeStatus.RECORD);
      describe(reader.message(), capture.equals("tls13"), got::put);
    }
    got.keySet().retainAll(FIELDS);
    assertThat(got).isEqualTo(want);
  }

  static String hex4(int v) {
    return String.format("0x%04x", v);
  }

  static String colons(ByteBuf b) {
    return ByteBufUtil.hexDump(b).replaceAll("(..)(?!$)", "$1:");
  }

  /** Our reading of one message in tshark's field names and formats. */
  static void describe(HandshakeMessage m, boolean tls13, BiConsumer<String, String> out) {
    out.accept("tls.handshake.type", Integer.toString(m.msgType()));
    out.accept("tls.handshake.length", Integer.toString(m.length()));
    switch (m.msgType()) {
      case HandshakeTypes.CLIENT_HELLO: {
        ClientHello h = new ClientHello();
        assertThat(h.wrap(m.buffer(), m.bodyOffset(), m.length())).as(h.report().toString()).isTrue();
        out.accept("tls.handshake.version", hex4(h.legacyVersion()));
        out.accept("tls.handshake.random", colons(h.random()));
        out.accept("tls.handshake.session_id_length", Integer.toString(h.sessionIdLength()));
        if (h.sessionIdLength() > 0) {
          out.accept("tls.handshake.session_id", colons(h.sessionId()));
        }
        out.accept("tls.handshake.cipher_suites_length", Integer.toString(2 * h.cipherSuiteCount()));
        List<String> suites = new ArrayList<>();
        for (int i = 0; i < h.cipherSuiteCount(); i++) {
          suites.add(hex4(h.cipherSuite(i)));
        }
        out.accept("tls.handshake.ciphersuite", String.join(",", suites));
        out.accept("tls.handshake.comp_methods_length", Integer.toString(h.compressionMethodCount()));
        List<String> methods = new ArrayList<>();
        for (int i = 0; i < h.compressionMethodCount(); i++) {
          methods.add(Integer.toString(h.compressionMethod(i)));
        }
        out.accept("tls.handshake.comp_method", String.join(",", methods));
        if (h.hasExtensions()) {
          out.accept("tls.handshake.extensions_length", Integer.toString(h.extensionsLength()));
          describeExtensions(h.extensions(new TlsExtensionCursor()), out);
        }
        break;
      }
      case HandshakeTypes.SERVER_HELLO: {
        ServerHello h = new ServerHello();
        assertThat(h.wrap(m.buffer(), m.bodyOffset(), m.length())).as(h.report().toString()).isTrue();
        out.accept("tls.handshake.version", hex4(h.legacyVersion()));
        out.accept("tls.handshake.random", colons(h.random()));
        out.accept("tls.handshake.session_id_length", Integer.toString(h.sessionIdLength()));
        if (h.sessionIdLength() > 0) {
          out.accept("tls.handshake.session_id", colons(h.sessionId()));
        }
        out.accept("tls.handshake.ciphersuite", hex4(h.cipherSuite()));
        out.accept("tls.handshake.comp_method", Integer.toString(h.compressionMethod()));
        if (h.hasExtensions()) {
          out.accept("tls.handshake.extensions_length", Integer.toString(h.extensionsLength()));
          describeExtensions(h.extensions(new TlsExtensionCursor()), out);
        }
        break;
      }
      case HandshakeTypes.ENCRYPTED_EXTENSIONS: {
        EncryptedExtensions ee = new EncryptedExtensions();
        assertThat(ee.wrap(m.buffer(), m.bodyOffset(), m.length())).as(ee.report().toString()).isTrue();
        out.accept("tls.handshake.extensions_length", Integer.toString(ee.extensionsLength()));
        describeExtensions(ee.extensions(new TlsExtensionCursor()), out);
        break;
      }
      case HandshakeTypes.CERTIFICATE: {
        Certificate c = new Certificate();
        boolean ok = tls13 ? c.wrapTls13(m.buffer(), m.bodyOffset(), m.length())
            : c.wrap(m.buffer(), m.bodyOffset(), m.length());
        assertThat(ok).as(c.report().toString()).isTrue();
        if (tls13) {
          out.accept("tls.handshake.certificate_request_context_length",
              Integer.toString(c.certificateRequestContextLength()));
        }
        out.accept("tls.handshake.certificates_length", Integer.toString(c.certificateListLength()));
        List<String> lengths = new ArrayList<>();
        List<String> extLengths = new ArrayList<>();
        CertificateEntryCursor e = c.entries(new CertificateEntryCursor());
        while (e.next()) {
          lengths.add(Integer.toString(e.certDataLength()));
          extLengths.add(Integer.toString(e.extensionsLength()));
          assertThat(e.certData().getUnsignedByte(0)).as("DER SEQUENCE").isEqualTo((short) 0x30);
        }
        assertThat(lengths).hasSize(c.certificateCount());
        out.accept("tls.handshake.certificate_length", String.join(",", lengths));
        if (tls13) {
          out.accept("tls.handshake.extensions_length", String.join(",", extLengths));
        }
        break;
      }
      case HandshakeTypes.CERTIFICATE_VERIFY: {
        CertificateVerify v = new CertificateVerify();
        assertThat(v.wrap(m.buffer(), m.bodyOffset(), m.length())).as(v.report().toString()).isTrue();
        out.accept("tls.handshake.sig_hash_alg", hex4(v.algorithm()));
        out.accept("tls.handshake.client_cert_vrfy.sig_len", Integer.toString(v.signatureLength()));
        break;
      }
      case HandshakeTypes.SERVER_KEY_EXCHANGE: {
        ServerKeyExchange k = new ServerKeyExchange();
        assertThat(k.wrap(m.buffer(), m.bodyOffset(), m.length())).as(k.report().toString()).isTrue();
        out.accept("tls.handshake.server_curve_type", String.format("0x%02x", k.curveType()));
        out.accept("tls.handshake.server_named_curve", hex4(k.namedCurve()));
        out.accept("tls.handshake.server_point_len", Integer.toString(k.publicLength()));
        out.accept("tls.handshake.sig_hash_alg", hex4(k.signatureAlgorithm()));
        out.accept("tls.handshake.sig_len", Integer.toString(k.signatureLength()));
        break;
      }
      case HandshakeTypes.SERVER_HELLO_DONE:
        assertThat(new ServerHelloDone().wrap(m.buffer(), m.bodyOffset(), m.length())).isTrue();
        break;
      case HandshakeTypes.CLIENT_KEY_EXCHANGE: {
        ClientKeyExchange k = new ClientKeyExchange();
        assertThat(k.wrap(m.buffer(), m.bodyOffset(), m.length())).as(k.report().toString()).isTrue();
        assertThat(k.isEcdhForm()).isTrue();
        out.accept("tls.handshake.client_point_len", Integer.toString(k.exchangeKeysLength()));
        break;
      }
      case HandshakeTypes.NEW_SESSION_TICKET: {
        NewSessionTicket t = new NewSessionTicket();
        boolean ok = tls13 ? t.wrapTls13(m.buffer(), m.bodyOffset(), m.length())
            : t.wrap(m.buffer(), m.bodyOffset(), m.length());
        assertThat(ok).as(t.report().toString()).isTrue();
        out.accept("tls.handshake.session_ticket_lifetime_hint", Long.toString(t.ticketLifetime()));
        if (tls13) {
          out.accept("tls.handshake.session_ticket_age_add", Long.toString(t.ticketAgeAdd()));
          out.accept("tls.handshake.session_ticket_nonce_length", Integer.toString(t.ticketNonceLength()));
          out.accept("tls.handshake.extensions_length", Integer.toString(t.extensionsLength()));
        }
        out.accept("tls.handshake.session_ticket_length", Integer.toString(t.ticketLength()));
        break;
      }
      case HandshakeTypes.FINISHED: {
        Finished f = new Finished();
        assertThat(f.wrap(m.buffer(), m.bodyOffset(), m.length())).isTrue();
        assertThat(f.verifyDataLength()).isEqualTo(m.length());
        break;
      }
      default:
        throw new AssertionError("unexpected message type " + m.msgType());
    }
  }

  static void describeExtensions(TlsExtensionCursor c, BiConsumer<String, String> sink) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    BiConsumer<String, Object> add = (k, v) -> out.computeIfAbsent(k, x -> new ArrayList<>()).add(String.valueOf(v));
    TlsValueList list = new TlsValueList();
    TlsNameCursor names = new TlsNameCursor();
    KeyShareCursor shares = new KeyShareCursor();
    while (c.next()) {
      add.accept("tls.handshake.extension.type", c.type());
      add.accept("tls.handshake.extension.len", c.dataLength());
      switch (c.type()) {
        case ExtensionTypes.SERVER_NAME:
          assertThat(c.names(names)).isTrue();
          while (names.next()) {
            add.accept("tls.handshake.extensions_server_name_type", names.nameType());
            add.accept("tls.handshake.extensions_server_name", names.nameAsString());
          }
          break;
        case ExtensionTypes.SUPPORTED_GROUPS:
        case ExtensionTypes.SIGNATURE_ALGORITHMS:
        case ExtensionTypes.EC_POINT_FORMATS:
        case ExtensionTypes.PSK_KEY_EXCHANGE_MODES: {
          assertThat(c.values(list)).isTrue();
          String key = c.type() == ExtensionTypes.SUPPORTED_GROUPS ? "tls.handshake.extensions_supported_group"
              : c.type() == ExtensionTypes.SIGNATURE_ALGORITHMS ? "tls.handshake.sig_hash_alg"
              : c.type() == ExtensionTypes.EC_POINT_FORMATS ? "tls.handshake.extensions_ec_point_format"
              : "tls.extension.psk_ke_mode";
          for (int i = 0; i < list.count(); i++) {
            add.accept(key, list.width() == 2 ? hex4(list.value(i)) : Integer.toString(list.value(i)));
          }
          break;
        }
        case ExtensionTypes.SUPPORTED_VERSIONS:
          if (c.selectedVersion() >= 0) {
            add.accept("tls.handshake.extensions.supported_version", hex4(c.selectedVersion()));
          } else {
            assertThat(c.values(list)).isTrue();
            for (int i = 0; i < list.count(); i++) {
              add.accept("tls.handshake.extensions.supported_version", hex4(list.value(i)));
            }
          }
          break;
        case ExtensionTypes.KEY_SHARE:
          if (c.keyShareGroup() >= 0) {
            add.accept("tls.handshake.extensions_key_share_group", c.keyShareGroup());
            add.accept("tls.handshake.extensions_key_share_key_exchange_length", c.keyShareKeyExchangeLength());
          } else {
            assertThat(c.keyShares(shares)).isTrue();
            while (shares.next()) {
              add.accept("tls.handshake.extensions_key_share_group", shares.group());
              add.accept("tls.handshake.extensions_key_share_key_exchange_length", shares.keyExchangeLength());
            }
          }
          break;
        case ExtensionTypes.RENEGOTIATION_INFO:
          add.accept("tls.handshake.extensions_reneg_info_len", c.renegotiatedConnectionLength());
          break;
        case ExtensionTypes.STATUS_REQUEST:
          add.accept("tls.handshake.extensions_status_request_type", c.statusType());
          break;
        default:
          break;
      }
    }
    assertThat(c.report().isMalformed()).isFalse();
    out.forEach((k, v) -> sink.accept(k, String.join(",", v)));
  }
}
