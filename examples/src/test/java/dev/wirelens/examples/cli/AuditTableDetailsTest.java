package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The table's detail lines under a TLS or WebSocket connection: what a newcomer must see at once (issue 7) without
 * {@code --json}: the server name, the certificate and whether it names the server, and the answered pings.
 *
 * <p>Expected values: the server name and the pings come from tshark's view of the sample recorded beside it
 * ({@code captures/websocket/agent-console.tls-keys.tsv} column {@code server_name},
 * {@code agent-console.ws.tsv} rows with opcode 9 and 10); the certificate's subject and issuer are the
 * {@code -subj} arguments of {@code scripts/lib/certs.sh} that made it, in RFC 4514 order.
 */
class AuditTableDetailsTest {
  private static final Path WS = Path.of("src/test/resources/captures/websocket");

  private static String path(String name) {
    return CliCaptures.path(name).toString();
  }

  @Test
  void aDecryptedSampleShowsItsServerNameCertificateAndAnsweredPings() throws IOException {
    AuditRun r = AuditRun.run("--keylog", path("agent-console.keys"), path("agent-console.pcapng"));
    assertThat(r.code()).isZero();
    String sni = column(WS.resolve("agent-console.tls-keys.tsv"), "server_name").stream()
        .filter(v -> !v.isEmpty()).findFirst().orElseThrow();
    long pings = column(WS.resolve("agent-console.ws.tsv"), "opcode").stream().filter("9"::equals).count();
    long pongs = column(WS.resolve("agent-console.ws.tsv"), "opcode").stream().filter("10"::equals).count();
    assertThat(pings).isEqualTo(pongs).isPositive();
    assertThat(r.lines()).anySatisfy(line -> assertThat(line)
        .startsWith("     tls: sni " + sni + ", certificate CN=console.test,O=Wirelens issued by "
            + "CN=Wirelens Test CA,O=Wirelens, valid until ")
        .contains(", names the sni, alpn -"));
    assertThat(r.lines()).anySatisfy(line -> assertThat(line)
        .startsWith("     websocket: /agent, pings answered " + pings + " (median "));
  }

  @Test
  void withoutKeysTheTls13CertificateIsSaidToBeEncrypted() {
    AuditRun r = AuditRun.run(path("agent-console.pcapng"));
    assertThat(r.lines()).contains(
        "     tls: sni console.test, certificate not visible (encrypted; --keylog shows it), alpn -");
  }

  @Test
  void aCertificateThatDoesNotNameTheServerIsSaidSo() {
    AuditRun r = AuditRun.run(path("tls/tls12-sni-mismatch.pcap"));
    assertThat(r.lines()).anySatisfy(line -> assertThat(line)
        .startsWith("     tls: sni other.test, certificate CN=console.test,O=Wirelens")
        .contains("does NOT name the sni"));
  }

  private static List<String> column(Path tsv, String name) throws IOException {
    List<String> lines = Files.readAllLines(tsv);
    List<String> header = List.of(lines.get(1).split("\t", -1));
    int at = header.indexOf(name);
    assertThat(at).as(name + " in " + tsv).isNotNegative();
    return lines.stream().skip(2).map(l -> l.split("\t", -1)).filter(f -> f.length > at).map(f -> f[at]).toList();
  }
}
