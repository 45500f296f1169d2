package dev.wirelens.websocket;

import static dev.wirelens.tcp.Direction.CLIENT_TO_SERVER;
import static dev.wirelens.tcp.Direction.SERVER_TO_CLIENT;
import static dev.wirelens.websocket.Frames.KEY;
import static dev.wirelens.websocket.Frames.concat;
import static dev.wirelens.websocket.Frames.frame;
import static dev.wirelens.websocket.Frames.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bounded memory: what a WebSocketConnectionDissector keeps between calls must not pin the capture reader's large
 * read chunks. The fed buffers are borrowed slices of 256 KiB "read chunks" written packet after packet, as a capture
 * reader and the TcpReassembler hand them over; when a chunk is full its refCnt must be 1 again (only the "reader"
 * holds it). The caps are the documented ones: one unfinished frame per direction once open ({@link
 * WebSocketFrameReader#MAX_PART_LENGTH} plus a 14-byte header at most), the early client bytes before the response.
 */
class WebSocketDissectorMemoryTest {
  private static final int CHUNK = 256 << 10;
  private static final long FRAME_CAP = WebSocketFrameReader.MAX_PART_LENGTH + 14;

  /** A capture reader's sequence of read chunks: each packet is written into the current chunk and fed as a slice. */
  private static final class Chunks {
    ByteBuf chunk = Unpooled.buffer(CHUNK, CHUNK);
    int chunksPinnedWhenDone;
    int chunks = 1;

    int feed(WebSocketConnectionDissector d, Direction dir, byte[] payload, int from, int length) {
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

  /** Packet sizes that cut headers and payloads at unlucky places: mostly full segments, some of 1 to 7 bytes. */
  private static int packetSize(Random random) {
    int k = random.nextInt(10);
    return k < 3 ? 1 + random.nextInt(7) : k < 6 ? 1 + random.nextInt(1460) : 1460;
  }

  /** Payload lengths of every length encoding: 0-125, 126-65,535 (some near 64 KiB), above 64 KiB (streamed). */
  private static int payloadLength(Random random) {
    int k = random.nextInt(20);
    return k < 10 ? random.nextInt(126) : k < 17 ? 126 + random.nextInt(4000) : k < 19
        ? 60_000 + random.nextInt(5_536) : 65_536 + random.nextInt(100_000);
  }

  /** {@code count} complete binary frames, masked for a client stream. */
  private static byte[] frames(Random random, int count, boolean masked) {
    List<byte[]> parts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] payload = new byte[payloadLength(random)];
      random.nextBytes(payload);
      parts.add(frame(true, 0, WebSocketOpcodes.BINARY, masked ? KEY : null, payload));
    }
    return concat(parts.toArray(new byte[0][]));
  }

  @Test
  void openConnectionsWithFramesSplitAtUnluckyPlacesPinNoChunkAndHoldAtMostOneFramePerDirection() {
    int connections = 40;
    int framesPerStream = 20;
    Random random = new Random(6455);
    WebSocketConnectionDissector[] d = new WebSocketConnectionDissector[connections];
    byte[][][] streams = new byte[connections][2][];
    int[][] sent = new int[connections][2];
    for (int i = 0; i < connections; i++) {
      d[i] = WebSocketConnectionDissector.afterHandshake(Limits.defaults());
      streams[i][0] = frames(random, framesPerStream, true);
      streams[i][1] = frames(random, framesPerStream, false);
    }
    Chunks chunks = new Chunks();
    boolean more = true;
    while (more) {
      more = false;
      for (int i = 0; i < connections; i++) {
        for (Direction dir : Direction.values()) {
          byte[] s = streams[i][dir.ordinal()];
          int left = s.length - sent[i][dir.ordinal()];
          if (left > 0) {
            int n = Math.min(left, packetSize(random));
            sent[i][dir.ordinal()] += chunks.feed(d[i], dir, s, sent[i][dir.ordinal()], n);
            more = true;
          }
        }
        assertThat(d[i].retainedBytes()).as("connection %d", i).isLessThanOrEqualTo(2 * FRAME_CAP);
      }
    }
    chunks.done();
    assertThat(chunks.chunks).isGreaterThan(20);
    assertThat(chunks.chunksPinnedWhenDone).isZero();
    for (WebSocketConnectionDissector c : d) {
      assertThat(c.retainedBytes()).isZero(); // every frame complete: nothing left
      c.onClose(CloseReason.FIN, 2);
      WebSocketSession s = c.session();
      assertThat(s.messages(CLIENT_TO_SERVER)).isEqualTo(framesPerStream);
      assertThat(s.messages(SERVER_TO_CLIENT)).isEqualTo(framesPerStream);
      assertThat(s.violations()).isEmpty();
    }
  }

  @Test
  void clientFramesWaitingForTheUpgradeResponsePinNoChunkAndStayUnderTheFlowCap() {
    int connections = 100;
    int perFlow = 20_000;
    Limits limits = Limits.builder().maxBufferedBytesPerFlow(perFlow).build();
    Random random = new Random(101);
    byte[] request = utf8(WebSocketHandshakeTest.REQUEST);
    byte[] response = utf8(WebSocketHandshakeTest.RESPONSE);
    byte[] early = concat(Frames.client(WebSocketOpcodes.TEXT, "sent before the 101 arrived"),
        frame(true, 0, WebSocketOpcodes.BINARY, KEY, new byte[5_000]),
        frame(true, 0, WebSocketOpcodes.BINARY, KEY, new byte[9_000]));
    WebSocketConnectionDissector[] d = new WebSocketConnectionDissector[connections];
    Chunks chunks = new Chunks();
    for (int i = 0; i < connections; i++) {
      d[i] = new WebSocketConnectionDissector(limits);
      assertThat(chunks.feed(d[i], CLIENT_TO_SERVER, request, 0, request.length)).isEqualTo(request.length);
    }
    int[] sent = new int[connections];
    boolean more = true;
    while (more) {
      more = false;
      for (int i = 0; i < connections; i++) {
        int left = early.length - sent[i];
        if (left > 0) {
          int n = Math.min(left, packetSize(random));
          sent[i] += chunks.feed(d[i], CLIENT_TO_SERVER, early, sent[i], n);
          more = true;
        }
        assertThat(d[i].retainedBytes()).isLessThanOrEqualTo(perFlow);
      }
    }
    chunks.done();
    assertThat(chunks.chunks).isGreaterThan(5);
    assertThat(chunks.chunksPinnedWhenDone).isZero();
    for (WebSocketConnectionDissector c : d) {
      assertThat(c.retainedBytes()).isEqualTo(early.length); // copies of exactly the early bytes
      ByteBuf r = Unpooled.wrappedBuffer(response);
      try {
        assertThat(c.onData(SERVER_TO_CLIENT, 2, r)).isEqualTo(response.length);
      } finally {
        r.release();
      }
      assertThat(c.retainedBytes()).isZero();
      c.onClose(CloseReason.FIN, 3);
      assertThat(c.session().isWebSocket()).isTrue();
      assertThat(c.session().messages(CLIENT_TO_SERVER)).isEqualTo(3);
    }
  }

  @Test
  void aRemainderThatIsMostOfItsBufferIsKeptAsASliceNotCopied() {
    WebSocketConnectionDissector d = WebSocketConnectionDissector.afterHandshake(Limits.defaults());
    byte[] f = frame(true, 0, WebSocketOpcodes.BINARY, null, new byte[20_000]);
    ByteBuf part = Unpooled.wrappedBuffer(Arrays.copyOf(f, 10_000)); // a partial frame, its whole buffer
    try {
      assertThat(d.onData(SERVER_TO_CLIENT, 1, part)).isEqualTo(10_000);
      assertThat(part.refCnt()).isEqualTo(2); // retained: copying would gain nothing
      assertThat(d.retainedBytes()).isEqualTo(10_000);
    } finally {
      part.release();
    }
    ByteBuf rest = Unpooled.wrappedBuffer(Arrays.copyOfRange(f, 10_000, f.length));
    try {
      assertThat(d.onData(SERVER_TO_CLIENT, 2, rest)).isEqualTo(f.length - 10_000);
    } finally {
      rest.release();
    }
    assertThat(part.refCnt()).isZero(); // released once the frame was read
    assertThat(d.retainedBytes()).isZero();
    d.onClose(CloseReason.FIN, 3);
    assertThat(d.session().messages(SERVER_TO_CLIENT)).isEqualTo(1);
  }

  @Test
  void aFewBytesOfAFrameHeaderAreCopiedNotKeptAsASliceOfTheirChunk() {
    WebSocketConnectionDissector d = WebSocketConnectionDissector.afterHandshake(Limits.defaults());
    ByteBuf chunk = Unpooled.buffer(CHUNK, CHUNK);
    try {
      chunk.writeBytes(frame(true, 0, WebSocketOpcodes.BINARY, null, new byte[300]), 0, 3);
      assertThat(d.onData(SERVER_TO_CLIENT, 1, chunk.slice(0, 3))).isEqualTo(3);
      assertThat(chunk.refCnt()).isEqualTo(1);
      assertThat(d.retainedBytes()).isEqualTo(3);
    } finally {
      chunk.release();
    }
    d.onClose(CloseReason.FIN, 2);
    assertThat(d.retainedBytes()).isZero();
  }

  @Test
  void theReaderCopiesAPartialFrameWhenItAsksForMoreAndDeliversItWholeLater() {
    byte[] payload = new byte[1000];
    new Random(5).nextBytes(payload);
    byte[] f = frame(true, 0, WebSocketOpcodes.BINARY, null, payload); // 4-byte header (16-bit length)
    ByteBuf chunk = Unpooled.buffer(CHUNK, CHUNK);
    try (WebSocketFrameReader reader = new WebSocketFrameReader(Limits.defaults())) {
      chunk.writeBytes(f);
      reader.feed(chunk.retainedSlice(0, 600));
      assertThat(reader.next()).isEqualTo(dev.wirelens.DecodeStatus.NEED_MORE);
      assertThat(chunk.refCnt()).isEqualTo(1); // 600 bytes of 256 KiB: copied, the chunk is free
      assertThat(reader.retainedCapacity()).isEqualTo(600);
      reader.feed(chunk.retainedSlice(600, f.length - 600));
      assertThat(reader.next()).isEqualTo(dev.wirelens.DecodeStatus.FRAME);
      WebSocketFrame frame = reader.frame();
      assertThat(frame.payloadLength()).isEqualTo(1000);
      assertThat(frame.isLastPart()).isTrue();
      assertThat(io.netty.buffer.ByteBufUtil.getBytes(frame.payload())).isEqualTo(payload);
      assertThat(reader.next()).isEqualTo(dev.wirelens.DecodeStatus.NEED_MORE);
      assertThat(chunk.refCnt()).isEqualTo(1);
      assertThat(reader.retainedCapacity()).isZero();
    } finally {
      chunk.release();
    }
  }
}
