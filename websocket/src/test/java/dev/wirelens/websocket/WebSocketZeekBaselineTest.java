package dev.wirelens.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The handshake facts of the zeek traces against Zeek's own websocket.log baselines (copied, BSD-3-Clause). */
class WebSocketZeekBaselineTest {
  private static Path resource(String name) {
    try {
      return Path.of(WebSocketZeekBaselineTest.class.getResource("/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String dash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }

  @ParameterizedTest
  @CsvSource({"broker-websocket, broker-websocket.pcap", "jupyter-websocket, jupyter-websocket.pcap",
      "key-accept-wrong, wrong-accept-header.pcap", "wstunnel-http, wstunnel-http.pcap",
      "wstunnel-ssh, wstunnel-ssh.pcap"})
  void handshakeFactsEqualZeeks(String baseline, String capture) throws IOException {
    // websocket.log columns: ts uid id.orig_h id.orig_p id.resp_h id.resp_p host uri user_agent subprotocol
    // client_protocols server_extensions client_extensions
    List<String> expected = new ArrayList<>();
    for (String line : Files.readAllLines(resource("expected/zeek/baselines/" + baseline + ".websocket.log.tsv"),
        StandardCharsets.UTF_8)) {
      if (line.startsWith("#") || line.startsWith("ts\t")) {
        continue;
      }
      String[] f = line.split("\t", -1);
      expected.add(String.join(" | ", f[3], f[6], f[7], f[9], f[10], f[11], f[12]));
    }
    CaptureRun run = CaptureRun.of(resource("captures/zeek/websocket/" + capture));
    List<String> actual = new ArrayList<>();
    for (CaptureRun.Connection c : run.connections) {
      WebSocketSession s = c.dissector.session();
      if (!s.isWebSocket()) {
        continue;
      }
      WebSocketHandshake h = s.handshake();
      String host = h.host();
      actual.add(String.join(" | ", String.valueOf(c.clientPort), dash(host), h.path(), dash(h.subprotocol()),
          dash(String.join(",", h.offeredProtocols())), dash(String.join(",", h.extensions())),
          dash(String.join(",", h.offeredExtensions()))));
    }
    assertThat(actual).isEqualTo(expected);
    boolean wrongAccept = baseline.equals("key-accept-wrong"); // weird.log: websocket_wrong_accept_header
    assertThat(run.connections.stream().filter(c -> c.dissector.session().isWebSocket())
        .allMatch(c -> c.dissector.session().acceptValid() != wrongAccept)).isTrue();
  }
}
