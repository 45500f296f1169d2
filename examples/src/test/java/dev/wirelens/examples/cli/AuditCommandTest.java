package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code audit} command's contract apart from the numbers (those: {@link AuditCommandMatchesTsharkTest}): the
 * JSON field names and types of design.md, id order, {@code --port}, the table, errors and exit codes, stdin.
 */
class AuditCommandTest {
  @TempDir Path dir;

  private static Set<String> keys(JsonNode node) {
    Set<String> keys = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      keys.add(it.next());
    }
    return keys;
  }

  private static void assertClientServerCounts(JsonNode pair) {
    assertThat(keys(pair)).containsExactly("client", "server");
    assertThat(pair.get("client").isIntegralNumber()).isTrue();
    assertThat(pair.get("server").isIntegralNumber()).isTrue();
  }

  private static void assertOneErrorLine(AuditRun r, String file, String problem) {
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines().toList()).hasSize(1);
    assertThat(r.err()).startsWith("wirelens audit: ").contains(file).contains(problem)
        .doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void everyJsonLineHasExactlyTheFieldsOfDesignMdWithTheirTypes() {
    for (String capture : CliCaptures.ALL) {
      AuditRun r = AuditRun.run("--json", CliCaptures.path(capture).toString());
      assertThat(r.code()).as(capture).isZero();
      assertThat(r.err()).as(capture).isEmpty();
      for (JsonNode line : r.json()) {
        assertThat(keys(line)).as(capture).containsExactly(
            "client", "duration_ms", "end", "id", "server", "start", "tcp", "tls", "websocket");
        assertThat(line.get("id").isIntegralNumber()).isTrue();
        for (String side : List.of("client", "server")) {
          assertThat(keys(line.get(side))).containsExactly("ip", "port");
          assertThat(line.get(side).get("ip").isTextual()).isTrue();
          assertThat(line.get(side).get("port").isIntegralNumber()).isTrue();
        }
        assertThat(line.get("start").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z");
        assertThat(line.get("end").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z");
        assertThat(line.get("duration_ms").isNumber()).isTrue();
        if (!line.get("tls").isNull()) {
          assertThat(keys(line.get("tls"))).containsExactly("alerts", "alpn", "alpn_offered", "certificates",
              "cipher_suite", "cipher_suite_id", "decrypted", "decrypted_bytes", "handshake_complete",
              "hello_retry_request", "ja3", "ja4", "resumed", "sni", "version");
        }
        assertThat(line.get("websocket").isNull()).isTrue();
        JsonNode tcp = line.get("tcp");
        assertThat(keys(tcp)).containsExactly("bytes", "close", "closed_by", "duplicate_acks", "gaps", "handshake",
            "out_of_order", "packets", "retransmissions", "zero_windows");
        assertThat(tcp.get("handshake").asText()).isIn("complete", "syn_synack", "syn_only", "missing");
        assertThat(tcp.get("close").asText()).isIn("fin", "rst", "open");
        assertThat(tcp.get("closed_by").isNull() || Set.of("client", "server").contains(tcp.get("closed_by").asText()))
            .isTrue();
        for (String pair : List.of("packets", "bytes", "retransmissions", "out_of_order", "zero_windows",
            "duplicate_acks")) {
          assertClientServerCounts(tcp.get(pair));
        }
        assertThat(keys(tcp.get("gaps"))).containsExactly("client", "server");
        for (String side : List.of("client", "server")) {
          assertThat(keys(tcp.get("gaps").get(side))).containsExactly("bytes", "count");
          assertThat(tcp.get("gaps").get(side).get("count").isIntegralNumber()).isTrue();
          assertThat(tcp.get("gaps").get(side).get("bytes").isIntegralNumber()).isTrue();
        }
      }
    }
  }

  @Test
  void linesComeInIdOrderWithEveryIdOnce() {
    for (String capture : CliCaptures.ALL) {
      List<Long> ids = new ArrayList<>();
      for (JsonNode line : AuditRun.run("--json", CliCaptures.path(capture).toString()).json()) {
        ids.add(line.get("id").asLong());
      }
      for (int i = 0; i < ids.size(); i++) {
        assertThat(ids.get(i)).as(capture).isEqualTo(i);
      }
    }
  }

  @Test
  void portKeepsOnlyConnectionsWithThatServerPort() {
    String http = CliCaptures.path("http.pcap").toString(); // two connections to port 8080 (captures/README.md)
    assertThat(AuditRun.run("--json", "--port", "8080", http).json()).hasSize(2);
    assertThat(AuditRun.run("--json", "--port", "9", http).json()).isEmpty();
    assertThat(AuditRun.run("--json", "--port", "9", "--port", "8080", http).json()).hasSize(2);
    AuditRun clientPort = AuditRun.run("--json", "--port", "57320", http); // a client port, not a server port
    assertThat(clientPort.code()).isZero();
    assertThat(clientPort.json()).isEmpty();
  }

  @Test
  void aPortOutOfRangeIsBadUsage() {
    AuditRun r = AuditRun.run("--port", "65536", CliCaptures.path("http.pcap").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines().toList()).hasSize(1);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void theTableHasAHeaderOneRowPerConnectionAndACount() {
    AuditRun r = AuditRun.run(CliCaptures.path("http.pcap").toString());
    assertThat(r.code()).isZero();
    List<String> lines = r.lines();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0).split(" +")).containsExactly("id", "client", "server", "duration", "handshake",
        "close", "packets", "bytes", "gaps", "retrans", "tls", "websocket");
    // tshark: stream 0 10.200.0.1:57320 -> 10.200.0.2:8080, 6 packets each way, completeness 31 (audit.tsv)
    assertThat(lines.get(1).split(" +")).startsWith("0", "10.200.0.1:57320", "10.200.0.2:8080");
    assertThat(lines.get(1)).contains(" complete ").contains(" fin ").contains(" 6/6 ");
    assertThat(lines.get(2).split(" +")).startsWith("1", "[fd00:200::1]:36056", "[fd00:200::2]:8080");
    assertThat(lines.get(3)).startsWith("2 TCP connections");
  }

  @Test
  void standardInputIsReadWithDash() throws IOException {
    byte[] capture = Files.readAllBytes(CliCaptures.path("http.pcap"));
    AuditRun fromStdin = AuditRun.run(new ByteArrayInputStream(capture), "--json", "-");
    AuditRun fromFile = AuditRun.run("--json", CliCaptures.path("http.pcap").toString());
    assertThat(fromStdin.code()).isZero();
    assertThat(fromStdin.out()).isEqualTo(fromFile.out()).isNotEmpty();
  }

  @Test
  void aMissingFileIsOneErrorLineNamingIt() {
    String missing = dir.resolve("missing.pcap").toString();
    AuditRun r = AuditRun.run("--json", missing);
    assertOneErrorLine(r, missing, "no such file");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aFileThatIsNotACaptureIsOneErrorLineNamingIt() throws IOException {
    Path junk = Files.writeString(dir.resolve("notes.txt"), "this is not a capture file at all\n");
    AuditRun r = AuditRun.run("--json", junk.toString());
    assertOneErrorLine(r, junk.toString(), "not a pcap or pcapng capture");
  }

  @Test
  void aTruncatedCaptureStillPrintsValidJsonLinesForWhatWasReadThenExitsWith2() {
    // truncated.pcapng: ethernet.pcapng cut inside its 34th packet, in the IPv6 connection (captures/README.md)
    String truncated = CliCaptures.path("truncated.pcapng").toString();
    AuditRun r = AuditRun.run("--json", truncated);
    assertOneErrorLine(r, truncated, "truncated capture");
    List<JsonNode> lines = r.json();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).get("tcp").get("close").asText()).isEqualTo("fin");
    assertThat(lines.get(1).get("tcp").get("close").asText()).isEqualTo("open");
  }

  @Test
  void noCommandArgumentIsBadUsage() {
    AuditRun r = AuditRun.run();
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).doesNotContain("Exception");
  }

  @Test
  void helpSaysThereIsNoVerdictYet() {
    AuditRun r = AuditRun.run("--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("No verdict is given yet");
  }
}
