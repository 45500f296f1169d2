package dev.wirelens.examples.audit;

import static dev.wirelens.examples.audit.Conversation.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.pcapng.PcapngWriter;
import dev.wirelens.testkit.Hex;
import dev.wirelens.tls.KeyLog;
import dev.wirelens.Limits;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each unhealthy case flips the verdict with its reason, and nothing else does: recorded captures where the
 * recordings have the case (their tshark .tsv files say what happened: a reset, an alert, an expired certificate,
 * a close code), else captures built here packet by packet.
 */
class VerdictRulesTest {
  private static final String UPGRADE = "GET /agent HTTP/1.1\r\nHost: console.test:8084\r\nUpgrade: websocket\r\n"
      + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  // RFC 6455 §1.3: the accept value of the sample nonce above.
  private static final String SWITCHING = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
      + "Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
  /** Masked (key 00000000) empty ping from the client; RFC 6455 §5.5.2. */
  private static final byte[] CLIENT_PING = Hex.decode("89 80 00000000");
  /** Unmasked empty pong from the server; RFC 6455 §5.5.3. */
  private static final byte[] SERVER_PONG = Hex.decode("8a 00");
  /** Close 1000 from the client (masked with key 0) and the server's answer; RFC 6455 §5.5.1. */
  private static final byte[] CLIENT_CLOSE = Hex.decode("88 82 00000000 03e8");
  private static final byte[] SERVER_CLOSE = Hex.decode("88 02 03e8");

  static Path recorded(String name) {
    try {
      return Path.of(VerdictRulesTest.class.getResource("/captures/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static List<ConnectionReport> audit(Conversation c, AuditPolicy policy) {
    return Audit.builder().policy(policy).build().run(c.capture());
  }

  @Test
  void theAgentConsoleSampleIsEncryptedAndStable() throws IOException {
    KeyLog keys = KeyLog.read(recorded("agent-console.keys"), Limits.defaults());
    List<ConnectionReport> reports = Audit.builder().keys(keys)
        .policy(AuditPolicy.builder().watchedPorts(8084).build()).build().run(recorded("agent-console.pcapng"));
    assertThat(reports).hasSize(1);
    assertThat(reports.get(0).verdict()).isEqualTo(new Verdict(true, true, List.of()));
    assertThat(reports.get(0).tls().versionName()).isEqualTo("TLSv1.3");
    assertThat(reports.get(0).webSocket().closeCode()).isEqualTo(1000);
  }

  @Test
  void aResetConnectionIsUnstable() {
    // ws-reset-v4.tcp.tsv: the first RST came from the client 10.200.0.1:40244
    ConnectionReport r = Audit.builder().build().run(recorded("websocket/ws-reset-v4.pcap")).get(0);
    assertThat(r.verdict().stable()).isFalse();
    assertThat(r.verdict().reasons()).contains("connection 0: reset by client");
  }

  @Test
  void aCloseCodeOutsideTheNormalOnesIsUnstable() {
    // ws-close-4000-v4.ws.tsv: the server's close frame carries 4000 first
    ConnectionReport r = Audit.builder().build().run(recorded("websocket/ws-close-4000-v4.pcap")).get(0);
    assertThat(r.verdict().stable()).isFalse();
    assertThat(r.verdict().reasons()).containsExactly("connection 0: plaintext application data on port 8080",
        "connection 0: WebSocket closed with code 4000 by server");
    AuditPolicy tolerant = AuditPolicy.builder().normalCloseCodes(1000, 1001, 4000).watchedPorts(443).build();
    ConnectionReport again = Audit.builder().policy(tolerant).build()
        .run(recorded("websocket/ws-close-4000-v4.pcap")).get(0);
    assertThat(again.verdict()).isEqualTo(new Verdict(true, true, List.of()));
  }

  @Test
  void anExpiredCertificateIsNotEncryptedEnough() {
    // tls12-expired-cert.certs.tsv: the server's certificate, sent in the clear (TLS 1.2)
    ConnectionReport r = Audit.builder().build().run(recorded("tls/tls12-expired-cert.pcap")).get(0);
    assertThat(r.verdict().encrypted()).isFalse();
    assertThat(r.verdict().reasons()).contains("connection 0: certificate expired at capture time");
  }

  @Test
  void aCertificateThatDoesNotNameTheSniIsNotEncryptedEnough() throws IOException {
    // The recorded TLS 1.2 connection asks for console.test (tls.tsv); rename the ClientHello's SNI, which is the
    // first "console.test" in the file (the certificate comes later), to consolx.test.
    byte[] pcap = Files.readAllBytes(recorded("tls/tls12-ecdhe-rsa-aes128gcm.pcap"));
    byte[] name = "console.test".getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(pcap, name);
    pcap[at + 6] = 'x';
    ConnectionReport r = Audit.builder().build().run(Unpooled.wrappedBuffer(pcap)).get(0);
    assertThat(r.tls().sni()).isEqualTo("consolx.test");
    assertThat(r.verdict().encrypted()).isFalse();
    assertThat(r.verdict().reasons()).containsExactly(
        "connection 0: certificate for console.test does not name consolx.test");
    ConnectionReport original = Audit.builder().build().run(recorded("tls/tls12-ecdhe-rsa-aes128gcm.pcap")).get(0);
    assertThat(original.verdict()).isEqualTo(new Verdict(true, true, List.of()));
  }

  @Test
  void aFatalAlertIsUnstable() {
    // tls12-alert-unknown-ca.tls.tsv: frame 8, the client sends alert level 2 description 48 (unknown_ca)
    ConnectionReport r = Audit.builder().build().run(recorded("tls/tls12-alert-unknown-ca.pcap")).get(0);
    assertThat(r.verdict().stable()).isFalse();
    assertThat(r.verdict().reasons()).contains("connection 0: fatal TLS alert unknown_ca from client");
  }

  @Test
  void recordedUnhealthyCasesFlipTheVerdictWithTheirReason() {
    // Each capture's case is described in captures/tls/README.md and captures/websocket/README.md (real peers):
    // client SNI other.test against a certificate for console.test and www.console.test
    assertThat(Audit.builder().build().run(recorded("tls/tls12-sni-mismatch.pcap")).get(0).verdict())
        .isEqualTo(new Verdict(false, true,
            List.of("connection 0: certificate for console.test does not name other.test")));
    // TLS 1.1 with ECDHE-RSA-AES128-SHA
    assertThat(Audit.builder().build().run(recorded("tls/tls11-legacy.pcap")).get(0).verdict())
        .isEqualTo(new Verdict(false, true, List.of("connection 0: TLSv1.1 below the minimum TLSv1.2")));
    // five pings never answered by a silent server, on port 8080
    assertThat(Audit.builder().policy(AuditPolicy.builder().watchedPorts(443).build()).build()
        .run(recorded("websocket/ws-unanswered-pings-v4.pcap")).get(0).verdict())
        .isEqualTo(new Verdict(true, false, List.of("connection 0: 5 pings unanswered")));
    // GET /forbidden answered 403
    assertThat(Audit.builder().policy(AuditPolicy.builder().watchedPorts(443).build()).build()
        .run(recorded("websocket/ws-refused-v4.pcap")).get(0).verdict())
        .isEqualTo(new Verdict(true, false, List.of("connection 0: WebSocket upgrade refused (HTTP 403)")));
  }

  @Test
  void aRecordedReconnectStormMarksTheConnectionsBeyondFiveReconnects() {
    // 8 connections from 10.200.0.1 to 10.200.0.2:443 within 3.4 s (captures/tls/README.md)
    List<ConnectionReport> reports = Audit.builder().build().run(recorded("tls/tls13-reconnect-storm.pcap"));
    assertThat(reports).hasSize(8);
    for (int i = 0; i < 6; i++) {
      assertThat(reports.get(i).verdict()).as("connection " + i).isEqualTo(new Verdict(true, true, List.of()));
    }
    assertThat(reports.get(6).verdict().reasons())
        .containsExactly("client 10.200.0.1 reconnected 6 times to 10.200.0.2:443 within 60 s");
    assertThat(reports.get(7).verdict().reasons())
        .containsExactly("client 10.200.0.1 reconnected 7 times to 10.200.0.2:443 within 60 s");
    AuditSummary summary = Audit.builder().build().run(recorded("tls/tls13-reconnect-storm.pcap"), r -> { });
    assertThat(summary.connections()).isEqualTo(8);
    assertThat(summary.encrypted()).isTrue();
    assertThat(summary.stable()).isFalse();
    assertThat(summary.unstable()).isEqualTo(2);
    assertThat(summary.problem()).isNull();
  }

  @Test
  void tls11IsBelowTheDefaultMinimum() {
    // RFC 4346 §7.4.1.2: ClientHello and ServerHello of TLS 1.1 (0x0302), TLS_RSA_WITH_AES_128_CBC_SHA (0x002f)
    byte[] clientHello = Hex.decode("16 0302 002d | 01 000029 0302" + "11".repeat(32) + "00 0002 002f 01 00");
    byte[] serverHello = Hex.decode("16 0302 002a | 02 000026 0302" + "22".repeat(32) + "00 002f 00");
    Conversation c = new Conversation();
    c.tcp("10.0.0.2", 40000, "10.0.0.1", 8084).handshake(at(0)).clientSends(at(0.01), clientHello)
        .serverSends(at(0.02), serverHello).closeByClient(at(1));
    ConnectionReport r = audit(c, AuditPolicy.defaults()).get(0);
    assertThat(r.tls().versionName()).isEqualTo("TLSv1.1");
    assertThat(r.verdict().encrypted()).isFalse();
    assertThat(r.verdict().reasons()).containsExactly("connection 0: TLSv1.1 below the minimum TLSv1.2");
    AuditPolicy lenient = AuditPolicy.builder().minimumTlsVersion(0x0302).build();
    assertThat(audit(c, lenient).get(0).verdict()).isEqualTo(new Verdict(true, true, List.of()));
  }

  @Test
  void tls10IsBelowTheDefaultMinimum() {
    // RFC 2246 §7.4.1.2: ClientHello and ServerHello of TLS 1.0 (0x0301), TLS_RSA_WITH_AES_128_CBC_SHA (0x002f)
    byte[] clientHello = Hex.decode("16 0301 002d | 01 000029 0301" + "11".repeat(32) + "00 0002 002f 01 00");
    byte[] serverHello = Hex.decode("16 0301 002a | 02 000026 0301" + "22".repeat(32) + "00 002f 00");
    Conversation c = new Conversation();
    c.tcp("10.0.0.2", 40000, "10.0.0.1", 8084).handshake(at(0)).clientSends(at(0.01), clientHello)
        .serverSends(at(0.02), serverHello).closeByClient(at(1));
    ConnectionReport r = audit(c, AuditPolicy.defaults()).get(0);
    assertThat(r.tls().versionName()).isEqualTo("TLSv1.0");
    assertThat(r.verdict()).isEqualTo(new Verdict(false, true,
        List.of("connection 0: TLSv1.0 below the minimum TLSv1.2")));
    AuditPolicy lenient = AuditPolicy.builder().minimumTlsVersion(0x0301).build();
    assertThat(audit(c, lenient).get(0).verdict()).isEqualTo(new Verdict(true, true, List.of()));
  }

  @Test
  void aCertificateNotYetValidAtCaptureTimeIsNotEncryptedEnough() throws Exception {
    // tls12-ecdhe-rsa-aes128gcm.pcap carries console-rsa.pem in the clear (captures/tls/README.md); the same packets
    // stamped a year earlier were captured before the certificate's notBefore (read here by the JDK, not Wirelens)
    X509Certificate cert;
    try (InputStream in = Files.newInputStream(recorded("tls/certs/console-rsa.pem"))) {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    long year = 365L * 24 * 3600 * 1_000_000_000L;
    ByteArrayOutputStream shifted = new ByteArrayOutputStream();
    long first = -1;
    try (CaptureReader r = CaptureReader.open(recorded("tls/tls12-ecdhe-rsa-aes128gcm.pcap"), Limits.defaults());
        PcapngWriter w = new PcapngWriter(shifted, true)) {
      w.writeSectionHeader(null, null, null, null);
      int id = -1;
      while (r.next() == DecodeStatus.FRAME) {
        if (id < 0) {
          id = w.writeInterface(r.linkType(), 262144, 9, null, null);
          first = r.timestampNanos() - year;
        }
        w.writeEnhancedPacket(id, r.timestampNanos() - year, r.frame(), r.originalLength(), -1, null);
      }
    }
    assertThat(first / 1_000_000L).isLessThan(cert.getNotBefore().getTime());
    ConnectionReport r = Audit.builder().build().run(Unpooled.wrappedBuffer(shifted.toByteArray())).get(0);
    assertThat(r.verdict()).isEqualTo(new Verdict(false, true,
        List.of("connection 0: certificate not yet valid at capture time")));
  }

  @Test
  void plaintextOnAWatchedPortIsNotEncryptedAndOtherPortsAreNotJudged() {
    Conversation c = new Conversation();
    c.tcp("10.0.0.2", 40000, "10.0.0.1", 8084).handshake(at(0)).clientSends(at(0.01), "GET / HTTP/1.1\r\n\r\n")
        .closeByClient(at(1));
    ConnectionReport watched = audit(c, AuditPolicy.builder().watchedPorts(8084).build()).get(0);
    assertThat(watched.tls()).isNull();
    assertThat(watched.verdict()).isEqualTo(new Verdict(false, true,
        List.of("connection 0: plaintext application data on port 8084")));
    ConnectionReport elsewhere = audit(c, AuditPolicy.builder().watchedPorts(443).build()).get(0);
    assertThat(elsewhere.verdict()).isEqualTo(new Verdict(true, true, List.of()));
  }

  @Test
  void unansweredPingsAreUnstable() {
    Conversation c = new Conversation();
    c.tcp("10.0.0.2", 40000, "10.0.0.1", 8084).handshake(at(0)).clientSends(at(0.01), UPGRADE)
        .serverSends(at(0.02), SWITCHING).clientSends(at(1), CLIENT_PING).clientSends(at(2), CLIENT_PING)
        .clientSends(at(3), CLIENT_CLOSE).serverSends(at(3.01), SERVER_CLOSE).closeByClient(at(3.02));
    ConnectionReport r = audit(c, AuditPolicy.builder().watchedPorts(443).build()).get(0);
    assertThat(r.webSocket().unansweredPings()).isEqualTo(2);
    assertThat(r.verdict()).isEqualTo(new Verdict(true, false, List.of("connection 0: 2 pings unanswered")));
  }

  @Test
  void aPongLaterThanTheTimeoutIsUnstable() {
    Conversation c = new Conversation();
    c.tcp("10.0.0.2", 40000, "10.0.0.1", 8084).handshake(at(0)).clientSends(at(0.01), UPGRADE)
        .serverSends(at(0.02), SWITCHING).clientSends(at(1), CLIENT_PING).serverSends(at(8), SERVER_PONG)
        .clientSends(at(9), CLIENT_CLOSE).serverSends(at(9.01), SERVER_CLOSE).closeByClient(at(9.02));
    AuditPolicy policy = AuditPolicy.builder().watchedPorts(443).build();
    ConnectionReport r = audit(c, policy).get(0);
    assertThat(r.verdict()).isEqualTo(new Verdict(true, false,
        List.of("connection 0: a pong came after 7 s, later than the 5 s ping timeout")));
    AuditPolicy patient = policy.toBuilder().pingAnswerTimeout(Duration.ofSeconds(10)).build();
    assertThat(audit(c, patient).get(0).verdict()).isEqualTo(new Verdict(true, true, List.of()));
  }

  @Test
  void aWebSocketThatEndsWithoutACloseFrameIsUnstable() {
    Conversation c = new Conversation();
    c.tcp("10.0.0.2", 40000, "10.0.0.1", 8084).handshake(at(0)).clientSends(at(0.01), UPGRADE)
        .serverSends(at(0.02), SWITCHING).closeByClient(at(1));
    ConnectionReport r = audit(c, AuditPolicy.builder().watchedPorts(443).build()).get(0);
    assertThat(r.verdict()).isEqualTo(new Verdict(true, false,
        List.of("connection 0: WebSocket ended without a close frame (1006)")));
  }

  @Test
  void moreRetransmissionsThanTheShareAllowsAreUnstable() {
    Conversation c = new Conversation();
    Conversation.Tcp t = c.tcp("10.0.0.2", 40000, "10.0.0.1", 8084).handshake(at(0));
    byte[] chunk = "0123456789".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < 15; i++) {
      t.clientSends(at(1 + i * 0.1), chunk);
    }
    for (int i = 0; i < 3; i++) { // the last chunk three more times, 200 ms apart: retransmissions
      t.clientResends(at(3 + i * 0.2), chunk);
    }
    t.closeByClient(at(5)); // 3 + 15 + 3 + 3 = 24 packets
    ConnectionReport r = audit(c, AuditPolicy.builder().watchedPorts(443).build()).get(0);
    assertThat(r.retransmissions(dev.wirelens.tcp.Direction.CLIENT_TO_SERVER)).isEqualTo(3);
    assertThat(r.verdict()).isEqualTo(new Verdict(true, false,
        List.of("connection 0: 3 of 24 packets retransmitted (12.5%, more than 5%)")));
    AuditPolicy lenient = AuditPolicy.builder().watchedPorts(443).maxRetransmissionShare(0.2).build();
    assertThat(audit(c, lenient).get(0).verdict().stable()).isTrue();
  }

  @Test
  void aSynWithoutAnswerIsUnstable() {
    Conversation c = new Conversation();
    c.tcp("10.0.0.2", 40000, "10.0.0.1", 8084).syn(at(0));
    ConnectionReport r = audit(c, AuditPolicy.defaults()).get(0);
    assertThat(r.handshake().jsonName()).isEqualTo("syn_only");
    assertThat(r.verdict()).isEqualTo(new Verdict(true, false, List.of("connection 0: SYN not answered")));
  }

  /** RFC 5246 §7.4.1.2: ClientHello and ServerHello of TLS 1.2 (0x0303), TLS_RSA_WITH_AES_128_GCM_SHA256 (0x009c). */
  private static Conversation.Tcp tls12Hellos(Conversation c) {
    byte[] clientHello = Hex.decode("16 0303 002d | 01 000029 0303" + "11".repeat(32) + "00 0002 009c 01 00");
    byte[] serverHello = Hex.decode("16 0303 002a | 02 000026 0303" + "22".repeat(32) + "00 009c 00");
    return c.tcp("10.0.0.2", 40000, "10.0.0.1", 8084).handshake(at(0)).clientSends(at(0.01), clientHello)
        .serverSends(at(0.02), serverHello);
  }

  @Test
  void plaintextAfterATlsHandshakeIsNotEncrypted() {
    // the server answers in the clear: "HTTP/1.1 200" read as a record header has the length 0x502f (20,527),
    // more than any TLS record may have (RFC 8446 §5.2), so the bytes are not TLS
    Conversation c = new Conversation();
    tls12Hellos(c).serverSends(at(0.03), "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").closeByClient(at(1));
    ConnectionReport r = audit(c, AuditPolicy.defaults()).get(0);
    assertThat(r.tls().versionName()).isEqualTo("TLSv1.2");
    assertThat(r.tls().plaintextApplicationData()).isTrue();
    assertThat(r.verdict()).isEqualTo(new Verdict(false, true,
        List.of("connection 0: plaintext application data on port 8084")));
  }

  // the client asks in the clear: "GET /" read as a record header is content type 0x47, legacy_record_version 0x4554
  // (length 8,239, one TLS allows): a version whose major byte is not 3 cannot start a TLS record (RFC 8446 §5.1,
  // RFC 5246 §6.2.1), so the bytes are plaintext as soon as the header is there, as the server's are above
  @Test
  void plaintextFromTheClientAfterATlsHandshakeIsNotEncrypted() {
    Conversation c = new Conversation();
    tls12Hellos(c).clientSends(at(0.03), "GET /secret HTTP/1.1\r\nHost: x\r\n\r\n").closeByClient(at(1));
    ConnectionReport r = audit(c, AuditPolicy.defaults()).get(0);
    assertThat(r.verdict()).isEqualTo(new Verdict(false, true,
        List.of("connection 0: plaintext application data on port 8084")));
  }

  @Test
  void aSynAckWithoutTheLastAckIsUnstable() {
    Conversation c = new Conversation();
    c.tcp("10.0.0.2", 40000, "10.0.0.1", 8084).synAndSynAck(at(0));
    ConnectionReport r = audit(c, AuditPolicy.defaults()).get(0);
    assertThat(r.handshake().jsonName()).isEqualTo("syn_synack");
    assertThat(r.verdict()).isEqualTo(new Verdict(true, false,
        List.of("connection 0: TCP handshake not completed (no ACK of the SYN-ACK)")));
  }

  @Test
  void aWebSocketStillOpenAtTheEndOfTheCaptureIsStable() {
    // no close frame, no FIN, no RST: the capture ended while the connection was healthy, pings answered
    Conversation c = new Conversation();
    c.tcp("10.0.0.2", 40000, "10.0.0.1", 8084).handshake(at(0)).clientSends(at(0.01), UPGRADE)
        .serverSends(at(0.02), SWITCHING).clientSends(at(1), CLIENT_PING).serverSends(at(1.001), SERVER_PONG);
    ConnectionReport r = audit(c, AuditPolicy.builder().watchedPorts(443).build()).get(0);
    assertThat(r.close()).isEqualTo("open");
    assertThat(r.webSocket().isWebSocket()).isTrue();
    assertThat(r.webSocket().pingRttCount()).isEqualTo(1);
    assertThat(r.verdict()).isEqualTo(new Verdict(true, true, List.of()));
  }

  @Test
  void moreReconnectsThanAllowedWithinTheWindowMarkTheConnectionsBeyondTheLimit() {
    Conversation c = new Conversation();
    for (int i = 0; i < 7; i++) { // 10.0.0.2: 7 connections in 12 s, that is 6 reconnects
      c.tcp("10.0.0.2", 40000 + i, "10.0.0.1", 8084).handshake(at(i * 2)).closeByClient(at(i * 2 + 0.5));
    }
    for (int i = 0; i < 7; i++) { // 10.0.0.3: 7 connections 20 s apart, at most 3 reconnects in any 60 s
      c.tcp("10.0.0.3", 41000 + i, "10.0.0.1", 8084).handshake(at(100 + i * 20)).closeByClient(at(100.5 + i * 20));
    }
    List<ConnectionReport> reports = audit(c, AuditPolicy.defaults());
    assertThat(reports).hasSize(14);
    for (int i = 0; i < 6; i++) {
      assertThat(reports.get(i).verdict()).as("connection " + i).isEqualTo(new Verdict(true, true, List.of()));
    }
    assertThat(reports.get(6).verdict()).isEqualTo(new Verdict(true, false,
        List.of("client 10.0.0.2 reconnected 6 times to 10.0.0.1:8084 within 60 s")));
    for (int i = 7; i < 14; i++) {
      assertThat(reports.get(i).verdict().stable()).as("connection " + i).isTrue();
    }
    AuditPolicy strict = AuditPolicy.builder().reconnectStorm(2, Duration.ofSeconds(60)).build();
    List<ConnectionReport> strictly = audit(c, strict);
    assertThat(strictly.get(3).verdict().reasons())
        .containsExactly("client 10.0.0.2 reconnected 3 times to 10.0.0.1:8084 within 60 s");
    assertThat(strictly.get(10).verdict().reasons())
        .containsExactly("client 10.0.0.3 reconnected 3 times to 10.0.0.1:8084 within 60 s");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
