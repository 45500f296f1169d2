package dev.wirelens.examples.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tls.TlsAlert;
import dev.wirelens.tls.TlsSession;
import dev.wirelens.tls.x509.CertificateSummary;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Internal: the audit's {@code tls} object (design.md, "The wirelens command line") and its table cell.
 *
 * <pre>
 * "tls": {"version", "cipher_suite", "cipher_suite_id", "sni", "alpn_offered": [...], "alpn", "hello_retry_request",
 *   "resumed", "handshake_complete", "certificates": [{"subject", "issuer", "not_before", "not_after", "sans": [...],
 *   "sha256"}], "alerts": [{"from", "level", "description", "name"}], "ja3", "ja4", "decrypted",
 *   "decrypted_bytes": {"client": n, "server": n}}
 * </pre>
 *
 * {@code tls} is null when the connection's first bytes were not TLS. {@code decrypted_bytes} is null unless
 * {@code decrypted}. Certificate times are ISO-8601 UTC.
 */
final class TlsReportJson {
  private TlsReportJson() {}

  /** Writes the {@code "tls"} field: null or the object. */
  static void write(JsonGenerator g, TlsSession s) throws IOException {
    if (s == null) {
      g.writeNullField("tls");
      return;
    }
    g.writeObjectFieldStart("tls");
    string(g, "version", s.versionName());
    string(g, "cipher_suite", s.cipherSuiteName());
    string(g, "cipher_suite_id", s.cipherSuiteId());
    string(g, "sni", s.sni());
    strings(g, "alpn_offered", s.alpnOffered());
    string(g, "alpn", s.alpn());
    g.writeBooleanField("hello_retry_request", s.helloRetryRequest());
    g.writeBooleanField("resumed", s.resumed());
    g.writeBooleanField("handshake_complete", s.handshakeComplete());
    g.writeArrayFieldStart("certificates");
    for (CertificateSummary c : s.certificates()) {
      g.writeStartObject();
      string(g, "subject", c.subject());
      string(g, "issuer", c.issuer());
      instant(g, "not_before", c.notBefore());
      instant(g, "not_after", c.notAfter());
      strings(g, "sans", c.subjectAlternativeNames());
      string(g, "sha256", c.sha256());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("alerts");
    for (TlsAlert a : s.alerts()) {
      g.writeStartObject();
      g.writeStringField("from", side(a.from()));
      string(g, "level", a.isEncrypted() ? null : a.levelName());
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
    if (!s.decrypted()) {
      g.writeNullField("decrypted_bytes");
    } else {
      g.writeObjectFieldStart("decrypted_bytes");
      g.writeNumberField("client", s.decryptedBytes(Direction.CLIENT_TO_SERVER));
      g.writeNumberField("server", s.decryptedBytes(Direction.SERVER_TO_CLIENT));
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  /** The table's TLS cell: {@code -}, or {@code TLSv1.3 TLS_AES_256_GCM_SHA384 console.test decrypted}. */
  static String cell(TlsSession s) {
    if (s == null) {
      return "-";
    }
    StringBuilder b = new StringBuilder(s.versionName() == null ? "TLS?" : s.versionName());
    if (s.cipherSuiteName() != null) {
      b.append(' ').append(s.cipherSuiteName());
    } else if (s.cipherSuiteId() != null) {
      b.append(' ').append(s.cipherSuiteId());
    }
    if (s.sni() != null) {
      b.append(' ').append(s.sni());
    }
    if (s.decrypted()) {
      b.append(" decrypted");
    }
    return b.toString();
  }

  private static String side(Direction d) {
    return d == Direction.CLIENT_TO_SERVER ? "client" : "server";
  }

  private static void string(JsonGenerator g, String field, String value) throws IOException {
    if (value == null) {
      g.writeNullField(field);
    } else {
      g.writeStringField(field, value);
    }
  }

  private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
    g.writeArrayFieldStart(field);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }

  private static void instant(JsonGenerator g, String field, Instant t) throws IOException {
    string(g, field, t == null ? null : t.toString());
  }
}
