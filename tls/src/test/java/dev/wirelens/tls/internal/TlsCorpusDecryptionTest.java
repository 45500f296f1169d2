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
import java.util.stream.Stream;
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
    Path keylog = Corpus.file(e.keylog().substring("corpus:".length()));
    List<CaptureDecryption.Connection> connections = RUNS.computeIfAbsent(e.capture() + " " + e.keylog(), k -> {
      try {
        KeyLog keys = KeyLog.parse(Files.readAllBytes(keylog), Limits.defaults());
        assertThat(keys.problems()).as("key log problems").isEmpty();
        return CaptureDecryption.run(capture, keys);
      } catch (IOException x) {
        throw new IllegalStateException(x);
      }
    });
    if (unsupported(e.capture())) {
      CaptureDecryption.Connection c = connections.get(e.stream());
      if (c.keysFound && c.cipherSuite >= 0) {
        assertThat(c.unsupported).as("no decryptor for " + c).isTrue();
        assertThat(c.decryptedRecords).isZero();
      }
      return;
    }
    CaptureDecryption.Connection c = TlsCaptureDecryptionTest.compare(e, connections);
    if (c.keysFound && c.decryptedRecords > 0 && !e.keylog().contains("noearly")) {
      assertThat(c.failedRecords).as("records that failed in " + c).isZero();
    }
  }
}
