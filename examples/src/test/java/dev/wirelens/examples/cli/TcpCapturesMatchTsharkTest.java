package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code wirelens flows} and {@code wirelens audit --json} on real TCP connections recorded by
 * {@code scripts/record-tcp-captures.sh} (captures {@code tcp-*.pcap}: both close orders, an RST from either side,
 * IPv4 and IPv6, a 5-second chat of 25 round trips, a bulk download with a retransmitted FIN and a SACK, a 3.5-second
 * transfer into a 2 kB receive buffer with 28 zero windows, two captures that start mid-connection, one
 * with the server's packet first, and a 3 MB download over a link that lost 5% of the frames each way: 453
 * retransmissions, 369 out-of-order segments, 277 duplicate ACKs) against tshark 4.0.17's view recorded by the same script: {@code tcp-flows.tsv}
 * (follow,tcp,raw per node: length, SHA-256, gaps; tcp.completeness; first and last packet time),
 * {@code tcp-audit.tsv} (per sender: packets and tcp.analysis.* counts) and {@code tcp-close.tsv} (sender of the
 * first FIN and of the first RST). Nothing here is computed by the code under test.
 */
class TcpCapturesMatchTsharkTest {
  @TempDir Path tmp;

  /** One line of tcp-flows.tsv (columns of flows.tsv). */
  record Followed(String file, int stream, String node0, String node1, long len0, String sha0, String gaps0,
      long len1, String sha1, String gaps1, int completeness, String firstEpoch, String lastEpoch) {
    static Followed parse(String line) {
      String[] f = line.split("\t", -1);
      return new Followed(f[0], Integer.parseInt(f[1]), f[2], f[3], Long.parseLong(f[4]), f[5], f[6],
          Long.parseLong(f[7]), f[8], f[9], Integer.parseInt(f[10]), f[11], f[12]);
    }
  }

  private static List<String> rowsOf(String tsv) {
    try {
      List<String> lines = Files.readAllLines(CliCaptures.path(tsv));
      return lines.subList(1, lines.size());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, List<Followed>> followed() {
    Map<String, List<Followed>> byFile = new LinkedHashMap<>();
    for (String line : rowsOf("tcp-flows.tsv")) {
      Followed f = Followed.parse(line);
      byFile.computeIfAbsent(f.file(), k -> new ArrayList<>()).add(f);
    }
    return byFile;
  }

  /** tcp-close.tsv: "file stream" to {first FIN sender, first RST sender} ("" when none). */
  static Map<String, String[]> closes() {
    Map<String, String[]> closes = new LinkedHashMap<>();
    for (String line : rowsOf("tcp-close.tsv")) {
      String[] c = line.split("\t", -1);
      closes.put(c[0] + " " + c[1], new String[] {c[2], c[3]});
    }
    return closes;
  }

  static Stream<String> captures() {
    return followed().keySet().stream();
  }

  @Test
  void theRecordedCapturesCoverEveryCaseOfTheBrief() {
    Map<String, List<Followed>> followed = followed();
    assertThat(followed.keySet()).containsExactly("tcp-client-fin-v4.pcap", "tcp-server-fin-v6.pcap",
        "tcp-client-rst-v4.pcap", "tcp-server-rst-v6.pcap", "tcp-chat-v6.pcap", "tcp-slow-download-v4.pcap",
        "tcp-midconn-v4.pcap", "tcp-flow-control-v4.pcap", "tcp-midconn-server-first-v4.pcap",
        "tcp-lossy-download-v4.pcap");
    Map<String, String[]> closes = closes();
    // client = node 0 in every capture (it sent the first packet: the SYN, or in the mid-connection one a request)
    assertThat(closes.get("tcp-client-fin-v4.pcap 0")[0]).isEqualTo(followed.get("tcp-client-fin-v4.pcap").get(0).node0());
    assertThat(closes.get("tcp-server-fin-v6.pcap 0")[0]).isEqualTo(followed.get("tcp-server-fin-v6.pcap").get(0).node1());
    assertThat(closes.get("tcp-client-rst-v4.pcap 0")[1]).isEqualTo(followed.get("tcp-client-rst-v4.pcap").get(0).node0());
    assertThat(closes.get("tcp-server-rst-v6.pcap 0")[1]).isEqualTo(followed.get("tcp-server-rst-v6.pcap").get(0).node1());
    // no SYN, no SYN-ACK (tshark still sets bit 4, "ACK", for the ACKs it sees)
    assertThat(followed.get("tcp-midconn-v4.pcap").get(0).completeness() & 3).isZero();
    Followed chat = followed.get("tcp-chat-v6.pcap").get(0);
    assertThat(new BigDecimal(chat.lastEpoch()).subtract(new BigDecimal(chat.firstEpoch())))
        .isGreaterThan(new BigDecimal(4));
  }

  @ParameterizedTest
  @MethodSource("captures")
  void flowsWritesTsharksFollowedStreamsAndClose(String capture) throws IOException {
    List<Followed> expected = followed().get(capture);
    Map<String, String[]> closes = closes();
    FlowsRun r = FlowsRun.file(tmp.resolve("out"), CliCaptures.path(capture));
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode index = r.index();
    assertThat(index.get("complete").asBoolean()).isTrue();
    List<JsonNode> connections = r.connections();
    assertThat(connections).hasSize(expected.size());
    assertThat(index.get("connection_count").asInt()).isEqualTo(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      Followed s = expected.get(i);
      JsonNode c = connections.get(i);
      String what = capture + " stream " + s.stream();
      assertThat(c.get("id").asInt()).isEqualTo(s.stream());
      String client = endpoint(c.get("client"));
      String server = endpoint(c.get("server"));
      // tshark's node 0 sent the first packet: the SYN, or (mid-connection) the client's request. design.md: without
      // a SYN, the sender of the first packet is the client unless its port is a well-known server port (here 8080,
      // in tcp-midconn-server-first-v4.pcap, whose first packet is the HTTP server's data).
      boolean swapped = (s.completeness() & 1) == 0 && s.node0().endsWith(":8080");
      assertThat(List.of(client, server)).as("client and server of %s", what)
          .containsExactly(swapped ? s.node1() : s.node0(), swapped ? s.node0() : s.node1());
      checkSide(r, c.at("/streams/client"), swapped ? s.len1() : s.len0(), swapped ? s.sha1() : s.sha0(),
          swapped ? s.gaps1() : s.gaps0(), what + " client");
      checkSide(r, c.at("/streams/server"), swapped ? s.len0() : s.len1(), swapped ? s.sha0() : s.sha1(),
          swapped ? s.gaps0() : s.gaps1(), what + " server");
      int k = s.completeness();
      assertThat(c.get("handshake").asText()).as("handshake of %s, tcp.completeness %d", what, k)
          .isEqualTo(handshake(k));
      assertThat(c.get("close").asText()).as("close of %s, tcp.completeness %d", what, k)
          .isEqualTo((k & 32) != 0 ? "rst" : (k & 16) != 0 ? "fin" : "open");
      assertThat(textOrNull(c.get("closed_by"))).as("closed_by of %s", what)
          .isEqualTo(closedBy(closes.get(capture + " " + s.stream()), client, server));
      Instant start = Instant.parse(c.get("start").asText());
      assertThat(start).as("start of %s", what).isEqualTo(epoch(s.firstEpoch()));
      assertThat(Instant.parse(c.get("end").asText())).as("end of %s", what).isBetween(start, epoch(s.lastEpoch()));
    }
  }

  @Test
  void auditMatchesTsharksCountsAndCloseOnEveryConnection() {
    Map<String, long[]> sent = new LinkedHashMap<>();
    for (List<Followed> list : followed().values()) {
      for (Followed f : list) {
        sent.put(f.file() + " " + f.stream() + " " + f.node0(), new long[] {f.len0(), count(f.gaps0()), bytes(f.gaps0())});
        sent.put(f.file() + " " + f.stream() + " " + f.node1(), new long[] {f.len1(), count(f.gaps1()), bytes(f.gaps1())});
      }
    }
    try {
      List<AuditCommandMatchesTsharkTest.Row> rows = AuditCommandMatchesTsharkTest.rows("tcp-audit.tsv");
      int compared = AuditCommandMatchesTsharkTest.compare(rows, CliCaptures::path, sent);
      assertThat(compared).isEqualTo(20); // 10 captures, one connection each, two senders each
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String[]> closes = closes();
    for (String capture : followed().keySet()) {
      AuditRun run = AuditRun.run("--json", CliCaptures.path(capture).toString());
      assertThat(run.code()).as(run.err()).isZero();
      for (JsonNode line : run.json()) {
        String client = endpoint(line.get("client"));
        String server = endpoint(line.get("server"));
        assertThat(textOrNull(line.at("/tcp/closed_by"))).as("closed_by of %s stream %s", capture, line.get("id"))
            .isEqualTo(closedBy(closes.get(capture + " " + line.get("id").asInt()), client, server));
      }
    }
  }

  private static long count(String gaps) {
    return gaps.isEmpty() ? 0 : gaps.split(";").length;
  }

  private static long bytes(String gaps) {
    long n = 0;
    if (!gaps.isEmpty()) {
      for (String g : gaps.split(";")) {
        n += Long.parseLong(g.substring(g.indexOf('+') + 1));
      }
    }
    return n;
  }

  /** design.md: the sender of the first RST, else of the first FIN; null when neither was seen. */
  private static String closedBy(String[] firstFinAndRst, String client, String server) {
    String sender = !firstFinAndRst[1].isEmpty() ? firstFinAndRst[1] : firstFinAndRst[0];
    if (sender.isEmpty()) {
      return null;
    }
    assertThat(sender).isIn(client, server);
    return sender.equals(client) ? "client" : "server";
  }

  private static String textOrNull(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
  }

  private static void checkSide(FlowsRun r, JsonNode side, long length, String sha256, String gaps, String what)
      throws IOException {
    byte[] file = r.bytes(side.get("file").asText());
    assertThat(file.length).as(what + " length").isEqualTo(length);
    assertThat(FlowsRun.sha256(file)).as(what + " SHA-256").isEqualTo(sha256);
    assertThat(side.get("bytes").asLong()).as(what + " bytes").isEqualTo(length);
    List<String> ours = new ArrayList<>();
    for (JsonNode g : side.at("/gaps/list")) {
      ours.add(g.get("offset").asLong() + "+" + g.get("length").asLong());
    }
    assertThat(ours).as(what + " gaps").isEqualTo(gaps.isEmpty() ? List.of() : List.of(gaps.split(";")));
  }

  private static String endpoint(JsonNode e) {
    String ip = e.get("ip").asText();
    return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + e.get("port").asInt();
  }

  /** tcp.completeness bits: 1 SYN, 2 SYN-ACK, 4 ACK. */
  private static String handshake(int completeness) {
    if ((completeness & 1) == 0) {
      return "missing";
    }
    if ((completeness & 2) == 0) {
      return "syn_only";
    }
    return (completeness & 4) != 0 ? "complete" : "syn_synack";
  }

  private static Instant epoch(String decimal) {
    long n = new BigDecimal(decimal).movePointRight(9).longValueExact();
    return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
  }
}
