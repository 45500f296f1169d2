package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Layer;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.tcp.FlowKey;
import dev.wirelens.testkit.PacketBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/**
 * The relative numbering rules tshark applies (checked against tshark on the recorded captures by
 * {@link PacketsCommandMatchesTsharkTest}), here on hand-built segments for the cases those captures lack.
 */
class RelativeSequenceTrackerTest {
  private final RelativeSequenceTracker tracker = new RelativeSequenceTracker();
  private final PacketDissector dissector = new PacketDissector();
  private final FlowKey key = new FlowKey();

  private static final String CLIENT = "10.0.0.1";
  private static final String SERVER = "10.0.0.2";

  /** A segment from client (port 40000) to server (port 80), or back when {@code fromServer}. */
  private static PacketBuilder segment(boolean fromServer, long seq, long ack, int flags, int window) {
    PacketBuilder b = PacketBuilder.ethernet();
    if (fromServer) {
      b.ipv4(SERVER, CLIENT).tcp(80, 40000);
    } else {
      b.ipv4(CLIENT, SERVER).tcp(40000, 80);
    }
    return b.seq(seq).ack(ack).flags(flags).window(window);
  }

  private void track(PacketBuilder b) {
    ByteBuf frame = Unpooled.wrappedBuffer(b.build());
    try {
      dissector.dissect(frame, b.linkType());
      assertThat(dissector.has(Layer.TCP)).isTrue();
      dissector.flowKey(key);
      tracker.track(key, dissector.tcp());
    } finally {
      frame.release();
    }
  }

  @Test
  void synIsSeqZeroAndSynAckAcksOne() {
    track(segment(false, 1000, 0, PacketBuilder.SYN, 64240).windowScale(7));
    assertThat(tracker.sequence()).isZero();
    assertThat(tracker.window()).isEqualTo(64240);
    track(segment(true, 5000, 1001, PacketBuilder.SYN | PacketBuilder.ACK, 65160).windowScale(7));
    assertThat(tracker.sequence()).isZero();
    assertThat(tracker.acknowledgment()).isEqualTo(1);
    assertThat(tracker.window()).as("SYN windows are never scaled (RFC 7323 §2.2)").isEqualTo(65160);
  }

  @Test
  void windowIsScaledOnlyWhenBothSynsCarriedWindowScale() {
    track(segment(false, 1000, 0, PacketBuilder.SYN, 64240).windowScale(7));
    track(segment(true, 5000, 1001, PacketBuilder.SYN | PacketBuilder.ACK, 65160).windowScale(3));
    track(segment(false, 1001, 5001, PacketBuilder.ACK, 502));
    assertThat(tracker.window()).isEqualTo(502L << 7);
    track(segment(true, 5001, 1001, PacketBuilder.ACK, 100));
    assertThat(tracker.window()).isEqualTo(100L << 3);
  }

  @Test
  void synAckWithoutWindowScaleTurnsScalingOff() {
    track(segment(false, 1000, 0, PacketBuilder.SYN, 64240).windowScale(7));
    track(segment(true, 5000, 1001, PacketBuilder.SYN | PacketBuilder.ACK, 65160));
    track(segment(false, 1001, 5001, PacketBuilder.ACK, 502));
    assertThat(tracker.window()).isEqualTo(502);
  }

  @Test
  void midStreamSegmentIsSeqOneAckOneAndWindowRaw() {
    track(segment(false, 123456, 987654, PacketBuilder.ACK | PacketBuilder.PSH, 63).payload(10));
    assertThat(tracker.sequence()).isEqualTo(1);
    assertThat(tracker.acknowledgment()).isEqualTo(1);
    assertThat(tracker.window()).isEqualTo(63);
    track(segment(true, 987654, 123466, PacketBuilder.ACK, 64));
    assertThat(tracker.sequence()).isEqualTo(1);
    assertThat(tracker.acknowledgment()).isEqualTo(11);
  }

  @Test
  void relativeNumbersWrapAroundTwoToThe32() {
    track(segment(false, 0xFFFF_FFF0L, 0, PacketBuilder.SYN, 1000));
    track(segment(false, 0x0000_0010L, 0, PacketBuilder.ACK, 1000));
    assertThat(tracker.sequence()).isEqualTo(0x20);
  }

  @Test
  void newSynWithAnotherIsnRestartsTheNumbering() {
    track(segment(false, 1000, 0, PacketBuilder.SYN, 1000));
    track(segment(true, 5000, 1001, PacketBuilder.SYN | PacketBuilder.ACK, 1000));
    track(segment(false, 1001, 5001, PacketBuilder.ACK | PacketBuilder.FIN, 1000));
    track(segment(false, 777_000, 0, PacketBuilder.SYN, 1000));
    assertThat(tracker.sequence()).isZero();
    track(segment(true, 9000, 777_001, PacketBuilder.SYN | PacketBuilder.ACK, 1000));
    assertThat(tracker.sequence()).isZero();
    assertThat(tracker.acknowledgment()).isEqualTo(1);
  }

  @Test
  void connectionsRememberedAreBounded() {
    for (int i = 0; i <= RelativeSequenceTracker.MAX_CONNECTIONS; i++) {
      track(segment(false, i, 0, PacketBuilder.SYN, 1000).tcp(1024 + (i & 0x7FFF), 80 + (i >>> 15)));
    }
    assertThat(tracker.size()).isEqualTo(RelativeSequenceTracker.MAX_CONNECTIONS);
  }
}
