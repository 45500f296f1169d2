package dev.wirelens.examples.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Layer;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.examples.audit.Audit;
import dev.wirelens.examples.audit.AuditSummary;
import dev.wirelens.examples.audit.ConnectionReport;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tls.DecryptionProblem;
import dev.wirelens.tls.KeyLog;
import dev.wirelens.tls.KeyLogProblem;
import dev.wirelens.tls.TlsSecrets;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, resource limits of the TLS layer under a 256 MiB heap (tag small-heap): a handshake message claiming
 * 16 MiB (through the audit), each TLS cap named alone in {@link ConnectionReport#limits()} (a record over a lowered
 * {@code maxTlsRecordLength}, a handshake message over a lowered {@code maxTlsHandshakeMessageLength} in records
 * that fit, a handshake cap hit after plaintext), and a key log of a million lines plus one over {@link Limits#maxKeyLogLines()} and a
 * line of 8 MiB (through {@link KeyLog#read}, where the audit does not reach).
 */
@Tag("small-heap")
class TlsLimitsTest {
  private static final HexFormat HEX = HexFormat.of();

  @TempDir
  Path dir;

  @Test
  void aHandshakeMessageClaimingSixteenMibStopsThatDirectionAtTheCap() {
    Path file = dir.resolve("huge-handshake.pcap");
    // RFC 5246 §7.4: a ClientHello { 0303, random 32 x 00, session_id <0>, cipher_suites <c02f>, compression <00> }
    // answered by a ServerHello { 0303, random 32 x 00, session_id <0>, c02f, 00 } and a Handshake { msg_type(1) =
    // certificate, length uint24 = 0xFFFFFF (16 MiB - 1, the most 24 bits can claim) }, in TLSPlaintext records
    String zeros = "00".repeat(32);
    byte[] hello = HEX.parseHex("160301002d" + "01000029" + "0303" + zeros + "00" + "0002c02f" + "0100");
    byte[] serverHello = HEX.parseHex("1603030032" + "02000026" + "0303" + zeros + "00" + "c02f" + "00"
        + "0bffffff" + "03030000");
    byte[] more = HEX.parseHex("1603030004" + "00000000");
    try (Wire w = Wire.pcap(file)) {
      w.tcp("10.0.0.7", 40007, "10.0.0.1", 443).handshake(Wire.T0).clientSends(Wire.T0 + 2_000_000, hello)
          .serverSends(Wire.T0 + 3_000_000, serverHello).serverSends(Wire.T0 + 4_000_000, more)
          .closeByClient(Wire.T0 + 5_000_000);
      w.normal("10.0.0.2", 40000, "10.0.0.1", Wire.T0 + 1_000_000_000L);
    }
    List<ConnectionReport> reports = new ArrayList<>();

    AuditSummary s = Audit.builder().build().run(file, reports::add);

    assertThat(reports).hasSize(2);
    ConnectionReport tls = reports.get(0);
    assertThat(tls.tls()).isNotNull();
    assertThat(tls.tls().malformation(Direction.CLIENT_TO_SERVER).isMalformed()).isFalse();
    MalformationReport m = tls.tls().malformation(Direction.SERVER_TO_CLIENT);
    assertThat(m.malformation()).isEqualTo(Malformation.LIMIT_EXCEEDED);
    assertThat(m.layer()).isEqualTo(Layer.TLS);
    // the server stream's offset of the length field: record header 5, the ServerHello 4 + 38, msg_type 1
    assertThat(m.offset()).isEqualTo(5 + 4 + 38 + 1);
    assertThat(tls.limits()).isEqualTo(Map.of("maxTlsHandshakeMessageLength", 1L));
    assertThat(tls.bytes(Direction.SERVER_TO_CLIENT)).isEqualTo(serverHello.length + more.length);
    assertThat(tls.close()).isEqualTo("fin");
    assertThat(s.limits()).isEqualTo(Map.of("maxTlsHandshakeMessageLength", 1L));
    Reports.assertNormal(reports.get(1), "10.0.0.2", 40000);
  }

  /** Records up to 100 bytes, handshake messages up to 150: the two tests below differ only in their streams. */
  private static final Limits SMALL_TLS = Limits.builder().maxTlsRecordLength(100).maxTlsHandshakeMessageLength(150)
      .build();

  @Test
  void aRecordOverALoweredRecordLimitIsNamedMaxTlsRecordLengthAlone() {
    Path file = dir.resolve("long-record.pcap");
    // RFC 5246 §7.4 ClientHello as above (a 45-byte fragment), answered by one handshake record of 0x78 = 120 bytes
    // (> 100) holding a ServerHello (4 + 38) and a Certificate { length uint24 = 0x4a } of 74 zero bytes: each message
    // within the 150-byte handshake cap, only the record's length over a cap
    String zeros = "00".repeat(32);
    byte[] hello = HEX.parseHex("160301002d" + "01000029" + "0303" + zeros + "00" + "0002c02f" + "0100");
    byte[] server = HEX.parseHex("1603030078" + "02000026" + "0303" + zeros + "00" + "c02f" + "00"
        + "0b00004a" + "00".repeat(74));
    List<ConnectionReport> reports = auditTls(file, SMALL_TLS, hello, server);

    MalformationReport m = reports.get(0).tls().malformation(Direction.SERVER_TO_CLIENT);
    assertThat(m.malformation()).isEqualTo(Malformation.LIMIT_EXCEEDED);
    assertThat(m.offset()).isEqualTo(3); // the server stream's offset of the record's length field
    assertThat(reports.get(0).limits()).isEqualTo(Map.of("maxTlsRecordLength", 1L));
  }

  @Test
  void aHandshakeMessageOverALoweredHandshakeLimitInRecordsThatFitIsNamedMaxTlsHandshakeMessageLengthAlone() {
    Path file = dir.resolve("long-message.pcap");
    // the ClientHello as above; a ServerHello record (5 + 42), then a Certificate { length uint24 = 0xc8 = 200 }
    // (> 150) of 200 zero bytes, its 204 bytes in handshake records of 100, 100 and 4 bytes (each within 100)
    String zeros = "00".repeat(32);
    byte[] hello = HEX.parseHex("160301002d" + "01000029" + "0303" + zeros + "00" + "0002c02f" + "0100");
    String certificate = "0b0000c8" + "00".repeat(200);
    byte[] server = HEX.parseHex("160303002a" + "02000026" + "0303" + zeros + "00" + "c02f" + "00"
        + "1603030064" + certificate.substring(0, 200) + "1603030064" + certificate.substring(200, 400)
        + "1603030004" + certificate.substring(400));
    List<ConnectionReport> reports = auditTls(file, SMALL_TLS, hello, server);

    MalformationReport m = reports.get(0).tls().malformation(Direction.SERVER_TO_CLIENT);
    assertThat(m.malformation()).isEqualTo(Malformation.LIMIT_EXCEEDED);
    // the server stream's offset of the Certificate's length field: the ServerHello record 5 + 42, a record header
    // 5, msg_type 1
    assertThat(m.offset()).isEqualTo(47 + 5 + 1);
    assertThat(reports.get(0).limits()).isEqualTo(Map.of("maxTlsHandshakeMessageLength", 1L));
  }

  @Test
  void aHandshakeCapHitAfterPlaintextIsNotNamedTheRecordCap() {
    Path file = dir.resolve("banner-then-huge-handshake.pcap");
    // default limits; the server's stream starts with a plaintext banner (so its plaintext offset is 0), then the
    // ServerHello record of the first test with its Certificate claiming 0xFFFFFF bytes, over the 256 KiB cap
    String zeros = "00".repeat(32);
    byte[] hello = HEX.parseHex("160301002d" + "01000029" + "0303" + zeros + "00" + "0002c02f" + "0100");
    byte[] server = HEX.parseHex(HEX.formatHex("220 ready\r\n".getBytes(StandardCharsets.US_ASCII)) + "1603030032"
        + "02000026" + "0303" + zeros + "00" + "c02f" + "00" + "0bffffff" + "03030000");
    List<ConnectionReport> reports = auditTls(file, Limits.defaults(), hello, server);

    assertThat(reports.get(0).tls().plaintextOffset(Direction.SERVER_TO_CLIENT)).isZero();
    MalformationReport m = reports.get(0).tls().malformation(Direction.SERVER_TO_CLIENT);
    assertThat(m.malformation()).isEqualTo(Malformation.LIMIT_EXCEEDED);
    assertThat(m.offset()).isEqualTo(11 + 5 + 42 + 1); // banner, record header, ServerHello, msg_type
    assertThat(reports.get(0).limits()).isEqualTo(Map.of("maxTlsHandshakeMessageLength", 1L));
  }

  /** One TLS connection (client bytes, then server bytes, closed by the client) audited under {@code limits}. */
  private static List<ConnectionReport> auditTls(Path file, Limits limits, byte[] client, byte[] server) {
    try (Wire w = Wire.pcap(file)) {
      w.tcp("10.0.0.7", 40007, "10.0.0.1", 443).handshake(Wire.T0).clientSends(Wire.T0 + 2_000_000, client)
          .serverSends(Wire.T0 + 3_000_000, server).closeByClient(Wire.T0 + 5_000_000);
    }
    List<ConnectionReport> reports = new ArrayList<>();
    AuditSummary s = Audit.builder().limits(limits).build().run(file, reports::add);
    assertThat(reports).hasSize(1);
    assertThat(reports.get(0).tls()).isNotNull();
    assertThat(reports.get(0).tls().malformation(Direction.CLIENT_TO_SERVER).isMalformed()).isFalse();
    assertThat(s.limits()).isEqualTo(reports.get(0).limits());
    return reports;
  }

  @Test
  void aClientThatSendsMoreThanTwoRecordsBeforeTheServerHelloIsALimitHit() {
    Path file = dir.resolve("early-data-flood.pcap");
    // RFC 5246 §7.4 ClientHello as above, then three application_data records of 2^14 bytes (RFC 8446 §5.1: the
    // most a TLSPlaintext fragment may hold) before the server answers: the dissector holds at most two records of
    // maxTlsRecordLength for the ServerHello (TlsConnectionDissector.maxHeldForServerHello), then stops waiting
    String zeros = "00".repeat(32);
    byte[] hello = HEX.parseHex("160301002d" + "01000029" + "0303" + zeros + "00" + "0002c02f" + "0100");
    byte[] record = new byte[5 + 16384];
    System.arraycopy(HEX.parseHex("1703034000"), 0, record, 0, 5);
    byte[] serverHello = HEX.parseHex("160303002a" + "02000026" + "0303" + zeros + "00" + "c02f" + "00");
    try (Wire w = Wire.pcap(file)) {
      w.tcp("10.0.0.7", 40007, "10.0.0.1", 443).handshake(Wire.T0).clientSends(Wire.T0 + 2_000_000, hello)
          .clientSends(Wire.T0 + 2_100_000, record).clientSends(Wire.T0 + 2_200_000, record)
          .clientSends(Wire.T0 + 2_300_000, record).serverSends(Wire.T0 + 3_000_000, serverHello)
          .closeByClient(Wire.T0 + 5_000_000);
    }
    List<ConnectionReport> reports = new ArrayList<>();

    AuditSummary s = Audit.builder().build().run(file, reports::add);

    ConnectionReport tls = reports.get(0);
    assertThat(tls.tls().decryptionProblem(Direction.CLIENT_TO_SERVER)).isEqualTo(DecryptionProblem.LIMIT_EXCEEDED);
    assertThat(tls.tls().decryptionProblem(Direction.SERVER_TO_CLIENT)).isNotEqualTo(DecryptionProblem.LIMIT_EXCEEDED);
    assertThat(tls.limits()).isEqualTo(Map.of("TlsConnectionDissector.maxHeldForServerHello", 1L));
    assertThat(s.limits()).isEqualTo(Map.of("TlsConnectionDissector.maxHeldForServerHello", 1L));
  }

  @Test
  void aClientHelloClaimingSixteenMibIsNoHelloAndNoLimitHit() {
    Path file = dir.resolve("huge-hello.pcap");
    // RFC 8446 §4: Handshake { msg_type(1) = client_hello, length uint24 = 0xFFFFFF }: more than the 131,396 bytes
    // the ClientHello grammar allows (§4.1.2), so the bytes are not a handshake, whatever the cap
    byte[] record = HEX.parseHex("1603010008" + "01ffffff" + "03030000");
    try (Wire w = Wire.pcap(file)) {
      w.tcp("10.0.0.7", 40007, "10.0.0.1", 443).handshake(Wire.T0).clientSends(Wire.T0 + 3_000_000, record)
          .closeByClient(Wire.T0 + 5_000_000);
    }
    List<ConnectionReport> reports = new ArrayList<>();

    AuditSummary s = Audit.builder().build().run(file, reports::add);

    MalformationReport m = reports.get(0).tls().malformation(Direction.CLIENT_TO_SERVER);
    assertThat(m.malformation()).isEqualTo(Malformation.BAD_LENGTH_FIELD);
    assertThat(m.layer()).isEqualTo(Layer.TLS);
    assertThat(m.offset()).isEqualTo(5 + 1); // the client stream's offset: record header 5, msg_type 1
    assertThat(reports.get(0).limits()).isEmpty();
    assertThat(s.limits()).isEmpty();
  }

  @Test
  void aKeyLogOfAMillionLinesIsReadAndTheLineOverTheCapIsReported() throws IOException {
    int connections = 200_000; // TLS 1.3: five lines each, a million lines
    String[] labels = {"CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
        "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0", "EXPORTER_SECRET"};
    Path file = dir.resolve("million.keys");
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.ISO_8859_1)) {
      for (int i = 0; i < connections; i++) {
        String random = random(i);
        for (int k = 0; k < labels.length; k++) {
          out.write(labels[k]);
          out.write(' ');
          out.write(random);
          out.write(' ');
          out.write(secret(i, k));
          out.write('\n');
        }
      }
      out.write("CLIENT_RANDOM " + random(connections) + " " + secret(connections, 0).repeat(2).substring(0, 96)
          + "\n"); // line 1,000,001
    }

    KeyLog log = KeyLog.read(file, Limits.defaults());

    assertThat(log.size()).isEqualTo(connections);
    assertThat(log.problems()).containsExactly(new KeyLogProblem(1_000_001, KeyLogProblem.Kind.LIMIT_EXCEEDED, null,
        "more than 1000000 lines (Limits.maxKeyLogLines); the rest of the key log was not read"));
    TlsSecrets last = log.secretsFor(HEX.parseHex(random(connections - 1)));
    assertThat(HEX.formatHex(last.serverTrafficSecret0())).isEqualTo(secret(connections - 1, 3));
    assertThat(HEX.formatHex(last.exporterSecret())).isEqualTo(secret(connections - 1, 4));
    assertThat(log.secretsFor(HEX.parseHex(random(connections)))).isNull();
  }

  @Test
  void aKeyLogLineOfEightMibIsSkippedUnreadAndTheNextLineIsUsed() throws IOException {
    Path file = dir.resolve("long-line.keys");
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.ISO_8859_1)) {
      out.write("CLIENT_RANDOM ");
      char[] junk = new char[1 << 20];
      java.util.Arrays.fill(junk, 'a');
      for (int i = 0; i < 8; i++) {
        out.write(junk);
      }
      out.write('\n');
      out.write("CLIENT_RANDOM " + random(1) + " " + secret(1, 0) + secret(1, 1).substring(0, 32) + "\n");
    }

    KeyLog log = KeyLog.read(file, Limits.defaults());

    assertThat(log.problems()).containsExactly(new KeyLogProblem(1, KeyLogProblem.Kind.BAD_LENGTH, null,
        "line longer than " + KeyLog.MAX_LINE_LENGTH + " characters"));
    assertThat(log.size()).isEqualTo(1);
    assertThat(HEX.formatHex(log.secretsFor(HEX.parseHex(random(1))).masterSecret()))
        .isEqualTo(secret(1, 0) + secret(1, 1).substring(0, 32));
  }

  /** 32 bytes of client random, as 64 hex digits, distinct per {@code i}. */
  private static String random(int i) {
    return String.format("%056x%08x", 0xC0FFEEL, i);
  }

  /** 32 bytes of secret, as 64 hex digits, distinct per {@code i} and {@code k}. */
  private static String secret(int i, int k) {
    return String.format("%054x%02x%08x", 0x5EC4E7L, k, i);
  }
}
