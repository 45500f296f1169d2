package dev.wirelens.tls;

import static dev.wirelens.tls.OffsetsAfterARestartTest.APP_DATA;
import static dev.wirelens.tls.OffsetsAfterARestartTest.CLIENT_HELLO;
import static dev.wirelens.tls.OffsetsAfterARestartTest.HI;
import static dev.wirelens.tls.OffsetsAfterARestartTest.SERVER_HELLO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import dev.wirelens.MalformationReport;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.GapReason;
import dev.wirelens.tcp.TcpConnection;
import dev.wirelens.tcp.TcpReassembler;
import dev.wirelens.tcp.TcpStreamListener;
import dev.wirelens.testkit.PacketBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The session's offsets against the oracle of the TCP reassembler's own stream offsets ({@link TcpStreamListener}'s
 * {@code streamOffset}): packets with holes in the client's sequence space go through a real {@link TcpReassembler},
 * which turns the holes into gaps when the connection closes and delivers the held segments after them. The
 * plaintext offset of "HI\0" must be the reassembler's offset of its first byte.
 */
class OffsetsMatchTheReassemblersTest {
  private static final long ISN_C = 1000;
  private static final long ISN_S = 5000;

  @Test
  void afterAGapThePlaintextOffsetIsTheReassemblersOffsetOfThatByte() {
    // client stream: ClientHello at 0, hole of 100, application data + "HI\0" at 186
    Run run = run(new long[] {86 + 100}, new byte[][] {concat(APP_DATA, HI)});
    Delivery last = run.clientDeliveries.get(run.clientDeliveries.size() - 1);
    assertThat(last.offset).isEqualTo(186);
    assertThat(run.gaps).containsExactly(100L);
    assertThat(run.session.plaintextOffset(Direction.CLIENT_TO_SERVER)).isEqualTo(last.offset + APP_DATA.length);
    MalformationReport m = run.session.malformation(Direction.CLIENT_TO_SERVER);
    assertThat(m.offset()).isEqualTo(last.offset + APP_DATA.length + 1);
  }

  @Test
  void bytesLeftUnconsumedBeforeASecondGapCountAsTheReassemblerCountsThem() {
    // client stream: ClientHello at 0, hole of 100, "17 03" at 186 (left unconsumed: too few to resynchronise on;
    // the reassembler drops them at the next gap), hole of 50, application data + "HI\0" at 238
    Run run = run(new long[] {86 + 100, 86 + 100 + 2 + 50}, new byte[][] {{23, 3}, concat(APP_DATA, HI)});
    Delivery last = run.clientDeliveries.get(run.clientDeliveries.size() - 1);
    assertThat(last.offset).isEqualTo(238);
    assertThat(run.gaps).containsExactly(100L, 50L);
    assertThat(run.session.plaintextOffset(Direction.CLIENT_TO_SERVER)).isEqualTo(last.offset + APP_DATA.length);
  }

  record Delivery(long offset, int length) {}

  static final class Run {
    final List<Delivery> clientDeliveries = new ArrayList<>();
    final List<Long> gaps = new ArrayList<>();
    TlsSession session;
  }

  /** The handshake, the hellos, then client segments {@code later} at client stream offsets {@code at}; close. */
  static Run run(long[] at, byte[][] later) {
    Run run = new Run();
    PacketDissector dissector = new PacketDissector();
    TcpReassembler tcp = new TcpReassembler(Limits.defaults(), c -> new TcpStreamListener() {
      final TlsConnectionDissector tls = new TlsConnectionDissector(Limits.defaults(), TlsKeySource.NONE, null);

      @Override
      public int onData(TcpConnection conn, Direction d, long offset, ByteBuf data) {
        if (d == Direction.CLIENT_TO_SERVER) {
          run.clientDeliveries.add(new Delivery(offset, data.readableBytes()));
        }
        return tls.onData(d, conn.lastTimestampNanos(), data);
      }

      @Override
      public void onGap(TcpConnection conn, Direction d, long offset, long length, GapReason why) {
        if (d == Direction.CLIENT_TO_SERVER) {
          run.gaps.add(length);
        }
        tls.onGap(d, conn.lastTimestampNanos(), length);
      }

      @Override
      public void onClose(TcpConnection conn, CloseReason why) {
        tls.onClose(why, conn.lastTimestampNanos());
        run.session = tls.session();
      }
    });
    try {
      long time = 1_000_000_000L;
      send(tcp, dissector, time++, true, ISN_C, 0, PacketBuilder.SYN, new byte[0]);
      send(tcp, dissector, time++, false, ISN_S, ISN_C + 1, PacketBuilder.SYN | PacketBuilder.ACK, new byte[0]);
      send(tcp, dissector, time++, true, ISN_C + 1, ISN_S + 1, PacketBuilder.ACK, new byte[0]);
      send(tcp, dissector, time++, true, ISN_C + 1, ISN_S + 1, PacketBuilder.ACK | PacketBuilder.PSH, CLIENT_HELLO);
      send(tcp, dissector, time++, false, ISN_S + 1, ISN_C + 1 + CLIENT_HELLO.length,
          PacketBuilder.ACK | PacketBuilder.PSH, SERVER_HELLO);
      for (int i = 0; i < at.length; i++) {
        send(tcp, dissector, time++, true, ISN_C + 1 + at[i], ISN_S + 1 + SERVER_HELLO.length,
            PacketBuilder.ACK | PacketBuilder.PSH, later[i]);
      }
    } finally {
      tcp.close(); // the holes become gaps, the held segments are delivered, the connection closes
    }
    assertThat(run.session).isNotNull();
    return run;
  }

  static void send(TcpReassembler tcp, PacketDissector dissector, long time, boolean fromClient, long seq, long ack,
      int flags, byte[] payload) {
    PacketBuilder b = PacketBuilder.ethernet();
    if (fromClient) {
      b.ipv4("10.0.0.2", "10.0.0.1").tcp(40000, 443);
    } else {
      b.ipv4("10.0.0.1", "10.0.0.2").tcp(443, 40000);
    }
    ByteBuf frame = Unpooled.wrappedBuffer(b.seq(seq).ack(ack).flags(flags).window(65535).payload(payload).build());
    try {
      dissector.dissect(frame, 1);
      tcp.onPacket(dissector, time);
    } finally {
      frame.release();
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] o = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, o, a.length, b.length);
    return o;
  }
}
