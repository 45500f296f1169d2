package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wirelens.Limits;
import dev.wirelens.examples.audit.Audit;
import dev.wirelens.examples.audit.ConnectionReport;
import dev.wirelens.tls.KeyLog;
import dev.wirelens.websocket.WebSocketSession;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ping round-trip times against tshark's capture times: {@code X.pings.tsv} beside each recorded WebSocket capture
 * (written by scripts/lib/ws_expect.py pings; the tshark command is its first line) lists every ping and pong frame
 * with {@code frame.time_epoch} of the packet tshark shows it in (the one that completed the frame or, inside TLS,
 * its record) and the unmasked payload. Here each pong is paired with the oldest unanswered ping from the other
 * side with the same payload (RFC 6455 §5.5.3: a pong echoes the ping's application data), and the expected
 * round-trip time is pong time minus ping time, exact to the capture's resolution (microseconds for the pcap
 * files, nanoseconds for the pcapng sample). Compared: {@link WebSocketSession#pingRttsNanos()} pair by pair, the
 * pings left unanswered, and the audit's {@code ping_rtt_ms} (count, max, median).
 */
class PingRoundTripsMatchTsharkTest {
  private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);

  /** Round-trip times (ns) in pong order, and the pings no pong answered, from tshark's rows. */
  private record Expected(List<Long> rtts, int unanswered) {}

  private static Expected expected(String name) throws IOException {
    List<Map<String, String>> rows = WebSocketRecordingsTest.rows(name + ".pings.tsv");
    List<Map<String, String>> outstanding = new ArrayList<>();
    List<Long> rtts = new ArrayList<>();
    for (Map<String, String> row : rows) {
      assertThat(row.get("stream")).as("one TCP connection per recording").isEqualTo("0");
      if (row.get("opcode").equals("9")) {
        outstanding.add(row);
        continue;
      }
      for (Iterator<Map<String, String>> it = outstanding.iterator(); it.hasNext(); ) {
        Map<String, String> ping = it.next();
        if (!sender(ping).equals(sender(row)) && ping.get("payload").equals(row.get("payload"))) {
          it.remove();
          rtts.add(nanos(row.get("time_epoch")) - nanos(ping.get("time_epoch")));
          break;
        }
      }
    }
    return new Expected(rtts, outstanding.size());
  }

  private static String sender(Map<String, String> row) {
    return row.get("src") + " " + row.get("srcport");
  }

  /** tshark's frame.time_epoch ("1795834951.138136000") as nanoseconds since the epoch, exactly. */
  private static long nanos(String epoch) {
    return new BigDecimal(epoch).multiply(NANOS_PER_SECOND).longValueExact();
  }

  private static Path capture(String name) {
    return CliCaptures.path(name.equals("agent-console") ? "agent-console.pcapng" : "websocket/" + name + ".pcap");
  }

  private static Path keys(String name) {
    return name.equals("agent-console") ? CliCaptures.path("agent-console.keys")
        : name.startsWith("wss-") ? CliCaptures.path("websocket/" + name + ".keys") : null;
  }

  private static WebSocketSession session(String name) throws IOException {
    Audit.Builder b = Audit.builder();
    Path keys = keys(name);
    if (keys != null) {
      b.keys(KeyLog.read(keys, Limits.defaults()));
    }
    List<ConnectionReport> reports = b.build().run(capture(name));
    assertThat(reports).hasSize(1);
    return reports.get(0).webSocket();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ws-basic-v4", "ws-fragmented-v6", "ws-close-4000-v4", "ws-reset-v4", "ws-deflate-v4",
      "ws-deflate-no-takeover-v6", "ws-unanswered-pings-v4", "ws-coalesced-v4", "wss-tls13-v4", "agent-console"})
  void eachPingRoundTripIsThePongsCaptureTimeMinusThePingsAsTsharkShowsThem(String name) throws IOException {
    Expected expected = expected(name);
    WebSocketSession s = session(name);
    assertThat(Arrays.stream(s.pingRttsNanos()).boxed().toList()).isEqualTo(expected.rtts());
    assertThat(s.pingRttCount()).isEqualTo(expected.rtts().size());
    assertThat(s.unansweredPings()).isEqualTo(expected.unanswered());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ws-basic-v4", "ws-fragmented-v6", "ws-close-4000-v4", "ws-reset-v4", "ws-deflate-v4",
      "ws-deflate-no-takeover-v6", "ws-unanswered-pings-v4", "ws-coalesced-v4", "wss-tls13-v4", "agent-console"})
  void theAuditsPingRttMillisecondsAreCountMaxAndMedianOfTsharksRoundTrips(String name) throws IOException {
    List<Long> rtts = new ArrayList<>(expected(name).rtts());
    rtts.sort(null);
    int n = rtts.size();
    Long max = n == 0 ? null : rtts.get(n - 1);
    Long median = n == 0 ? null : (n % 2 == 1 ? rtts.get(n / 2) : (rtts.get(n / 2 - 1) + rtts.get(n / 2)) / 2);

    List<String> args = new ArrayList<>(List.of("--json"));
    if (keys(name) != null) {
      args.addAll(List.of("--keylog", keys(name).toString()));
    }
    args.add(capture(name).toString());
    AuditRun run = AuditRun.run(args.toArray(String[]::new));
    assertThat(run.code()).isZero();
    JsonNode ping = run.json().get(0).get("websocket").get("ping_rtt_ms");
    assertThat(ping.get("count").asLong()).isEqualTo(n);
    assertThat(millis(ping.get("max"))).isEqualTo(max);
    assertThat(millis(ping.get("median"))).isEqualTo(median);
  }

  /** A {@code ping_rtt_ms} number (milliseconds, up to 6 decimals) as nanoseconds, or null for JSON null. */
  private static Long millis(JsonNode v) {
    if (v.isNull()) {
      return null;
    }
    return new BigDecimal(v.asText()).movePointRight(6).longValueExact();
  }
}
