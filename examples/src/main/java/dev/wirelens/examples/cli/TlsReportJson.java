package dev.wirelens.examples.cli;

import dev.wirelens.tcp.Direction;
import dev.wirelens.tls.TlsAlert;
import dev.wirelens.tls.TlsSession;
import dev.wirelens.tls.x509.CertificateSummary;
import java.time.Instant;

/**
 * Internal: the audit's {@code tls} object (design.md, "The wirelens command line": version, cipher_suite,
 * cipher_suite_id, sni, alpn_offered, alpn, hello_retry_request, resumed, handshake_complete, certificates, alerts,
 * ja3, ja4, decrypted, decrypted_bytes) and the TLS column of the table, from a {@link TlsSession}. A connection
 * that never looked like TLS has {@code "tls": null}.
 */
final class TlsReportJson {
  private TlsReportJson() {}

  /** Writes the field {@code "tls"}: null, or the object of design.md. */
  static void write(JsonLineWriter g, TlsSession s) {
    if (s == null || !s.isTls()) {
      g.writeNullField("tls");
      return;
    }
    g.writeObjectFieldStart("tls");
    string(g, "version", s.versionName());
    string(g, "cipher_suite", s.cipherSuiteName());
    string(g, "cipher_suite_id", s.cipherSuiteId());
    string(g, "sni", s.sni());
    g.writeArrayFieldStart("alpn_offered");
    for (String p : s.alpnOffered()) {
      g.writeString(p);
    }
    g.writeEndArray();
    string(g, "alpn", s.alpn());
    g.writeBooleanField("hello_retry_request", s.helloRetryRequest());
    g.writeBooleanField("resumed", s.resumed());
    g.writeBooleanField("handshake_complete", s.handshakeComplete());
    g.writeArrayFieldStart("certificates");
    for (CertificateSummary c : s.certificates()) {
      g.writeStartObject();
      string(g, "subject", c.subject());
      string(g, "issuer", c.issuer());
      string(g, "not_before", instant(c.notBefore()));
      string(g, "not_after", instant(c.notAfter()));
      g.writeArrayFieldStart("sans");
      for (String san : c.subjectAlternativeNames()) {
        g.writeString(san);
      }
      g.writeEndArray();
      string(g, "sha256", c.sha256());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("alerts");
    for (TlsAlert a : s.alerts()) {
      g.writeStartObject();
      g.writeStringField("from", a.from() == Direction.CLIENT_TO_SERVER ? "client" : "server");
      string(g, "level", a.levelName());
      if (a.isEncrypted()) {
        g.writeNullField("description");
      } else {
        g.writeNumberField("description", a.description());
      }
      string(g, "name", a.name());
      g.writeEndObject();
    }
    g.writeEndArray();
    string(g, "ja3", s.ja3());
    string(g, "ja4", s.ja4());
    g.writeBooleanField("decrypted", s.decrypted());
    if (s.decrypted()) {
      g.writeObjectFieldStart("decrypted_bytes");
      g.writeNumberField("client", s.decryptedBytes(Direction.CLIENT_TO_SERVER));
      g.writeNumberField("server", s.decryptedBytes(Direction.SERVER_TO_CLIENT));
      g.writeEndObject();
    } else {
      g.writeNullField("decrypted_bytes");
    }
    g.writeEndObject();
  }

  /** The table's TLS column: "-" or e.g. "TLSv1.3 TLS_AES_128_GCM_SHA256 h2 decrypted". */
  static String column(TlsSession s) {
    if (s == null || !s.isTls()) {
      return "-";
    }
    StringBuilder sb = new StringBuilder(s.versionName() == null ? "TLS?" : s.versionName());
    if (s.cipherSuiteName() != null) {
      sb.append(' ').append(s.cipherSuiteName());
    }
    if (s.alpn() != null) {
      sb.append(' ').append(s.alpn());
    }
    if (s.decrypted()) {
      sb.append(" decrypted");
    }
    if (s.plaintextApplicationData()) {
      sb.append(" PLAINTEXT");
    }
    return sb.toString();
  }

  private static String instant(Instant i) {
    return i == null ? null : i.toString();
  }

  private static void string(JsonLineWriter g, String field, String value) {
    if (value == null) {
      g.writeNullField(field);
    } else {
      g.writeStringField(field, value);
    }
  }
}
