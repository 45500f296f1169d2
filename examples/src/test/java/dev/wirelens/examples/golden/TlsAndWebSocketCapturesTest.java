package dev.wirelens.examples.golden;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.pcapng.DecryptionSecret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Smoke test of the recorded TLS and WebSocket captures ({@code scripts/record-tls-captures.sh},
 * {@code scripts/record-websocket-captures.sh}; formats in the README.md of {@code captures/tls} and
 * {@code captures/websocket}): every capture listed in a folder's {@code captures.tsv} is there and reads to the end
 * with as many frames as capinfos counted, its key log is well formed, its decryption-secrets copy carries the same
 * key log, and every expectation file tshark wrote for it has its command line, the documented columns and rows
 * that fit them. The comparisons with the dissectors are the TLS and WebSocket tests' job.
 */
class TlsAndWebSocketCapturesTest {

  static final String TLS_RECORD_COLUMNS = "frame stream src srcport record content_type opaque_type record_version"
      + " record_length message hs_type hs_version random session_id_length supported_versions cipher_suites"
      + " extensions server_name alpn supported_groups key_share_groups ja3 ja3s ticket_lifetime key_update_request"
      + " alert_level alert_desc app_data_length";
  static final String CERT_COLUMNS = "frame stream src srcport index length sha256 in_clear";
  static final String PLAINTEXT_COLUMNS = "stream direction src srcport bytes sha256 chunks";
  static final String WS_COLUMNS = "frame stream src srcport index fin rsv pmc opcode mask payload_length"
      + " payload_length_ext_16 payload_length_ext_64 masking_key close_code close_reason ping_pong_payload text_length"
      + " text_sha256";
  static final String HANDSHAKE_COLUMNS = "frame stream src srcport request.method request.uri host response.code"
      + " upgrade connection sec_websocket_key sec_websocket_version sec_websocket_protocol sec_websocket_extensions"
      + " sec_websocket_accept";
  static final String TCP_COLUMNS = "stream client server first_fin_src first_rst_src";

  private static final Pattern KEY_LINE = Pattern.compile("[A-Z][A-Z0-9_]* [0-9a-f]{16,64} [0-9a-f]{32,192}");

  record Listed(String folder, String file, int packets, String keys) {
    String base() {
      String name = file.substring(file.lastIndexOf('/') + 1);
      return name.substring(0, name.lastIndexOf('.'));
    }

    Path capture() {
      return resolve(file);
    }

    Path expectation(String suffix) {
      return Captures.path(folder + "/" + base() + suffix);
    }

    Path resolve(String name) {
      return name.startsWith("/captures/") ? Captures.path(name.substring("/captures/".length()))
          : Captures.path(folder + "/" + name);
    }

    boolean tls() {
      return folder.equals("tls") || !keys.isEmpty();
    }

    @Override
    public String toString() {
      return folder + "/" + base();
    }
  }

  static List<Listed> listed() {
    List<Listed> all = new ArrayList<>();
    for (String folder : List.of("tls", "websocket")) {
      List<String> lines = lines(Captures.path(folder + "/captures.tsv"));
      assertThat(lines.get(0)).isEqualTo("file\tpackets\tkeys");
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split("\t", -1);
        assertThat(f).as(line).hasSize(3);
        all.add(new Listed(folder, f[0], Integer.parseInt(f[1]), f[2]));
      }
    }
    return all;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("listed")
  void everyListedCaptureReadsToTheEndWithCapinfosFrameCount(Listed c) {
    assertThat(frames(c.capture())).isEqualTo(c.packets());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("listed")
  void everyKeyLogHasOnlyCommentsAndNssSecretLinesAndItsSecretsBlockCopyCarriesThem(Listed c) {
    if (c.keys().isEmpty()) {
      return;
    }
    List<String> secrets = lines(c.resolve(c.keys())).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    assertThat(secrets).isNotEmpty().allSatisfy(l -> assertThat(l).matches(KEY_LINE));
    if (c.file().startsWith("/captures/")) {
      return; // the README sample has no decryption-secrets copy
    }
    Path dsb = c.expectation(".dsb.pcapng");
    try (CaptureReader r = CaptureReader.open(dsb)) {
      int n = 0;
      DecodeStatus s;
      while ((s = r.next()) == DecodeStatus.FRAME) {
        n++;
      }
      assertThat(s).isEqualTo(DecodeStatus.END);
      assertThat(n).isEqualTo(c.packets());
      List<DecryptionSecret> blocks = r.decryptionSecrets();
      assertThat(blocks).hasSize(1);
      assertThat(blocks.get(0).isTlsKeyLog()).isTrue();
      assertThat(blocks.get(0).dataAsString().lines().toList()).containsAll(secrets);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("listed")
  void everyExpectationFileHasItsCommandTheDocumentedColumnsAndFittingRows(Listed c) {
    if (c.tls()) {
      boolean handshakeSeen = table(c, ".tls.tsv", TLS_RECORD_COLUMNS, true);
      assertThat(handshakeSeen).isTrue();
      table(c, ".tls-keys.tsv", TLS_RECORD_COLUMNS, true);
      table(c, ".certs.tsv", CERT_COLUMNS, false);
      table(c, ".plaintext.tsv", PLAINTEXT_COLUMNS, false);
    }
    if (c.folder().equals("websocket")) {
      table(c, ".ws.tsv", WS_COLUMNS, !c.base().equals("ws-refused-v4"));
      table(c, ".handshake.tsv", HANDSHAKE_COLUMNS, true);
      table(c, ".tcp.tsv", TCP_COLUMNS, true);
    }
  }

  /** The kept certificates are the ones on the wire: their SHA-256 is among those tshark recorded. */
  @ParameterizedTest(name = "{0} in {1}")
  @CsvSource({
      "console-rsa, tls/tls12-ecdhe-rsa-aes128gcm, 1",
      "console-ecdsa, tls/tls12-ecdhe-ecdsa-chacha20, 1",
      "console-expired, tls/tls12-expired-cert, 1",
      "agent-client, tls/tls12-client-cert, 1",
      "agent-client, tls/tls13-client-cert, 0",
      "console-rsa, tls/tls13-aes128gcm, 0",
      "console-rsa, websocket/agent-console, 0"})
  void keptCertificateIsTheOneTsharkSawOnTheWire(String cert, String capture, String inClear) {
    String pem = String.join("", lines(Captures.path("tls/certs/" + cert + ".pem")).stream()
        .filter(l -> !l.startsWith("-----")).toList());
    String sha = sha256(Base64.getDecoder().decode(pem));
    List<String> rows = lines(Captures.path(capture + ".certs.tsv"));
    assertThat(rows.stream().skip(2).map(r -> r.split("\t", -1)).filter(f -> f[6].equals(sha)).map(f -> f[7]))
        .as("%s in %s", cert, capture).contains(inClear);
  }

  /** Checks one table; returns whether it has at least one row. */
  private static boolean table(Listed c, String suffix, String columns, boolean rowsRequired) {
    Path p = c.expectation(suffix);
    List<String> lines = lines(p);
    assertThat(lines).as(p.toString()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(lines.get(0)).as("%s: command line", p).startsWith("# ").contains("tshark");
    assertThat(lines.get(1)).as("%s: columns", p).isEqualTo(columns.replace(' ', '\t'));
    int width = columns.split(" ").length;
    boolean byFrame = columns.startsWith("frame ");
    for (String row : lines.subList(2, lines.size())) {
      String[] f = row.split("\t", -1);
      assertThat(f).as("%s: %s", p, row).hasSize(width);
      if (byFrame) {
        assertThat(Integer.parseInt(f[0])).as("%s: frame number", p).isBetween(1, c.packets());
      }
    }
    if (rowsRequired) {
      assertThat(lines.size()).as("%s: rows", p).isGreaterThan(2);
    }
    return lines.size() > 2;
  }

  private static int frames(Path capture) {
    try (CaptureReader r = CaptureReader.open(capture)) {
      int n = 0;
      DecodeStatus s;
      while ((s = r.next()) == DecodeStatus.FRAME) {
        n++;
      }
      assertThat(s).as("%s: read to the end", capture).isEqualTo(DecodeStatus.END);
      return n;
    }
  }

  private static List<String> lines(Path p) {
    try {
      return Files.readAllLines(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
