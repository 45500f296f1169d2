package dev.wirelens.tls.x509;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.testkit.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every distinct certificate of the MIT/BSD/Apache/Unlicense corpus captures against openssl's view of it, both
 * recorded in x509/corpus-certs.tsv by scripts/tls-fingerprint/sweep-permissive-corpus.py.
 */
class CorpusCertificatesTest {

  record Cert(String capture, String frame, String[] fields) {
    @Override
    public String toString() {
      return capture + "#" + frame + " " + fields[3];
    }
  }

  static List<Cert> certificates() throws IOException {
    String text;
    try (InputStream in = CorpusCertificatesTest.class.getClassLoader().getResourceAsStream("x509/corpus-certs.tsv")) {
      assertThat(in).isNotNull();
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<Cert> certs = new ArrayList<>();
    for (String l : text.split("\n")) {
      if (!l.isEmpty() && !l.startsWith("#")) {
        String[] f = l.split("\t", -1);
        certs.add(new Cert(f[0], f[1], f));
      }
    }
    return certs;
  }

  @Test
  void aSubjectAltNameWithANulByteNamesNothing() throws IOException {
    // suricata-verify tls-altname-zero: "server15.xn--j1ahhq.xn\0-p1ai" among 17 DNS names; openssl rejects the
    // whole extension (recorded as its raw dump)
    Cert cert = certificates().stream().filter(c -> c.capture().equals("suricata-verify/tls/tls-altname-zero/input.pcap"))
        .findFirst().orElseThrow();
    CertificateSummary c = CertificateSummary.parse(Hex.decode(cert.fields()[2]));
    assertThat(c.isMalformed()).isFalse();
    assertThat(c.subjectAlternativeNamesMalformed()).isTrue();
    assertThat(c.subjectAlternativeNames()).isEmpty();
    assertThat(c.subjectCommonName()).isEqualTo("xn--j1ahhq.xn--p1ai");
    assertThat(c.matchesHostName("server1.xn--j1ahhq.xn--p1ai")).isFalse();
    assertThat(c.matchesHostName("xn--j1ahhq.xn--p1ai")).as("no CN fallback past a bad subjectAltName").isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("certificates")
  void summaryEqualsOpensslsView(Cert cert) throws IOException {
    CertificateSummary c = CertificateSummary.parse(Hex.decode(cert.fields()[2]));
    if (cert.fields()[3].startsWith("!")) {
      assertThat(c.isMalformed()).as("openssl could not read it: " + cert.fields()[3]).isTrue();
    } else {
      CertificateSummaryTest.assertEqualsOpenssl(c, CertificateSummaryTest.Oracle.fromSweep(cert.fields()));
    }
  }
}
