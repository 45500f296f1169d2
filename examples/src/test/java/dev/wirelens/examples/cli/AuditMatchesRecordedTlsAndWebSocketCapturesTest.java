package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code wirelens audit --json} on every recorded TLS and WebSocket capture (captures/tls, captures/websocket, and
 * the README sample agent-console.pcapng), field by field against the tshark output recorded beside each capture
 * by scripts/record-tls-captures.sh and scripts/record-websocket-captures.sh (the exact tshark command is the first
 * line of every .tsv): without keys against {@code NAME.tls.tsv}, with {@code --keylog NAME.keys} against
 * {@code NAME.tls-keys.tsv}, and with the capture's own Decryption Secrets Block ({@code NAME.dsb.pcapng}, no
 * {@code --keylog}) against the same. Compared: the negotiated version and cipher suite (last ServerHello,
 * supported_versions first), the SNI, the alerts seen in the clear or decrypted (sender, level, description), the
 * server's certificate chain (SHA-256 of each, in order; TLS 1.3 only when decrypted), the decrypted application
 * bytes per direction ({@code NAME.plaintext.tsv}, tshark's follow,tls), and for WebSocket inside decrypted TLS
 * (plaintext WebSocket recordings are WebSocketRecordingsTest's) the endpoints and TCP close ({@code NAME.tcp.tsv}),
 * the Upgrade ({@code NAME.handshake.tsv}) and the frames per direction and opcode, RSV1 frames and the first close
 * frame ({@code NAME.ws.tsv}).
 */
class AuditMatchesRecordedTlsAndWebSocketCapturesTest {
  private static final Map<String, String> VERSIONS = Map.of("0x0304", "TLSv1.3", "0x0303", "TLSv1.2", "0x0302",
      "TLSv1.1", "0x0301", "TLSv1.0", "0x0300", "SSLv3");
  private static final Map<String, String> OPCODES = Map.of("0", "continuation", "1", "text", "2", "binary", "8",
      "close", "9", "ping", "10", "pong");

  /** Capture name (folder/base) → the capture file. */
  static Stream<String> captures() throws IOException {
    List<String> names = new ArrayList<>();
    for (String dir : List.of("tls", "websocket")) {
      try (Stream<Path> files = Files.list(CliCaptures.path(dir))) {
        files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".pcap")).sorted()
            .forEach(n -> names.add(dir + "/" + n.substring(0, n.length() - ".pcap".length())));
      }
    }
    names.add("websocket/agent-console");
    return names.stream();
  }

  private static Path capture(String name) {
    if (name.equals("websocket/agent-console")) {
      return CliCaptures.path("agent-console.pcapng");
    }
    return CliCaptures.path(name + ".pcap");
  }

  private static Path keys(String name) {
    if (name.equals("websocket/agent-console")) {
      return CliCaptures.path("agent-console.keys");
    }
    return sibling(name, ".keys");
  }

  private static Path sibling(String name, String suffix) {
    try {
      return CliCaptures.path(name + suffix);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Rows of a recorded .tsv as column → value maps (the first line is the tshark command, the second the header). */
  static List<Map<String, String>> tsv(Path file) {
    if (file == null) {
      return List.of();
    }
    try {
      List<String> lines = Files.readAllLines(file);
      List<Map<String, String>> rows = new ArrayList<>();
      String[] header = null;
      for (String line : lines) {
        if (line.startsWith("#") || line.isEmpty()) {
          continue;
        }
        String[] cells = line.split("\t", -1);
        if (header == null) {
          header = cells;
          continue;
        }
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < header.length && i < cells.length; i++) {
          row.put(header[i], cells[i]);
        }
        if (cells.length >= 3) {
          // tls_expect.py writes the last three cells of every record row as alert level, alert description and
          // application data length, but its non-handshake rows have one base cell fewer than the header: take
          // them by position from the end, which holds for both kinds of row.
          row.put("_alert_level", cells[cells.length - 3]);
          row.put("_alert_desc", cells[cells.length - 2]);
        }
        rows.add(row);
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<JsonNode> audit(String... args) {
    AuditRun r = AuditRun.run(args);
    assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isZero();
    assertThat(r.err()).isEmpty();
    return r.json();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("captures")
  void tlsFactsWithoutKeysMatchTshark(String name) {
    List<JsonNode> lines = audit("--json", capture(name).toString());
    checkTls(name, lines, tsv(sibling(name, ".tls.tsv")), false);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("captures")
  void tlsFactsWithTheKeyLogMatchTshark(String name) {
    Path keys = keys(name);
    List<JsonNode> lines = keys == null ? audit("--json", capture(name).toString())
        : audit("--json", "--keylog", keys.toString(), capture(name).toString());
    checkTls(name, lines, tsv(sibling(name, ".tls-keys.tsv")), true);
    if (keys != null) {
      checkWebSocket(name, lines); // plaintext WebSocket recordings: WebSocketRecordingsTest
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("captures")
  void decryptionSecretsBlocksDecryptLikeTheKeyLog(String name) {
    Path dsb = sibling(name, ".dsb.pcapng");
    if (dsb == null) {
      return; // plaintext WebSocket captures have no keys
    }
    List<JsonNode> lines = audit("--json", dsb.toString());
    checkTls(name, lines, tsv(sibling(name, ".tls-keys.tsv")), true);
  }

  private static void checkTls(String name, List<JsonNode> lines, List<Map<String, String>> records,
      boolean keys) {
    Map<Integer, List<Map<String, String>>> byStream = new TreeMap<>();
    for (Map<String, String> row : records) {
      byStream.computeIfAbsent(Integer.parseInt(row.get("stream")), s -> new ArrayList<>()).add(row);
    }
    List<Map<String, String>> certs = tsv(sibling(name, ".certs.tsv"));
    List<Map<String, String>> plaintext = tsv(sibling(name, ".plaintext.tsv"));
    if (byStream.isEmpty()) {
      for (JsonNode line : lines) {
        assertThat(line.get("tls").isNull()).as(name + " has no TLS").isTrue();
      }
      return;
    }
    for (Map.Entry<Integer, List<Map<String, String>>> e : byStream.entrySet()) {
      int stream = e.getKey();
      String what = name + " stream " + stream + (keys ? " with keys" : "");
      JsonNode line = lines.get(stream);
      assertThat(line.get("id").asInt()).isEqualTo(stream);
      JsonNode tls = line.get("tls");
      assertThat(tls.isNull()).as(what).isFalse();
      int serverPort = line.get("server").get("port").asInt();
      String sni = null;
      String version = null;
      String cipher = null;
      List<String> alerts = new ArrayList<>();
      for (Map<String, String> r : e.getValue()) {
        boolean fromServer = Integer.parseInt(r.get("srcport")) == serverPort;
        if ("1".equals(r.get("hs_type")) && !fromServer && sni == null) {
          sni = r.get("server_name");
        }
        if ("2".equals(r.get("hs_type")) && fromServer) {
          String sv = r.get("supported_versions");
          version = VERSIONS.getOrDefault(sv.isEmpty() ? r.get("hs_version") : sv, "?");
          cipher = r.get("cipher_suites");
        }
        if ("21".equals(r.get("content_type")) && !r.get("_alert_level").isEmpty()) {
          alerts.add((fromServer ? "server" : "client") + " " + r.get("_alert_level") + " " + r.get("_alert_desc"));
        }
      }
      assertThat(text(tls.get("sni"))).as(what + " sni").isEqualTo(sni == null || sni.isEmpty() ? null : sni);
      assertThat(text(tls.get("version"))).as(what + " version").isEqualTo(version);
      assertThat(text(tls.get("cipher_suite_id"))).as(what + " cipher").isEqualToIgnoringCase(cipher);
      List<String> ours = new ArrayList<>();
      for (JsonNode a : tls.get("alerts")) {
        if (!a.get("level").isNull()) {
          ours.add(a.get("from").asText() + " " + ("fatal".equals(a.get("level").asText()) ? 2 : 1) + " "
              + a.get("description").asInt());
        }
      }
      assertThat(ours).as(what + " alerts").isEqualTo(alerts);
      List<String> chain = new ArrayList<>();
      String firstFrame = null;
      for (Map<String, String> c : certs) {
        if (Integer.parseInt(c.get("stream")) != stream || Integer.parseInt(c.get("srcport")) != serverPort) {
          continue;
        }
        if (!keys && !"1".equals(c.get("in_clear"))) {
          continue;
        }
        if (firstFrame == null) {
          firstFrame = c.get("frame");
        }
        if (c.get("frame").equals(firstFrame)) {
          chain.add(c.get("sha256"));
        }
      }
      List<String> ourChain = new ArrayList<>();
      tls.get("certificates").forEach(c -> ourChain.add(c.get("sha256").asText()));
      assertThat(ourChain).as(what + " certificates").isEqualTo(chain);
      if (keys) {
        long[] expected = new long[2];
        for (Map<String, String> p : plaintext) {
          if (Integer.parseInt(p.get("stream")) == stream) {
            expected["client_to_server".equals(p.get("direction")) ? 0 : 1] += Long.parseLong(p.get("bytes"));
          }
        }
        if (expected[0] + expected[1] > 0) {
          assertThat(tls.get("decrypted").asBoolean()).as(what + " decrypted").isTrue();
          assertThat(tls.get("decrypted_bytes").get("client").asLong()).as(what + " client bytes")
              .isEqualTo(expected[0]);
          assertThat(tls.get("decrypted_bytes").get("server").asLong()).as(what + " server bytes")
              .isEqualTo(expected[1]);
        }
      } else {
        assertThat(tls.get("decrypted").asBoolean()).as(what + " decrypted").isFalse();
      }
    }
  }

  private static void checkWebSocket(String name, List<JsonNode> lines) {
    for (Map<String, String> t : tsv(sibling(name, ".tcp.tsv"))) {
      int stream = Integer.parseInt(t.get("stream"));
      JsonNode line = lines.get(stream);
      String what = name + " stream " + stream;
      String client = endpoint(line.get("client"));
      assertThat(client).as(what + " client").isEqualTo(t.get("client"));
      assertThat(endpoint(line.get("server"))).as(what + " server").isEqualTo(t.get("server"));
      String rst = t.get("first_rst_src");
      String fin = t.get("first_fin_src");
      JsonNode tcp = line.get("tcp");
      String first = !rst.isEmpty() ? rst : fin;
      assertThat(tcp.get("close").asText()).as(what + " close").isEqualTo(!rst.isEmpty() ? "rst"
          : !fin.isEmpty() ? "fin" : "open");
      assertThat(text(tcp.get("closed_by"))).as(what + " closed_by")
          .isEqualTo(first.isEmpty() ? null : first.equals(client) ? "client" : "server");
    }
    Map<Integer, Map<String, Map<String, Integer>>> frames = new TreeMap<>();
    Map<Integer, Integer> rsv1 = new HashMap<>();
    Map<Integer, String> firstClose = new HashMap<>();
    for (Map<String, String> f : tsv(sibling(name, ".ws.tsv"))) {
      int stream = Integer.parseInt(f.get("stream"));
      int serverPort = lines.get(stream).get("server").get("port").asInt();
      String side = Integer.parseInt(f.get("srcport")) == serverPort ? "server" : "client";
      String op = OPCODES.getOrDefault(f.get("opcode"), "opcode_" + f.get("opcode"));
      frames.computeIfAbsent(stream, s -> new TreeMap<>()).computeIfAbsent(side, s -> new TreeMap<>())
          .merge(op, 1, Integer::sum);
      if ((Integer.decode(f.get("rsv")) & 0x4) != 0) {
        rsv1.merge(stream, 1, Integer::sum);
      }
      if (op.equals("close") && !firstClose.containsKey(stream)) {
        firstClose.put(stream, f.get("close_code") + " " + side);
      }
    }
    for (Map.Entry<Integer, Map<String, Map<String, Integer>>> e : frames.entrySet()) {
      int stream = e.getKey();
      String what = name + " stream " + stream;
      JsonNode ws = lines.get(stream).get("websocket");
      assertThat(ws.isNull()).as(what + " websocket").isFalse();
      for (String side : List.of("client", "server")) {
        Map<String, Integer> ours = new TreeMap<>();
        ws.get("frames").get(side).fields().forEachRemaining(f -> ours.put(f.getKey(), f.getValue().asInt()));
        assertThat(ours).as(what + " " + side + " frames").isEqualTo(e.getValue().getOrDefault(side, Map.of()));
      }
      assertThat(ws.get("compressed_frames").asInt()).as(what + " RSV1 frames").isEqualTo(rsv1.getOrDefault(stream, 0));
      if (firstClose.containsKey(stream)) {
        JsonNode close = ws.get("close");
        assertThat(close.get("code").asText() + " " + close.get("initiator").asText()).as(what + " close")
            .isEqualTo(firstClose.get(stream));
      }
    }
    Map<Integer, Map<String, String>> upgrade = new LinkedHashMap<>();
    for (Map<String, String> h : tsv(sibling(name, ".handshake.tsv"))) {
      int stream = Integer.parseInt(h.get("stream"));
      Map<String, String> u = upgrade.computeIfAbsent(stream, s -> new HashMap<>());
      if (!h.get("request.uri").isEmpty()) {
        u.put("path", h.get("request.uri"));
        u.put("host", h.get("host"));
      } else if ("101".equals(h.get("response.code"))) {
        u.put("subprotocol", h.get("sec_websocket_protocol").isEmpty() ? null : h.get("sec_websocket_protocol"));
      }
    }
    for (Map.Entry<Integer, Map<String, String>> e : upgrade.entrySet()) {
      JsonNode ws = lines.get(e.getKey()).get("websocket");
      String what = name + " stream " + e.getKey();
      assertThat(text(ws.get("path"))).as(what + " path").isEqualTo(e.getValue().get("path"));
      assertThat(text(ws.get("host"))).as(what + " host").isEqualTo(e.getValue().get("host"));
      assertThat(text(ws.get("subprotocol"))).as(what + " subprotocol").isEqualTo(e.getValue().get("subprotocol"));
    }
  }

  private static String endpoint(JsonNode e) {
    return new dev.wirelens.examples.audit.Endpoint(e.get("ip").asText(), e.get("port").asInt()).toString();
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }
}
