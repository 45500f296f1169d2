package dev.wirelens.tcp;

import static dev.wirelens.tcp.Traffic.ACK;
import static dev.wirelens.tcp.Traffic.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Adversarial input (issue 3): state stays within the configured limits and every drop is reported. */
class TcpReassemblerLimitsTest {
  /** Counts events without keeping data. */
  static final class Counter implements TcpStreamListener {
    long opened;
    long dataBytes;
    long gapBytes;
    final Map<CloseReason, Long> closed = new EnumMap<>(CloseReason.class);
    final Map<GapReason, Long> gaps = new EnumMap<>(GapReason.class);

    @Override
    public void onOpen(TcpConnection c) {
      opened++;
    }

    @Override
    public int onData(TcpConnection c, Direction d, long offset, io.netty.buffer.ByteBuf data) {
      dataBytes += data.readableBytes();
      return data.readableBytes();
    }

    @Override
    public void onGap(TcpConnection c, Direction d, long offset, long length, GapReason why) {
      gapBytes += length;
      gaps.merge(why, 1L, Long::sum);
    }

    @Override
    public void onClose(TcpConnection c, CloseReason why) {
      closed.merge(why, 1L, Long::sum);
    }
  }

  /** Writes a different client address and port (connection {@code i}) into an Ethernet/IPv4/TCP frame. */
  private static void client(byte[] frame, int i, boolean toServer) {
    int ip = toServer ? 14 + 12 : 14 + 16; // source or destination address
    int port = toServer ? 34 : 36;
    frame[ip + 2] = (byte) (i >>> 16);
    frame[ip + 3] = (byte) (i >>> 8);
    frame[port] = (byte) (0x80 | (i & 0x3f));
    frame[port + 1] = (byte) i;
  }

  @Test
  void aHundredThousandHalfOpenConnectionsStayWithinMaxFlows() {
    Counter count = new Counter();
    TcpReassembler r = new TcpReassembler(Limits.builder().maxFlows(10_000).build(), count);
    Traffic t = new Traffic(r);
    byte[] syn = t.frame(true, 1000, 0, SYN, 65535, new byte[0]);
    for (int i = 0; i < 100_000; i++) {
      client(syn, i, true);
      t.feed(syn);
      assertThat(r.connectionCount()).isLessThanOrEqualTo(10_000);
    }
    assertThat(count.opened).isEqualTo(100_000);
    assertThat(r.evictions()).isEqualTo(90_000);
    assertThat(count.closed).containsEntry(CloseReason.EVICTED, 90_000L);
    r.close();
    assertThat(count.closed).containsEntry(CloseReason.END_OF_INPUT, 10_000L);
  }

  @Test
  void manyConnectionsWithHolesStayWithinTheTotalLimit() {
    Counter count = new Counter();
    long total = 256 << 10;
    TcpReassembler r = new TcpReassembler(Limits.builder().maxBufferedBytesTotal(total).build(), count);
    Traffic t = new Traffic(r);
    byte[] synAck = t.frame(false, 5000, 1001, SYN | ACK, 65535, new byte[0]);
    byte[] late = t.frame(true, 1101, 5001, ACK, 65535, new byte[1000]); // 100 bytes missing before it
    for (int i = 0; i < 2_000; i++) {
      client(synAck, i, false);
      client(late, i, true);
      t.feed(synAck);
      t.feed(late);
      assertThat(r.bufferedBytes()).isLessThanOrEqualTo(total);
    }
    assertThat(count.gaps.get(GapReason.TOTAL_BUFFER_LIMIT)).isGreaterThan(1_500L);
    assertThat(count.gaps).doesNotContainKey(GapReason.FLOW_BUFFER_LIMIT);
    r.close();
    assertThat(r.bufferedBytes()).isZero();
    assertThat(count.dataBytes).isEqualTo(2_000 * 1000L);
    assertThat(count.gapBytes).isEqualTo(2_000 * 100L);
  }

  @Test
  void aFloodOfOutOfOrderDataStaysWithinThePerFlowLimit() {
    Counter count = new Counter();
    int perFlow = 64 << 10;
    TcpReassembler r = new TcpReassembler(Limits.builder().maxBufferedBytesPerFlow(perFlow).build(), count);
    Traffic t = new Traffic(r);
    t.handshake(1000, 5000);
    byte[] piece = new byte[1000];
    for (int i = 0; i < 10_000; i++) { // every other 1000-byte segment is missing
      t.send(true, 1001 + 2000L * i + 1000, 5001, ACK, piece);
      assertThat(r.bufferedBytes()).isLessThanOrEqualTo(perFlow);
    }
    assertThat(count.gaps.get(GapReason.FLOW_BUFFER_LIMIT)).isGreaterThan(9_000L);
    assertThat(count.gaps).doesNotContainKey(GapReason.TOTAL_BUFFER_LIMIT);
    r.close();
    assertThat(count.dataBytes).isEqualTo(10_000 * 1000L);
    assertThat(count.gapBytes).isEqualTo(10_000 * 1000L);
    assertThat(r.bufferedBytes()).isZero();
  }
}
