package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code wirelens audit --json} against tshark 4.0 on the recorded captures: {@code captures/audit.tsv} (per
 * tcp.stream and sender: endpoints, first/last packet time, tcp.completeness, packets and tcp.analysis.* counts;
 * columns described in {@code scripts/record-audit-expectations.sh}) and {@code captures/flows.tsv} (per stream and
 * node: bytes and gaps of tshark's follow,tcp,raw; see {@code scripts/record-flows-expectations.sh}). Nothing here
 * is computed by the code under test: the test only converts tshark's epoch times and bit masks to design.md's words.
 */
class AuditCommandMatchesTsharkTest {
  /**
   * Streams tshark counts that are no connection for Wirelens, which needs a whole TCP header: snaplen.pcap's IPv6
   * connection, whose TCP headers (32 bytes with options) the 80-byte snap length cut (FlowsCommandMatchesTsharkTest
   * says the same). None of them precedes a compared stream of its capture, so the ids still line up.
   */
  private static final java.util.Set<String> HEADERS_CUT = java.util.Set.of("snaplen.pcap 1");

  /** One row of audit.tsv. */
  record Row(String file, int stream, String src, String dst, String first, String last, int completeness,
      long packets, long retransmissions, long outOfOrder, long zeroWindows, long duplicateAcks) {}

  static List<Row> rows(String tsv) throws IOException {
    List<Row> rows = new ArrayList<>();
    List<String> lines = Files.readAllLines(CliCaptures.path(tsv));
    for (String line : lines.subList(1, lines.size())) {
      String[] c = line.split("\t", -1);
      rows.add(new Row(c[0], Integer.parseInt(c[1]), c[2], c[3], c[4], c[5], Integer.parseInt(c[6]),
          Long.parseLong(c[7]), Long.parseLong(c[8]), Long.parseLong(c[9]), Long.parseLong(c[10]),
          Long.parseLong(c[11])));
    }
    return rows;
  }

  /** flows.tsv: "file stream endpoint" to {bytes, gap count, gap bytes} that endpoint sent. */
  static Map<String, long[]> followed() throws IOException {
    Map<String, long[]> sent = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(CliCaptures.path("flows.tsv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] c = line.split("\t", -1);
      for (int node = 0; node < 2; node++) {
        long count = 0;
        long bytes = 0;
        String gaps = c[6 + 3 * node];
        if (!gaps.isEmpty()) {
          for (String gap : gaps.split(";")) {
            count++;
            bytes += Long.parseLong(gap.substring(gap.indexOf('+') + 1));
          }
        }
        sent.put(c[0] + " " + c[1] + " " + c[2 + node], new long[] {Long.parseLong(c[4 + 3 * node]), count, bytes});
      }
    }
    return sent;
  }

  /** tshark's frame.time_epoch ("1795827926.532284525") as design.md's ISO-8601 with nine fraction digits. */
  private static String iso(String epoch) {
    String[] p = epoch.split("\\.");
    String fraction = (p[1] + "000000000").substring(0, 9);
    return Instant.ofEpochSecond(Long.parseLong(p[0]), Long.parseLong(fraction)).toString()
        .replaceFirst("(\\.\\d*)?Z$", "." + fraction + "Z");
  }

  private static String endpoint(JsonNode side) {
    return new dev.wirelens.examples.audit.Endpoint(side.get("ip").asText(), side.get("port").asInt()).toString();
  }

  @Test
  void everyConnectionMatchesTshark() throws IOException {
    List<Row> rows = new ArrayList<>();
    for (Row row : rows("audit.tsv")) {
      if (!HEADERS_CUT.contains(row.file() + " " + row.stream())) {
        rows.add(row);
      }
    }
    int compared = compare(rows, CliCaptures::path, followed());
    assertThat(compared).isEqualTo(34); // 36 rows of audit.tsv less the 2 of HEADERS_CUT
  }

  /**
   * Runs the audit on each file of {@code rows} (found by {@code locate}) and compares every row; bytes and gaps
   * only where {@code followed} has the stream. Returns the rows compared.
   */
  static int compare(List<Row> rows, java.util.function.Function<String, java.nio.file.Path> locate,
      Map<String, long[]> followed) {
    Map<String, List<Row>> byFile = new LinkedHashMap<>();
    for (Row row : rows) {
      byFile.computeIfAbsent(row.file(), f -> new ArrayList<>()).add(row);
    }
    int compared = 0;
    for (Map.Entry<String, List<Row>> e : byFile.entrySet()) {
      String file = e.getKey();
      AuditRun run = AuditRun.run("--json", locate.apply(file).toString());
      assertThat(run.code()).as(file).isZero();
      List<JsonNode> lines = run.json();
      assertThat(lines).as(file + " connections").hasSize((int) e.getValue().stream().mapToInt(Row::stream).distinct()
          .count());
      for (Row row : e.getValue()) {
        String what = file + " stream " + row.stream() + " from " + row.src();
        JsonNode line = lines.get(row.stream());
        assertThat(line.get("id").asInt()).isEqualTo(row.stream());
        String client = endpoint(line.get("client"));
        String server = endpoint(line.get("server"));
        assertThat(List.of(client, server)).as(what).containsExactlyInAnyOrder(row.src(), row.dst());
        String side = row.src().equals(client) ? "client" : "server";
        assertThat(line.get("start").asText()).as(what).isEqualTo(iso(row.first()));
        assertThat(line.get("end").asText()).as(what).isEqualTo(iso(row.last()));
        assertThat(line.get("duration_ms").decimalValue()).as(what)
            .isEqualByComparingTo(new BigDecimal(row.last()).subtract(new BigDecimal(row.first()))
                .movePointRight(3));
        JsonNode tcp = line.get("tcp");
        int c = row.completeness(); // 1 SYN, 2 SYN-ACK, 4 ACK, 8 data, 16 FIN, 32 RST
        String handshake = (c & 7) == 7 ? "complete" : (c & 3) == 3 ? "syn_synack" : (c & 1) != 0 ? "syn_only"
            : "missing";
        assertThat(tcp.get("handshake").asText()).as(what).isEqualTo(handshake);
        assertThat(tcp.get("close").asText()).as(what)
            .isEqualTo((c & 32) != 0 ? "rst" : (c & 16) != 0 ? "fin" : "open");
        assertThat(tcp.get("packets").get(side).asLong()).as(what + " packets").isEqualTo(row.packets());
        assertThat(tcp.get("retransmissions").get(side).asLong()).as(what).isEqualTo(row.retransmissions());
        assertThat(tcp.get("out_of_order").get(side).asLong()).as(what).isEqualTo(row.outOfOrder());
        assertThat(tcp.get("zero_windows").get(side).asLong()).as(what).isEqualTo(row.zeroWindows());
        assertThat(tcp.get("duplicate_acks").get(side).asLong()).as(what).isEqualTo(row.duplicateAcks());
        long[] sent = followed.get(file + " " + row.stream() + " " + row.src());
        if (sent != null) {
          assertThat(tcp.get("bytes").get(side).asLong()).as(what + " bytes").isEqualTo(sent[0]);
          if (file.equals("lost.pcapng") && row.stream() == 1 && side.equals("client")) {
            // The whole request (packet 31 of ethernet.pcapng) is missing and only the FIN follows it: tshark marks
            // a gap only before bytes it shows, so it marks none. Expected instead: one gap as long as the request
            // tshark followed in ethernet.pcapng's same stream.
            sent = new long[] {sent[0], 1, followed.get("ethernet.pcapng 1 " + row.src())[0]};
          }
          if (!file.equals("snaplen.pcap")) {
            // tshark's follow,tcp,raw leaves payload cut by the snap length out without a "bytes missing" marker;
            // Wirelens reports it as gaps (reason snaplen, see FlowsCommandMatchesTsharkTest), so only the bytes
            // of snaplen.pcap compare.
            assertThat(tcp.get("gaps").get(side).get("count").asLong()).as(what + " gaps").isEqualTo(sent[1]);
            assertThat(tcp.get("gaps").get(side).get("bytes").asLong()).as(what + " gap bytes").isEqualTo(sent[2]);
          }
        }
        compared++;
      }
    }
    return compared;
  }
}
