package dev.wirelens.examples.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.link.LinkTypes;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.testkit.PacketBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/**
 * Memory does not grow with the capture's length: 20,000 short connections one after the other (a second of
 * capture time apart, from 100 clients so no reconnect storm) leave the session holding only the last few, and every
 * report is delivered before the end.
 */
class AuditMemoryTest {
  @Test
  void aLongCaptureOfShortConnectionsHoldsOnlyTheRecentOnes() {
    long[] delivered = {0};
    AuditSession session = Audit.builder().build().session(r -> delivered[0]++);
    PacketDissector d = new PacketDissector();
    int maxHeld = 0;
    long t = 1_795_824_000_000_000_000L;
    for (int i = 0; i < 20_000; i++) {
      String client = "10.1." + (i % 100) + ".2";
      int port = 10_000 + i % 50_000;
      long cs = 1000;
      long ss = 5000;
      feed(session, d, t, PacketBuilder.ethernet().ipv4(client, "10.0.0.1").tcp(port, 443).seq(cs)
          .flags(PacketBuilder.SYN).build());
      feed(session, d, t + 1000, PacketBuilder.ethernet().ipv4("10.0.0.1", client).tcp(443, port).seq(ss)
          .ack(cs + 1).flags(PacketBuilder.SYN | PacketBuilder.ACK).build());
      feed(session, d, t + 2000, PacketBuilder.ethernet().ipv4(client, "10.0.0.1").tcp(port, 443).seq(cs + 1)
          .ack(ss + 1).flags(PacketBuilder.FIN | PacketBuilder.ACK).build());
      feed(session, d, t + 3000, PacketBuilder.ethernet().ipv4("10.0.0.1", client).tcp(443, port).seq(ss + 1)
          .ack(cs + 2).flags(PacketBuilder.FIN | PacketBuilder.ACK).build());
      feed(session, d, t + 4000, PacketBuilder.ethernet().ipv4(client, "10.0.0.1").tcp(port, 443).seq(cs + 2)
          .ack(ss + 2).flags(PacketBuilder.ACK).build());
      maxHeld = Math.max(maxHeld, session.heldConnections());
      t += 1_000_000_000L;
    }
    assertThat(delivered[0]).isGreaterThan(19_990); // all but the last few, before the end of the input
    assertThat(maxHeld).isLessThan(10);
    AuditSummary s = session.finish();
    assertThat(s.connections()).isEqualTo(20_000);
    assertThat(s.stable()).isTrue();
    assertThat(session.heldConnections()).isZero();
  }

  private static void feed(AuditSession session, PacketDissector d, long t, byte[] frame) {
    ByteBuf b = Unpooled.wrappedBuffer(frame);
    try {
      d.dissect(b, LinkTypes.ETHERNET);
      session.onPacket(d, t);
    } finally {
      b.release();
    }
  }
}
