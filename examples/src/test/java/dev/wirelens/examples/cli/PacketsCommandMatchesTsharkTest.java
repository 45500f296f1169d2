package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code wirelens packets} on every recorded capture prints, line for line, what {@code tshark -r X} printed when
 * the capture was recorded ({@code X.txt} next to it): number, time (same digits), source, destination, frame
 * length; the protocol wherever tshark names a layer we decode; and for TCP the ports, flags, relative Seq and
 * Ack, scaled Win and Len, for UDP the ports and Len.
 *
 * <p>Not compared: the protocol and info where tshark names an application protocol (HTTP, Data...), and frames
 * whose TCP header the snap length cut (tshark shows a partial header; we show the truncation).
 */
class PacketsCommandMatchesTsharkTest {
  private static final Set<String> OUR_PROTOCOLS = Set.of("TCP", "UDP", "ICMP", "ICMPv6", "ARP", "IPv4", "IPv6");

  static List<String> captures() {
    return CliCaptures.ALL;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("captures")
  void everyLineMatchesTsharksSummary(String name) throws IOException {
    List<String> expected = Files.readAllLines(CliCaptures.path(name + ".txt"), StandardCharsets.UTF_8);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Wirelens.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err),
        "packets", CliCaptures.path(name).toString());
    assertThat(err.toString()).isEmpty();
    assertThat(code).isZero();
    List<String> actual = out.toString().lines().toList();
    assertThat(actual).hasSameSizeAs(expected);
    SoftAssertions soft = new SoftAssertions();
    int tcpCompared = 0;
    for (int i = 0; i < expected.size(); i++) {
      TsharkSummaryLine want = TsharkSummaryLine.parse(expected.get(i));
      TsharkSummaryLine got = TsharkSummaryLine.parse(actual.get(i));
      String at = name + " line " + (i + 1) + ": " + actual.get(i);
      soft.assertThat(got.number).as(at).isEqualTo(want.number);
      soft.assertThat(got.time).as(at + " (time)").isEqualTo(want.time);
      soft.assertThat(got.source).as(at + " (source)").isEqualTo(want.source);
      soft.assertThat(got.destination).as(at + " (destination)").isEqualTo(want.destination);
      soft.assertThat(got.length).as(at + " (length)").isEqualTo(want.length);
      boolean cutTcp = got.info.contains("[Malformed TCP: TRUNCATED");
      if (OUR_PROTOCOLS.contains(want.protocol) && !cutTcp) {
        soft.assertThat(got.protocol).as(at + " (protocol)").isEqualTo(want.protocol);
      }
      String wantTcp = want.tcpFields();
      if (wantTcp != null && !cutTcp) {
        soft.assertThat(got.tcpFields()).as(at + " (tcp)").isEqualTo(wantTcp);
        tcpCompared++;
      }
      if ("UDP".equals(want.protocol)) {
        soft.assertThat(got.udpFields()).as(at + " (udp)").isEqualTo(want.udpFields());
      }
    }
    soft.assertAll();
    if (expected.stream().anyMatch(l -> l.contains(" TCP "))) {
      assertThat(tcpCompared).as("TCP lines compared").isPositive();
    }
  }
}
