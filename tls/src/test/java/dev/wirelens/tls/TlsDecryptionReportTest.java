package dev.wirelens.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import dev.wirelens.tcp.Direction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Decryption and its failures on the illustrated TLS 1.2 and 1.3 connections (MIT, copied into
 * src/test/resources/vectors/tls with their key logs): the expected plaintext digests are tshark's
 * (expected/session/illustrated-tls1{2,3}/capture.tsv); wrong, missing and truncated keys and a lost segment give a
 * per-direction report and no exception.
 */
class TlsDecryptionReportTest {
  static final Path V = Paths.get("src/test/resources/vectors/tls");
  static final Path TLS12 = V.resolve("illustrated-tls12/capture.pcap");
  static final Path TLS13 = V.resolve("illustrated-tls13/capture.pcap");
  static final Direction C = Direction.CLIENT_TO_SERVER;
  static final Direction S = Direction.SERVER_TO_CLIENT;

  static Map<String, String> expected(String name) throws IOException {
    TlsSessionCorpusSweepTest.Expectation e = new TlsSessionCorpusSweepTest.Expectation(
        TlsSessionCorpusSweepTest.EXPECTED.resolve(name + "/capture.tsv"));
    return e.rows.get(0);
  }

  static KeyLog keys(String name) throws IOException {
    return KeyLog.read(V.resolve(name + "/keylog.txt"), Limits.defaults());
  }

  /** The key log with the first hex digit of every secret changed. */
  static KeyLog wrongKeys(String name) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String line : Files.readAllLines(V.resolve(name + "/keylog.txt"), StandardCharsets.US_ASCII)) {
      String[] f = line.split(" ");
      char c = f[2].charAt(0);
      sb.append(f[0]).append(' ').append(f[1]).append(' ').append(c == '0' ? '1' : '0').append(f[2].substring(1))
          .append('\n');
    }
    return KeyLog.parse(sb, Limits.defaults());
  }

  static SessionRun.Conn only(List<SessionRun.Conn> conns) {
    assertThat(conns).hasSize(1);
    return conns.get(0);
  }

  @Test
  void tls13WithItsKeyLogDecryptsAsTshark() throws IOException {
    Map<String, String> row = expected("illustrated-tls13");
    SessionRun.Conn c = only(SessionRun.run(TLS13, keys("illustrated-tls13"), false));
    assertThat(c.inner.digest(C)).isEqualTo(row.get("client_app"));
    assertThat(c.inner.digest(S)).isEqualTo(row.get("server_app"));
    assertThat(String.join(",", c.session.certificateSha256())).isEqualTo(row.get("certificates"));
    assertThat(c.session.decrypted()).isTrue();
    assertThat(c.session.handshakeComplete()).isTrue();
    assertThat(c.session.decryptedBytes(C)).isEqualTo(4);
    assertThat(c.session.decryptionProblem(C)).isEqualTo(DecryptionProblem.NONE);
    assertThat(c.session.decryptionProblem(S)).isEqualTo(DecryptionProblem.NONE);
  }

  @Test
  void tls12WithItsKeyLogDecryptsAsTshark() throws IOException {
    Map<String, String> row = expected("illustrated-tls12");
    SessionRun.Conn c = only(SessionRun.run(TLS12, keys("illustrated-tls12"), false));
    assertThat(c.inner.digest(C)).isEqualTo(row.get("client_app"));
    assertThat(c.inner.digest(S)).isEqualTo(row.get("server_app"));
    assertThat(TlsSessionCorpusSweepTest.alerts(c.session)).isEqualTo(row.get("alerts"));
    assertThat(c.session.decrypted()).isTrue();
  }

  @Test
  void missingKeyIsReportedPerDirection() {
    SessionRun.Conn c = only(SessionRun.run(TLS13, KeyLog.empty(), false));
    assertThat(c.session.decrypted()).isFalse();
    assertThat(c.session.decryptionProblem(C)).isEqualTo(DecryptionProblem.NO_KEY);
    assertThat(c.session.decryptionProblem(S)).isEqualTo(DecryptionProblem.NO_KEY);
    assertThat(c.session.certificates()).as("TLS 1.3 certificates are encrypted").isEmpty();
    assertThat(c.inner.length).containsExactly(0, 0);
  }

  @Test
  void wrongKeyIsAuthenticationFailedPerDirection() throws IOException {
    for (String name : new String[] {"illustrated-tls12", "illustrated-tls13"}) {
      SessionRun.Conn c = only(SessionRun.run(V.resolve(name + "/capture.pcap"), wrongKeys(name), false));
      assertThat(c.session.decryptionProblem(C)).as(name).isEqualTo(DecryptionProblem.AUTHENTICATION_FAILED);
      assertThat(c.session.decryptionProblem(S)).as(name).isEqualTo(DecryptionProblem.AUTHENTICATION_FAILED);
      assertThat(c.session.decrypted()).as(name).isFalse();
      assertThat(c.inner.length).as(name).containsExactly(0, 0);
    }
  }

  @Test
  void keyLogWithoutApplicationSecretsDecryptsTheHandshakeOnly() throws IOException {
    // the first two lines: SERVER_ and CLIENT_HANDSHAKE_TRAFFIC_SECRET (a key log cut short)
    List<String> lines = Files.readAllLines(V.resolve("illustrated-tls13/keylog.txt"), StandardCharsets.US_ASCII);
    KeyLog truncated = KeyLog.parse(lines.get(0) + "\n" + lines.get(1) + "\n", Limits.defaults());
    Map<String, String> row = expected("illustrated-tls13");
    SessionRun.Conn c = only(SessionRun.run(TLS13, truncated, false));
    assertThat(String.join(",", c.session.certificateSha256())).isEqualTo(row.get("certificates"));
    assertThat(c.session.decryptionProblem(C)).isEqualTo(DecryptionProblem.NO_KEY);
    assertThat(c.session.decryptionProblem(S)).isEqualTo(DecryptionProblem.NO_KEY);
    assertThat(c.inner.length).containsExactly(0, 0);
  }

  @Test
  void lostSegmentStopsThatDirectionOnly() throws IOException {
    Map<String, String> row = expected("illustrated-tls12");
    // frame 13 (1-based) carries the client's only application data record
    SessionRun.Conn c = only(SessionRun.run(TLS12, keys("illustrated-tls12"), false, Limits.defaults(),
        frame -> frame != 12));
    assertThat(c.session.decryptionProblem(C)).isEqualTo(DecryptionProblem.GAP);
    assertThat(c.session.decryptionProblem(S)).isEqualTo(DecryptionProblem.NONE);
    assertThat(c.inner.digest(S)).isEqualTo(row.get("server_app"));
    assertThat(c.inner.length[0]).isZero();
    assertThat(c.inner.gaps).isEqualTo(1);
    assertThat(c.session.alerts()).containsExactly(new TlsAlert(C, -1, -1));
  }

  @Test
  void oneBytePiecesGiveTheSameSession() throws IOException {
    for (String name : new String[] {"illustrated-tls12", "illustrated-tls13"}) {
      Path cap = V.resolve(name + "/capture.pcap");
      assertThat(SplitSweepTest.fingerprint(SessionRun.run(cap, keys(name), true)))
          .isEqualTo(SplitSweepTest.fingerprint(SessionRun.run(cap, keys(name), false)));
    }
  }
}
