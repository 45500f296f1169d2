package dev.wirelens.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.BorrowedViews;
import dev.wirelens.Limits;
import dev.wirelens.link.LinkTypes;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.testkit.PacketBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * In steady state the reassembler hands in-order data to listeners without allocating (issue 3: at most 1 byte per
 * segment): 200 established connections whose packets lie in one buffer, as a capture reader hands them out.
 *
 * <p>Measured with the stale-view debug mode off, as in production: core's pom runs the {@code *AllocationTest}
 * classes in an execution of their own with {@code -Dwirelens.debug.views=false} (with the mode on, every
 * {@code onData} gets a view of its own, by design).
 */
class TcpReassemblerAllocationTest {
  private static final int FLOWS = 200;
  private static final int PAYLOAD = 1000;
  private static final int SEQ_OFFSET = 14 + 20 + 4; // Ethernet, IPv4 without options, TCP sequence number

  @Test
  void inOrderSegmentsAndAcksAllocateLessThanOneBytePerSegment() throws ReflectiveOperationException {
    Assumptions.assumeFalse(BorrowedViews.ENABLED,
        "measured only with -Dwirelens.debug.views=false (core's 'allocation' surefire execution)");
    Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
    Method allocatedBytes = Class.forName("com.sun.management.ThreadMXBean")
        .getMethod("getCurrentThreadAllocatedBytes");
    long[] delivered = new long[1];
    TcpStreamListener listener = new TcpStreamListener() {
      @Override
      public int onData(TcpConnection c, Direction d, long offset, ByteBuf data) {
        delivered[0] += data.readableBytes();
        return data.readableBytes();
      }
    };
    PacketDissector dissector = new PacketDissector();
    int dataLength = 0;
    int ackLength = 0;
    ByteBuf frames = null;
    long[] seq = new long[FLOWS];
    long[] ack = new long[FLOWS];
    try (TcpReassembler r = new TcpReassembler(Limits.defaults(), listener)) {
      long ts = 1_000_000_000L;
      for (int i = 0; i < FLOWS; i++) {
        int client = 0x0A000000 | (i + 1);
        int server = 0xC0000201;
        int port = 40000 + i;
        feed(r, dissector, PacketBuilder.ethernet().ipv4(client, server).tcp(port, 443).seq(1000)
            .flags(PacketBuilder.SYN).build(), ts++);
        feed(r, dissector, PacketBuilder.ethernet().ipv4(server, client).tcp(443, port).seq(5000).ack(1001)
            .flags(PacketBuilder.SYN | PacketBuilder.ACK).build(), ts++);
        byte[] segment = PacketBuilder.ethernet().ipv4(server, client).tcp(443, port).seq(5001).ack(1001)
            .flags(PacketBuilder.ACK).window(65535).payload(PAYLOAD).build();
        byte[] acknowledgment = PacketBuilder.ethernet().ipv4(client, server).tcp(port, 443).seq(1001).ack(5001)
            .flags(PacketBuilder.ACK).window(65535).build();
        if (frames == null) {
          dataLength = segment.length;
          ackLength = acknowledgment.length;
          // over an array: not a leak-aware buffer, whose paranoid access records would be the allocation measured
          frames = Unpooled.wrappedBuffer(new byte[FLOWS * (dataLength + ackLength)]).clear();
        }
        frames.writeBytes(segment).writeBytes(acknowledgment);
        seq[i] = 5001;
        ack[i] = 5001;
      }
      int stride = dataLength + ackLength;
      for (int round = 0; round < 50; round++) { // warm up: let the JIT settle
        ts = rounds(r, dissector, frames, stride, dataLength, ackLength, seq, ack, ts);
      }
      for (int i = 0; i < 50; i++) {
        ts += ((Long) allocatedBytes.invoke(bean)).intValue() & 1; // past reflection's own one-time set-up
      }
      long least = Long.MAX_VALUE;
      int segmentsPerMeasure = 100 * FLOWS;
      for (int measure = 0; measure < 3; measure++) { // the least of 3: one-time work is not per segment
        long before = (Long) allocatedBytes.invoke(bean);
        for (int round = 0; round < 100; round++) {
          ts = rounds(r, dissector, frames, stride, dataLength, ackLength, seq, ack, ts);
        }
        least = Math.min(least, (Long) allocatedBytes.invoke(bean) - before);
      }
      assertThat(least).as("bytes allocated for %d in-order segments and their ACKs", segmentsPerMeasure)
          .isLessThan(segmentsPerMeasure);
      assertThat(delivered[0]).isEqualTo(350L * FLOWS * PAYLOAD);
      assertThat(r.bufferedBytes()).isZero();
      assertThat(r.connectionCount()).isEqualTo(FLOWS);
    }
  }

  /** One in-order data segment from every connection's server, then the client's ACK of it. */
  private static long rounds(TcpReassembler r, PacketDissector d, ByteBuf frames, int stride, int dataLength,
      int ackLength, long[] seq, long[] ack, long ts) {
    for (int i = 0; i < FLOWS; i++) {
      int at = i * stride;
      frames.setInt(at + SEQ_OFFSET, (int) seq[i]);
      seq[i] = (seq[i] + PAYLOAD) & 0xffffffffL;
      d.dissect(frames, at, dataLength, LinkTypes.ETHERNET);
      r.onPacket(d, ts++);
      frames.setInt(at + dataLength + SEQ_OFFSET + 4, (int) seq[i]); // the ACK number
      d.dissect(frames, at + dataLength, ackLength, LinkTypes.ETHERNET);
      r.onPacket(d, ts++);
    }
    return ts;
  }

  private static void feed(TcpReassembler r, PacketDissector d, byte[] frame, long ts) {
    d.dissect(Unpooled.wrappedBuffer(frame), LinkTypes.ETHERNET);
    r.onPacket(d, ts);
  }
}
