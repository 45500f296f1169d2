package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.GapReason;
import dev.wirelens.tcp.TcpConnection;
import dev.wirelens.tcp.TcpReassembler;
import dev.wirelens.tcp.TcpStreamListener;
import dev.wirelens.websocket.WebSocketConnectionDissector;
import dev.wirelens.websocket.WebSocketMessageListener;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The recorded plaintext WebSocket captures (captures/websocket/, real node ws peers, by
 * scripts/record-websocket-captures.sh) against tshark's view recorded beside them: X.ws.tsv (one line per frame),
 * X.handshake.tsv (the Upgrade headers) and X.tcp.tsv (who sent the first FIN or RST).
 */
class WebSocketRecordingsTest {
  private static final String[] OPCODES = {"continuation", "text", "binary", null, null, null, null, null, "close",
      "ping", "pong"};

  /** Rows of a recorded tsv (first line a comment with the command, second the column names). */
  static List<Map<String, String>> rows(String file) throws IOException {
    List<String> lines = Files.readAllLines(CliCaptures.path("websocket/" + file), StandardCharsets.UTF_8);
    List<Map<String, String>> rows = new ArrayList<>();
    String[] header = null;
    for (String line : lines) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      if (header == null) {
        header = f;
        continue;
      }
      Map<String, String> row = new HashMap<>();
      for (int i = 0; i < header.length; i++) {
        row.put(header[i], i < f.length ? f[i] : "");
      }
      rows.add(row);
    }
    return rows;
  }

  private static String endpoint(Map<String, String> frame) {
    String ip = frame.get("src");
    return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + frame.get("srcport");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ws-basic-v4", "ws-close-4000-v4", "ws-deflate-no-takeover-v6", "ws-deflate-v4",
      "ws-fragmented-v6", "ws-reset-v4"})
  void theAuditsWebSocketObjectMatchesTshark(String name) throws IOException {
    compareAudit(name, "--json", CliCaptures.path("websocket/" + name + ".pcap").toString());
  }

  @org.junit.jupiter.api.Test
  void webSocketInsideDecryptedTls13MatchesTshark() throws IOException {
    // tshark decrypted it with the same key log (wss-tls13-v4.ws.tsv's command line)
    compareAudit("wss-tls13-v4", "--json", "--keylog", CliCaptures.path("websocket/wss-tls13-v4.keys").toString(),
        CliCaptures.path("websocket/wss-tls13-v4.pcap").toString());
  }

  private static void compareAudit(String name, String... args) throws IOException {
    Map<String, String> tcp = rows(name + ".tcp.tsv").get(0);
    String server = tcp.get("server");
    Map<String, Object> expected = new TreeMap<>();
    Map<String, Long> frames = new TreeMap<>();
    long[] messages = new long[2];
    long compressed = 0;
    Map<String, List<String>> pings = Map.of("client", new ArrayList<>(), "server", new ArrayList<>());
    long answered = 0;
    for (Map<String, String> f : rows(name + ".ws.tsv")) {
      String side = endpoint(f).equals(server) ? "server" : "client";
      int opcode = Integer.parseInt(f.get("opcode"));
      frames.merge(side + "." + OPCODES[opcode], 1L, Long::sum);
      if (opcode <= 2 && f.get("fin").equals("1")) {
        messages[side.equals("client") ? 0 : 1]++;
      }
      if ((Integer.decode(f.get("rsv")) & 4) != 0) {
        compressed++;
      }
      if (opcode == 8 && !expected.containsKey("close.initiator")) {
        expected.put("close.initiator", side);
        expected.put("close.code", f.get("close_code").isEmpty() ? "null" : f.get("close_code"));
        expected.put("close.reason", f.get("close_reason"));
      }
      if (opcode == 9) {
        pings.get(side).add(f.get("ping_pong_payload"));
      }
      if (opcode == 10 && pings.get(side.equals("client") ? "server" : "client").remove(f.get("ping_pong_payload"))) {
        answered++;
      }
    }
    if (!expected.containsKey("close.initiator") && !tcp.get("first_rst_src").isEmpty()) {
      expected.put("close.initiator", "null"); // a reset without a close frame: abnormal, 1006, sender not judged
      expected.put("close.code", "1006");
      expected.put("close.reason", "tcp rst");
    }
    expected.put("frames", frames);
    expected.put("messages", messages[0] + "/" + messages[1]);
    expected.put("compressed_frames", compressed);
    expected.put("ping_rtt_ms.count", answered);
    List<Map<String, String>> handshake = rows(name + ".handshake.tsv");
    expected.put("path", handshake.get(0).get("request.uri"));
    expected.put("host", handshake.get(0).get("host"));
    expected.put("subprotocol", handshake.get(1).get("sec_websocket_protocol"));
    expected.put("extensions", handshake.get(1).get("sec_websocket_extensions"));
    expected.put("violations", "[]");

    AuditRun run = AuditRun.run(args);
    assertThat(run.code()).isZero();
    JsonNode ws = run.json().get(0).get("websocket");
    Map<String, Object> actual = new TreeMap<>();
    Map<String, Long> actualFrames = new TreeMap<>();
    for (String side : List.of("client", "server")) {
      ws.get("frames").get(side).fields().forEachRemaining(e -> actualFrames.put(side + "." + e.getKey(), e.getValue().asLong()));
    }
    actual.put("frames", actualFrames);
    actual.put("messages", ws.get("messages").get("client").asLong() + "/" + ws.get("messages").get("server").asLong());
    actual.put("compressed_frames", ws.get("compressed_frames").asLong());
    actual.put("ping_rtt_ms.count", ws.get("ping_rtt_ms").get("count").asLong());
    if (!ws.get("close").isNull()) {
      actual.put("close.initiator", ws.get("close").get("initiator").asText());
      actual.put("close.code", ws.get("close").get("code").asText());
      actual.put("close.reason", ws.get("close").get("reason").asText());
    }
    actual.put("path", ws.get("path").asText());
    actual.put("host", ws.get("host").asText());
    actual.put("subprotocol", ws.get("subprotocol").isNull() ? "" : ws.get("subprotocol").asText());
    List<String> ext = new ArrayList<>();
    ws.get("extensions").forEach(e -> ext.add(e.asText()));
    actual.put("extensions", String.join(", ", ext));
    actual.put("violations", ws.get("violations").toString());
    assertThat(actual).isEqualTo(expected);
    assertThat(ws.get("accept_valid").asBoolean()).isTrue();
    assertThat(ws.get("upgrade_status").asInt()).isEqualTo(Integer.parseInt(handshake.get(1).get("response.code")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ws-basic-v4", "ws-close-4000-v4", "ws-deflate-no-takeover-v6", "ws-deflate-v4",
      "ws-fragmented-v6", "ws-reset-v4"})
  void textMessagesUnmaskedJoinedAndInflatedHashLikeTsharksText(String name) throws IOException {
    Map<String, String> tcp = rows(name + ".tcp.tsv").get(0);
    List<String> expected = new ArrayList<>();
    for (Map<String, String> f : rows(name + ".ws.tsv")) {
      if (!f.get("text_length").isEmpty()) {
        String side = endpoint(f).equals(tcp.get("server")) ? "server" : "client";
        expected.add(side + " " + f.get("text_length") + " " + f.get("text_sha256"));
      }
    }
    assertThat(expected).isNotEmpty();
    assertThat(textMessages(CliCaptures.path("websocket/" + name + ".pcap"))).isEqualTo(expected);
  }

  /** "side length sha256" of every text message, in order of completion. */
  static List<String> textMessages(Path capture) {
    List<String> out = new ArrayList<>();
    Map<Direction, ByteArrayOutputStream> text = new HashMap<>();
    WebSocketMessageListener listener = new WebSocketMessageListener() {
      @Override
      public void onMessageData(Direction d, long ts, int opcode, ByteBuf data) {
        if (opcode == 1) {
          byte[] b = new byte[data.readableBytes()];
          data.getBytes(data.readerIndex(), b);
          text.computeIfAbsent(d, k -> new ByteArrayOutputStream()).write(b, 0, b.length);
        }
      }

      @Override
      public void onMessageEnd(Direction d, long ts, int opcode, boolean complete) {
        if (opcode == 1) {
          byte[] b = text.computeIfAbsent(d, k -> new ByteArrayOutputStream()).toByteArray();
          text.get(d).reset();
          out.add((d == Direction.CLIENT_TO_SERVER ? "client " : "server ") + b.length + " " + sha256(b));
        }
      }
    };
    TcpReassembler tcp = new TcpReassembler(Limits.defaults(), c -> {
      WebSocketConnectionDissector d = new WebSocketConnectionDissector(Limits.defaults()).messageListener(listener);
      return new TcpStreamListener() {
        @Override
        public int onData(TcpConnection c, Direction dir, long offset, ByteBuf data) {
          return d.onData(dir, c.lastTimestampNanos(), data);
        }

        @Override
        public void onGap(TcpConnection c, Direction dir, long offset, long length, GapReason why) {
          d.onGap(dir, c.lastTimestampNanos(), length);
        }

        @Override
        public void onFin(TcpConnection c, Direction dir) {
          d.onFin(dir, c.lastTimestampNanos());
        }

        @Override
        public void onClose(TcpConnection c, CloseReason why) {
          d.onClose(why, c.lastTimestampNanos());
        }
      };
    });
    PacketDissector packets = new PacketDissector();
    try (CaptureReader r = CaptureReader.open(capture)) {
      DecodeStatus s;
      while ((s = r.next()) == DecodeStatus.FRAME || s == DecodeStatus.BLOCK) {
        if (s == DecodeStatus.FRAME) {
          packets.dissect(r);
          tcp.onPacket(packets, r.timestampNanos());
        }
      }
    } finally {
      tcp.close();
    }
    return out;
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
