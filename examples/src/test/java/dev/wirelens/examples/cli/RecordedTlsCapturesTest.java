package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorded TLS captures (scripts/, with their key logs) through {@code flows --keylog} and
 * {@code audit --json --keylog}: each connection's decrypted application data equals tshark's
 * {@code follow,tls} (the {@code <capture>.plaintext.tsv} files: length and SHA-256 per stream and direction), and
 * the audit's {@code decrypted_bytes} say the same. Also the agent/console capture (WebSocket inside TLS 1.3 on port
 * 8084) and the WebSocket-over-TLS recording: their {@code websocket} object is filled from the decrypted stream.
 */
class RecordedTlsCapturesTest {
  static final Path TLS = Paths.get("src/test/resources/captures/tls");
  static final Path WS = Paths.get("src/test/resources/captures/websocket");

  /** Every (capture, keys, plaintext.tsv) triple. */
  static List<Path[]> captures() throws IOException {
    List<Path[]> out = new ArrayList<>();
    try (Stream<Path> s = Stream.concat(Files.list(TLS), Files.list(WS))) {
      for (Path tsv : s.filter(p -> p.toString().endsWith(".plaintext.tsv")).sorted().collect(Collectors.toList())) {
        String base = tsv.getFileName().toString().replace(".plaintext.tsv", "");
        Path dir = tsv.getParent();
        Path keys = dir.resolve(base + ".keys");
        Path cap = dir.resolve(base + ".pcap");
        if (base.equals("agent-console")) {
          cap = Paths.get("src/main/resources/captures/agent-console.pcapng");
          keys = Paths.get("src/main/resources/captures/agent-console.keys");
        }
        if (Files.isRegularFile(cap) && Files.isRegularFile(keys)) {
          out.add(new Path[] {cap, keys, tsv});
        }
      }
    }
    return out;
  }

  /** Rows "stream direction bytes sha256" of a plaintext.tsv. */
  static List<String[]> rows(Path tsv) throws IOException {
    List<String[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
      if (line.startsWith("#") || line.startsWith("stream\t") || line.isBlank()) {
        continue;
      }
      rows.add(line.split("\t", -1));
    }
    return rows;
  }

  @Test
  void flowsTlsFilesEqualTsharksFollowTls(@TempDir Path tmp) throws IOException {
    List<Path[]> all = captures();
    assertThat(all).hasSizeGreaterThan(20);
    List<String> diffs = new ArrayList<>();
    for (Path[] c : all) {
      Path out = tmp.resolve(c[0].getFileName().toString());
      FlowsRun f = FlowsRun.file(out, c[0], "--keylog", c[1].toString());
      assertThat(f.code()).as(c[0] + " " + f.err()).isZero();
      for (String[] row : rows(c[2])) {
        long bytes = Long.parseLong(row[4]);
        String file = row[0] + (row[1].equals("client_to_server") ? "-client.tls.bin" : "-server.tls.bin");
        Path p = out.resolve(file);
        String actual = Files.exists(p) ? Files.size(p) + ":" + FlowsRun.sha256(Files.readAllBytes(p)) : "0:absent";
        String expected = bytes + ":" + row[5];
        if (!(bytes == 0 && actual.startsWith("0:")) && !actual.equals(expected)) {
          diffs.add(c[0].getFileName() + " " + file + ": expected " + expected + " got " + actual);
        }
      }
    }
    assertThat(diffs).isEmpty();
  }

  @Test
  void auditDecryptedBytesEqualTsharksFollowTls() throws IOException {
    List<String> diffs = new ArrayList<>();
    for (Path[] c : captures()) {
      AuditRun r = AuditRun.run("--json", "--keylog", c[1].toString(), c[0].toString());
      assertThat(r.code()).as(c[0] + " " + r.err()).isZero();
      for (String[] row : rows(c[2])) {
        JsonNode line = r.json().stream().filter(l -> l.get("id").asText().equals(row[0])).findFirst().orElse(null);
        long expected = Long.parseLong(row[4]);
        JsonNode db = line == null || line.get("tls").isNull() ? null : line.get("tls").get("decrypted_bytes");
        long actual = db == null || db.isNull() ? 0
            : db.get(row[1].equals("client_to_server") ? "client" : "server").asLong();
        if (actual != expected) {
          diffs.add(c[0].getFileName() + " stream " + row[0] + " " + row[1] + ": expected " + expected + " got "
              + actual);
        }
      }
    }
    assertThat(diffs).isEmpty();
  }

  @Test
  void webSocketInsideDecryptedTlsIsReported() {
    for (String[] c : new String[][] {
        {"src/main/resources/captures/agent-console.pcapng", "src/main/resources/captures/agent-console.keys"},
        {WS.resolve("wss-tls13-v4.pcap").toString(), WS.resolve("wss-tls13-v4.keys").toString()}}) {
      AuditRun r = AuditRun.run("--json", "--keylog", c[1], c[0]);
      assertThat(r.json()).as(c[0]).anySatisfy(line -> {
        assertThat(line.get("tls").get("decrypted").asBoolean()).isTrue();
        assertThat(line.get("websocket").isNull()).isFalse();
      });
      AuditRun noKeys = AuditRun.run("--json", c[0]);
      assertThat(noKeys.json()).as(c[0]).allSatisfy(line -> assertThat(line.get("websocket").isNull()).isTrue());
    }
  }
}
