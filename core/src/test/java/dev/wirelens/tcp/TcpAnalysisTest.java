package dev.wirelens.tcp;

import static dev.wirelens.tcp.Traffic.ACK;
import static dev.wirelens.tcp.Traffic.FIN;
import static dev.wirelens.tcp.Traffic.PSH;
import static dev.wirelens.tcp.Traffic.RST;
import static dev.wirelens.tcp.Traffic.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rules of the TCP sequence analysis, one per test, on packets built with PacketBuilder. Each expected flag is the
 * one Wireshark's packet-tcp analysis sets for that situation (see the rules in {@link TcpAnalysis}); packets are
 * one millisecond apart unless a test moves the clock. Client ISN 1000, server ISN 5000, handshake round trip 2 ms.
 */
class TcpAnalysisTest {
  private static final Direction C2S = Direction.CLIENT_TO_SERVER;
  private static final Direction S2C = Direction.SERVER_TO_CLIENT;
  private static final byte[] HUNDRED = new byte[100];

  /** Every onAnalysis call as "DIRECTION flag,flag", and the events in order. */
  private final List<String> flagged = new ArrayList<>();
  private final List<String> events = new ArrayList<>();
  private TcpConnection connection;
  private final TcpReassembler reassembler = new TcpReassembler(Limits.defaults(), new TcpStreamListener() {
    @Override
    public void onOpen(TcpConnection c) {
      connection = c;
    }

    @Override
    public void onAnalysis(TcpConnection c, Direction dir, int flags) {
      assertThat(flags).isNotZero();
      flagged.add(dir + " " + TcpAnalysis.flagNames(flags));
      events.add("analysis " + TcpAnalysis.flagNames(flags));
    }

    @Override
    public int onData(TcpConnection c, Direction dir, long off, ByteBuf data) {
      events.add("data " + off + "+" + data.readableBytes());
      return data.readableBytes();
    }

    @Override
    public void onGap(TcpConnection c, Direction dir, long off, long length, GapReason why) {
      events.add("gap " + off + "+" + length);
    }
  });
  private final Traffic t = new Traffic(reassembler);

  @AfterEach
  void close() {
    reassembler.close();
  }

  private TcpAnalysis client() {
    return connection.analysis(C2S);
  }

  private TcpAnalysis server() {
    return connection.analysis(S2C);
  }

  /** Handshake, then the client sends [1001, 1101) and the server acknowledges it. */
  private void handshakeAndFirstSegment() {
    t.handshake(1000, 5000);
    t.send(true, 1001, 5001, ACK | PSH, HUNDRED);
    t.send(false, 5001, 1101, ACK);
  }

  private void window(boolean toServer, long seq, long ack, int window) {
    t.feed(t.frame(toServer, seq, ack, ACK, window, new byte[0]));
  }

  @Test
  void anOrdinaryConnectionHasNoFlags() {
    handshakeAndFirstSegment();
    t.send(false, 5001, 1101, ACK | PSH, HUNDRED);
    t.send(true, 1101, 5101, ACK | FIN);
    t.send(false, 5101, 1102, ACK | FIN);
    t.send(true, 1102, 5102, ACK);
    assertThat(flagged).isEmpty();
    assertThat(client().retransmissions()).isZero();
    assertThat(client().lastFlags()).isZero();
  }

  @Test
  void dataRepeatedAfterTheOutOfOrderWindowAndNotYetAcknowledgedIsARetransmission() {
    t.handshake(1000, 5000);
    t.send(true, 1001, 5001, ACK | PSH, HUNDRED);
    t.time += 200_000_000L; // an RTO later
    t.send(true, 1001, 5001, ACK | PSH, HUNDRED);
    assertThat(flagged).containsExactly("CLIENT_TO_SERVER retransmission");
    assertThat(client().retransmissions()).isEqualTo(1);
    assertThat(client().fastRetransmissions()).isZero();
    assertThat(client().spuriousRetransmissions()).isZero();
    assertThat(client().outOfOrder()).isZero();
    assertThat(server().retransmissions()).isZero();
  }

  @Test
  void dataTheReceiverAlreadyAcknowledgedIsASpuriousRetransmissionAndCountsAsARetransmission() {
    handshakeAndFirstSegment();
    t.send(true, 1001, 5001, ACK | PSH, HUNDRED);
    assertThat(flagged).containsExactly("CLIENT_TO_SERVER spurious_retransmission");
    assertThat(client().retransmissions()).as("tcp.analysis.retransmission matches it").isEqualTo(1);
    assertThat(client().spuriousRetransmissions()).isEqualTo(1);
  }

  @Test
  void theSegmentTwoDuplicateAcksAskForWithin20MillisecondsIsAFastRetransmission() {
    handshakeAndFirstSegment();
    t.send(true, 1201, 5001, ACK | PSH, HUNDRED); // [1101, 1201) lost
    t.send(false, 5001, 1101, ACK);
    t.send(false, 5001, 1101, ACK);
    t.send(true, 1101, 5001, ACK | PSH, HUNDRED);
    assertThat(flagged).containsExactly("CLIENT_TO_SERVER lost_segment", "SERVER_TO_CLIENT duplicate_ack",
        "SERVER_TO_CLIENT duplicate_ack", "CLIENT_TO_SERVER fast_retransmission");
    assertThat(server().duplicateAcks()).isEqualTo(2);
    assertThat(client().lostSegments()).isEqualTo(1);
    assertThat(client().fastRetransmissions()).isEqualTo(1);
    assertThat(client().retransmissions()).as("tcp.analysis.retransmission matches it").isEqualTo(1);
  }

  @Test
  void oneDuplicateAckIsNotEnoughForAFastRetransmission() {
    handshakeAndFirstSegment();
    t.send(true, 1201, 5001, ACK | PSH, HUNDRED);
    t.send(false, 5001, 1101, ACK);
    t.time += 50_000_000L;
    t.send(true, 1101, 5001, ACK | PSH, HUNDRED);
    assertThat(flagged).containsExactly("CLIENT_TO_SERVER lost_segment", "SERVER_TO_CLIENT duplicate_ack",
        "CLIENT_TO_SERVER retransmission");
  }

  @Test
  void duplicateAcksOlderThan20MillisecondsMakeAPlainRetransmission() {
    handshakeAndFirstSegment();
    t.send(true, 1201, 5001, ACK | PSH, HUNDRED);
    t.send(false, 5001, 1101, ACK);
    t.send(false, 5001, 1101, ACK);
    t.time += 20_000_000L;
    t.send(true, 1101, 5001, ACK | PSH, HUNDRED);
    assertThat(flagged).last().isEqualTo("CLIENT_TO_SERVER retransmission");
    assertThat(client().fastRetransmissions()).isZero();
  }

  @Test
  void aSegmentBelowNextWithinTheHandshakeRoundTripIsOutOfOrderNotARetransmission() {
    t.handshake(1000, 5000); // round trip 2 ms
    t.send(true, 1101, 5001, ACK | PSH, HUNDRED);
    t.send(true, 1001, 5001, ACK | PSH, HUNDRED); // 1 ms later
    assertThat(flagged).containsExactly("CLIENT_TO_SERVER lost_segment", "CLIENT_TO_SERVER out_of_order");
    assertThat(client().outOfOrder()).isEqualTo(1);
    assertThat(client().retransmissions()).isZero();
    assertThat(connection.initialRttNanos()).isEqualTo(2_000_000L);
  }

  @Test
  void theSameLateSegmentAfterTheRoundTripIsARetransmission() {
    t.handshake(1000, 5000);
    t.send(true, 1101, 5001, ACK | PSH, HUNDRED);
    t.time += 1_000_000L; // 2 ms after the segment that set next: not less than the round trip
    t.send(true, 1001, 5001, ACK | PSH, HUNDRED);
    assertThat(flagged).containsExactly("CLIENT_TO_SERVER lost_segment", "CLIENT_TO_SERVER retransmission");
  }

  @Test
  void withoutAHandshakeTheOutOfOrderWindowIs3Milliseconds() {
    t.send(true, 1101, 5001, ACK | PSH, HUNDRED);
    t.time += 1_000_000L;
    t.send(true, 1001, 5001, ACK | PSH, HUNDRED); // 2 ms later
    t.send(true, 1301, 5001, ACK | PSH, HUNDRED);
    t.time += 2_000_000L;
    t.send(true, 1201, 5001, ACK | PSH, HUNDRED); // 3 ms later
    assertThat(flagged).containsExactly("CLIENT_TO_SERVER out_of_order", "CLIENT_TO_SERVER lost_segment",
        "CLIENT_TO_SERVER retransmission");
    assertThat(connection.initialRttNanos()).isEqualTo(-1);
  }

  @Test
  void aSegmentStartingBeyondNextFollowsALostSegment() {
    handshakeAndFirstSegment();
    t.send(true, 1201, 5001, ACK | PSH, HUNDRED);
    assertThat(flagged).containsExactly("CLIENT_TO_SERVER lost_segment");
    assertThat(client().lostSegments()).isEqualTo(1);
    assertThat(events).endsWith("data 0+100", "analysis lost_segment"); // the data waits for the hole
  }

  @Test
  void anRstBeyondNextIsNotALostSegment() {
    handshakeAndFirstSegment();
    t.send(true, 1201, 0, RST);
    assertThat(client().lostSegments()).isZero();
  }

  @Test
  void aPureAckRepeatingSequenceAckAndWindowIsADuplicateAck() {
    handshakeAndFirstSegment();
    t.send(false, 5001, 1101, ACK);
    assertThat(flagged).containsExactly("SERVER_TO_CLIENT duplicate_ack");
    assertThat(server().duplicateAcks()).isEqualTo(1);
  }

  @Test
  void aPureAckWithANewWindowIsAWindowUpdateNotADuplicateAck() {
    handshakeAndFirstSegment();
    window(false, 5001, 1101, 30000);
    assertThat(flagged).containsExactly("SERVER_TO_CLIENT window_update");
    assertThat(server().windowUpdates()).isEqualTo(1);
    assertThat(server().duplicateAcks()).isZero();
  }

  @Test
  void aFinIsNeverADuplicateAck() {
    handshakeAndFirstSegment();
    t.send(false, 5001, 1101, ACK | FIN);
    assertThat(flagged).isEmpty();
  }

  @Test
  void aZeroWindowAdvertisementIsCountedForItsSender() {
    handshakeAndFirstSegment();
    window(false, 5001, 1101, 0);
    assertThat(flagged).containsExactly("SERVER_TO_CLIENT zero_window");
    assertThat(server().zeroWindows()).isEqualTo(1);
    assertThat(client().zeroWindows()).isZero();
  }

  @Test
  void anRstWithAZeroWindowIsNotAZeroWindow() {
    handshakeAndFirstSegment();
    t.feed(t.frame(false, 5001, 1101, RST | ACK, 0, new byte[0]));
    assertThat(server().zeroWindows()).isZero();
  }

  @Test
  void oneByteAtNextIntoAZeroWindowIsAZeroWindowProbeAndItsRepeatedAckAProbeAck() {
    handshakeAndFirstSegment();
    window(false, 5001, 1101, 0);
    t.send(true, 1101, 5001, ACK, new byte[] {'x'});
    window(false, 5001, 1101, 0);
    assertThat(flagged).containsExactly("SERVER_TO_CLIENT zero_window", "CLIENT_TO_SERVER zero_window_probe",
        "SERVER_TO_CLIENT zero_window,zero_window_probe_ack");
    assertThat(client().zeroWindowProbes()).isEqualTo(1);
    assertThat(server().zeroWindowProbeAcks()).isEqualTo(1);
    assertThat(server().duplicateAcks()).as("a window of 0 is never a duplicate ACK").isZero();
  }

  @Test
  void aZeroWindowProbeDoesNotAdvanceNextSoItsByteSentAgainWithDataIsNoRetransmission() {
    handshakeAndFirstSegment();
    window(false, 5001, 1101, 0);
    t.send(true, 1101, 5001, ACK, new byte[] {'x'});
    window(false, 5001, 1102, 65535);
    t.send(true, 1101, 5001, ACK | PSH, HUNDRED);
    assertThat(client().zeroWindowProbes()).isEqualTo(1);
    assertThat(client().retransmissions()).isZero();
    assertThat(client().outOfOrder()).isZero();
    assertThat(client().lastFlags()).isZero();
  }

  @Test
  void zeroOrOneByteOneBelowNextIsAKeepAliveNotARetransmissionAndItsRepeatedAckAKeepAliveAck() {
    handshakeAndFirstSegment();
    t.time += 60_000_000_000L;
    t.send(true, 1100, 5001, ACK);
    t.send(false, 5001, 1101, ACK);
    t.time += 60_000_000_000L;
    t.send(true, 1100, 5001, ACK, new byte[] {0});
    t.send(false, 5001, 1101, ACK);
    assertThat(flagged).containsExactly("CLIENT_TO_SERVER keep_alive", "SERVER_TO_CLIENT keep_alive_ack",
        "CLIENT_TO_SERVER keep_alive", "SERVER_TO_CLIENT keep_alive_ack");
    assertThat(client().keepAlives()).isEqualTo(2);
    assertThat(client().retransmissions()).isZero();
    assertThat(server().keepAliveAcks()).isEqualTo(2);
    assertThat(server().duplicateAcks()).isZero();
  }

  @Test
  void aSynRepeatingTheFirstSequenceNumberIsARetransmissionEvenWithinTheOutOfOrderWindow() {
    t.send(true, 1000, 0, SYN);
    t.send(true, 1000, 0, SYN);
    assertThat(flagged).containsExactly("CLIENT_TO_SERVER retransmission");
    assertThat(client().retransmissions()).isEqualTo(1);
  }

  @Test
  void initialRoundTripRunsFromTheLastSynToTheFirstAckWithoutSyn() {
    t.send(true, 1000, 0, SYN); // at 1.001 s
    t.time += 1_000_000_000L;
    t.send(true, 1000, 0, SYN); // at 2.002 s
    t.send(false, 5000, 1001, SYN | ACK);
    assertThat(connection.initialRttNanos()).isEqualTo(-1);
    t.time += 5_000_000L;
    t.send(true, 1001, 5001, ACK); // at 2.009 s
    t.time += 50_000_000L;
    t.send(true, 1001, 5001, ACK | PSH, HUNDRED);
    assertThat(connection.initialRttNanos()).isEqualTo(7_000_000L);
  }

  @Test
  void retransmissionsAreFoundAcrossTheSequenceNumberWrap() {
    t.handshake(0xffffffd0L, 5000);
    t.send(true, 0xffffffd1L, 5001, ACK | PSH, HUNDRED); // ends at 0x35 after the wrap
    t.send(true, 0x35, 5001, ACK | PSH, HUNDRED);
    t.time += 200_000_000L;
    t.send(true, 0xffffffd1L, 5001, ACK | PSH, HUNDRED);
    assertThat(flagged).containsExactly("CLIENT_TO_SERVER retransmission");
  }

  @Test
  void flagsAreReportedBeforeTheSegmentsDataAndNotAfterTheClose() {
    handshakeAndFirstSegment();
    t.send(true, 1201, 5001, ACK | PSH, HUNDRED);
    t.send(true, 1101, 5001, ACK | PSH | FIN, HUNDRED);
    t.send(false, 5001, 1302, ACK | FIN);
    t.send(true, 1302, 5002, ACK);
    assertThat(connection.isClosed()).isTrue();
    int before = flagged.size();
    t.time += 200_000_000L;
    t.send(false, 5001, 1302, ACK | FIN); // the server's FIN again, after the close
    assertThat(flagged).hasSize(before);
    assertThat(server().retransmissions()).as("counted all the same").isEqualTo(1);
    assertThat(events).containsSubsequence("analysis lost_segment", "analysis out_of_order", "data 100+100",
        "data 200+100");
  }
  @Test
  void anAckOfBytesNeverCapturedIsAckLostSegmentOnceUntilThePeerSendsAgain() {
    handshakeAndFirstSegment(); // the server acknowledged 1101
    t.send(false, 5001, 1201, ACK); // acknowledges [1101, 1201), which the capture never showed
    t.send(false, 5001, 1301, ACK); // more unseen bytes, but the client has sent nothing since: not again
    assertThat(flagged).containsExactly("SERVER_TO_CLIENT ack_lost_segment");
    t.send(true, 1301, 5001, ACK, HUNDRED); // after a hole: the contiguous mark stays at 1101
    t.send(false, 5001, 1401, ACK); // everything the client sent, but past the hole: flagged again
    assertThat(flagged).containsExactly("SERVER_TO_CLIENT ack_lost_segment", "CLIENT_TO_SERVER lost_segment",
        "SERVER_TO_CLIENT ack_lost_segment");
    assertThat(server().ackLostSegments()).isEqualTo(2);
    assertThat(client().ackLostSegments()).isZero();
  }

  @Test
  void anAckOfEverythingSentContiguouslyIsNotAckLostSegment() {
    handshakeAndFirstSegment();
    t.send(true, 1101, 5001, ACK, HUNDRED);
    t.send(true, 1201, 5001, ACK, HUNDRED);
    t.send(false, 5001, 1301, ACK);
    assertThat(flagged).isEmpty();
    assertThat(server().ackLostSegments()).isZero();
  }
}
