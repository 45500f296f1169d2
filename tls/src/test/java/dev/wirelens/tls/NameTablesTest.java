package dev.wirelens.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The name tables against tshark 4.0.17's value strings and IANA CSV rows recorded in {@code names/} (see its
 * SOURCES.md). Values on which tshark and IANA disagree are listed, with the reason, where they are skipped.
 */
class NameTablesTest {

  @Test
  void cipherSuitesTableHoldsEveryIanaSuiteOnce() {
    Map<Integer, String> table = table(CipherSuites::nameOf, 0xFFFF);
    assertThat(table).hasSize(352);
    assertNoDuplicateNames(table);
    assertConstantsMatch(CipherSuites.class, CipherSuites::nameOf, table);
  }

  @Test
  void cipherSuiteNamesAreIanas() throws IOException {
    Map<Integer, String> iana = new LinkedHashMap<>();
    for (String line : lines("names/iana-tls-parameters-4-sample.csv")) {
      if (line.startsWith("\"")) {
        String[] f = line.split(",");
        int value = Integer.parseInt(f[0].substring(3), 16) << 8 | Integer.parseInt(f[1].substring(2, 4), 16);
        iana.put(value, f[2]);
      }
    }
    assertThat(iana).hasSize(31);
    iana.forEach((v, name) -> assertThat(CipherSuites.nameOf(v)).as("0x%04X", v).isEqualTo(name));
  }

  @Test
  void cipherSuiteNamesEqualTsharksWhereTsharkKnowsTheSuite() throws IOException {
    Map<Integer, String> tshark = tsv("names/cipher-suites-tshark.tsv", 16);
    Map<Integer, String> ours = table(CipherSuites::nameOf, 0xFFFF);
    ours.forEach((v, name) -> {
      if (v == 0x1306 || v == 0x1307) {
        assertThat(tshark).as("AEGIS suites are newer than tshark 4.0.17").doesNotContainKey(v);
      } else {
        assertThat(name).as("0x%04X", v).isEqualTo(tshark.get(v));
      }
    });
    // tshark's extra suites are GREASE or not registered with IANA: none of them has a name here
    tshark.forEach((v, name) -> {
      if (!ours.containsKey(v)) {
        assertThat(CipherSuites.nameOf(v)).isNull();
      }
    });
    assertThat(tshark.get(0xCC13)).isEqualTo("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    assertThat(CipherSuites.nameOf(0xCC13)).as("pre-RFC 7905 code point, not IANA's").isNull();
  }

  @Test
  void unregisteredCipherSuitesHaveNoName() {
    assertThat(CipherSuites.nameOf(0x0A0A)).as("GREASE").isNull();
    assertThat(CipherSuites.nameOf(0x1308)).isNull();
    assertThat(CipherSuites.nameOf(0xFF00)).as("private use").isNull();
    assertThat(CipherSuites.nameOf(-1)).isNull();
    assertThat(CipherSuites.nameOf(0x10000)).isNull();
  }

  @Test
  void hexIdIsFourUpperCaseDigits() {
    assertThat(CipherSuites.hexId(0x1302)).isEqualTo("0x1302");
    assertThat(CipherSuites.hexId(0xC02F)).isEqualTo("0xC02F");
    assertThat(CipherSuites.hexId(0x000A)).isEqualTo("0x000A");
    assertThat(CipherSuites.hexId(0xFFFF)).isEqualTo("0xFFFF");
    assertThatThrownBy(() -> CipherSuites.hexId(0x10000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CipherSuites.hexId(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void versionNamesAreTsharksSpelledAsDesignMdDoes() throws IOException {
    Map<Integer, String> tshark = tsv("names/tshark-tls.record.version.tsv", 10);
    Map<Integer, String> ours = table(TlsVersions::nameOf, 0xFFFF);
    assertNoDuplicateNames(ours);
    assertConstantsMatch(TlsVersions.class, TlsVersions::nameOf, ours);
    ours.forEach((v, name) -> {
      if (v == TlsVersions.DTLS_1_3) {
        assertThat(tshark).as("DTLS 1.3 is newer than tshark 4.0.17's table").doesNotContainKey(v);
      } else {
        // tshark "TLS 1.2" / "SSL 3.0" / "DTLS 1.0" -> "TLSv1.2" / "SSLv3" / "DTLSv1.0"
        String expected = tshark.get(v).replace(" ", "v").replace("SSLv3.0", "SSLv3").replace("SSLv2.0", "SSLv2");
        assertThat(name).as("0x%04X", v).isEqualTo(expected);
      }
    });
    assertThat(TlsVersions.nameOf(0x0304)).isEqualTo("TLSv1.3");
    assertThat(TlsVersions.nameOf(0x0300)).isEqualTo("SSLv3");
    assertThat(TlsVersions.nameOf(0x7F17)).as("draft versions are not named").isNull();
  }

  @Test
  void contentTypeNamesAreTsharksInIanaSpelling() throws IOException {
    Map<Integer, String> ours = table(ContentTypes::nameOf, 0xFF);
    assertThat(ours).hasSize(8);
    assertConstantsMatch(ContentTypes.class, ContentTypes::nameOf, ours);
    // tshark calls 25 "Connection ID"; IANA's name is tls12_cid (RFC 9146)
    compareNormalized(ours, tsv("names/tshark-tls.record.content_type.tsv", 10), Set.of(25));
    assertThat(ContentTypes.nameOf(23)).isEqualTo("application_data");
  }

  @Test
  void handshakeTypeNamesAreTsharksInIanaSpelling() throws IOException {
    Map<Integer, String> ours = table(HandshakeTypes::nameOf, 0xFF);
    assertThat(ours).hasSize(25);
    assertConstantsMatch(HandshakeTypes.class, HandshakeTypes::nameOf, ours);
    // tshark: 21 "Client Certificate URL" (IANA certificate_url), 25 "Compressed Certificate" (IANA
    // compressed_certificate: equal), 0 "Hello Request"; values tshark lacks are skipped by compareNormalized.
    compareNormalized(ours, tsv("names/tshark-tls.handshake.type.tsv", 10), Set.of(21));
    assertThat(HandshakeTypes.nameOf(12)).isEqualTo("server_key_exchange");
    assertThat(HandshakeTypes.nameOf(254)).isEqualTo("message_hash");
  }

  @Test
  void alertNamesAreTsharksInIanaSpelling() throws IOException {
    Map<Integer, String> ours = table(AlertDescriptions::nameOf, 0xFF);
    assertThat(ours).hasSize(37);
    assertConstantsMatch(AlertDescriptions.class, AlertDescriptions::nameOf, ours);
    compareNormalized(ours, tsv("names/tshark-tls.alert_message.desc.tsv", 10), Set.of());
    assertThat(AlertDescriptions.nameOf(0)).isEqualTo("close_notify");
    assertThat(AlertDescriptions.nameOf(40)).isEqualTo("handshake_failure");
    assertThat(AlertDescriptions.nameOf(1)).as("a TLS 1.3 draft alert tshark knows, not IANA's").isNull();
  }

  @Test
  void alertLevelNamesAreTsharksInIanaSpelling() throws IOException {
    Map<Integer, String> ours = table(AlertLevels::nameOf, 0xFF);
    assertThat(ours).containsExactly(Map.entry(1, "warning"), Map.entry(2, "fatal"));
    assertConstantsMatch(AlertLevels.class, AlertLevels::nameOf, ours);
    compareNormalized(ours, tsv("names/tshark-tls.alert_message.level.tsv", 10), Set.of());
  }

  @Test
  void extensionNamesAreTsharks() throws IOException {
    Map<Integer, String> ours = table(ExtensionTypes::nameOf, 0xFFFF);
    assertThat(ours).hasSize(63);
    assertNoDuplicateNames(ours);
    assertConstantsMatch(ExtensionTypes.class, ExtensionTypes::nameOf, ours);
    Map<Integer, String> tshark = tsv("names/tshark-tls.handshake.extension.type.tsv", 10);
    ours.forEach((v, name) -> {
      if (v == 34) {
        assertThat(tshark.get(v)).isEqualTo("delegated_credentials"); // IANA (RFC 9345): delegated_credential
      } else if (v == 53) {
        assertThat(tshark.get(v)).isEqualTo("connection_id (deprecated)");
      } else if (tshark.containsKey(v)) {
        assertThat(name).as("%d", v).isEqualTo(tshark.get(v));
      }
    });
    assertThat(ExtensionTypes.nameOf(0xFE0D)).isEqualTo("encrypted_client_hello");
    assertThat(ExtensionTypes.nameOf(0x4469)).as("not IANA-registered").isNull();
  }

  @Test
  void namedGroupsAreExactlyIanasAssignedRows() throws IOException {
    Map<Integer, String> iana = new TreeMap<>();
    for (String line : lines("names/iana-tls-parameters-8-assigned.csv")) {
      if (!line.startsWith("#") && !line.startsWith("Value")) {
        String[] f = line.split(",");
        iana.put(Integer.parseInt(f[0]), f[1].replace(" (OBSOLETE)", ""));
      }
    }
    Map<Integer, String> ours = table(NamedGroups::nameOf, 0xFFFF);
    assertThat(ours).isEqualTo(iana);
    assertConstantsMatch(NamedGroups.class, NamedGroups::nameOf, ours);
    Map<Integer, String> tshark = tsv("names/tshark-tls.handshake.extensions_supported_group.tsv", 10);
    ours.forEach((v, name) -> {
      // 512..514: tshark 4.0.17 still has the pre-standard FrodoKEM code points there
      if (tshark.containsKey(v) && (v < 512 || v > 514)) {
        assertThat(name).as("%d", v).isEqualTo(tshark.get(v));
      }
    });
  }

  @Test
  void signatureSchemesAreExactlyIanasAssignedRows() throws IOException {
    Map<Integer, String> iana = new TreeMap<>();
    for (String line : lines("names/iana-tls-signaturescheme-assigned.csv")) {
      if (line.startsWith("0x")) {
        String[] f = line.split(",");
        iana.put(Integer.parseInt(f[0].substring(2), 16), f[1]);
      }
    }
    Map<Integer, String> ours = table(SignatureSchemes::nameOf, 0xFFFF);
    assertThat(ours).isEqualTo(iana);
    assertConstantsMatch(SignatureSchemes.class, SignatureSchemes::nameOf, ours);
    Map<Integer, String> tshark = tsv("names/tshark-tls.handshake.sig_hash_alg.tsv", 10);
    ours.forEach((v, name) -> {
      if (tshark.containsKey(v)) {
        assertThat(name).as("0x%04X", v).isEqualTo(tshark.get(v));
      }
    });
  }

  // --- helpers

  private static Map<Integer, String> table(IntFunction<String> nameOf, int max) {
    Map<Integer, String> t = new TreeMap<>();
    for (int v = 0; v <= max; v++) {
      String n = nameOf.apply(v);
      if (n != null) {
        t.put(v, n);
      }
    }
    return t;
  }

  private static void assertNoDuplicateNames(Map<Integer, String> table) {
    assertThat(new HashSet<>(table.values())).hasSameSizeAs(table.values());
  }

  /** Every public constant names a value of the table, and every value of the table has one constant. */
  private static void assertConstantsMatch(Class<?> c, IntFunction<String> nameOf, Map<Integer, String> table) {
    Set<Integer> seen = new HashSet<>();
    for (Field f : c.getDeclaredFields()) {
      int m = f.getModifiers();
      if (Modifier.isPublic(m) && Modifier.isStatic(m) && f.getType() == int.class) {
        try {
          int v = f.getInt(null);
          assertThat(nameOf.apply(v)).as(f.getName()).isNotNull();
          assertThat(seen.add(v)).as("duplicate constant value " + f.getName()).isTrue();
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
      }
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(table.keySet());
  }

  /** tshark's title-case labels ("Close Notify", "Unknown CA") lower-cased with underscores. */
  private static void compareNormalized(Map<Integer, String> ours, Map<Integer, String> tshark, Set<Integer> skip) {
    int compared = 0;
    for (Map.Entry<Integer, String> e : ours.entrySet()) {
      String t = tshark.get(e.getKey());
      if (t != null && !skip.contains(e.getKey())) {
        assertThat(e.getValue().toLowerCase(Locale.ROOT)).as("%d", e.getKey())
            .isEqualTo(t.toLowerCase(Locale.ROOT).replace(' ', '_'));
        compared++;
      }
    }
    assertThat(compared).as("values compared with tshark").isGreaterThan(ours.size() / 2);
  }

  /** value (radix) TAB name; a later line for the same value wins (tshark lists SSLv2 handshake types first). */
  private static Map<Integer, String> tsv(String resource, int radix) throws IOException {
    Map<Integer, String> m = new TreeMap<>();
    for (String line : lines(resource)) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      // tshark prints values in the field's display base: "0x7f0e" for hex fields, "23" for decimal ones
      boolean hex = f[0].startsWith("0x");
      m.put(Integer.parseInt(hex ? f[0].substring(2) : f[0], hex ? 16 : radix), f[1]);
    }
    return m;
  }

  private static String[] lines(String resource) throws IOException {
    try (InputStream in = NameTablesTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
    }
  }
}
