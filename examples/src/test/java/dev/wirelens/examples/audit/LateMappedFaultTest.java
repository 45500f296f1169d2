package dev.wirelens.examples.audit;

import static dev.wirelens.examples.audit.Conversation.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import dev.wirelens.pcapng.CaptureReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mapped capture file cut after the audit read it all, before {@link AuditSession#finish()}: the connections still
 * open are closed there, and a TLS connection reads the bytes it held (client records held until a ServerHello that
 * never came, kept as a slice of the mapped file: the file is small, so the slice does not pin a much larger buffer
 * and is not copied). Those bytes
 * vanished: the run ends with the problem "the capture file shrank while it was read (at byte 4096)" (the first byte
 * lost, the new size), not an {@link InternalError}, and every connection is still reported. Both reading paths (in
 * line and a batch ahead), through the library API, so the cut falls exactly between reading and finishing.
 *
 * <p>The capture: connection 0, plaintext, 5,000 client bytes (so connection 1 starts past byte 4,096), closed;
 * connection 1, a TLS client that sends a ClientHello record and 3,000 bytes of an application data record, with no
 * answer, open at the end.
 */
class LateMappedFaultTest {
  private static final int PAGE = 4096;

  @ParameterizedTest(name = "read ahead: {0}")
  @ValueSource(booleans = {true, false})
  void captureCutBetweenReadingAndFinishingEndsWithShrankProblemAndReportsEveryConnection(boolean ahead,
      @TempDir Path dir) throws Exception {
    Conversation c = new Conversation();
    c.tcp("10.0.0.1", 40000, "10.0.0.2", 80).handshake(at(0))
        .clientSends(at(0.01), new byte[5000])
        .closeByClient(at(0.02));
    // a ClientHello record (a 4-byte hello: its content does not matter here), then the header of an 8,000-byte
    // application data record and 3,000 of its bytes, held unread until a ServerHello that never comes
    byte[] hello = {0x16, 3, 1, 0, 8, 1, 0, 0, 4, 3, 3, 0, 0};
    byte[] record = new byte[hello.length + 5 + 3000];
    System.arraycopy(hello, 0, record, 0, hello.length);
    record[hello.length] = 0x17;
    record[hello.length + 1] = 3;
    record[hello.length + 2] = 3;
    record[hello.length + 3] = (byte) (8000 >> 8);
    record[hello.length + 4] = (byte) 8000;
    c.tcp("10.0.0.1", 40001, "10.0.0.2", 443).handshake(at(3))
        .clientSends(at(3.01), record);
    ByteBuf b = c.capture();
    Path f = dir.resolve("late.pcapng");
    Files.write(f, ByteBufUtil.getBytes(b));
    b.release();
    assertThat(Files.size(f)).isGreaterThan(2 * PAGE).isLessThan(4 * PAGE);

    List<ConnectionReport> reports = new ArrayList<>();
    AuditSession s = Audit.builder().build().session(reports::add);
    CaptureReader r = CaptureReader.openMapped(f, Limits.defaults());
    String problem = ahead ? s.readAhead(r) : s.read(r);
    assertThat(problem).isNull();
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
      ch.truncate(PAGE);
    }
    AuditSummary summary = s.finish();

    assertThat(summary.problem()).isEqualTo("the capture file shrank while it was read (at byte 4096)");
    assertThat(reports).extracting(ConnectionReport::id).containsExactly(0L, 1L);
    assertThat(reports.get(1).server().port()).isEqualTo(443);
    assertThat(summary.connections()).isEqualTo(2);
  }
}
