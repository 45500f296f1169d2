package dev.wirelens.examples.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wirelens.examples.cli.Wirelens;
import dev.wirelens.testkit.PacketBuilder;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, the command-line view of a cap that was hit: {@code wirelens audit} says so in one stderr line, and
 * {@code --json} gives the connection that hit it a {@code limits} object (the other lines have none).
 */
@Tag("small-heap")
class CliLimitsTest {
  @TempDir
  Path dir;

  @Test
  void theAuditSaysInOneStderrLineAndInTheJsonWhichLimitsWereHit() throws Exception {
    Path file = dir.resolve("limits.pcap");
    try (Wire w = Wire.pcap(file)) {
      PacketBuilder b = PacketBuilder.ethernet().ipv6("2001:db8::66", "2001:db8::1");
      for (int i = 0; i < 40; i++) {
        b.ipv6Extension(60, new byte[] {1, 4, 0, 0, 0, 0});
      }
      w.frame(Wire.T0, b.tcp(40066, 80).seq(1).flags(PacketBuilder.SYN).build());
      // a ClientHello, then a ServerHello and a Certificate claiming 0xFFFFFF bytes (see TlsLimitsTest)
      String zeros = "00".repeat(32);
      w.tcp("10.0.0.7", 40007, "10.0.0.1", 443).handshake(Wire.T0 + 1_000_000)
          .clientSends(Wire.T0 + 2_000_000, HexFormat.of().parseHex("160301002d" + "01000029" + "0303" + zeros
              + "00" + "0002c02f" + "0100"))
          .serverSends(Wire.T0 + 4_000_000, HexFormat.of().parseHex("1603030032" + "02000026" + "0303" + zeros
              + "00" + "c02f" + "00" + "0bffffff" + "03030000"))
          .closeByClient(Wire.T0 + 5_000_000);
      w.normal("10.0.0.2", 40000, "10.0.0.1", Wire.T0 + 1_000_000_000L);
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int code = Wirelens.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err),
        "audit", "--json", file.toString());

    assertThat(code).isZero();
    assertThat(err.toString().lines()).containsExactly("wirelens audit: " + file + ": limits hit: "
        + "maxIpv6ExtensionHeaders 1, maxTlsHandshakeMessageLength 1"
        + " (the affected packets or bytes were not dissected; the rest was)");
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.toString().lines().toList()) {
      lines.add(json.readTree(line));
    }
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).get("limits").toString()).isEqualTo("{\"maxTlsHandshakeMessageLength\":1}");
    assertThat(lines.get(0).get("tls").isNull()).isFalse();
    assertThat(lines.get(1).has("limits")).isFalse();
    assertThat(lines.get(1).get("tcp").get("bytes").toString()).isEqualTo("{\"client\":100,\"server\":200}");
  }

  @Test
  void aBufferCapIsNamedAloneOnTheStderrLine() throws Exception {
    // one connection holds more than the default per-flow cap (4 MiB) after a 100-byte hole: the hole is given up
    // for that cap, which the line names alone (not joined with maxBufferedBytesTotal)
    Path file = dir.resolve("flow-hole.pcap");
    byte[] piece = new byte[60_000];
    int pieces = 72; // 4,320,000 bytes > 4,194,304
    try (Wire w = Wire.pcap(file)) {
      Wire.Tcp c = w.tcp("10.0.0.6", 40006, "10.0.0.1", 9000).handshake(Wire.T0)
          .clientSendsAfterHole(Wire.T0 + 3_000_000, 100, piece);
      for (int i = 1; i < pieces; i++) {
        c.clientSends(Wire.T0 + 3_000_000 + i * 1000L, piece);
      }
      c.closeByClient(Wire.T0 + 5_000_000);
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int code = Wirelens.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err),
        "audit", "--json", file.toString());

    assertThat(code).isZero();
    assertThat(err.toString().lines()).containsExactly("wirelens audit: " + file + ": limits hit: "
        + "maxBufferedBytesPerFlow 1 (the affected packets or bytes were not dissected; the rest was)");
    JsonNode line = new ObjectMapper().readTree(out.toString().lines().findFirst().orElseThrow());
    assertThat(line.get("limits").toString()).isEqualTo("{\"maxBufferedBytesPerFlow\":1}");
    assertThat(line.get("tcp").get("gaps").get("client").toString()).isEqualTo("{\"count\":1,\"bytes\":100}");
  }
}
