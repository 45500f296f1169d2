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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code wirelens flows} on every recorded capture against tshark 4.0.17's {@code -z follow,tcp,raw,N}, recorded in
 * {@code captures/flows.tsv} by {@code scripts/record-flows-expectations.sh} (the columns are described there):
 * per connection the endpoints, the length and SHA-256 of each side's file, the gaps, the handshake and close
 * (from tshark's tcp.completeness) and the start time.
 */
class FlowsCommandMatchesTsharkTest {
  @TempDir Path tmp;

  /** One line of flows.tsv. */
  record Stream0(String file, int stream, String node0, String node1, long len0, String sha0, String gaps0,
      long len1, String sha1, String gaps1, int completeness, String firstEpoch, String lastEpoch) {
    static Stream0 parse(String line) {
      String[] f = line.split("\t", -1);
      return new Stream0(f[0], Integer.parseInt(f[1]), f[2], f[3], Long.parseLong(f[4]), f[5], f[6],
          Long.parseLong(f[7]), f[8], f[9], Integer.parseInt(f[10]), f[11], f[12]);
    }
  }

  static Map<String, List<Stream0>> expectations() {
    try {
      Map<String, List<Stream0>> byFile = new LinkedHashMap<>();
      List<String> lines = Files.readAllLines(CliCaptures.path("flows.tsv"));
      for (String line : lines.subList(1, lines.size())) {
        Stream0 s = Stream0.parse(line);
        byFile.computeIfAbsent(s.file(), k -> new ArrayList<>()).add(s);
      }
      return byFile;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<String> captures() {
    return expectations().keySet().stream();
  }

  @ParameterizedTest
  @MethodSource("captures")
  void eachConnectionsFilesHoldTsharksFollowedStreams(String capture) throws IOException {
    List<Stream0> expected = expectations().get(capture);
    FlowsRun r = FlowsRun.file(tmp.resolve("out"), CliCaptures.path(capture));
    boolean truncated = capture.equals("truncated.pcapng");
    assertThat(r.code()).as(r.err()).isEqualTo(truncated ? 2 : 0);
    JsonNode index = r.index();
    assertThat(index.get("complete").asBoolean()).isEqualTo(!truncated);
    List<JsonNode> connections = r.connections();
    // tshark numbers streams in order of first packet, as Wirelens numbers connections. A stream tshark names no
    // endpoints for (":0") is one whose TCP headers the snap length cut (snaplen.pcap's IPv6 connection, 80-byte
    // snap length): tshark followed no bytes of it, and for Wirelens, which needs a whole TCP header, it is no
    // connection at all.
    List<Stream0> followed = expected.stream().filter(s -> !s.node0().equals(":0")).toList();
    for (Stream0 s : expected) {
      if (s.node0().equals(":0")) {
        assertThat(s.len0() + s.len1()).isZero();
      }
    }
    assertThat(connections).hasSize(followed.size());
    assertThat(index.get("connection_count").asInt()).isEqualTo(followed.size());
    for (int i = 0; i < followed.size(); i++) {
      Stream0 s = followed.get(i);
      JsonNode c = connections.get(i);
      assertThat(c.get("id").asInt()).isEqualTo(i);
      String client = endpoint(c.get("client"));
      String server = endpoint(c.get("server"));
      assertThat(List.of(client, server)).as("endpoints of %s stream %d", capture, s.stream())
          .containsExactlyInAnyOrder(s.node0(), s.node1());
      boolean node0IsClient = s.node0().equals(client);
      checkSide(r, c.at("/streams/client"), node0IsClient ? s.len0() : s.len1(),
          node0IsClient ? s.sha0() : s.sha1(), node0IsClient ? s.gaps0() : s.gaps1(), capture + " client");
      checkSide(r, c.at("/streams/server"), node0IsClient ? s.len1() : s.len0(),
          node0IsClient ? s.sha1() : s.sha0(), node0IsClient ? s.gaps1() : s.gaps0(), capture + " server");
      assertThat(c.get("handshake").asText()).as("handshake, tcp.completeness %d", s.completeness())
          .isEqualTo(handshake(s.completeness()));
      assertThat(c.get("close").asText()).as("close, tcp.completeness %d", s.completeness())
          .isEqualTo((s.completeness() & 32) != 0 ? "rst" : (s.completeness() & 16) != 0 ? "fin" : "open");
      Instant start = Instant.parse(c.get("start").asText());
      Instant end = Instant.parse(c.get("end").asText());
      assertThat(start).isEqualTo(epoch(s.firstEpoch()));
      assertThat(c.get("start").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z");
      // end: the last packet up to the close; tshark's last packet may be a later ACK of the closed connection.
      assertThat(end).isBetween(start, epoch(s.lastEpoch()));
    }
  }

  private static void checkSide(FlowsRun r, JsonNode side, long length, String sha256, String gaps, String what)
      throws IOException {
    byte[] file = r.bytes(side.get("file").asText());
    assertThat(file.length).as(what + " length").isEqualTo(length);
    assertThat(FlowsRun.sha256(file)).as(what + " SHA-256").isEqualTo(sha256);
    assertThat(side.get("bytes").asLong()).as(what + " bytes").isEqualTo(length);
    // tshark marks a gap when it shows the next bytes after it: bytes cut by the snap length it omits without a
    // marker, and a gap with no bytes after it (lost.pcapng's IPv6 request, only its FIN captured) it cannot mark.
    List<String> ours = new ArrayList<>();
    long listed = 0;
    for (JsonNode g : side.at("/gaps/list")) {
      listed += g.get("length").asLong();
      boolean last = g.get("file_offset").asLong() == length;
      if (!g.get("reason").asText().equals("snaplen") && !last) {
        ours.add(g.get("offset").asLong() + "+" + g.get("length").asLong());
      }
    }
    assertThat(ours).as(what + " gaps").isEqualTo(gaps.isEmpty() ? List.of() : List.of(gaps.split(";")));
    assertThat(side.at("/gaps/bytes").asLong()).isEqualTo(listed);
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
    BigDecimal nanos = new BigDecimal(decimal).movePointRight(9);
    long n = nanos.longValueExact();
    return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
  }
}
