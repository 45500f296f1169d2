package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** {@code wirelens audit}'s verdict: the JSON object, the table's last lines, and design.md's exit codes 0/1/2. */
class AuditVerdictCommandTest {
  private static String path(String name) {
    return CliCaptures.path(name).toString();
  }

  @Test
  void theSampleIsEncryptedAndStableSoEveryFailOptionExitsWithZero() {
    AuditRun r = AuditRun.run("--json", "--fail-on-plaintext", "--fail-on-unstable", "--port", "8084", "--keylog",
        path("agent-console.keys"), path("agent-console.pcapng"));
    assertThat(r.code()).isZero();
    JsonNode verdict = r.json().get(0).get("verdict");
    assertThat(verdict.get("encrypted").asBoolean()).isTrue();
    assertThat(verdict.get("stable").asBoolean()).isTrue();
    assertThat(verdict.get("reasons")).isEmpty();
  }

  @Test
  void plaintextExitsWithOneOnlyWhenAskedTo() {
    assertThat(AuditRun.run(path("http.pcap")).code()).isZero();
    AuditRun failing = AuditRun.run("--fail-on-plaintext", path("http.pcap"));
    assertThat(failing.code()).isEqualTo(1);
    assertThat(failing.err()).isEmpty();
    assertThat(failing.lines()).contains("  connection 0: plaintext application data on port 8080");
    assertThat(AuditRun.run("--fail-on-unstable", path("http.pcap")).code()).isZero();
  }

  @Test
  void aResetExitsWithOneUnderFailOnUnstable() {
    AuditRun r = AuditRun.run("--json", "--fail-on-unstable", path("websocket/ws-reset-v4.pcap"));
    assertThat(r.code()).isEqualTo(1);
    JsonNode verdict = r.json().get(0).get("verdict");
    assertThat(verdict.get("stable").asBoolean()).isFalse();
    assertThat(verdict.get("reasons").toString()).contains("connection 0: reset by client");
  }

  @Test
  void anEncryptedButUnstableConnectionExitsWithOneOnlyUnderFailOnUnstable() {
    // tls12-alert-unknown-ca (captures/tls/README.md): TLS 1.2 from the first byte, the certificate in the clear
    // names the SNI, then the client's fatal unknown_ca alert: encrypted, not stable
    String capture = path("tls/tls12-alert-unknown-ca.pcap");
    AuditRun plain = AuditRun.run("--json", capture);
    assertThat(plain.code()).isZero();
    JsonNode verdict = plain.json().get(0).get("verdict");
    assertThat(verdict.get("encrypted").asBoolean()).isTrue();
    assertThat(verdict.get("stable").asBoolean()).isFalse();
    assertThat(AuditRun.run("--fail-on-plaintext", capture).code()).isZero();
    AuditRun failing = AuditRun.run("--fail-on-unstable", capture);
    assertThat(failing.code()).isEqualTo(1);
    assertThat(failing.err()).isEmpty();
    assertThat(AuditRun.run("--fail-on-plaintext", "--fail-on-unstable", capture).code()).isEqualTo(1);
  }

  @Test
  void anUnreadableInputExitsWithTwoEvenWhenTheVerdictFailed() {
    // truncated.pcapng: ethernet.pcapng cut inside its 34th packet (captures/README.md); its connections carry HTTP
    // in the clear to port 8080 (tshark -z conv,tcp), so --fail-on-plaintext fails too, but the broken input decides
    AuditRun r = AuditRun.run("--json", "--fail-on-plaintext", "--fail-on-unstable", path("truncated.pcapng"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.json()).isNotEmpty();
    assertThat(r.json().stream().anyMatch(l -> !l.get("verdict").get("encrypted").asBoolean())).isTrue();
    assertThat(r.err().lines().toList()).hasSize(1);
    assertThat(r.err()).startsWith("wirelens audit: " + path("truncated.pcapng") + ": ");
  }

  @Test
  void badUsageExitsWithTwo() {
    AuditRun r = AuditRun.run("--fail-on-plaintext", "--no-such-option", path("http.pcap"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void onlyThePrintedConnectionsDecideTheExitCode() {
    // http.pcap's connections go to port 8080: none is printed under --port 8084, so nothing fails
    assertThat(AuditRun.run("--fail-on-plaintext", "--port", "8084", path("http.pcap")).code()).isZero();
  }

  @Test
  void aMissingKeyLogIsOneErrorLineAndExitCodeTwo() {
    AuditRun r = AuditRun.run("--keylog", "/no/such/keys", path("agent-console.pcapng"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines().toList()).containsExactly("wirelens audit: /no/such/keys: no such file");
  }

  @Test
  void aCaptureGivenAsKeyLogIsOneErrorLineAndExitCodeTwo() {
    AuditRun r = AuditRun.run("--keylog", path("http.pcap"), path("agent-console.pcapng"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines().toList()).hasSize(1);
    assertThat(r.err()).startsWith("wirelens audit: " + path("http.pcap") + ": not a TLS key log")
        .doesNotContain("Exception");
  }

  @Test
  void withoutKeysTheSampleShowsTlsButNoWebSocket() {
    JsonNode line = AuditRun.run("--json", path("agent-console.pcapng")).json().get(0);
    assertThat(line.get("tls").get("version").asText()).isEqualTo("TLSv1.3");
    assertThat(line.get("tls").get("decrypted").asBoolean()).isFalse();
    assertThat(line.get("tls").get("certificates")).isEmpty(); // TLS 1.3 sends it encrypted
    assertThat(line.get("websocket").isNull()).isTrue();
    assertThat(line.get("verdict").get("encrypted").asBoolean()).isTrue();
  }

  @Test
  void theTableEndsWithTheVerdict() {
    AuditRun r = AuditRun.run("--keylog", path("agent-console.keys"), path("agent-console.pcapng"));
    assertThat(r.lines().get(1)).contains("TLSv1.3 TLS_AES_256_GCM_SHA384 decrypted")
        .endsWith("encrypted,stable");
    assertThat(r.lines().get(r.lines().size() - 1)).isEqualTo("verdict: encrypted, stable");
  }
}
