package dev.wirelens.examples.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.pcapng.DecryptionSecretsTypes;
import dev.wirelens.pcapng.PcapngWriter;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tls.KeyLog;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A live pcapng pipe whose Decryption Secrets Block comes after packets of the connection it decrypts (a capture
 * tool that writes each secret as it is logged): the connection holds its stream within Limits while it waits and
 * is dissected again, with the keys, when the block arrives. The input: the recorded agent/console sample
 * (agent-console.pcapng, 64 packets, TLS 1.3 ServerHello in frame 6, first WebSocket frame in frame 10) rewritten by
 * PcapngWriter with its key log (agent-console.keys) as a block after frame N, read through an InputStream that
 * gives at most 97 bytes a read (no first pass is possible). Expected values: tshark's, recorded beside the capture
 * (captures/websocket/agent-console.plaintext.tsv: decrypted bytes per direction; agent-console.ws.tsv: WebSocket
 * frames per side).
 */
class LateSecretsTest {
  private static final Path CAPTURE = VerdictRulesTest.recorded("agent-console.pcapng");
  private static final Path KEYS = VerdictRulesTest.recorded("agent-console.keys");
  private static final int PACKETS = 64;

  /** The sample as pcapng with its keys in a Decryption Secrets Block after frame {@code after} (0: before all). */
  static byte[] withSecretsAfter(int after) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] keys = Files.readAllBytes(KEYS);
    try (CaptureReader r = CaptureReader.open(CAPTURE, Limits.defaults());
        PcapngWriter w = new PcapngWriter(bytes, true)) {
      w.writeSectionHeader("agent-console.pcapng, secrets after frame " + after, null, null, null);
      int frame = 0;
      int interfaceId = -1;
      if (after == 0) {
        w.writeDecryptionSecrets(DecryptionSecretsTypes.TLS_KEY_LOG, keys);
      }
      while (r.next() == DecodeStatus.FRAME) {
        if (interfaceId < 0) {
          interfaceId = w.writeInterface(r.linkType(), 262144, 9, "eth0", null);
        }
        w.writeEnhancedPacket(interfaceId, r.timestampNanos(), r.frame(), r.originalLength(), -1, null);
        if (++frame == after) {
          w.writeDecryptionSecrets(DecryptionSecretsTypes.TLS_KEY_LOG, keys);
        }
      }
      assertThat(frame).isEqualTo(PACKETS);
    }
    return bytes.toByteArray();
  }

  /** A pipe: at most 97 bytes a read. */
  static InputStream pipe(byte[] capture) {
    return new ByteArrayInputStream(capture) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 97));
      }
    };
  }

  /** From agent-console.plaintext.tsv: bytes of a direction ("client_to_server" or "server_to_client"). */
  private static long tsharkPlaintextBytes(String direction) throws IOException {
    return tsv("websocket/agent-console.plaintext.tsv").stream().filter(c -> c[1].equals(direction))
        .mapToLong(c -> Long.parseLong(c[4])).sum();
  }

  /** From agent-console.ws.tsv: WebSocket frames sent from {@code port}. */
  private static long tsharkFramesFrom(String port) throws IOException {
    return tsv("websocket/agent-console.ws.tsv").stream().filter(c -> c[3].equals(port)).count();
  }

  private static List<String[]> tsv(String name) throws IOException {
    return Files.readAllLines(VerdictRulesTest.recorded(name)).stream()
        .filter(l -> !l.startsWith("#") && !l.startsWith("frame\t") && !l.startsWith("stream\t"))
        .map(l -> l.split("\t", -1)).toList();
  }

  private static void assertDecryptedLikeTshark(ConnectionReport r) throws IOException {
    assertThat(r.tls().decrypted()).isTrue();
    assertThat(r.tls().decryptedBytes(Direction.CLIENT_TO_SERVER)).isEqualTo(tsharkPlaintextBytes("client_to_server"));
    assertThat(r.tls().decryptedBytes(Direction.SERVER_TO_CLIENT)).isEqualTo(tsharkPlaintextBytes("server_to_client"));
    assertThat(r.tls().certificates()).hasSize(1); // TLS 1.3: visible only when decrypted
    assertThat(r.webSocket()).isNotNull();
    assertThat(r.webSocket().frames(Direction.CLIENT_TO_SERVER)).isEqualTo(tsharkFramesFrom("56214"));
    assertThat(r.webSocket().frames(Direction.SERVER_TO_CLIENT)).isEqualTo(tsharkFramesFrom("8084"));
    assertThat(r.webSocket().closeCode()).isEqualTo(1000);
    assertThat(r.verdict()).isEqualTo(new Verdict(true, true, List.of()));
    assertThat(r.limits()).isEmpty();
  }

  @Test
  void aSecretsBlockAfterTheServerHelloStillDecryptsTheConnectionOnAPipe() throws IOException {
    List<ConnectionReport> reports = Audit.builder().build().run(pipe(withSecretsAfter(6)));
    assertThat(reports).hasSize(1);
    assertDecryptedLikeTshark(reports.get(0));
  }

  @Test
  void aSecretsBlockAfterWebSocketFramesFlowedStillDecryptsEveryOne() throws IOException {
    for (int after : new int[] {10, 30, 60}) {
      List<ConnectionReport> reports = Audit.builder().build().run(pipe(withSecretsAfter(after)));
      assertThat(reports).as("secrets after frame " + after).hasSize(1);
      assertDecryptedLikeTshark(reports.get(0));
    }
  }

  @Test
  void theSameAsWithTheKeysFromTheStartOrAKeyLog() throws IOException {
    ConnectionReport early = Audit.builder().build().run(pipe(withSecretsAfter(0))).get(0);
    ConnectionReport keyLog = Audit.builder().keys(KeyLog.read(KEYS, Limits.defaults())).build().run(CAPTURE).get(0);
    ConnectionReport late = Audit.builder().build().run(pipe(withSecretsAfter(6))).get(0);
    for (ConnectionReport r : List.of(early, keyLog)) {
      assertThat(late.tls().toString()).isEqualTo(r.tls().toString());
      assertThat(late.webSocket().messages(Direction.CLIENT_TO_SERVER))
          .isEqualTo(r.webSocket().messages(Direction.CLIENT_TO_SERVER));
      assertThat(late.webSocket().pingRttsNanos()).isEqualTo(r.webSocket().pingRttsNanos());
    }
  }

  @Test
  void aSecretsBlockAfterTheConnectionClosedComesTooLate() throws IOException {
    // frame 64 is the last ACK after both FINs: the connection closed before the block, and was not held on
    ConnectionReport r = Audit.builder().build().run(pipe(withSecretsAfter(PACKETS))).get(0);
    assertThat(r.tls().decrypted()).isFalse();
    assertThat(r.webSocket()).isNull();
    assertThat(r.verdict()).isEqualTo(new Verdict(true, true, List.of()));
  }

  @Test
  void aConnectionThatHoldsMoreThanItsCapStopsWaitingAndSaysWhichLimit() throws IOException {
    Limits small = Limits.builder().maxBufferedBytesPerFlow(2048).build();
    ConnectionReport r = Audit.builder().limits(small).build().run(pipe(withSecretsAfter(60))).get(0);
    assertThat(r.tls().decrypted()).isFalse();
    assertThat(r.webSocket()).isNull();
    assertThat(r.limits()).containsExactly(java.util.Map.entry("maxBufferedBytesPerFlow", 1L));
    assertThat(Audit.builder().limits(small).build().run(pipe(withSecretsAfter(6))).get(0).tls().decrypted())
        .as("within the cap").isTrue();
  }

  @Test
  void aConnectionThatPassesTheSharedBudgetForHeldStreamsNamesTheTotalCap() throws IOException {
    // the budget of all held streams is a quarter of maxBufferedBytesTotal: 2048 bytes here, below the 16 KiB of
    // HeldStream.MAX_HELD_BYTES and the default per-flow cap
    Limits small = Limits.builder().maxBufferedBytesTotal(8192).build();
    ConnectionReport r = Audit.builder().limits(small).build().run(pipe(withSecretsAfter(60))).get(0);
    assertThat(r.tls().decrypted()).isFalse();
    assertThat(r.limits()).containsExactly(java.util.Map.entry("maxBufferedBytesTotal", 1L));
  }

  @Test
  void passingTheCapIsNoLimitHitWhenNoKeysCome() throws IOException {
    Limits small = Limits.builder().maxBufferedBytesPerFlow(2048).build();
    ConnectionReport r = Audit.builder().limits(small).build().run(pipe(withSecretsAfter(-1))).get(0);
    assertThat(r.tls().decrypted()).isFalse();
    assertThat(r.limits()).isEmpty();
  }

  @Test
  void whatConnectionsHoldForLateKeysStaysWithinTheirCapAndAQuarterOfTheTotalBuffer() {
    // 20 TLS 1.2 connections without keys, all open at the end of the input, each sending 16 application data
    // records of 1,000 bytes (RFC 5246 §6.2: type 23, version 0x0303, length 0x03e8): 20 x 16,000 bytes in all
    Conversation c = new Conversation();
    List<Conversation.Tcp> open = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      byte[] clientHello = dev.wirelens.testkit.Hex.decode("16 0303 002d | 01 000029 0303"
          + String.format("%02x", i).repeat(32) + "00 0002 009c 01 00");
      byte[] serverHello = dev.wirelens.testkit.Hex.decode("16 0303 002a | 02 000026 0303" + "22".repeat(32)
          + "00 009c 00");
      open.add(c.tcp("10.0.0.2", 40000 + i, "10.0.0.1", 443).handshake(Conversation.at(i))
          .clientSends(Conversation.at(i + 0.01), clientHello).serverSends(Conversation.at(i + 0.02), serverHello));
    }
    byte[] record = new byte[5 + 1000];
    record[0] = 23;
    record[1] = 3;
    record[2] = 3;
    record[3] = 0x03;
    record[4] = (byte) 0xe8;
    for (int k = 0; k < 16; k++) {
      for (int i = 0; i < 20; i++) {
        open.get(i).clientSends(Conversation.at(30 + k + i * 0.01), record);
      }
    }
    Limits limits = Limits.builder().maxBufferedBytesPerFlow(20_000).maxBufferedBytesTotal(4 * 100_000).build();
    AuditSession s = Audit.builder().limits(limits).build().session(r -> { });
    s.read(CaptureReader.of(c.capture(), limits));
    long held = s.heldForKeys();
    // each connection would hold 50 + 47 + 16 x 1,005 = 16,177 bytes (323,540 in all), under its cap of 20,000; the
    // shared budget, a quarter of the total buffer, is 100,000: a connection refused by it stops holding and gives
    // its bytes back, so some connections still hold at the end, within the budget
    assertThat(held).isPositive().isLessThanOrEqualTo(100_000);
    AuditSummary summary = s.finish();
    assertThat(summary.connections()).isEqualTo(20);
    assertThat(summary.limits()).isEmpty(); // no keys came: giving up holding cost nothing
    assertThat(s.heldForKeys()).isZero();
  }

  @Test
  void withoutAnySecretsBlockNothingStaysHeld() throws IOException {
    byte[] noSecrets = withSecretsAfter(-1);
    Audit audit = Audit.builder().build();
    AuditSession s = audit.session(r -> { });
    s.read(CaptureReader.open(pipe(noSecrets), Limits.defaults()));
    AuditSummary summary = s.finish();
    assertThat(summary.connections()).isEqualTo(1);
    assertThat(summary.limits()).isEmpty();
    assertThat(s.heldForKeys()).isZero();
  }

  @Test
  void aCaptureFileIsReadInAFirstPassAndHoldsNothing() throws IOException {
    // the cap that stops a pipe's connection from waiting (above) does not matter for a file: nothing is held
    Path file = Files.createTempFile("late-secrets", ".pcapng");
    try {
      Files.write(file, withSecretsAfter(60));
      Limits small = Limits.builder().maxBufferedBytesPerFlow(2048).build();
      ConnectionReport r = Audit.builder().limits(small).build().run(file).get(0);
      assertThat(r.tls().decrypted()).isTrue();
      assertThat(r.limits()).isEmpty();
    } finally {
      Files.delete(file);
    }
  }
}
