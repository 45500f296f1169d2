package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The audit's {@code websocket} object on zeek's WebSocket traces, against tshark's websocket.* fields recorded
 * beside each capture (captures/zeek-websocket/X.pcap.tsv, by scripts/record-websocket-corpus-expectations.sh).
 */
class AuditWebSocketTest {
  private static final String[] OPCODES = {"continuation", "text", "binary", null, null, null, null, null, "close",
      "ping", "pong"};

  /** From tshark's lines: frames per side and opcode name, data messages per side, the first close. */
  private static Map<String, Object> tshark(String name) throws IOException {
    Map<String, Object> facts = new TreeMap<>();
    List<String> lines = Files.readAllLines(CliCaptures.path("zeek-websocket/" + name + ".tsv"), StandardCharsets.UTF_8);
    Map<String, Long> frames = new TreeMap<>();
    long[] messages = new long[2];
    for (String line : lines) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      String side = f[2].equals("8080") ? "server" : "client"; // every one of these traces has its server on 8080
      String[] fin = f[4].split(";");
      String[] op = f[6].split(";");
      String[] codes = f[11].split(";");
      int ic = 0;
      for (int i = 0; i < op.length; i++) {
        int opcode = Integer.parseInt(op[i]);
        frames.merge(side + "." + OPCODES[opcode], 1L, Long::sum);
        if (opcode <= 2 && fin[i].equals("1")) {
          messages[side.equals("client") ? 0 : 1]++;
        }
        if (opcode == 8 && !facts.containsKey("close.code")) {
          facts.put("close.code", ic < codes.length && !codes[ic].isEmpty() ? Integer.parseInt(codes[ic]) : null);
          facts.put("close.initiator", side);
        }
        if (opcode == 8) {
          ic++;
        }
      }
    }
    facts.put("frames", frames);
    facts.put("messages", messages[0] + "/" + messages[1]);
    return facts;
  }

  private static Map<String, Object> audit(JsonNode ws) {
    Map<String, Object> facts = new TreeMap<>();
    Map<String, Long> frames = new TreeMap<>();
    for (String side : List.of("client", "server")) {
      ws.get("frames").get(side).fields().forEachRemaining(e -> frames.put(side + "." + e.getKey(), e.getValue().asLong()));
    }
    if (!ws.get("close").isNull() && !ws.get("close").get("abnormal").asBoolean()) {
      JsonNode code = ws.get("close").get("code");
      facts.put("close.code", code.isNull() ? null : code.asInt());
      facts.put("close.initiator", ws.get("close").get("initiator").asText());
    }
    facts.put("frames", frames);
    facts.put("messages", ws.get("messages").get("client").asLong() + "/" + ws.get("messages").get("server").asLong());
    return facts;
  }

  @ParameterizedTest
  @ValueSource(strings = {"two-binary-fragments.pcap", "reply-ping-coalesced.pcap", "message-too-big-status.pcap",
      "wrong-accept-header.pcap"})
  void theWebSocketObjectCountsWhatTsharkSees(String name) throws IOException {
    AuditRun r = AuditRun.run("--json", CliCaptures.path("zeek-websocket/" + name).toString());
    assertThat(r.code()).isZero();
    List<JsonNode> lines = r.json();
    assertThat(lines).hasSize(1);
    JsonNode ws = lines.get(0).get("websocket");
    assertThat(ws.isObject()).isTrue();
    assertThat(audit(ws)).isEqualTo(tshark(name));
    assertThat(ws.get("upgrade_status").asInt()).isEqualTo(101);
    if (!tshark(name).containsKey("close.code")) {
      // no close frame: TCP ended without one (tcp.close is its own tshark-checked fact), reported like 1006
      assertThat(lines.get(0).get("tcp").get("close").asText()).isNotEqualTo("open");
      assertThat(ws.get("close").get("abnormal").asBoolean()).isTrue();
      assertThat(ws.get("close").get("code").asInt()).isEqualTo(1006);
    }
    // zeek's weird.log for this trace: websocket_wrong_accept_header (key-accept-wrong baseline)
    assertThat(ws.get("accept_valid").asBoolean()).isEqualTo(!name.equals("wrong-accept-header.pcap"));
  }

  @Test
  void theWebSocketObjectHasDesignsFieldNames() {
    AuditRun r = AuditRun.run("--json", CliCaptures.path("zeek-websocket/two-binary-fragments.pcap").toString());
    JsonNode ws = r.json().get(0).get("websocket");
    assertThat(ws.fieldNames()).toIterable().contains("path", "host", "subprotocol", "extensions", "accept_valid",
        "frames", "messages", "compressed_frames", "close", "ping_rtt_ms", "violations");
    assertThat(ws.get("ping_rtt_ms").fieldNames()).toIterable().containsExactly("count", "max", "median");
    assertThat(ws.get("close").fieldNames()).toIterable().contains("code", "reason", "initiator");
    assertThat(ws.get("violations").isArray()).isTrue();
  }

  @Test
  void plainHttpHasNoWebSocketObjectAndTheTableShowsTheWebSocketCell() {
    AuditRun json = AuditRun.run("--json", CliCaptures.path("http.pcap").toString());
    assertThat(json.json()).allMatch(line -> line.get("websocket").isNull());
    AuditRun table = AuditRun.run(CliCaptures.path("zeek-websocket/message-too-big-status.pcap").toString());
    // tshark: the client's close frame carries 1009 (message-too-big-status.pcap.tsv)
    assertThat(table.lines().get(1)).endsWith("close 1009 by client 0 viol");
  }
}
