package dev.wirelens.examples.audit;

import static dev.wirelens.examples.audit.Conversation.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The streaming form: reports come as connections close, before the input ends; a broken input still reports. */
class AuditStreamingTest {
  private static byte[] bytes(Conversation c) {
    ByteBuf b = c.capture();
    try {
      byte[] a = new byte[b.readableBytes()];
      b.readBytes(a);
      return a;
    } finally {
      b.release();
    }
  }

  @Test
  @Timeout(30)
  void aLivePipeReportsAConnectionOnceItClosedWhileTheNextIsStillOpen() throws Exception {
    Conversation first = new Conversation();
    first.tcp("10.0.0.2", 40000, "10.0.0.1", 8084).handshake(at(0)).closeByClient(at(1));
    first.tcp("10.0.0.2", 40001, "10.0.0.1", 8084).handshake(at(5)); // 4 s of capture time later, still open
    byte[] part1 = bytes(first);
    Conversation whole = new Conversation();
    whole.tcp("10.0.0.2", 40000, "10.0.0.1", 8084).handshake(at(0)).closeByClient(at(1));
    whole.tcp("10.0.0.2", 40001, "10.0.0.1", 8084).handshake(at(5)).closeByClient(at(6));
    byte[] all = bytes(whole);

    PipedOutputStream pipe = new PipedOutputStream();
    PipedInputStream live = new PipedInputStream(pipe, 1 << 16);
    BlockingQueue<ConnectionReport> delivered = new LinkedBlockingQueue<>();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<AuditSummary> run = pool.submit(() -> Audit.builder().build().run(live, delivered::add));
      try (OutputStream out = pipe) {
        out.write(part1);
        out.flush();
        ConnectionReport r0 = delivered.poll(10, TimeUnit.SECONDS);
        assertThat(r0).as("connection 0 reported while the pipe is open").isNotNull();
        assertThat(r0.id()).isZero();
        assertThat(r0.close()).isEqualTo("fin");
        assertThat(delivered).isEmpty(); // connection 1 is open
        out.write(all, part1.length, all.length - part1.length);
      }
      AuditSummary summary = run.get(10, TimeUnit.SECONDS);
      ConnectionReport r1 = delivered.poll(1, TimeUnit.SECONDS);
      assertThat(r1.id()).isEqualTo(1);
      assertThat(r1.close()).isEqualTo("fin");
      assertThat(summary.connections()).isEqualTo(2);
      assertThat(summary.problem()).isNull();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aTruncatedCaptureStillReportsItsConnectionsAndSaysWhy() throws IOException {
    Conversation c = new Conversation();
    c.tcp("10.0.0.2", 40000, "10.0.0.1", 8084).handshake(at(0)).clientSends(at(0.5), "GET / HTTP/1.1\r\n\r\n");
    byte[] all = bytes(c);
    byte[] cut = java.util.Arrays.copyOf(all, all.length - 10); // the last packet block loses its end
    List<ConnectionReport> reports = new java.util.ArrayList<>();
    AuditSummary s = Audit.builder().build().run(io.netty.buffer.Unpooled.wrappedBuffer(cut), reports::add);
    assertThat(reports).hasSize(1);
    assertThat(reports.get(0).close()).isEqualTo("open");
    assertThat(s.problem()).startsWith("truncated capture");
  }

  @Test
  void packetsFedOneByOneGiveTheSameReportsAsTheCapture() {
    Conversation c = new Conversation();
    c.tcp("10.0.0.2", 40000, "10.0.0.1", 8084).handshake(at(0)).resetByServer(at(1));
    List<ConnectionReport> fromCapture = Audit.builder().build().run(c.capture());
    List<ConnectionReport> fed = new java.util.ArrayList<>();
    AuditSession session = Audit.builder().build().session(fed::add);
    try (dev.wirelens.pcapng.CaptureReader r = dev.wirelens.pcapng.CaptureReader.of(c.capture(),
        dev.wirelens.Limits.defaults())) {
      dev.wirelens.packet.PacketDissector d = new dev.wirelens.packet.PacketDissector();
      while (r.next() == dev.wirelens.DecodeStatus.FRAME) {
        d.dissect(r);
        session.onPacket(d, r.timestampNanos());
      }
    }
    AuditSummary summary = session.finish();
    assertThat(fed).hasSize(1);
    assertThat(fed.get(0).verdict()).isEqualTo(fromCapture.get(0).verdict());
    assertThat(fed.get(0).verdict().reasons()).containsExactly("connection 0: reset by server");
    assertThat(summary.unstable()).isEqualTo(1);
    assertThat(session.finish()).isSameAs(summary);
  }
}
