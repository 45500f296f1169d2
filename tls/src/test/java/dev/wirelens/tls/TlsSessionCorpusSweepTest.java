package dev.wirelens.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import dev.wirelens.tcp.Direction;
import dev.wirelens.testkit.Corpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every corpus TLS capture recorded by scripts/record-tls-session-expectations.sh through CaptureReader ->
 * PacketDissector -> TcpReassembler -> TlsConnectionDissector, compared field by field with tshark's facts in
 * src/test/resources/expected/session (never computed by our code). Differences on purpose are listed in
 * {@link #KNOWN} with the reason.
 */
@Tag("corpus")
class TlsSessionCorpusSweepTest {
  static final Path EXPECTED = Paths.get("src/test/resources/expected/session");

  /** "tsv-relative-path#stream#field" -> why we differ from tshark on purpose. */
  static final Map<String, String> KNOWN = new TreeMap<>();

  static {
    String test301 = "tshark stops decrypting the server direction partway (even the server's final alert stays "
        + "encrypted); we decrypt 857814 bytes, every record authenticated by its AES-GCM tag";
    KNOWN.put("gopacket/test301.tsv#0#alerts", test301);
    KNOWN.put("gopacket/test301.tsv#0#server_app", test301);
    String hrr = "the real ServerHello (TLS 1.3, 0x1302) is in frame 11, captured out of order; tshark (without "
        + "tcp.reassemble_out_of_order) never dissects it, our reassembler puts it in place";
    KNOWN.put("zeek/hrr.tsv#0#version", hrr);
    KNOWN.put("zeek/hrr.tsv#0#cipher_suite_id", hrr);
  }

  /**
   * Fields that need decryption, not compared when our dissector reports that it could not decrypt for a reason
   * outside this dissector: a cipher suite RecordDecryptors does not implement (Camellia, SEED, IDEA, RC4, DES,
   * SSL 3.0 MACs...; UNSUPPORTED_SUITE), or a key log with only RSA pre-master secrets that KeyLog does not read
   * (NO_KEY with a key log given). Counted, and the count is printed.
   */
  static final List<String> NEEDS_DECRYPTION =
      List.of("handshake_complete", "alerts", "client_app", "server_app", "certificates", "alpn");

  /** One tsv: its capture and key log, and its rows. */
  static final class Expectation {
    final Path tsv;
    final String capture;
    final String keyLog;
    final List<Map<String, String>> rows = new ArrayList<>();

    Expectation(Path tsv) throws IOException {
      this.tsv = tsv;
      List<String> lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
      String first = lines.get(0);
      int a = first.indexOf("for ") + 4;
      int b = first.indexOf(" (key log: ");
      capture = first.substring(a, b);
      String k = first.substring(b + 11, first.indexOf(')', b));
      keyLog = "none".equals(k) ? null : k;
      String[] header = null;
      for (String line : lines) {
        if (line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        if (header == null) {
          header = f;
          continue;
        }
        Map<String, String> row = new TreeMap<>();
        for (int i = 0; i < header.length && i < f.length; i++) {
          row.put(header[i], f[i]);
        }
        rows.add(row);
      }
    }

    String name() {
      return EXPECTED.relativize(tsv).toString();
    }
  }

  static List<Expectation> expectations() throws IOException {
    List<Expectation> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(EXPECTED)) {
      for (Path p : s.filter(x -> x.toString().endsWith(".tsv")).sorted().collect(Collectors.toList())) {
        out.add(new Expectation(p));
      }
    }
    return out;
  }

  static KeyLog keysFor(Expectation e) throws IOException {
    Path cap = Corpus.root().resolve(e.capture);
    KeyLog keys = e.keyLog == null ? KeyLog.empty()
        : KeyLog.read(Corpus.root().resolve(e.keyLog), Limits.defaults());
    if (cap.toString().endsWith(".pcapng")) {
      keys = KeyLog.merge(keys, SessionRun.secretsBlocks(cap));
    }
    return keys;
  }

  /**
   * The connection of a tsv row: same client endpoint, preferring the same number and one that saw TLS (a capture
   * whose timestamps jump makes the reassembler split a connection where tshark keeps one stream).
   */
  static SessionRun.Conn find(List<SessionRun.Conn> conns, Map<String, String> row) {
    long stream = Long.parseLong(row.get("stream"));
    String client = row.get("client");
    SessionRun.Conn best = null;
    int bestScore = -1;
    for (SessionRun.Conn c : conns) {
      if (!c.client.equals(client)) {
        continue;
      }
      int score = (c.session.isTls() ? 2 : 0) + (c.id == stream ? 1 : 0);
      if (score > bestScore) {
        best = c;
        bestScore = score;
      }
    }
    return best;
  }

  static String dash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }

  static String hex4(int v) {
    return v < 0 ? "-" : String.format("0x%04x", v);
  }

  static String alerts(TlsSession s) {
    List<String> out = new ArrayList<>();
    for (TlsAlert a : s.alerts()) {
      String from = a.from() == Direction.CLIENT_TO_SERVER ? "client" : "server";
      out.add(a.isEncrypted() ? from + ":?:?" : from + ":" + a.level() + ":" + a.description());
    }
    return out.isEmpty() ? "-" : String.join(",", out);
  }

  /** The differences of one capture's run from its tsv, as "name#stream#field: expected ... got ...". */
  static List<String> compare(Expectation e, List<SessionRun.Conn> conns) {
    List<String> diffs = new ArrayList<>();
    for (Map<String, String> row : e.rows) {
      String at = e.name() + "#" + row.get("stream") + "#";
      SessionRun.Conn c = find(conns, row);
      if (c == null) {
        diffs.add(at + "connection: expected " + row.get("client") + " got none");
        continue;
      }
      TlsSession s = c.session;
      boolean cannotDecrypt = e.keyLog != null && (problem(s, DecryptionProblem.UNSUPPORTED_SUITE)
          || problem(s, DecryptionProblem.NO_KEY));
      if (cannotDecrypt) {
        notDecryptable++;
      }
      check(diffs, cannotDecrypt, at + "version", row.get("version"), hex4(s.version()));
      check(diffs, cannotDecrypt, at + "cipher_suite_id", row.get("cipher_suite_id"), hex4(s.cipherSuite()));
      check(diffs, cannotDecrypt, at + "sni", row.get("sni"), dash(s.sni()));
      check(diffs, cannotDecrypt, at + "alpn_offered", row.get("alpn_offered"), dash(String.join(",", s.alpnOffered())));
      check(diffs, cannotDecrypt, at + "alpn", row.get("alpn"), dash(s.alpn()));
      check(diffs, cannotDecrypt, at + "hrr", row.get("hrr"), String.valueOf(s.helloRetryRequest()));
      check(diffs, cannotDecrypt, at + "resumed", row.get("resumed"), String.valueOf(s.resumed()));
      String[] fin = row.get("finished").split("/");
      if (Integer.parseInt(fin[0]) > 0 && Integer.parseInt(fin[1]) > 0) {
        check(diffs, cannotDecrypt, at + "handshake_complete", "true", String.valueOf(s.handshakeComplete()));
      }
      check(diffs, cannotDecrypt, at + "certificates", row.get("certificates"), dash(String.join(",", s.certificateSha256())));
      check(diffs, cannotDecrypt, at + "alerts", row.get("alerts"), alerts(s));
      check(diffs, cannotDecrypt, at + "ja3", row.get("ja3"), dash(s.ja3()));
      String why = " (" + s.cipherSuiteName() + " " + s.decryptionProblem(Direction.CLIENT_TO_SERVER) + "/"
          + s.decryptionProblem(Direction.SERVER_TO_CLIENT) + ")";
      check(diffs, cannotDecrypt, at + "client_app", row.get("client_app"), c.inner.digest(Direction.CLIENT_TO_SERVER) + why);
      check(diffs, cannotDecrypt, at + "server_app", row.get("server_app"), c.inner.digest(Direction.SERVER_TO_CLIENT) + why);
    }
    return diffs;
  }

  static int notDecryptable;

  static boolean problem(TlsSession s, DecryptionProblem p) {
    return s.decryptionProblem(Direction.CLIENT_TO_SERVER) == p || s.decryptionProblem(Direction.SERVER_TO_CLIENT) == p;
  }

  static void check(List<String> diffs, boolean skip, String what, String expected, String actual) {
    if (skip && NEEDS_DECRYPTION.contains(what.substring(what.lastIndexOf('#') + 1))) {
      return;
    }
    check(diffs, what, expected, actual);
  }

  static void check(List<String> diffs, String what, String expected, String actual) {
    int why = actual.indexOf(" (");
    String value = why < 0 ? actual : actual.substring(0, why);
    if (!expected.equals(value) && !KNOWN.containsKey(what)) {
      diffs.add(what + ": expected " + expected + " got " + actual);
    }
  }

  @Test
  void everyRecordedConnectionMatchesTshark() throws IOException {
    List<String> diffs = new ArrayList<>();
    int rows = 0;
    for (Expectation e : expectations()) {
      Path cap = Corpus.root().resolve(e.capture);
      if (!Files.isRegularFile(cap)) {
        continue;
      }
      rows += e.rows.size();
      diffs.addAll(compare(e, SessionRun.run(cap, keysFor(e), false)));
    }
    System.out.println("TLS session sweep: " + rows + " connections, " + notDecryptable
        + " not decryptable for reasons outside the dissector (fields needing decryption not compared)");
    assertThat(rows).isGreaterThan(250);
    assertThat(diffs).as(diffs.size() + " differences").isEmpty();
  }
}
