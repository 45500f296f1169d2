package dev.wirelens.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.tcp.Direction;
import dev.wirelens.testkit.Corpus;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The corpus WebSocket captures through the whole stack, compared frame by frame with tshark's websocket.* fields
 * recorded by scripts/record-websocket-corpus-expectations.sh into src/test/resources/expected/.
 */
class WebSocketCorpusTest {
  private static Path resource(String name) {
    try {
      return Path.of(WebSocketCorpusTest.class.getResource("/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** tshark's frames per "stream direction", one line per frame, from the recorded fields. */
  static Map<String, List<String>> expected(String corpusPath, Map<Integer, Integer> serverPorts) throws IOException {
    Map<String, List<String>> out = new TreeMap<>();
    for (String line : Files.readAllLines(resource("expected/" + corpusPath + ".tsv"), StandardCharsets.UTF_8)) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      int stream = Integer.parseInt(f[1]);
      int src = Integer.parseInt(f[2]);
      String[] fin = f[4].split(";");
      String[] rsv = f[5].split(";");
      String[] op = f[6].split(";");
      String[] mask = f[7].split(";");
      String[] len7 = f[8].split(";");
      String[] ext16 = f[9].split(";");
      String[] ext64 = f[10].split(";");
      String[] codes = f[11].split(";");
      int i16 = 0;
      int i64 = 0;
      int ic = 0;
      String dir = serverPorts.get(stream) == src ? "server" : "client";
      for (int i = 0; i < op.length; i++) {
        long len = Long.parseLong(len7[i]);
        if (len == 126) {
          len = Long.parseLong(ext16[i16++]);
        } else if (len == 127) {
          len = Long.parseLong(ext64[i64++]);
        }
        String s = dir + " fin=" + fin[i] + " rsv=" + Integer.decode(rsv[i]) + " op=" + op[i] + " mask=" + mask[i]
            + " len=" + len;
        if (op[i].equals("8") && len >= 2 && ic < codes.length && !codes[ic].isEmpty()) {
          s += " code=" + codes[ic++];
        }
        out.computeIfAbsent(stream + " " + dir, k -> new ArrayList<>()).add(s);
      }
    }
    return out;
  }

  static Map<String, List<String>> actual(CaptureRun run) {
    Map<String, List<String>> out = new TreeMap<>();
    for (CaptureRun.Connection c : run.connections) {
      for (String frame : c.frames) {
        out.computeIfAbsent(c.id + " " + frame.substring(0, 6), k -> new ArrayList<>()).add(frame);
      }
    }
    return out;
  }

  static void compare(String corpusPath, Path capture) throws IOException {
    CaptureRun run = CaptureRun.of(capture);
    Map<Integer, Integer> serverPorts = new TreeMap<>();
    for (CaptureRun.Connection c : run.connections) {
      serverPorts.put((int) c.id, c.serverPort);
    }
    Map<String, List<String>> expected = expected(corpusPath, serverPorts);
    assertThat(expected).as(corpusPath).isNotEmpty();
    assertThat(actual(run)).as(corpusPath).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"broker-websocket.pcap", "fragmented-http-reply.pcap", "jupyter-websocket.pcap",
      "message-too-big-status.pcap", "oversized-close-frame.pcapng", "reply-ping-coalesced.pcap",
      "reply-ping-separate.pcap", "two-binary-fragments.pcap", "wrong-accept-header.pcap", "wstunnel-http.pcap",
      "wstunnel-ssh.pcap"})
  void zeekCapturesGiveTsharksFrames(String name) throws IOException {
    compare("zeek/websocket/" + name, resource("captures/zeek/websocket/" + name));
  }

  @Tag("corpus")
  @ParameterizedTest
  @ValueSource(strings = {"suricata-verify/websocket/basic_websockets.pcap",
      "suricata-verify/websocket-compressed/example_websocket.pcap", "suricata-verify/websocket-control-frag/input.pcap",
      "suricata-verify/websocket-ping/input.pcap", "wireshark-notes/websocket/websocket-sip.pcapng"})
  void corpusCapturesGiveTsharksFrames(String path) throws IOException {
    compare(path, Corpus.file(path));
  }
}
