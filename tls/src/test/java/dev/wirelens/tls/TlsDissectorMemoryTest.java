package dev.wirelens.tls;

import static dev.wirelens.tls.TlsConnectionDissectorTest.C;
import static dev.wirelens.tls.TlsConnectionDissectorTest.S;
import static dev.wirelens.tls.TlsConnectionDissectorTest.clientHello;
import static dev.wirelens.tls.TlsConnectionDissectorTest.concat;
import static dev.wirelens.tls.TlsConnectionDissectorTest.feed;
import static dev.wirelens.tls.TlsConnectionDissectorTest.handshake;
import static dev.wirelens.tls.TlsConnectionDissectorTest.record;
import static dev.wirelens.tls.TlsConnectionDissectorTest.serverHello;
import static dev.wirelens.tls.TlsConnectionDissectorTest.sni;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bounded memory (issues 4/7): what a TlsConnectionDissector keeps between calls must not pin the capture reader's
 * large read chunks, and the client bytes held while waiting for a ServerHello stay under their cap. The fed buffers
 * here are borrowed slices of 256 KiB "read chunks" written packet after packet, as a capture reader and the
 * TcpReassembler hand them over; when a chunk is full its refCnt must be 1 again (only the "reader" holds it).
 * Expected caps are the documented constants (2 x (5 + 16,640) = 33,290 bytes for the ServerHello wait).
 */
class TlsDissectorMemoryTest {
  private static final int CHUNK = 256 << 10;
  private static final int WAIT_CAP = 33_290;
  private static final int MAX_RECORD = 5 + Limits.DEFAULT_MAX_TLS_RECORD_LENGTH;

  /** A capture reader's sequence of read chunks: each packet is written into the current chunk and fed as a slice. */
  private static final class Chunks {
    ByteBuf chunk = Unpooled.buffer(CHUNK, CHUNK);
    int chunksPinnedWhenDone;
    int chunks = 1;

    int feed(TlsConnectionDissector d, Direction dir, byte[] payload, int from, int length) {
      if (chunk.writableBytes() < length) {
        done();
        chunk = Unpooled.buffer(CHUNK, CHUNK);
        chunks++;
      }
      int at = chunk.writerIndex();
      chunk.writeBytes(payload, from, length);
      ByteBuf view = chunk.slice(at, length); // borrowed for the call, like the reassembler's reusable view
      return d.onData(dir, 1, view);
    }

    void done() {
      if (chunk.refCnt() != 1) {
        chunksPinnedWhenDone++;
        chunk.release(chunk.refCnt() - 1); // release what leaked so that the leak check reports only this test's count
      }
      chunk.release();
    }
  }

  /** A client stream: a ClientHello record, then application data records of 80 to 1,279 bytes. */
  private static byte[] clientStream(Random random, int atLeast) {
    List<byte[]> parts = new ArrayList<>();
    parts.add(record(22, 0x0301, clientHello(sni("example.com"))));
    int total = parts.get(0).length;
    while (total < atLeast) {
      byte[] body = new byte[80 + random.nextInt(1200)];
      random.nextBytes(body);
      byte[] r = record(23, 0x0303, body);
      parts.add(r);
      total += r.length;
    }
    return concat(parts.toArray(new byte[0][]));
  }

  /** Packet sizes that cut record headers and bodies at unlucky places: mostly full segments, some of 1 to 7 bytes. */
  private static int packetSize(Random random) {
    int k = random.nextInt(10);
    return k < 3 ? 1 + random.nextInt(7) : k < 6 ? 1 + random.nextInt(1460) : 1460;
  }

  @Test
  void theServerHelloWaitIsTwoRecordsOfTheLargestLength() {
    assertThat(TlsConnectionDissector.maxHeldForServerHello(Limits.defaults())).isEqualTo(WAIT_CAP);
    Limits small = Limits.builder().maxBufferedBytesPerFlow(1000).build();
    assertThat(TlsConnectionDissector.maxHeldForServerHello(small)).isEqualTo(1000);
  }

  @Test
  void manyConnectionsWhoseServerHelloNeverComesPinNoChunkAndHoldAtMostTheWaitCap() {
    int connections = 400;
    Random random = new Random(4_7);
    TlsConnectionDissector[] d = new TlsConnectionDissector[connections];
    byte[][] streams = new byte[connections][];
    int[] sent = new int[connections];
    for (int i = 0; i < connections; i++) {
      d[i] = new TlsConnectionDissector(Limits.defaults(), TlsKeySource.NONE, null);
      streams[i] = clientStream(random, 60_000); // beyond the wait cap
    }
    Chunks chunks = new Chunks();
    long maxTotal = 0;
    boolean more = true;
    while (more) {
      more = false;
      long total = 0;
      for (int i = 0; i < connections; i++) {
        int left = streams[i].length - sent[i];
        if (left > 0) {
          int n = Math.min(left, packetSize(random));
          sent[i] += chunks.feed(d[i], C, streams[i], sent[i], n); // the rest is offered again with more
          more = true;
        }
        long held = d[i].retainedBytes();
        assertThat(held).as("connection %d after %d bytes", i, sent[i]).isLessThanOrEqualTo(WAIT_CAP);
        total += held;
      }
      maxTotal = Math.max(maxTotal, total);
    }
    chunks.done();
    assertThat(chunks.chunks).isGreaterThan(50);
    assertThat(chunks.chunksPinnedWhenDone).isZero();
    assertThat(maxTotal).isLessThanOrEqualTo((long) connections * WAIT_CAP);
    for (TlsConnectionDissector c : d) {
      c.onClose(CloseReason.FIN, 2);
      TlsSession s = c.session();
      assertThat(s.isTls()).isTrue();
      assertThat(s.sni()).isEqualTo("example.com");
      assertThat(s.decryptionProblem(C)).isEqualTo(DecryptionProblem.LIMIT_EXCEEDED);
      assertThat(s.plaintextApplicationData()).isFalse(); // records the wait gave up on are opaque, not plaintext
      assertThat(s.malformation(C).isMalformed()).isFalse();
      assertThat(c.retainedBytes()).isZero();
    }
  }

  @Test
  void partialRecordsAndHandshakeMessagesSplitAtUnluckyPlacesPinNoChunk() {
    int connections = 200;
    Random random = new Random(7_4);
    // server: ServerHello, a 40,000-byte Certificate-typed handshake message over three records, then 16 KiB records
    byte[] certificate = handshake(11, new byte[40_000 - 4]);
    List<byte[]> parts = new ArrayList<>();
    parts.add(record(22, 0x0303, serverHello(new byte[0], 0xC02F)));
    for (int off = 0; off < certificate.length; off += 16_000) {
      parts.add(record(22, 0x0303,
          java.util.Arrays.copyOfRange(certificate, off, Math.min(certificate.length, off + 16_000))));
    }
    for (int i = 0; i < 8; i++) {
      parts.add(record(23, 0x0303, new byte[16_384 + 17]));
    }
    byte[] server = concat(parts.toArray(new byte[0][]));
    byte[] client = record(22, 0x0301, clientHello(sni("example.com")));
    TlsConnectionDissector[] d = new TlsConnectionDissector[connections];
    int[] sent = new int[connections];
    Chunks chunks = new Chunks();
    for (int i = 0; i < connections; i++) {
      d[i] = new TlsConnectionDissector(Limits.defaults(), TlsKeySource.NONE, null);
      chunks.feed(d[i], C, client, 0, client.length);
    }
    boolean more = true;
    while (more) {
      more = false;
      for (int i = 0; i < connections; i++) {
        int left = server.length - sent[i];
        if (left > 0) {
          int n = Math.min(left, packetSize(random));
          sent[i] += chunks.feed(d[i], S, server, sent[i], n); // the rest is offered again with more
          more = true;
        }
        // a partial record (copied) plus a partial handshake message (copied from the records before)
        assertThat(d[i].retainedBytes()).isLessThanOrEqualTo(MAX_RECORD + certificate.length);
      }
    }
    chunks.done();
    assertThat(chunks.chunksPinnedWhenDone).isZero();
    for (TlsConnectionDissector c : d) {
      assertThat(c.retainedBytes()).isZero(); // every record complete: nothing left
      c.onClose(CloseReason.FIN, 2);
      assertThat(c.session().version()).isEqualTo(0x0303);
      assertThat(c.session().malformation(S).isMalformed()).isFalse();
    }
  }

  @Test
  void aRemainderThatIsMostOfItsBufferIsKeptAsASliceNotCopied() {
    TlsConnectionDissector d = new TlsConnectionDissector(Limits.defaults(), TlsKeySource.NONE, null);
    byte[] r = record(23, 0x0303, new byte[16_000]);
    ByteBuf part = Unpooled.wrappedBuffer(java.util.Arrays.copyOf(r, 10_000)); // a partial record, its whole buffer
    try {
      assertThat(d.onData(S, 1, part)).isEqualTo(10_000);
      assertThat(part.refCnt()).isEqualTo(2); // retained: copying would gain nothing
      assertThat(d.retainedBytes()).isEqualTo(10_000);
    } finally {
      part.release();
    }
    feed(d, S, java.util.Arrays.copyOfRange(r, 10_000, r.length));
    assertThat(part.refCnt()).isZero(); // released once the record was read
    assertThat(d.retainedBytes()).isZero();
    d.onClose(CloseReason.FIN, 2);
  }

  @Test
  void aClientUnderTheWaitCapStillWaitsForTheServerHello() {
    TlsConnectionDissector d = new TlsConnectionDissector(Limits.defaults(), TlsKeySource.NONE, null);
    feed(d, C, record(22, 0x0301, clientHello(sni("example.com"))));
    byte[] early = record(23, 0x0303, new byte[16_384]);
    feed(d, C, early);
    feed(d, C, early);
    assertThat(d.retainedBytes()).isEqualTo(2L * early.length);
    assertThat(d.session().decryptionProblem(C)).isEqualTo(DecryptionProblem.NONE);
    feed(d, C, record(23, 0x0303, new byte[600])); // 33,383 bytes waiting
    assertThat(d.retainedBytes()).isZero(); // over the cap: read on without waiting
    assertThat(d.session().decryptionProblem(C)).isEqualTo(DecryptionProblem.LIMIT_EXCEEDED);
    feed(d, S, record(22, 0x0303, serverHello(new byte[0], 0xC02F)));
    d.onClose(CloseReason.FIN, 2);
    TlsSession s = d.session();
    assertThat(s.version()).isEqualTo(0x0303);
    assertThat(s.decryptionProblem(C)).isEqualTo(DecryptionProblem.LIMIT_EXCEEDED); // the first problem stays
    assertThat(s.plaintextApplicationData()).isFalse();
  }
}
