package dev.wirelens.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import dev.wirelens.testkit.Corpus;
import dev.wirelens.tls.KeyLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole snet decrypt-by-keylog matrix, zeek's TLS 1.2 stream with key log and Wireshark's RFC 8446 capture
 * (with and without the early secret), read in place from the shared corpus, against tshark's
 * {@code follow,tls,raw} in {@code expected/tls-decryption.tsv}.
 */
@Tag("corpus")
class TlsCorpusDecryptionTest {
  /** Ciphers this library does not decrypt (tls12 returns null): SSL 3.0, Camellia, ARIA. */
  private static boolean unsupported(String capture) {
    return capture.contains("ssl3_0") || capture.contains("CAMELLIA") || capture.contains("ARIA");
  }

  private static final Map<String, List<CaptureDecryption.Connection>> RUNS = new HashMap<>();

  static Stream<TlsCaptureDecryptionTest.Expected> corpusCaptures() {
    return TlsCaptureDecryptionTest.expectations().stream().filter(e -> e.capture().startsWith("corpus:"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("corpusCaptures")
  void applicationDataEqualsTsharks(TlsCaptureDecryptionTest.Expected e) throws IOException {
    Path capture = Corpus.file(e.capture().substring("corpus:".length()));
    List<CaptureDecryption.Connection> connections = RUNS.computeIfAbsent(e.capture() + " " + e.keylog(), k -> {
      try {
        KeyLog keys = keysFor(e, capture);
        assertThat(keys.problems()).as("key log problems").isEmpty();
        assertThat(keys.size()).as("connections in the key log").isPositive();
        return CaptureDecryption.run(capture, keys);
      } catch (IOException x) {
        throw new IllegalStateException(x);
      }
    });
    assertThat(connections.size()).as("connections").isGreaterThan(e.stream());
    CaptureDecryption.Connection c = connections.get(e.stream());
    if (c.unsupported || unsupported(e.capture())) {
      // SSL 3.0, Camellia, ARIA, RC4, SEED, IDEA, DES...: no decryptor, so nothing decrypts (tshark may)
      assertThat(c.decryptedRecords).as(c.toString()).isZero();
      return;
    }
    if (c.compressed) {
      // TLS compression (tls12-73-ciphersuites, OpenSSL 1.0.1e with zlib): decryption is checked by every record's
      // MAC or tag; the plaintext is still DEFLATE-compressed, which the connection dissector would have to inflate
      assertThat(c.decryptedRecords).as(c.toString()).isPositive();
      assertThat(c.failedRecords).as(c.toString()).isZero();
      return;
    }
    TlsCaptureDecryptionTest.compare(e, connections);
    if (c.keysFound && c.decryptedRecords > 0 && !e.keylog().contains("noearly")) {
      assertThat(c.failedRecords).as("records that failed in " + c).isZero();
    }
  }

  /**
   * The keys: a Decryption Secrets Block's, the SHB comment's (for keys-in-shb-comment, whose sidecar .keylog, what
   * tshark was given, must hold the same secrets), or the key log file's.
   */
  private static KeyLog keysFor(TlsCaptureDecryptionTest.Expected e, Path capture) throws IOException {
    if (e.keylog().equals("embedded:dsb")) {
      return KeyLog.parse(CaptureDecryption.embeddedKeyLogs(capture)[0], Limits.defaults());
    }
    KeyLog file = KeyLog.parse(Files.readAllBytes(Corpus.file(e.keylog().substring("corpus:".length()))),
        Limits.defaults());
    if (e.capture().contains("keys-in-shb-comment")) {
      KeyLog comment = KeyLog.parse(CaptureDecryption.embeddedKeyLogs(capture)[1], Limits.defaults());
      assertThat(comment.size()).as("SHB comment key log").isEqualTo(file.size()).isPositive();
      return comment;
    }
    return file;
  }

  /** The cases of snet's tests.conf: capture, key log, expected number of decrypted records. */
  static Stream<Arguments> snetCases() throws IOException {
    Path conf = Corpus.file("snet-decrypt-by-keylog/tests.conf");
    List<Arguments> out = new ArrayList<>();
    String pcap = null;
    String keylog = null;
    for (String line : Files.readAllLines(conf)) {
      String[] kv = line.split(" = ", 2);
      if (kv.length != 2) {
        continue;
      }
      String value = kv[1].substring(kv[1].lastIndexOf('/') + 1);
      switch (kv[0].trim()) {
        case "pcap" -> pcap = value;
        case "keylog" -> keylog = value;
        case "decrypted_records_count" -> out.add(Arguments.of(pcap, keylog, Integer.parseInt(value)));
        default -> { }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("snetCases")
  void decryptedRecordCountEqualsSnets(String pcap, String keylog, int expected) throws IOException {
    String dir = "snet-decrypt-by-keylog/decrypt_by_keylog/";
    KeyLog keys = KeyLog.parse(Files.readAllBytes(Corpus.file(dir + keylog)), Limits.defaults());
    List<CaptureDecryption.Connection> connections = CaptureDecryption.run(Corpus.file(dir + pcap), keys);
    int decrypted = connections.stream().mapToInt(c -> c.decryptedRecords).sum();
    if (unsupported(pcap)) {
      assertThat(decrypted).isZero();
      return;
    }
    if (pcap.contains("NULL")) {
      // snet counts 0 for NULL-cipher suites (it does not "decrypt" them); the plaintext of these captures is
      // checked against tshark by applicationDataEqualsTsharks, and every record's MAC verified
      assertThat(expected).isZero();
      assertThat(connections).allSatisfy(c -> assertThat(c.failedRecords).isZero());
      return;
    }
    assertThat(decrypted).as(connections.toString()).isEqualTo(expected);
  }
}
