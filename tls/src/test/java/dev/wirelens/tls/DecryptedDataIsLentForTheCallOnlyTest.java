package dev.wirelens.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wirelens.BorrowedViews;
import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.StreamDissector;
import dev.wirelens.tcp.TcpConnection;
import dev.wirelens.tcp.TcpReassembler;
import dev.wirelens.tcp.TcpStreamListener;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The decrypted bytes {@link TlsConnectionDissector} hands to its inner {@link StreamDissector} are lent for the call
 * only: under the stale-view debug mode (on with {@code -ea}) a kept reference throws, a retained slice stays valid.
 * Capture and key log: the illustrated TLS 1.3 connection (vectors/tls/SOURCES.md), whose client sends "ping" and
 * server "pong" (4 bytes each way, {@code TlsDecryptionReportTest} checks them against tshark).
 */
class DecryptedDataIsLentForTheCallOnlyTest {
  /** An inner dissector that keeps what {@code keep} makes of each data argument. */
  private static final class Keeper implements StreamDissector {
    final List<ByteBuf> kept = new ArrayList<>();
    final Function<ByteBuf, ByteBuf> keep;

    Keeper(Function<ByteBuf, ByteBuf> keep) {
      this.keep = keep;
    }

    @Override
    public int onData(Direction direction, long timestampNanos, ByteBuf data) {
      kept.add(keep.apply(data));
      return data.readableBytes();
    }
  }

  private static Keeper run(Function<ByteBuf, ByteBuf> keep) throws IOException {
    Keeper keeper = new Keeper(keep);
    KeyLog keys = TlsDecryptionReportTest.keys("illustrated-tls13");
    PacketDissector dissector = new PacketDissector();
    TcpReassembler tcp = new TcpReassembler(Limits.defaults(), c -> new TcpStreamListener() {
      final TlsConnectionDissector tls = new TlsConnectionDissector(Limits.defaults(), keys, keeper);

      @Override
      public int onData(TcpConnection conn, Direction d, long offset, ByteBuf data) {
        return tls.onData(d, conn.lastTimestampNanos(), data);
      }

      @Override
      public void onClose(TcpConnection conn, CloseReason why) {
        tls.onClose(why, conn.lastTimestampNanos());
      }
    });
    try (CaptureReader r = CaptureReader.open(TlsDecryptionReportTest.TLS13)) {
      while (r.next() == DecodeStatus.FRAME) {
        dissector.dissect(r);
        tcp.onPacket(dissector, r.timestampNanos());
      }
    } finally {
      tcp.close();
    }
    return keeper;
  }

  @Test
  void anInnerDissectorThatKeepsTheDecryptedBytesGetsTheRuleOnItsNextRead() throws IOException {
    assertThat(BorrowedViews.ENABLED).as("surefire runs with -ea").isTrue();
    Keeper k = run(data -> data);
    assertThat(k.kept).isNotEmpty();
    ByteBuf stale = k.kept.get(0);
    assertThatThrownBy(() -> stale.getByte(stale.readerIndex()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(BorrowedViews.RULE)
        .hasMessageContaining("StreamDissector.onData");
  }

  @Test
  void anInnerDissectorThatTakesRetainedSlicesKeepsTheDecryptedBytes() throws IOException {
    Keeper k = run(ByteBuf::retainedSlice);
    try {
      StringBuilder all = new StringBuilder();
      k.kept.forEach(b -> all.append(b.toString(StandardCharsets.US_ASCII)));
      assertThat(all.toString()).isEqualTo("pingpong");
    } finally {
      k.kept.forEach(ByteBuf::release);
    }
  }
}
