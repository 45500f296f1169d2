package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.pcapng.DecryptionSecretsTypes;
import dev.wirelens.pcapng.PcapngWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * {@code wirelens audit --json -} on a live pcapng whose Decryption Secrets Block comes after the TLS 1.3
 * ServerHello (frame 6 of the agent/console sample; the block holds agent-console.keys) prints the same line as
 * {@code --keylog agent-console.keys} on the recorded file, which AuditMatchesRecordedTlsAndWebSocketCapturesTest
 * compares with tshark field by field.
 */
class AuditLateSecretsCommandTest {
  @Test
  void aSecretsBlockAfterTheServerHelloOnStandardInputDecryptsLikeAKeyLog() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] keys = Files.readAllBytes(CliCaptures.path("agent-console.keys"));
    try (CaptureReader r = CaptureReader.open(CliCaptures.path("agent-console.pcapng"), Limits.defaults());
        PcapngWriter w = new PcapngWriter(bytes, false)) { // big-endian, unlike the recording
      w.writeSectionHeader(null, null, null, null);
      int id = -1;
      for (int frame = 1; r.next() == DecodeStatus.FRAME; frame++) {
        if (id < 0) {
          id = w.writeInterface(r.linkType(), 262144, 9, null, null);
        }
        w.writeEnhancedPacket(id, r.timestampNanos(), r.frame(), r.originalLength(), -1, null);
        if (frame == 6) {
          w.writeDecryptionSecrets(DecryptionSecretsTypes.TLS_KEY_LOG, keys);
        }
      }
    }
    InputStream pipe = new ByteArrayInputStream(bytes.toByteArray()) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 61));
      }
    };
    AuditRun live = AuditRun.run(pipe, "--json", "-");
    AuditRun keyLog = AuditRun.run("--json", "--keylog", CliCaptures.path("agent-console.keys").toString(),
        CliCaptures.path("agent-console.pcapng").toString());
    assertThat(live.code()).isZero();
    assertThat(live.err()).isEmpty();
    assertThat(live.json().get(0).get("tls").get("decrypted").asBoolean()).isTrue();
    assertThat(live.out()).isEqualTo(keyLog.out());
  }
}
