package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code flows} and {@code audit} reassemble TCP connections whose segments travel in IP fragments, checked against
 * {@code captures/tcp-over-fragments.tsv}: tshark 4.0.17's {@code follow,tcp,raw} of the two captures (node0/node1
 * endpoint, bytes sent, SHA-256 of those bytes, gaps), recorded by tshark, not computed here.
 */
class TcpOverIpFragmentsCommandTest {
  /** One row of tcp-over-fragments.tsv. */
  record Row(String file, String node0, String node1, long len0, String sha0, long len1, String sha1) {
    String line() {
      return file + " " + node0 + " <-> " + node1;
    }
  }

  static List<Row> rows() throws IOException {
    List<String> lines = Files.readAllLines(CliCaptures.path("tcp-over-fragments.tsv"));
    return lines.subList(1, lines.size()).stream().map(line -> {
      String[] c = line.split("\t", -1);
      assertThat(c[6]).as("no gaps in the oracle").isEmpty();
      assertThat(c[9]).as("no gaps in the oracle").isEmpty();
      return new Row(c[0], c[2], c[3], Long.parseLong(c[4]), c[5], Long.parseLong(c[7]), c[8]);
    }).toList();
  }

  private static String endpoint(JsonNode side) {
    return new dev.wirelens.examples.audit.Endpoint(side.get("ip").asText(), side.get("port").asInt()).toString();
  }

  /** Whether node0 of the row is the connection's client (else it must be its server). */
  private static boolean node0IsClient(Row row, JsonNode connection) {
    String client = endpoint(connection.get("client"));
    String server = endpoint(connection.get("server"));
    if (client.equals(row.node0()) && server.equals(row.node1())) {
      return true;
    }
    assertThat(List.of(client, server)).as(row.line()).containsExactly(row.node1(), row.node0());
    return false;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void flowsWritesTheBytesOfATcpConnectionCarriedInIpFragments(Row row, @TempDir Path dir) throws IOException {
    FlowsRun run = FlowsRun.file(dir, CliCaptures.path(row.file()));
    assertThat(run.code()).as(run.err()).isZero();
    List<JsonNode> connections = run.connections();
    assertThat(connections).as(row.line()).hasSize(1);
    JsonNode c = connections.get(0);
    boolean node0Client = node0IsClient(row, c);
    JsonNode streams = c.get("streams");
    JsonNode from0 = streams.get(node0Client ? "client" : "server");
    JsonNode from1 = streams.get(node0Client ? "server" : "client");
    byte[] bytes0 = run.bytes(from0.get("file").asText());
    byte[] bytes1 = run.bytes(from1.get("file").asText());
    assertThat(bytes0.length).as(row.line() + " node0 bytes").isEqualTo(row.len0());
    assertThat(FlowsRun.sha256(bytes0)).as(row.line() + " node0 sha256").isEqualTo(row.sha0());
    assertThat(bytes1.length).as(row.line() + " node1 bytes").isEqualTo(row.len1());
    assertThat(FlowsRun.sha256(bytes1)).as(row.line() + " node1 sha256").isEqualTo(row.sha1());
    assertThat(from0.get("bytes").asLong()).isEqualTo(row.len0());
    assertThat(from1.get("bytes").asLong()).isEqualTo(row.len1());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void auditCountsTheBytesOfATcpConnectionCarriedInIpFragments(Row row) {
    AuditRun run = AuditRun.run("--json", CliCaptures.path(row.file()).toString());
    assertThat(run.code()).as(run.err()).isZero();
    List<JsonNode> lines = run.json();
    assertThat(lines).as(row.line()).hasSize(1);
    JsonNode c = lines.get(0);
    boolean node0Client = node0IsClient(row, c);
    JsonNode tcp = c.get("tcp");
    assertThat(tcp.get("bytes").get(node0Client ? "client" : "server").asLong()).as(row.line() + " node0 bytes")
        .isEqualTo(row.len0());
    assertThat(tcp.get("bytes").get(node0Client ? "server" : "client").asLong()).as(row.line() + " node1 bytes")
        .isEqualTo(row.len1());
    assertThat(tcp.get("gaps").get("client").get("count").asLong()).isZero();
    assertThat(tcp.get("gaps").get("server").get("count").asLong()).isZero();
  }
}
