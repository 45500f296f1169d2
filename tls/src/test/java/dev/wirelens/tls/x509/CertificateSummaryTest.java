package dev.wirelens.tls.x509;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Malformation;
import dev.wirelens.testkit.BufferShape;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CertificateSummary against openssl's view of each certificate in {@code x509/}, recorded beside it by
 * {@code scripts/tls-x509/record-openssl.sh} (see x509/SOURCES.md).
 */
public class CertificateSummaryTest {

  static Stream<String> certificates() {
    return Stream.of("ca", "rsa2048", "ecp256", "ecp384-self", "ed25519-self", "wildcard", "ip-email-uri",
        "expired", "no-san", "utf8-subject", "corpus-ulfheim-rsa", "corpus-hotplace-ecdsa", "corpus-snet-server",
        "corpus-snet-client");
  }

  @ParameterizedTest
  @MethodSource("certificates")
  void summaryEqualsOpensslsView(String name) throws IOException {
    assertEqualsOpenssl(CertificateSummary.parse(der(name)), Oracle.read(name));
  }

  /** Asserts that {@code c} says what openssl said about the same certificate. */
  public static void assertEqualsOpenssl(CertificateSummary c, Oracle o) throws IOException {
    assertThat(c.isMalformed()).as(String.valueOf(c.problem())).isFalse();
    assertThat(c.malformation()).isEqualTo(Malformation.NONE);
    assertThat(c.problem()).isNull();
    assertThat(c.subject()).isEqualTo(o.subject);
    assertThat(c.issuer()).isEqualTo(o.issuer);
    assertThat(c.notBefore()).isEqualTo(o.notBefore);
    assertThat(c.notAfter()).isEqualTo(o.notAfter);
    assertThat(c.sha256()).isEqualTo(o.sha256);
    assertThat(c.signatureAlgorithm()).isEqualTo(o.signatureAlgorithm);
    assertThat(c.keyType()).isEqualTo(o.keyType);
    if (o.keyBits > 0) {
      assertThat(c.keySize()).isEqualTo(o.keyBits);
    }
    assertThat(c.keyCurve()).isEqualTo(o.curve);
    assertThat(c.dnsNames()).isEqualTo(o.sans.get("DNS"));
    assertThat(c.emailAddresses()).isEqualTo(o.sans.get("email"));
    assertThat(c.uris()).isEqualTo(o.sans.get("URI"));
    assertThat(c.ipAddresses()).hasSameSizeAs(o.sans.get("IP Address"));
    for (int i = 0; i < c.ipAddresses().size(); i++) {
      assertThat(InetAddress.getByName(c.ipAddresses().get(i)))
          .isEqualTo(InetAddress.getByName(o.sans.get("IP Address").get(i)));
    }
    assertThat(c.subjectAlternativeNames()).hasSize(o.sanCount);
    assertThat(c.subjectAlternativeNamesMalformed()).isEqualTo(o.sanUndecodable);
  }

  @Test
  void keyDescriptionsNameTypeAndCurveOrSize() throws IOException {
    assertThat(CertificateSummary.parse(der("rsa2048")).keyDescription()).isEqualTo("RSA 2048");
    assertThat(CertificateSummary.parse(der("wildcard")).keyDescription()).isEqualTo("RSA 3072");
    assertThat(CertificateSummary.parse(der("ecp256")).keyDescription()).isEqualTo("EC P-256");
    assertThat(CertificateSummary.parse(der("ecp384-self")).keyDescription()).isEqualTo("EC P-384");
    CertificateSummary ed = CertificateSummary.parse(der("ed25519-self"));
    assertThat(ed.keyDescription()).isEqualTo("Ed25519");
    assertThat(ed.keySize()).isEqualTo(256);
  }

  @Test
  void ipv6SubjectAlternativeNamesAreInRfc5952Form() throws IOException {
    // openssl prints 2001:DB8:0:0:0:0:0:1 (recorded); RFC 5952 §4 wants it compressed and lower case
    assertThat(CertificateSummary.parse(der("ip-email-uri")).subjectAlternativeNames()).containsExactly(
        "192.0.2.10", "2001:db8::1", "ops@example.test", "https://console.example.test/agent");
  }

  @Test
  void wildcardMatchesExactlyOneLeftmostLabel() throws IOException {
    CertificateSummary c = CertificateSummary.parse(der("wildcard"));
    assertThat(c.matchesHostName("agent.wild.example.test")).isTrue();
    assertThat(c.matchesHostName("AGENT.Wild.Example.TEST")).isTrue();
    assertThat(c.matchesHostName("agent.wild.example.test.")).isTrue();
    assertThat(c.matchesHostName("wild.example.test")).as("listed without wildcard too").isTrue();
    assertThat(c.matchesHostName("a.b.wild.example.test")).isFalse();
    assertThat(c.matchesHostName(".wild.example.test")).isFalse();
    assertThat(c.matchesHostName("example.test")).isFalse();
    assertThat(c.matchesHostName("agent.wild.example.test.evil")).isFalse();
    assertThat(c.matchesHostName("")).isFalse();
    assertThat(c.matchesHostName(null)).isFalse();
  }

  @Test
  void dnsNamesAreMatchedOnlyAgainstDnsSubjectAlternativeNames() throws IOException {
    CertificateSummary c = CertificateSummary.parse(der("rsa2048"));
    assertThat(c.matchesHostName("console.example.test")).isTrue();
    assertThat(c.matchesHostName("www.console.example.test")).isTrue();
    assertThat(c.matchesHostName("example.test")).isFalse();
    assertThat(c.matchesHostName("x.console.example.test")).isFalse();
  }

  @Test
  void ipLiteralsAreMatchedAgainstIpAddressEntries() throws IOException {
    CertificateSummary c = CertificateSummary.parse(der("ip-email-uri"));
    assertThat(c.matchesHostName("192.0.2.10")).isTrue();
    assertThat(c.matchesHostName("2001:DB8:0::1")).isTrue();
    assertThat(c.matchesHostName("[2001:db8::1]")).isTrue();
    assertThat(c.matchesHostName("192.0.2.11")).isFalse();
    assertThat(c.matchesHostName("agent #7")).as("CN is not used when SANs exist").isFalse();
    assertThat(CertificateSummary.parse(der("rsa2048")).matchesHostName("192.0.2.10")).isFalse();
  }

  @Test
  void commonNameIsUsedOnlyWhenThereIsNoSubjectAlternativeName() throws IOException {
    CertificateSummary noSan = CertificateSummary.parse(der("no-san"));
    assertThat(noSan.subjectAlternativeNames()).isEmpty();
    assertThat(noSan.subjectCommonName()).isEqualTo("nosan.example.test");
    assertThat(noSan.matchesHostName("nosan.example.test")).isTrue();
    assertThat(noSan.matchesHostName("other.example.test")).isFalse();
    CertificateSummary idn = CertificateSummary.parse(der("utf8-subject"));
    assertThat(idn.subjectCommonName()).isEqualTo("münchen.example.test");
    assertThat(idn.matchesHostName("xn--mnchen-3ya.example.test")).isTrue();
    assertThat(idn.matchesHostName("münchen.example.test")).as("U-labels are not converted").isFalse();
  }

  @Test
  void validityIncludesBothEnds() throws IOException {
    CertificateSummary c = CertificateSummary.parse(der("expired"));
    Oracle o = Oracle.read("expired");
    assertThat(c.isValidAt(o.notBefore)).isTrue();
    assertThat(c.isValidAt(o.notAfter)).isTrue();
    assertThat(c.isValidAt(o.notBefore.minusSeconds(1))).isFalse();
    assertThat(c.isValidAt(o.notAfter.plusSeconds(1))).isFalse();
    assertThat(c.isValidAt(Instant.parse("2026-01-01T00:00:00Z"))).isFalse();
    assertThat(CertificateSummary.parse(der("rsa2048")).isValidAt(Instant.parse("2026-01-01T00:00:00Z"))).isTrue();
  }

  @Test
  void everyPrefixOfACertificateIsTruncated() throws IOException {
    byte[] der = der("ecp256");
    for (int n = 0; n < der.length; n++) {
      CertificateSummary c = CertificateSummary.parse(java.util.Arrays.copyOf(der, n));
      assertThat(c.malformation()).as("prefix %d", n).isEqualTo(Malformation.TRUNCATED);
      assertThat(c.subject()).isNull();
      assertThat(c.subjectAlternativeNames()).isEmpty();
      assertThat(c.isValidAt(Instant.parse("2026-01-01T00:00:00Z"))).isFalse();
      assertThat(c.matchesHostName("ec256.example.test")).isFalse();
    }
  }

  @Test
  void bytesAfterTheCertificateAreABadLength() throws IOException {
    byte[] der = der("ecp256");
    byte[] longer = java.util.Arrays.copyOf(der, der.length + 1);
    CertificateSummary c = CertificateSummary.parse(longer);
    assertThat(c.malformation()).isEqualTo(Malformation.BAD_LENGTH_FIELD);
    assertThat(c.problem()).isEqualTo("1 bytes follow the certificate's DER SEQUENCE");
  }

  @Test
  void aSequenceThatIsNotACertificateIsMalformedNotAnException() {
    // SEQUENCE { INTEGER 0 }
    CertificateSummary c = CertificateSummary.parse(new byte[] {0x30, 0x03, 0x02, 0x01, 0x00});
    assertThat(c.malformation()).isEqualTo(Malformation.BAD_LENGTH_FIELD);
    assertThat(c.problem()).startsWith("invalid X.509 DER: ");
    assertThat(c.sha256()).hasSize(64);
    // OCTET STRING, not a SEQUENCE
    assertThat(CertificateSummary.parse(new byte[] {0x04, 0x01, 0x00}).malformation())
        .isEqualTo(Malformation.BAD_LENGTH_FIELD);
    // indefinite length is not DER
    assertThat(CertificateSummary.parse(new byte[] {0x30, (byte) 0x80, 0x00, 0x00}).malformation())
        .isEqualTo(Malformation.BAD_LENGTH_FIELD);
  }

  @Property(tries = 300)
  void anyCorruptedByteGivesASummaryNotAnException(@ForAll @IntRange(min = 0, max = 100_000) int position,
      @ForAll byte value) throws IOException {
    byte[] der = der("ip-email-uri");
    der[position % der.length] = value;
    CertificateSummary c = CertificateSummary.parse(der);
    assertThat(c.sha256()).hasSize(64);
    if (c.isMalformed()) {
      assertThat(c.problem()).isNotNull();
    }
  }

  @ParameterizedTest
  @EnumSource(BufferShape.class)
  void aByteBufRangeIsReadWhateverTheBufferShape(BufferShape shape) throws IOException {
    byte[] der = der("rsa2048");
    byte[] padded = new byte[der.length + 10];
    System.arraycopy(der, 0, padded, 7, der.length);
    ByteBuf buf = shape.wrap(padded);
    try {
      int readerIndex = buf.readerIndex();
      CertificateSummary c = CertificateSummary.parse(buf, readerIndex + 7, der.length);
      assertThat(c.sha256()).isEqualTo(Oracle.read("rsa2048").sha256);
      assertThat(c.subject()).isEqualTo(Oracle.read("rsa2048").subject);
      assertThat(buf.readerIndex()).isEqualTo(readerIndex);
    } finally {
      buf.release();
    }
  }

  // --- oracle files

  static byte[] der(String name) throws IOException {
    try (InputStream in = CertificateSummaryTest.class.getClassLoader().getResourceAsStream("x509/" + name + ".der")) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  /** The lines of {@code x509/<name>.txt}: openssl output, see record-openssl.sh. */
  public static final class Oracle {
    private static final DateTimeFormatter OPENSSL_DATE =
        DateTimeFormatter.ofPattern("MMM d HH:mm:ss yyyy 'GMT'", Locale.ROOT);

    String subject;
    String issuer;
    Instant notBefore;
    Instant notAfter;
    String sha256;
    String signatureAlgorithm;
    String keyType;
    int keyBits;
    String curve;
    String asn1Oid;
    int sanCount;
    boolean sanUndecodable;
    final Map<String, List<String>> sans = Map.of("DNS", new ArrayList<>(), "IP Address", new ArrayList<>(),
        "email", new ArrayList<>(), "URI", new ArrayList<>());

    /** A line of x509/corpus-certs.tsv from its fourth column on (see sweep-permissive-corpus.py). */
    public static Oracle fromSweep(String[] f) {
      Oracle o = new Oracle();
      o.subject = f[3];
      o.issuer = f[4];
      o.notBefore = date(f[5]);
      o.notAfter = date(f[6]);
      if (!f[7].isEmpty()) {
        o.addSans(f[7]);
      }
      o.sha256 = f[8].replace(":", "").toLowerCase(Locale.ROOT);
      // openssl annotates a bad RSASSA-PSS AlgorithmIdentifier: "rsassaPss        (INVALID PSS PARAMETERS)"
      o.signatureAlgorithm = f[9].replaceFirst(" +\\(INVALID PSS PARAMETERS\\)$", "");
      o.keyType = keyType(f[10]);
      o.keyBits = f[11].isEmpty() ? 0 : Integer.parseInt(f[11]);
      o.curve = !f[12].isEmpty() ? f[12] : f[13].isEmpty() ? null : f[13];
      return o;
    }

    static String keyType(String opensslName) {
      return Map.of("rsaEncryption", "RSA", "id-ecPublicKey", "EC", "ED25519", "Ed25519", "ED448", "Ed448",
          "dsaEncryption", "DSA", "rsassaPss", "RSA-PSS").getOrDefault(opensslName, opensslName);
    }

    private void addSans(String line) {
      for (String entry : line.split(", ")) {
        int colon = entry.indexOf(':');
        if (colon < 0) {
          // "<EMPTY>" (an empty GeneralNames) or openssl's raw dump of a subjectAltName it cannot decode
          sanUndecodable |= !entry.equals("<EMPTY>");
          continue;
        }
        List<String> list = sans.get(entry.substring(0, colon));
        if (list != null) {
          list.add(entry.substring(colon + 1));
        }
        sanCount += list != null ? 1 : 0;
      }
    }

    static Oracle read(String name) throws IOException {
      Oracle o = new Oracle();
      String text;
      try (InputStream in = CertificateSummaryTest.class.getClassLoader()
          .getResourceAsStream("x509/" + name + ".txt")) {
        assertThat(in).as(name + ".txt").isNotNull();
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      String[] lines = text.split("\n");
      for (int i = 0; i < lines.length; i++) {
        String l = lines[i];
        if (l.startsWith("subject=")) {
          o.subject = l.substring(8);
        } else if (l.startsWith("issuer=")) {
          o.issuer = l.substring(7);
        } else if (l.startsWith("notBefore=")) {
          o.notBefore = date(l.substring(10));
        } else if (l.startsWith("notAfter=")) {
          o.notAfter = date(l.substring(9));
        } else if (l.startsWith("sha256 Fingerprint=")) {
          o.sha256 = l.substring(19).replace(":", "").toLowerCase(Locale.ROOT);
        } else if (l.startsWith("Signature Algorithm: ")) {
          o.signatureAlgorithm = l.substring(21);
        } else if (l.startsWith("Public Key Algorithm: ")) {
          o.keyType = keyType(l.substring(22));
        } else if (l.startsWith("Public-Key: (")) {
          o.keyBits = Integer.parseInt(l.substring(13, l.indexOf(' ', 13)));
        } else if (l.startsWith("NIST CURVE: ")) {
          o.curve = l.substring(12);
        } else if (l.startsWith("ASN1 OID: ")) {
          o.asn1Oid = l.substring(10);
        } else if (l.startsWith("X509v3 Subject Alternative Name:")) {
          o.addSans(lines[++i].trim());
        }
      }
      if (o.curve == null && o.asn1Oid != null) {
        o.curve = o.asn1Oid; // a curve without a NIST name: openssl prints only its SEC name
      }
      return o;
    }

    private static Instant date(String s) {
      return LocalDateTime.parse(s.replaceAll(" +", " "), OPENSSL_DATE).toInstant(ZoneOffset.UTC);
    }
  }
}
