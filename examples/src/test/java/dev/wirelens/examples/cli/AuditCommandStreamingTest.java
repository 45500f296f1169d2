package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.link.LinkTypes;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.pcapng.PcapWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code wirelens audit} on rearranged copies of http.pcap (2 ARP frames, then an IPv4 HTTP connection, frames 3 to
 * 14, then an IPv6 one, frames 15 to 30, as tshark lists it): the id-order bound and a live pipe.
 */
class AuditCommandStreamingTest {
  private record Frame(long nanos, byte[] data) {}

  /** http.pcap's frames in capture order. */
  private static List<Frame> httpFrames() {
    List<Frame> frames = new ArrayList<>();
    try (CaptureReader r = CaptureReader.open(CliCaptures.path("http.pcap"))) {
      while (r.next() == DecodeStatus.FRAME) {
        frames.add(new Frame(r.timestampNanos(), ByteBufUtil.getBytes(r.frame())));
      }
    }
    assertThat(frames).hasSize(30); // tshark -r http.pcap | wc -l
    return frames;
  }

  private static byte[] pcap(List<Frame> frames) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PcapWriter w = new PcapWriter(bytes, LinkTypes.ETHERNET, 65535, true, true)) {
      for (Frame f : frames) {
        ByteBuf buf = Unpooled.wrappedBuffer(f.data());
        try {
          w.writeRecord(f.nanos(), buf, f.data().length);
        } finally {
          buf.release();
        }
      }
    }
    return bytes.toByteArray();
  }

  /** The IPv4 connection's SYN, the whole IPv6 connection, then the rest of the IPv4 one: id 0 outlives id 1. */
  private static byte[] longLivedFirstConnection() {
    List<Frame> all = httpFrames();
    List<Frame> frames = new ArrayList<>(all.subList(0, 3));
    frames.addAll(all.subList(14, 30));
    frames.addAll(all.subList(3, 14));
    return pcap(frames);
  }

  private static List<Long> ids(AuditRun r) {
    return r.json().stream().map(line -> line.get("id").asLong()).toList();
  }

  @Test
  void aConnectionClosingBeforeALowerIdWaitsForIt() {
    AuditRun r = AuditRun.run(new ByteArrayInputStream(longLivedFirstConnection()), "--json", "-");
    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(ids(r)).containsExactly(0L, 1L);
  }

  @Test
  void beyondMaxWaitingALowerOpenIdIsPrintedOutOfOrderAndStandardErrorSaysSo() {
    AuditRun r = AuditRun.run(new ByteArrayInputStream(longLivedFirstConnection()), "--json", "--max-waiting", "0",
        "-");
    assertThat(r.code()).isZero();
    assertThat(ids(r)).containsExactly(1L, 0L);
    assertThat(r.err().lines().toList()).hasSize(1);
    assertThat(r.err()).contains("connection 0").contains("out of id order");
    assertThat(r.json().get(1).get("tcp").get("close").asText()).isEqualTo("fin"); // still a whole report
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void standardInputIsReportedWhileThePipeIsStillOpen() throws Exception {
    List<Frame> frames = httpFrames();
    // One more ARP frame five seconds later moves capture time past both connections' settling second.
    frames.add(new Frame(frames.get(29).nanos() + 5_000_000_000L, frames.get(0).data()));
    byte[] capture = pcap(frames);
    PipedOutputStream feed = new PipedOutputStream();
    PipedInputStream stdin = new PipedInputStream(feed, 1 << 16);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> code = CompletableFuture.supplyAsync(
        () -> Wirelens.run(stdin, new PrintWriter(out), new PrintWriter(err), "audit", "--json", "-"));
    try {
      feed.write(capture);
      feed.flush();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (out.toString().lines().count() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(code).isNotDone(); // the pipe is open: the command is still reading
      assertThat(new AuditRun(0, out.toString(), "").json()).hasSize(2);
    } finally {
      feed.close();
    }
    assertThat(code.get(20, TimeUnit.SECONDS)).isZero();
    assertThat(err.toString()).isEmpty();
    assertThat(out.toString().lines().count()).isEqualTo(2);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void onAQuietPipeClosedConnectionsArePrintedAfterASecondWithoutPackets() throws Exception {
    byte[] capture = pcap(httpFrames()); // both connections close with FINs; nothing comes after them
    PipedOutputStream feed = new PipedOutputStream();
    PipedInputStream stdin = new PipedInputStream(feed, 1 << 16);
    StringWriter out = new StringWriter();
    CompletableFuture<Integer> code = CompletableFuture.supplyAsync(
        () -> Wirelens.run(stdin, new PrintWriter(out), new PrintWriter(new StringWriter()), "audit", "--json", "-"));
    try {
      feed.write(capture);
      feed.flush();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (out.toString().lines().count() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(code).isNotDone();
      assertThat(new AuditRun(0, out.toString(), "").json()).hasSize(2);
    } finally {
      feed.close();
    }
    assertThat(code.get(20, TimeUnit.SECONDS)).isZero();
    assertThat(out.toString().lines().count()).isEqualTo(2);
  }

  @Test
  void anEmptyStandardInputIsBadInput() throws IOException {
    AuditRun r = AuditRun.run(new ByteArrayInputStream(new byte[0]), "--json", "-");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("wirelens audit: <stdin>: ").doesNotContain("Exception");
  }
}
