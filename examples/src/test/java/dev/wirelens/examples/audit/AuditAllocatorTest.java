package dev.wirelens.examples.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.tcp.Direction;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code Audit.Builder.allocator} reaches the WebSocket dissectors (bytes of frames cut across segments) and the
 * capture reader of a stream, and the reports do not depend on it: the same as with the default allocator, whose
 * WebSocket figures WebSocketRecordingsTest holds to tshark's.
 */
class AuditAllocatorTest {
  /** Counts what it hands out; unpooled buffers. */
  private static final class CountingAllocator extends AbstractByteBufAllocator {
    final AtomicInteger count = new AtomicInteger();

    CountingAllocator() {
      super(false);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
      count.incrementAndGet();
      return new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
      count.incrementAndGet();
      return new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }
  }

  private static Path capture(String name) throws Exception {
    return Path.of(AuditAllocatorTest.class.getResource("/captures/websocket/" + name + ".pcap").toURI());
  }

  private static List<String> summary(List<ConnectionReport> reports) {
    List<String> out = new ArrayList<>();
    for (ConnectionReport r : reports) {
      String ws = r.webSocket() == null ? "-" : r.webSocket().frames(Direction.CLIENT_TO_SERVER) + "/"
          + r.webSocket().frames(Direction.SERVER_TO_CLIENT) + " frames, "
          + r.webSocket().messages(Direction.CLIENT_TO_SERVER) + "/"
          + r.webSocket().messages(Direction.SERVER_TO_CLIENT) + " messages, "
          + r.webSocket().inflatedBytes(Direction.CLIENT_TO_SERVER) + "/"
          + r.webSocket().inflatedBytes(Direction.SERVER_TO_CLIENT) + " inflated";
      out.add(r + " " + ws + " " + r.limits());
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"ws-basic-v4", "ws-deflate-v4", "ws-fragmented-v6", "ws-coalesced-v4"})
  void theAuditsWebSocketBuffersComeFromTheGivenAllocatorAndTheReportsStayTheSame(String name) throws Exception {
    Path file = capture(name);
    List<ConnectionReport> expected = new ArrayList<>();
    Audit.builder().build().run(file, expected::add);
    assertThat(expected).anySatisfy(r -> assertThat(r.webSocket()).isNotNull());

    CountingAllocator alloc = new CountingAllocator();
    Audit audit = Audit.builder().allocator(alloc).build();
    assertThat(audit.allocator()).isSameAs(alloc);
    List<ConnectionReport> mapped = new ArrayList<>();
    audit.run(file, mapped::add);
    assertThat(summary(mapped)).isEqualTo(summary(expected));
    if (name.equals("ws-coalesced-v4")) {
      // frames cut across TCP segments: the WebSocket reader holds their bytes (the others are read in place)
      assertThat(alloc.count.get()).as("held WebSocket bytes from the audit's allocator").isPositive();
    }

    CountingAllocator streamAlloc = new CountingAllocator();
    List<ConnectionReport> streamed = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      Audit.builder().allocator(streamAlloc).build().run(in, streamed::add);
    }
    assertThat(summary(streamed)).isEqualTo(summary(expected));
    assertThat(streamAlloc.count.get()).as("the stream's chunks").isPositive();
  }

  @org.junit.jupiter.api.Test
  void anAuditBuiltWithoutAnAllocatorUsesNettysDefault() {
    assertThat(Audit.builder().build().allocator()).isSameAs(ByteBufAllocator.DEFAULT);
  }
}
