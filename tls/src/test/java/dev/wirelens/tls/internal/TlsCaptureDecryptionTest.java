package dev.wirelens.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tls.KeyLog;
import dev.wirelens.tls.TlsKeySource;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decrypts the captures copied from snet (Unlicense, see captures/tls/SOURCES.md) with their key logs and compares
 * the application data of each direction with tshark's {@code follow,tls,raw} recorded in
 * {@code expected/tls-decryption.tsv} by {@code scripts/record-tls-decryption-expectations.sh}.
 */
class TlsCaptureDecryptionTest {

  /** One line of expected/tls-decryption.tsv. */
  record Expected(String capture, String keylog, int stream, String node0, long node0Bytes, String node0Sha256,
      long node1Bytes, String node1Sha256) {
    @Override
    public String toString() {
      return capture.substring(capture.lastIndexOf('/') + 1) + " stream " + stream;
    }
  }

  static List<Expected> expectations() {
    List<Expected> out = new ArrayList<>();
    try (InputStream in = TlsCaptureDecryptionTest.class.getResourceAsStream("/expected/tls-decryption.tsv")) {
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      for (String line : lines) {
        if (line.startsWith("#") || line.startsWith("capture\t") || line.isBlank()) {
          continue;
        }
        String[] f = line.split("\t");
        out.add(new Expected(f[0], f[1], Integer.parseInt(f[2]), f[3], Long.parseLong(f[4]), f[5],
            Long.parseLong(f[6]), f[7]));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  static Stream<Expected> resourceCaptures() {
    return expectations().stream().filter(e -> e.capture().startsWith("resources:"));
  }

  static Path resource(String name) {
    try {
      return Paths.get(TlsCaptureDecryptionTest.class.getResource("/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("resourceCaptures")
  void applicationDataEqualsTsharks(Expected e) throws IOException {
    KeyLog keys = KeyLog.read(resource(e.keylog().substring("resources:".length())), Limits.defaults());
    List<CaptureDecryption.Connection> connections =
        CaptureDecryption.run(resource(e.capture().substring("resources:".length())), keys);
    assertThat(keys.problems()).isEmpty();
    compare(e, connections);
  }

  /** Compares one tshark stream with our connection of the same index. */
  static CaptureDecryption.Connection compare(Expected e, List<CaptureDecryption.Connection> connections) {
    assertThat(connections.size()).as("connections").isGreaterThan(e.stream());
    CaptureDecryption.Connection c = connections.get(e.stream());
    boolean node0IsClient = e.node0().equals(c.client) || e.node0().equals(":0");
    if (!node0IsClient) {
      assertThat(e.node0()).as("tshark's node 0 is one of the endpoints").isEqualTo(c.server);
    }
    byte[] client = c.applicationData(Direction.CLIENT_TO_SERVER);
    byte[] server = c.applicationData(Direction.SERVER_TO_CLIENT);
    long clientBytes = node0IsClient ? e.node0Bytes() : e.node1Bytes();
    String clientSha = node0IsClient ? e.node0Sha256() : e.node1Sha256();
    long serverBytes = node0IsClient ? e.node1Bytes() : e.node0Bytes();
    String serverSha = node0IsClient ? e.node1Sha256() : e.node0Sha256();
    assertThat(client.length).as("client bytes of " + c).isEqualTo(clientBytes);
    assertThat(sha256(client)).as("client SHA-256").isEqualTo(clientSha);
    assertThat(server.length).as("server bytes of " + c).isEqualTo(serverBytes);
    assertThat(sha256(server)).as("server SHA-256").isEqualTo(serverSha);
    return c;
  }

  @Test
  void keyUpdatesDeriveTheNextTrafficSecrets() throws IOException {
    KeyLog keys = KeyLog.read(resource("captures/tls/tls1.3_keyupdates_aes256.keys"), Limits.defaults());
    List<CaptureDecryption.Connection> cs =
        CaptureDecryption.run(resource("captures/tls/tls1.3_keyupdates_aes256.pcap"), keys);
    assertThat(cs).hasSize(1);
    assertThat(cs.get(0).keyUpdates).isGreaterThan(0);
    assertThat(cs.get(0).failedRecords).isZero();
  }

  @Test
  void encryptThenMacAndMacThenEncryptCapturesUseTheirOwnRecordLayout() throws IOException {
    for (String name : new String[] {"hotplace_tls12etm_TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
        "hotplace_tls12mte_TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"}) {
      KeyLog keys = KeyLog.read(resource("captures/tls/" + name + ".keys"), Limits.defaults());
      CaptureDecryption.Connection c = CaptureDecryption.run(resource("captures/tls/" + name + ".pcap"), keys).get(0);
      assertThat(c.encryptThenMac).as(name).isEqualTo(name.contains("etm"));
      assertThat(c.cipherSuite).isEqualTo(0xC027);
      assertThat(c.decryptedRecords).as(name).isGreaterThan(0);
      assertThat(c.failedRecords).as(name).isZero();
    }
  }

  @Test
  void withoutKeysNothingDecryptsAndNothingIsThrown() throws IOException {
    List<CaptureDecryption.Connection> cs = CaptureDecryption.run(
        resource("captures/tls/TLS1_3_TLS_AES_128_GCM_SHA256.pcap"), TlsKeySource.NONE);
    assertThat(cs).hasSize(1);
    assertThat(cs.get(0).keysFound).isFalse();
    assertThat(cs.get(0).decryptedRecords).isZero();
    assertThat(cs.get(0).applicationData(Direction.CLIENT_TO_SERVER)).isEmpty();
  }

  @Test
  void wrongKeysFailEveryRecordWithoutException() throws IOException {
    // the TLS 1.2 GCM capture's master secret under the client random of another capture's key log line
    String other = new String(java.nio.file.Files.readAllBytes(
        resource("captures/tls/tls_ECDHE-RSA-AES128-GCM-SHA256.keys")), StandardCharsets.US_ASCII);
    String wrong = other.replaceAll("([0-9a-f]{96})", "00".repeat(48));
    KeyLog keys = KeyLog.parse(wrong, Limits.defaults());
    List<CaptureDecryption.Connection> cs =
        CaptureDecryption.run(resource("captures/tls/tls_ECDHE-RSA-AES128-GCM-SHA256.pcap"), keys);
    assertThat(cs.get(0).keysFound).isTrue();
    assertThat(cs.get(0).decryptedRecords).isZero();
    assertThat(cs.get(0).failedRecords).isGreaterThan(0);
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
