package dev.wirelens.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import dev.wirelens.ip.FragmentEvent;
import dev.wirelens.ip.IpDefragmenter;
import dev.wirelens.link.LinkTypes;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.testkit.PacketBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpReassemblerDefragmentTest {
  private static final String C = "10.0.0.1";
  private static final String S = "10.0.0.2";

  private static List<byte[]> packets() {
    byte[] syn = PacketBuilder.raw().ipv4(C, S).tcp(40000, 80).flags(PacketBuilder.SYN).seq(100).build();
    byte[] synAck = PacketBuilder.raw().ipv4(S, C).tcp(80, 40000).flags(PacketBuilder.SYN | PacketBuilder.ACK)
        .seq(500).ack(101).build();
    byte[] ack = PacketBuilder.raw().ipv4(C, S).tcp(40000, 80).flags(PacketBuilder.ACK).seq(101).ack(501).build();
    byte[] data = PacketBuilder.raw().ipv4(C, S).identification(7).tcp(40000, 80)
        .flags(PacketBuilder.ACK | PacketBuilder.PSH).seq(101).ack(501).payload(1200).build();
    // the data segment in two IPv4 fragments, the second one first
    byte[] f1 = PacketBuilder.raw().ipv4(C, S).identification(7).fragment(false, true, 0).ipProtocol(6)
        .payload(Arrays.copyOfRange(data, 20, 20 + 608)).build();
    byte[] f2 = PacketBuilder.raw().ipv4(C, S).identification(7).fragment(false, false, 76).ipProtocol(6)
        .payload(Arrays.copyOfRange(data, 20 + 608, data.length)).build();
    return List.of(syn, synAck, ack, f2, f1);
  }

  private static StreamRecorder run(IpDefragmenter defragmenter) {
    StreamRecorder rec = new StreamRecorder();
    PacketDissector d = new PacketDissector();
    try (TcpReassembler r = new TcpReassembler(Limits.defaults(), rec).defragmentWith(defragmenter)) {
      long t = 0;
      for (byte[] p : packets()) {
        ByteBuf buf = Unpooled.wrappedBuffer(p);
        try {
          d.dissect(buf, LinkTypes.RAW);
          r.onPacket(d, t += 1_000_000L);
        } finally {
          buf.release();
        }
      }
    }
    return rec;
  }

  @Test
  void segmentInIpFragmentsIsDeliveredWhenADefragmenterIsSet() {
    IpDefragmenter defrag = new IpDefragmenter();
    StreamRecorder rec = run(defrag);
    byte[] expected = new byte[1200];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = (byte) i;
    }
    assertThat(rec.connections).hasSize(1);
    assertThat(rec.connections.get(0).bytes(Direction.CLIENT_TO_SERVER)).isEqualTo(expected);
    assertThat(defrag.completed()).isEqualTo(1);
    assertThat(defrag.inProgress()).isZero();
  }

  @Test
  void segmentInIpFragmentsIsIgnoredWithoutADefragmenter() {
    StreamRecorder rec = run(null);
    assertThat(rec.connections).hasSize(1);
    assertThat(rec.connections.get(0).bytes(Direction.CLIENT_TO_SERVER)).isEmpty();
  }

  private static void feed(TcpReassembler r, PacketDissector d, List<byte[]> packets, long[] times) {
    for (int i = 0; i < packets.size(); i++) {
      ByteBuf buf = Unpooled.wrappedBuffer(packets.get(i));
      try {
        d.dissect(buf, LinkTypes.RAW);
        r.onPacket(d, times[i]);
      } finally {
        buf.release();
      }
    }
  }

  @Test
  void segmentInIpFragmentsIsDeliveredByAnOwnedDefragmenter() {
    StreamRecorder rec = new StreamRecorder();
    TcpReassembler r = new TcpReassembler(Limits.defaults(), rec).defragment();
    feed(r, new PacketDissector(), packets(), new long[] {1, 2, 3, 4, 5});
    r.close();
    byte[] expected = new byte[1200];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = (byte) i;
    }
    assertThat(rec.connections).hasSize(1);
    assertThat(rec.connections.get(0).bytes(Direction.CLIENT_TO_SERVER)).isEqualTo(expected);
    assertThat(r.defragmenter().completed()).isEqualTo(1);
    assertThat(r.defragmenter().inProgress()).isZero();
  }

  @Test
  void closeReportsAndDropsTheFragmentsOfAnUnfinishedDatagram() {
    List<FragmentEvent> events = new ArrayList<>();
    TcpReassembler r = new TcpReassembler(Limits.defaults(), new StreamRecorder())
        .defragment(Limits.defaults(), (event, version, id, offset, ts) -> events.add(event));
    List<byte[]> p = packets();
    feed(r, new PacketDissector(), p.subList(0, 4), new long[] {1, 2, 3, 4}); // f2 only
    assertThat(r.defragmenter().inProgress()).isEqualTo(1);
    assertThat(events).isEmpty();
    r.close();
    assertThat(events).containsExactly(FragmentEvent.INCOMPLETE_AT_END);
    assertThat(r.defragmenter().inProgress()).isZero();
    assertThat(r.defragmenter().bufferedBytes()).isZero();
  }

  @Test
  void anOwnedDefragmenterTimesOutByCaptureTimeOnEveryPacket() {
    List<FragmentEvent> events = new ArrayList<>();
    TcpReassembler r = new TcpReassembler(Limits.defaults(), new StreamRecorder())
        .defragment(Limits.defaults(), (event, version, id, offset, ts) -> events.add(event));
    List<byte[]> p = packets();
    long late = 1 + IpDefragmenter.DEFAULT_TIMEOUT.toNanos() + 1;
    // f2, then an unrelated unfragmented packet after the timeout
    feed(r, new PacketDissector(), List.of(p.get(3), p.get(0)), new long[] {1, late});
    assertThat(events).containsExactly(FragmentEvent.TIMED_OUT);
    assertThat(r.defragmenter().inProgress()).isZero();
    r.close();
    assertThat(events).containsExactly(FragmentEvent.TIMED_OUT);
  }

  @Test
  void aDefragmenterTheCallerKeepsIsNotClosedByTheReassembler() {
    IpDefragmenter own = new IpDefragmenter();
    TcpReassembler r = new TcpReassembler(Limits.defaults(), new StreamRecorder()).defragmentWith(own);
    feed(r, new PacketDissector(), packets().subList(0, 4), new long[] {1, 2, 3, 4});
    r.close();
    assertThat(own.inProgress()).isEqualTo(1);
    own.close();
  }

  @Test
  void segmentInIpFragmentsIsDeliveredByDefault() {
    StreamRecorder rec = new StreamRecorder();
    TcpReassembler r = new TcpReassembler(Limits.defaults(), rec);
    feed(r, new PacketDissector(), packets(), new long[] {1, 2, 3, 4, 5});
    r.close();
    assertThat(rec.connections).hasSize(1);
    assertThat(rec.connections.get(0).bytes(Direction.CLIENT_TO_SERVER)).hasSize(1200);
    assertThat(r.defragmenter().completed()).isEqualTo(1);
  }

  @Test
  void theDefaultDefragmenterIsClosedWithTheReassembler() {
    TcpReassembler r = new TcpReassembler(Limits.defaults(), new StreamRecorder());
    feed(r, new PacketDissector(), packets().subList(0, 4), new long[] {1, 2, 3, 4});
    IpDefragmenter owned = r.defragmenter();
    assertThat(owned.inProgress()).isEqualTo(1);
    r.close();
    assertThat(owned.inProgress()).isZero();
    assertThat(owned.count(FragmentEvent.INCOMPLETE_AT_END)).isEqualTo(1);
  }
}
