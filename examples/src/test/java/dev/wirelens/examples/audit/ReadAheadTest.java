package dev.wirelens.examples.audit;

import static dev.wirelens.examples.audit.Conversation.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wirelens.pcapng.CaptureReader;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AuditSession#readAhead}: reports as read does, and a failing consumer leaves nothing behind. */
class ReadAheadTest {
  /** Connection 0 closes at 1 s, connection 1 at 6 s: connection 0 is reported while the capture is read. */
  private static Path twoConnections(Path dir) throws IOException {
    Conversation c = new Conversation();
    c.tcp("10.0.0.2", 40000, "10.0.0.1", 8084).handshake(at(0)).closeByClient(at(1));
    c.tcp("10.0.0.2", 40001, "10.0.0.1", 8084).handshake(at(5)).closeByClient(at(6));
    ByteBuf b = c.capture();
    try {
      byte[] a = new byte[b.readableBytes()];
      b.readBytes(a);
      return Files.write(dir.resolve("two.pcapng"), a);
    } finally {
      b.release();
    }
  }

  @Test
  void aConnectionClosedEarlyIsReportedWhileTheCaptureIsReadAhead(@TempDir Path dir) throws IOException {
    Path f = twoConnections(dir);
    List<Long> seen = new ArrayList<>();
    AuditSession s = Audit.builder().build().session(r -> seen.add(r.id()));
    assertThat(s.readAhead(CaptureReader.openMapped(f, dev.wirelens.Limits.defaults()))).isNull();
    assertThat(seen).containsExactly(0L); // connection 1 closed less than a second before the end
    assertThat(s.finish().connections()).isEqualTo(2);
    assertThat(seen).containsExactly(0L, 1L);
  }

  @Test
  void aConsumerThatThrowsStopsTheReadingThreadAndReleasesItsBatches(@TempDir Path dir) throws IOException {
    Path f = twoConnections(dir);
    AuditSession s = Audit.builder().build().session(r -> {
      throw new IllegalStateException("consumer failed");
    });
    CaptureReader r = CaptureReader.openMapped(f, dev.wirelens.Limits.defaults());
    assertThatThrownBy(() -> s.readAhead(r)).hasMessage("consumer failed");
    // the leak extension fails this class if a batch's buffers or the reader's were not released
  }
}
