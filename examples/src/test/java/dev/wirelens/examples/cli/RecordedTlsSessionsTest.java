package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code audit --json --keylog} on the recorded TLS captures against tshark's per-record dissection with the key
 * log ({@code <capture>.tls-keys.tsv}, one row per record and handshake message): per stream, the negotiated version
 * (ServerHello supported_versions), cipher suite, SNI and offered ALPN of the first ClientHello, the chosen ALPN
 * (ServerHello or EncryptedExtensions), HelloRetryRequest (the special random), JA3, and the alert descriptions in
 * order with who sent them.
 */
class RecordedTlsSessionsTest {
  static final String HRR = "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c";

  /** What tshark's rows say of one stream, in the audit's words. */
  static Map<Long, Map<String, String>> expected(Path tsv) throws IOException {
    Map<Long, Map<String, String>> out = new LinkedHashMap<>();
    Map<Long, String> clients = new HashMap<>();
    String[] header = null;
    for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
      if (line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t", -1);
      if (header == null) {
        header = f;
        continue;
      }
      Map<String, String> r = new HashMap<>();
      for (int i = 0; i < header.length && i < f.length; i++) {
        r.put(header[i], f[i]);
      }
      long stream = Long.parseLong(r.get("stream"));
      String from = r.get("src") + ":" + r.get("srcport");
      Map<String, String> e = out.computeIfAbsent(stream, k -> new HashMap<>(Map.of("hrr", "false", "alerts", "")));
      String hs = r.get("hs_type");
      if ("1".equals(hs) && !clients.containsKey(stream)) {
        clients.put(stream, from);
        e.put("sni", r.get("server_name"));
        e.put("alpn_offered", r.get("alpn").replace(';', ','));
        e.put("ja3", r.get("ja3"));
      }
      if ("2".equals(hs)) {
        if (HRR.equals(r.get("random"))) {
          e.put("hrr", "true");
        } else {
          e.put("version", r.get("supported_versions").isEmpty() ? r.get("hs_version") : r.get("supported_versions"));
          e.put("cipher_suite_id", r.get("cipher_suites"));
        }
      }
      if (("2".equals(hs) || "8".equals(hs)) && !r.get("alpn").isEmpty()) {
        e.put("alpn", r.get("alpn"));
      }
      // The recordings' alert rows have one column fewer than the header (the description sits under
      // "alert_level", "alert_desc" is empty): take whichever of the two is there.
      String desc = r.getOrDefault("alert_desc", "").isEmpty() ? r.getOrDefault("alert_level", "") : r.get("alert_desc");
      if ("21".equals(r.get("content_type")) && !desc.isEmpty()) {
        String who = from.equals(clients.get(stream)) ? "client" : "server";
        e.put("alerts", e.get("alerts") + (e.get("alerts").isEmpty() ? "" : ",") + who + ":" + desc);
      }
    }
    return out;
  }

  static String versionName(String hex) {
    switch (hex) {
      case "0x0304": return "TLSv1.3";
      case "0x0303": return "TLSv1.2";
      case "0x0302": return "TLSv1.1";
      case "0x0301": return "TLSv1.0";
      default: return hex;
    }
  }

  @Test
  void sessionFactsEqualTsharksRecords() throws IOException {
    List<String> diffs = new ArrayList<>();
    int streams = 0;
    for (Path[] c : RecordedTlsCapturesTest.captures()) {
      String base = c[2].getFileName().toString().replace(".plaintext.tsv", "");
      Path tsv = c[2].getParent().resolve(base + ".tls-keys.tsv");
      if (!Files.isRegularFile(tsv)) {
        continue;
      }
      AuditRun r = AuditRun.run("--json", "--keylog", c[1].toString(), c[0].toString());
      for (Map.Entry<Long, Map<String, String>> s : expected(tsv).entrySet()) {
        streams++;
        Map<String, String> e = s.getValue();
        String at = base + "#" + s.getKey() + " ";
        JsonNode line = r.json().stream().filter(l -> l.get("id").asLong() == s.getKey()).findFirst().orElse(null);
        if (line == null || line.get("tls").isNull()) {
          diffs.add(at + "no tls object");
          continue;
        }
        JsonNode tls = line.get("tls");
        check(diffs, at + "version", e.containsKey("version") ? versionName(e.get("version")) : null,
            text(tls.get("version")));
        check(diffs, at + "cipher_suite_id", e.get("cipher_suite_id"), text(tls.get("cipher_suite_id")));
        check(diffs, at + "sni", blank(e.get("sni")), text(tls.get("sni")));
        List<String> offered = new ArrayList<>();
        tls.get("alpn_offered").forEach(n -> offered.add(n.asText()));
        check(diffs, at + "alpn_offered", e.getOrDefault("alpn_offered", ""), String.join(",", offered));
        check(diffs, at + "alpn", blank(e.get("alpn")), text(tls.get("alpn")));
        check(diffs, at + "hello_retry_request", e.get("hrr"), tls.get("hello_retry_request").asText());
        check(diffs, at + "ja3", blank(e.get("ja3")), text(tls.get("ja3")));
        List<String> alerts = new ArrayList<>();
        tls.get("alerts").forEach(a -> alerts.add(a.get("from").asText() + ":" + a.get("description").asText()));
        check(diffs, at + "alerts", e.get("alerts"), String.join(",", alerts));
      }
    }
    assertThat(streams).isGreaterThan(20);
    assertThat(diffs).isEmpty();
  }

  static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }

  static String blank(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  static void check(List<String> diffs, String what, String expected, String actual) {
    if (!java.util.Objects.equals(expected, actual)) {
      diffs.add(what + ": expected " + expected + " got " + actual);
    }
  }
}
