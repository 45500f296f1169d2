package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit --json} and {@code flows} on the illustrated TLS 1.2 and 1.3 connections (MIT captures and key logs
 * in tls/src/test/resources/vectors/tls), compared with tshark's facts recorded in
 * tls/src/test/resources/expected/session by scripts/record-tls-session-expectations.sh.
 */
class AuditTlsTest {
  static final Path TLS = Paths.get("../tls/src/test/resources");

  static Path capture(String name) {
    return TLS.resolve("vectors/tls/" + name + "/capture.pcap");
  }

  static Path keylog(String name) {
    return TLS.resolve("vectors/tls/" + name + "/keylog.txt");
  }

  /** The first row of tshark's tsv for {@code name}. */
  static Map<String, String> tshark(String name) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String l : Files.readAllLines(TLS.resolve("expected/session/" + name + "/capture.tsv"),
        StandardCharsets.UTF_8)) {
      if (!l.startsWith("#")) {
        lines.add(l);
      }
    }
    String[] header = lines.get(0).split("\t", -1);
    String[] row = lines.get(1).split("\t", -1);
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < header.length; i++) {
      m.put(header[i], row[i]);
    }
    return m;
  }

  static String versionName(String hex) {
    switch (hex) {
      case "0x0304": return "TLSv1.3";
      case "0x0303": return "TLSv1.2";
      default: return hex;
    }
  }

  @Test
  void tlsObjectWithKeyLogMatchesTshark() throws IOException {
    for (String name : new String[] {"illustrated-tls12", "illustrated-tls13"}) {
      Map<String, String> t = tshark(name);
      AuditRun r = AuditRun.run("--json", "--keylog", keylog(name).toString(), capture(name).toString());
      assertThat(r.code()).as(name).isZero();
      assertThat(r.err()).as(name).isEmpty();
      JsonNode tls = r.json().get(0).get("tls");
      assertThat(tls.get("version").asText()).as(name).isEqualTo(versionName(t.get("version")));
      assertThat(tls.get("cipher_suite_id").asText()).as(name).isEqualTo(t.get("cipher_suite_id"));
      assertThat(tls.get("sni").asText()).as(name).isEqualTo(t.get("sni"));
      assertThat(tls.get("ja3").asText()).as(name).isEqualTo(t.get("ja3"));
      assertThat(tls.get("certificates").get(0).get("sha256").asText()).as(name).isEqualTo(t.get("certificates"));
      assertThat(tls.get("decrypted").asBoolean()).as(name).isTrue();
      assertThat(tls.get("handshake_complete").asBoolean()).as(name).isTrue();
      assertThat(tls.get("decrypted_bytes").get("client").asLong() + ":").as(name)
          .isEqualTo(t.get("client_app").split(":")[0] + ":");
      assertThat(tls.get("decrypted_bytes").get("server").asLong() + ":").as(name)
          .isEqualTo(t.get("server_app").split(":")[0] + ":");
      assertThat(r.json().get(0).get("websocket").isNull()).isTrue();
    }
  }

  @Test
  void decryptionSecretsBlockBeforeOrAfterThePacketsDecryptsAFile() throws IOException {
    // made by scripts/make-tls-dsb-captures.sh (editcap --inject-secrets, then the block moved after the packets)
    Map<String, String> t = tshark("illustrated-tls13");
    for (String file : new String[] {"capture-dsb-first.pcapng", "capture-dsb-last.pcapng"}) {
      Path cap = TLS.resolve("vectors/tls/illustrated-tls13/" + file);
      JsonNode tls = AuditRun.run("--json", cap.toString()).json().get(0).get("tls");
      assertThat(tls.get("decrypted").asBoolean()).as(file).isTrue();
      assertThat(tls.get("certificates").get(0).get("sha256").asText()).as(file).isEqualTo(t.get("certificates"));
      assertThat(tls.get("decrypted_bytes").get("server").asLong() + ":").as(file)
          .isEqualTo(t.get("server_app").split(":")[0] + ":");
    }
  }

  @Test
  void decryptionSecretsBlockFirstDecryptsAPipe() throws IOException {
    byte[] capture = Files.readAllBytes(TLS.resolve("vectors/tls/illustrated-tls13/capture-dsb-first.pcapng"));
    AuditRun r = AuditRun.run(new java.io.ByteArrayInputStream(capture), "--json", "-");
    assertThat(r.json().get(0).get("tls").get("decrypted").asBoolean()).isTrue();
  }

  @Test
  void withoutKeysTls13HidesItsCertificate() {
    AuditRun r = AuditRun.run("--json", capture("illustrated-tls13").toString());
    JsonNode tls = r.json().get(0).get("tls");
    assertThat(tls.get("version").asText()).isEqualTo("TLSv1.3");
    assertThat(tls.get("certificates")).isEmpty();
    assertThat(tls.get("decrypted").asBoolean()).isFalse();
    assertThat(tls.get("decrypted_bytes").isNull()).isTrue();
  }

  @Test
  void tableHasTheTlsColumn() {
    AuditRun r = AuditRun.run("--keylog", keylog("illustrated-tls13").toString(), capture("illustrated-tls13").toString());
    assertThat(r.lines().get(0).split(" +")).endsWith("tls", "websocket", "verdict");
    assertThat(r.lines().get(1)).contains(" TLSv1.3 TLS_AES_256_GCM_SHA384 decrypted ");
  }

  @Test
  void keyLogWithMoreBadLinesThanKeptSaysHowManyAndThatTheCapWasHit(@TempDir Path dir) throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(keylog("illustrated-tls13")));
    int good = lines.size();
    for (int i = 0; i < 500; i++) {
      lines.add("CLIENT_RANDOM 00");
    }
    Path keys = Files.write(dir.resolve("noisy.keys"), lines);
    AuditRun r = AuditRun.run("--json", "--keylog", keys.toString(), capture("illustrated-tls13").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err().lines().toList()).containsExactly("wirelens audit: " + keys + ": 500 key log lines not"
        + " understood (first: line " + (good + 1) + ": MISSING_FIELD (CLIENT_RANDOM): expected LABEL <client random>"
        + " <secret>, found 2 field(s)); limits hit: KeyLog.MAX_PROBLEMS 400 (bad lines past the first 100 were"
        + " counted, not kept)");
    assertThat(r.json().get(0).get("tls").get("decrypted").asBoolean()).isTrue();
  }

  @Test
  void unreadableKeyLogIsOneErrorLine() {
    AuditRun r = AuditRun.run("--keylog", "no-such-keylog.txt", capture("illustrated-tls13").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines().toList()).hasSize(1);
    assertThat(r.err()).startsWith("wirelens audit: no-such-keylog.txt: ").doesNotContain("\tat ");
  }

  @Test
  void flowsWritesTheDecryptedStreamsTsharkFollows(@TempDir Path dir) throws IOException {
    for (String name : new String[] {"illustrated-tls12", "illustrated-tls13"}) {
      Map<String, String> t = tshark(name);
      Path out = dir.resolve(name);
      FlowsRun f = FlowsRun.file(out, capture(name), "--keylog", keylog(name).toString());
      assertThat(f.code()).as(f.err()).isZero();
      JsonNode tls = f.connections().get(0).get("tls");
      assertThat(tls.get("decrypted").asBoolean()).isTrue();
      byte[] client = f.bytes(tls.get("client").get("file").asText());
      byte[] server = f.bytes(tls.get("server").get("file").asText());
      assertThat(client.length + ":" + FlowsRun.sha256(client)).isEqualTo(t.get("client_app"));
      assertThat(server.length + ":" + FlowsRun.sha256(server)).isEqualTo(t.get("server_app"));
      assertThat(tls.get("client").get("file").asText()).isEqualTo("0-client.tls.bin");
    }
  }
}
