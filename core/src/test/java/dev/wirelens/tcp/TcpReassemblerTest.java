package dev.wirelens.tcp;

import static dev.wirelens.tcp.Traffic.ACK;
import static dev.wirelens.tcp.Traffic.FIN;
import static dev.wirelens.tcp.Traffic.PSH;
import static dev.wirelens.tcp.Traffic.RST;
import static dev.wirelens.tcp.Traffic.SYN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wirelens.Limits;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rules of the reassembler, one per test, on packets built with PacketBuilder. */
class TcpReassemblerTest {
  private static final Direction C2S = Direction.CLIENT_TO_SERVER;
  private static final Direction S2C = Direction.SERVER_TO_CLIENT;

  private final StreamRecorder rec = new StreamRecorder();

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private Traffic traffic(Limits limits) {
    return new Traffic(new TcpReassembler(limits, rec));
  }

  private String text(Direction d) {
    return new String(rec.connections.get(0).bytes(d), StandardCharsets.US_ASCII);
  }

  @Test
  void inOrderDataIsDeliveredAtOnceAsASliceOfThePacket() {
    TcpReassembler r = new TcpReassembler(Limits.defaults(), new TcpStreamListener() {
      @Override
      public int onData(TcpConnection c, Direction dir, long off, ByteBuf data) {
        assertThat(data.unwrap()).as("a slice of the packet buffer, not a copy").isNotNull();
        assertThat(data.unwrap().refCnt()).isEqualTo(1);
        return rec.onData(c, dir, off, data);
      }

      @Override
      public void onOpen(TcpConnection c) {
        rec.onOpen(c);
      }
    });
    Traffic t = new Traffic(r);
    t.handshake(100, 500);
    t.send(true, 101, 501, ACK | PSH, ascii("hello"));
    assertThat(text(C2S)).isEqualTo("hello");
    assertThat(r.bufferedBytes()).isZero();
    r.close();
  }

  @Test
  void outOfOrderDataIsHeldUntilTheHoleFills() {
    Traffic t = traffic(Limits.defaults());
    t.handshake(100, 500);
    t.send(true, 106, 501, ACK, ascii("world"));
    assertThat(text(C2S)).isEmpty();
    assertThat(t.reassembler.bufferedBytes()).isEqualTo(5);
    t.send(true, 101, 501, ACK, ascii("hello"));
    assertThat(text(C2S)).isEqualTo("helloworld");
    assertThat(t.reassembler.bufferedBytes()).isZero();
    t.reassembler.close();
    assertThat(rec.connections.get(0).closed).isEqualTo(CloseReason.END_OF_INPUT);
  }

  @Test
  void sequenceNumbersWrapAroundModTwoToThe32() {
    Traffic t = traffic(Limits.defaults());
    long isn = 0xfffffffcL;
    t.handshake(isn, 7);
    t.send(true, isn + 6, 8, ACK, ascii("cdef"));
    t.send(true, isn + 1, 8, ACK, ascii("12345"));
    t.send(true, isn + 10, 8, ACK, ascii("gh"));
    assertThat(text(C2S)).isEqualTo("12345cdefgh");
    t.reassembler.close();
  }

  @Test
  void firstBytesWinOnOverlapAndDifferingBytesAreConflicts() {
    Traffic t = traffic(Limits.defaults());
    t.handshake(100, 500);
    t.send(true, 104, 501, ACK, ascii("GOOD"));
    t.send(true, 104, 501, ACK, ascii("EVIL!"));
    t.send(true, 101, 501, ACK, ascii("abc"));
    assertThat(text(C2S)).isEqualTo("abcGOOD!");
    assertThat(rec.connections.get(0).connection.conflicts(C2S)).isEqualTo(4);
    t.reassembler.close();
  }

  @Test
  void retransmissionsDifferingFromDeliveredBytesAreConflictsWhenCompared() {
    TcpReassembler r = new TcpReassembler(Limits.defaults(), rec).compareRetransmissions(4);
    Traffic t = new Traffic(r);
    t.handshake(100, 500);
    t.send(true, 101, 501, ACK, ascii("abcdef"));
    t.send(true, 103, 501, ACK, ascii("cXeYgh")); // bytes 2..5 again, two of them different, then new ones
    t.send(true, 108, 501, ACK, ascii("\0")); // keep-alive with a garbage byte: not compared
    t.send(true, 101, 501, ACK, ascii("Zb")); // older than the 4 kept bytes: not compared
    assertThat(text(C2S)).isEqualTo("abcdefgh");
    assertThat(rec.connections.get(0).connection.conflicts(C2S)).isEqualTo(2);
    r.close();
  }

  @Test
  void retransmittedDeliveredBytesAreDroppedNotDeliveredTwice() {
    Traffic t = traffic(Limits.defaults());
    t.handshake(100, 500);
    t.send(true, 101, 501, ACK, ascii("abcdef"));
    t.send(true, 103, 501, ACK, ascii("cdefgh"));
    assertThat(text(C2S)).isEqualTo("abcdefgh");
    assertThat(rec.connections.get(0).connection.bytes(C2S)).isEqualTo(8);
    t.reassembler.close();
  }

  @Test
  void finIsReportedAfterTheDataBeforeIt() {
    Traffic t = traffic(Limits.defaults());
    t.handshake(100, 500);
    t.send(true, 106, 501, ACK | FIN, ascii("world"));
    assertThat(rec.connections.get(0).fins).isZero();
    t.send(true, 101, 501, ACK, ascii("hello"));
    assertThat(rec.connections.get(0).events).containsExactly("open", "data CLIENT_TO_SERVER 0 5",
        "data CLIENT_TO_SERVER 5 5", "fin CLIENT_TO_SERVER");
    t.send(false, 501, 112, ACK | FIN);
    t.send(true, 112, 502, ACK);
    StreamRecorder.Conn c = rec.connections.get(0);
    assertThat(c.closed).isEqualTo(CloseReason.FIN);
    assertThat(c.connection.closedBy()).isEqualTo(C2S);
    assertThat(c.connection.handshake()).isEqualTo(TcpHandshake.COMPLETE);
    assertThat(c.connection.packets(C2S)).isEqualTo(5);
    assertThat(c.connection.packets(S2C)).isEqualTo(2);
    t.reassembler.close();
    assertThat(rec.connections).hasSize(1);
  }

  /**
   * The case the fuzz target found (crash-0cac4f5e...): a tuple reused by a new SYN (ISN 9000) after a first
   * connection; the client's FIN comes first, at sequence number 9019, then one segment from 9000 (the SYN's own
   * number, no SYN flag) with 35 bytes "abcdefghijklmnopqrstuvwxyz012345678". By hand, RFC 9293 §3.4: the SYN takes
   * 9000, data starts at 9001 = offset 0, the FIN takes 9019 = offset 18, so the stream is the 18 bytes 9001..9018,
   * "bcdefghijklmnopqrs"; byte 9000 is the SYN's, bytes from 9019 on lie after the FIN. The same whether the
   * segment comes whole or cut into 15 + 9 + 11 bytes (before the fix: 34 bytes whole, 23 in pieces).
   */
  @Test
  void bytesNumberedFromTheFinOnAreNotPartOfTheStreamWholeOrInPieces() {
    byte[] payload = ascii("abcdefghijklmnopqrstuvwxyz012345678");
    int[][] shapes = {{35}, {15, 9, 11}};
    for (int[] shape : shapes) {
      StreamRecorder r = new StreamRecorder();
      Traffic t = new Traffic(new TcpReassembler(Limits.defaults(), r));
      t.handshake(100, 500);
      t.send(true, 101, 501, ACK, ascii("first"));
      t.handshake(9000, 7000); // another ISN on the same tuple: a new connection
      t.send(true, 9019, 7001, ACK | FIN);
      int from = 0;
      for (int piece : shape) {
        t.send(true, 9000 + from, 7001, ACK, java.util.Arrays.copyOfRange(payload, from, from + piece));
        from += piece;
      }
      t.reassembler.close();
      assertThat(r.connections).hasSize(2);
      assertThat(r.connections.get(0).closed).isEqualTo(CloseReason.PORT_REUSED);
      StreamRecorder.Conn c = r.connections.get(1);
      assertThat(new String(c.bytes(C2S), StandardCharsets.US_ASCII)).isEqualTo("bcdefghijklmnopqrs");
      assertThat(c.events).containsSubsequence("data CLIENT_TO_SERVER 0 " + (shape.length == 1 ? 18 : 14),
          "fin CLIENT_TO_SERVER");
      assertThat(c.fins).isEqualTo(1);
      assertThat(c.connection.bytes(C2S)).isEqualTo(18);
    }
  }

  /**
   * Bytes held out of order past a FIN captured later are dropped when the FIN arrives. By hand: ISN 100, data
   * offset 0 at 101; "llo world" at 103 = offsets 2..10 is held; the FIN at 106 = offset 5 ends the stream, so of
   * it only "llo" (offsets 2..4) stays; "he" at 101 fills the hole: "hello", then the FIN.
   */
  @Test
  void heldBytesPastALaterCapturedFinAreDropped() {
    Traffic t = traffic(Limits.defaults());
    t.handshake(100, 500);
    t.send(true, 103, 501, ACK, ascii("llo world"));
    assertThat(t.reassembler.bufferedBytes()).isEqualTo(9);
    t.send(true, 106, 501, ACK | FIN);
    assertThat(t.reassembler.bufferedBytes()).isEqualTo(3);
    t.send(true, 101, 501, ACK, ascii("he"));
    assertThat(text(C2S)).isEqualTo("hello");
    assertThat(rec.connections.get(0).events).containsExactly("open", "data CLIENT_TO_SERVER 0 2",
        "data CLIENT_TO_SERVER 2 3", "fin CLIENT_TO_SERVER");
    t.reassembler.close();
    assertThat(t.reassembler.bufferedBytes()).isZero();
  }

  @Test
  void rstWithAnAcceptableSequenceNumberClosesTheConnection() {
    Traffic t = traffic(Limits.defaults());
    t.handshake(100, 500);
    t.send(true, 101, 501, ACK, ascii("GET"));
    t.send(false, 501, 104, RST | ACK);
    StreamRecorder.Conn c = rec.connections.get(0);
    assertThat(c.closed).isEqualTo(CloseReason.RST);
    assertThat(c.connection.isRstSeen(S2C)).isTrue();
    assertThat(c.connection.closedBy()).isEqualTo(S2C);
    t.reassembler.close();
  }

  @Test
  void anRstAfterBothFinsIsStillSeen() {
    Traffic t = traffic(Limits.defaults());
    t.handshake(100, 500);
    t.send(true, 101, 501, ACK | FIN);
    t.send(false, 501, 102, ACK | FIN);
    t.send(true, 102, 502, RST);
    StreamRecorder.Conn c = rec.connections.get(0);
    assertThat(c.closed).isEqualTo(CloseReason.FIN);
    assertThat(c.connection.isRstSeen(C2S)).isTrue();
    assertThat(c.connection.closedBy()).isEqualTo(C2S);
    assertThat(c.events).containsOnlyOnce("close FIN");
    t.reassembler.close();
  }

  @Test
  void aListenerCallingBackIntoTheReassemblerIsMisuse() {
    TcpReassembler[] self = new TcpReassembler[1];
    Traffic[] traffic = new Traffic[1];
    self[0] = new TcpReassembler(Limits.defaults(), new TcpStreamListener() {
      @Override
      public void onOpen(TcpConnection c) {
        traffic[0].send(true, 1, 0, SYN);
      }
    });
    traffic[0] = new Traffic(self[0]);
    assertThatThrownBy(() -> traffic[0].send(true, 100, 0, SYN)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("called back");
    self[0].close();
  }

  @Test
  void rstOutsideTheReceiversWindowIsIgnored() {
    Traffic t = traffic(Limits.defaults());
    t.handshake(100, 500);
    t.send(false, 501 + 1_000_000, 101, RST);
    assertThat(rec.connections.get(0).closed).isNull();
    assertThat(t.reassembler.ignoredResets()).isEqualTo(1);
    t.reassembler.close();
    assertThat(rec.connections.get(0).closed).isEqualTo(CloseReason.END_OF_INPUT);
  }

  @Test
  void anRstWaitsForSegmentsThatWereInFlight() {
    Traffic t = traffic(Limits.defaults());
    t.handshake(100, 500);
    t.send(true, 105, 501, ACK, ascii("tail"));
    t.send(false, 501, 101, RST | ACK);
    StreamRecorder.Conn c = rec.connections.get(0);
    assertThat(c.closed).as("4 bytes before held data are missing").isNull();
    t.send(true, 101, 501, ACK, ascii("head"));
    assertThat(c.events).containsExactly("open", "data CLIENT_TO_SERVER 0 4", "data CLIENT_TO_SERVER 4 4",
        "close RST");
    t.reassembler.close();
  }

  @Test
  void anRstWaitingForMissingBytesClosesAfterTheGrace() {
    Traffic t = traffic(Limits.defaults());
    t.handshake(100, 500);
    t.send(true, 105, 501, ACK, ascii("tail"));
    t.send(false, 501, 101, RST | ACK);
    t.time += TcpReassembler.RESET_GRACE_NANOS;
    t.clientPort = 40001;
    t.send(true, 1, 0, SYN); // any packet moves capture time on
    StreamRecorder.Conn c = rec.connections.get(0);
    assertThat(c.events).containsExactly("open", "gap CLIENT_TO_SERVER 0 4 CONNECTION_CLOSED",
        "data CLIENT_TO_SERVER 4 4", "close RST");
    t.reassembler.close();
  }

  @Test
  void anRstAnsweringASynMustAcknowledgeIt() {
    Traffic t = traffic(Limits.defaults());
    t.send(true, 100, 0, SYN);
    t.send(false, 0, 100, RST | ACK); // acknowledges the ISN, not the SYN: not acceptable (RFC 9293 3.10.7.3)
    assertThat(rec.connections.get(0).closed).isNull();
    t.send(false, 0, 101, RST | ACK);
    assertThat(rec.connections.get(0).closed).isEqualTo(CloseReason.RST);
    t.reassembler.close();
  }

  @Test
  void aNewSynOnAClosedTupleStartsANewConnection() {
    Traffic t = traffic(Limits.defaults());
    t.handshake(100, 500);
    t.send(true, 101, 501, RST | ACK);
    t.send(false, 501, 101, ACK); // a stray packet of the closed connection
    t.handshake(9000, 7000);
    t.send(true, 9001, 7001, ACK, ascii("again"));
    t.reassembler.close();
    assertThat(rec.connections).hasSize(2);
    assertThat(rec.connections.get(0).closed).isEqualTo(CloseReason.RST);
    assertThat(rec.connections.get(0).connection.packets(S2C)).isEqualTo(2);
    assertThat(rec.connections.get(1).connection.id()).isEqualTo(1);
    assertThat(new String(rec.connections.get(1).bytes(C2S), StandardCharsets.US_ASCII)).isEqualTo("again");
  }

  @Test
  void aNewSynWithAnotherIsnOnAnOpenTupleClosesTheOldConnectionAsReused() {
    Traffic t = traffic(Limits.defaults());
    t.handshake(100, 500);
    t.send(true, 100, 0, SYN); // retransmitted SYN: same connection
    assertThat(rec.connections).hasSize(1);
    t.send(true, 5000, 0, SYN);
    assertThat(rec.connections).hasSize(2);
    assertThat(rec.connections.get(0).closed).isEqualTo(CloseReason.PORT_REUSED);
    t.reassembler.close();
  }

  @Test
  void idleConnectionsCloseByCaptureTime() {
    Traffic t = traffic(Limits.builder().idleTimeout(Duration.ofSeconds(30)).build());
    t.handshake(100, 500);
    t.time += 29_000_000_000L;
    t.send(true, 101, 501, ACK, ascii("x"));
    assertThat(rec.connections.get(0).closed).isNull();
    t.time += 31_000_000_000L;
    t.clientPort = 40001;
    t.handshake(1, 2);
    assertThat(rec.connections.get(0).closed).isEqualTo(CloseReason.IDLE_TIMEOUT);
    assertThat(t.reassembler.connectionCount()).isEqualTo(1);
    t.reassembler.close();
  }

  @Test
  void aFullFlowTableEvictsTheLeastRecentlyActiveConnection() {
    Traffic t = traffic(Limits.builder().maxFlows(2).build());
    t.handshake(100, 500);
    t.clientPort = 40001;
    t.handshake(100, 500);
    t.clientPort = 40000;
    t.send(true, 101, 501, ACK, ascii("a")); // 40000 is now the most recent
    t.clientPort = 40002;
    t.handshake(100, 500);
    assertThat(rec.connections.get(1).closed).isEqualTo(CloseReason.EVICTED);
    assertThat(rec.connections.get(0).closed).isNull();
    assertThat(t.reassembler.evictions()).isEqualTo(1);
    assertThat(t.reassembler.connectionCount()).isEqualTo(2);
    t.reassembler.close();
  }

  @Test
  void anAckPastAHoleTurnsItIntoAGap() {
    Traffic t = traffic(Limits.defaults());
    t.handshake(100, 500);
    t.send(true, 111, 501, ACK, ascii("late"));
    t.send(false, 501, 115, ACK);
    StreamRecorder.Conn c = rec.connections.get(0);
    assertThat(rec.gaps(c)).as("the hole may still come: the capture may have reordered the ACK").isEmpty();
    t.send(true, 115, 501, ACK, ascii("more")); // the client moved on past the acknowledged point
    assertThat(rec.gaps(c)).isEmpty();
    t.send(false, 501, 119, ACK); // and the server acknowledged that too: the hole was lost to the capture
    assertThat(rec.gaps(c)).containsExactly("gap CLIENT_TO_SERVER 0 10 ACKNOWLEDGED");
    assertThat(text(C2S)).isEqualTo("latemore");
    assertThat(c.connection.gapCount(C2S)).isEqualTo(1);
    assertThat(c.connection.gapBytes(C2S)).isEqualTo(10);
    t.reassembler.close();
  }

  @Test
  void aHoleFilledAfterAReorderedAckIsNotAGap() {
    Traffic t = traffic(Limits.defaults());
    t.handshake(100, 500);
    t.send(true, 106, 501, ACK, ascii("world"));
    t.send(false, 501, 111, ACK); // captured before the segment it acknowledges
    t.send(true, 101, 501, ACK, ascii("hello"));
    assertThat(rec.gaps(rec.connections.get(0))).isEmpty();
    assertThat(text(C2S)).isEqualTo("helloworld");
    t.reassembler.close();
  }

  @Test
  void theAckOfAFinIsNotAGap() {
    Traffic t = traffic(Limits.defaults());
    t.handshake(100, 500);
    t.send(true, 101, 501, ACK | FIN, ascii("bye"));
    t.send(false, 501, 105, ACK | FIN);
    t.send(true, 105, 502, ACK);
    StreamRecorder.Conn c = rec.connections.get(0);
    assertThat(rec.gaps(c)).isEmpty();
    assertThat(c.closed).isEqualTo(CloseReason.FIN);
    t.reassembler.close();
  }

  @Test
  void anAcknowledgedFinAfterAHoleTurnsTheHoleIntoAGapAndCloses() {
    // Found by the flows command on a capture with a lost packet just before the FIN: with nothing held after
    // the hole, the ACK of the FIN must still make it a gap (the FIN proves the bytes were sent), so the
    // connection closes by FIN instead of staying open until the end of the input.
    Traffic t = traffic(Limits.defaults());
    t.handshake(100, 500);
    t.send(true, 101, 501, ACK, ascii("hello"));
    // bytes 5..9 ("world", seq 106) are not captured
    t.send(true, 111, 501, ACK | FIN);
    StreamRecorder.Conn c = rec.connections.get(0);
    assertThat(rec.gaps(c)).as("the missing segment may still arrive").isEmpty();
    t.send(false, 501, 112, ACK | FIN); // the server acknowledges the FIN: everything before it arrived
    assertThat(c.events).containsExactly("open", "data CLIENT_TO_SERVER 0 5", "fin SERVER_TO_CLIENT",
        "gap CLIENT_TO_SERVER 5 5 ACKNOWLEDGED", "fin CLIENT_TO_SERVER", "close FIN");
    assertThat(c.closed).isEqualTo(CloseReason.FIN);
    assertThat(text(C2S)).isEqualTo("hello");
    t.reassembler.close();
  }

  @Test
  void payloadCutByTheSnapLengthIsAGapNotInventedBytes() {
    Traffic t = traffic(Limits.defaults());
    t.handshake(100, 500);
    byte[] f = t.frame(true, 101, 501, ACK, 65535, ascii("0123456789"));
    t.feed(f, f.length - 6);
    t.send(true, 111, 501, ACK, ascii("next"));
    StreamRecorder.Conn c = rec.connections.get(0);
    assertThat(c.events).containsExactly("open", "data CLIENT_TO_SERVER 0 4", "gap CLIENT_TO_SERVER 4 6 SNAPLEN",
        "data CLIENT_TO_SERVER 10 4");
    t.reassembler.close();
  }

  @Test
  void keepAlivesAreNotData() {
    Traffic t = traffic(Limits.defaults());
    t.handshake(100, 500);
    t.send(true, 101, 501, ACK, ascii("abc"));
    t.send(true, 103, 501, ACK, ascii("c")); // keep-alive: one old byte
    t.send(true, 103, 501, ACK); // keep-alive without data
    t.send(true, 104, 501, ACK, ascii("d"));
    assertThat(text(C2S)).isEqualTo("abcd");
    t.reassembler.close();
  }

  @Test
  void aZeroWindowProbeIsHeldUntilConfirmed() {
    Traffic t = traffic(Limits.defaults());
    t.handshake(100, 500);
    t.send(true, 101, 501, ACK, ascii("abc"));
    t.feed(t.frame(false, 501, 104, ACK, 0, new byte[0])); // receiver window full
    t.send(true, 104, 501, ACK, ascii("d")); // probe
    assertThat(text(C2S)).isEqualTo("abc");
    t.send(true, 104, 501, ACK, ascii("defg"));
    assertThat(text(C2S)).isEqualTo("abcdefg");
    t.reassembler.close();
  }

  @Test
  void thePerFlowLimitTurnsTheOldestHoleIntoAGapAndBoundsMemory() {
    Traffic t = traffic(Limits.builder().maxBufferedBytesPerFlow(1000).build());
    t.handshake(100, 500);
    byte[] chunk = new byte[400];
    for (int i = 1; i <= 5; i++) { // five pieces after a 1-byte hole, each followed by another hole
      t.send(true, 101 + i * 500L, 501, ACK, chunk);
      assertThat(t.reassembler.bufferedBytes()).isLessThanOrEqualTo(1000);
    }
    StreamRecorder.Conn c = rec.connections.get(0);
    assertThat(rec.gaps(c)).startsWith("gap CLIENT_TO_SERVER 0 500 FLOW_BUFFER_LIMIT");
    t.reassembler.close();
    assertThat(c.connection.gapBytes(C2S) + c.connection.bytes(C2S)).isEqualTo(500 * 5 + 400);
  }

  @Test
  void theTotalLimitFlushesTheIdlestConnectionsHoles() {
    Traffic t = traffic(Limits.builder().maxBufferedBytesTotal(1000).build());
    t.handshake(100, 500);
    t.send(true, 201, 501, ACK, new byte[600]);
    t.clientPort = 40001;
    t.handshake(100, 500);
    t.send(true, 201, 501, ACK, new byte[600]);
    assertThat(t.reassembler.bufferedBytes()).isEqualTo(600);
    assertThat(rec.gaps(rec.connections.get(0))).containsExactly("gap CLIENT_TO_SERVER 0 100 TOTAL_BUFFER_LIMIT");
    assertThat(rec.gaps(rec.connections.get(1))).isEmpty();
    t.reassembler.close();
    assertThat(t.reassembler.bufferedBytes()).isZero();
  }

  @Test
  void eachBufferLimitGapNamesTheCapItWasGivenUpFor() {
    // per flow 1000, in total 1500: connection 0 passes its own cap, then connection 2 the total, which takes the
    // hole of connection 1 (the least recently active one holding bytes)
    Traffic t = traffic(Limits.builder().maxBufferedBytesPerFlow(1000).maxBufferedBytesTotal(1500).build());
    t.handshake(100, 500);
    t.send(true, 201, 501, ACK, new byte[600]); // offsets 100..699 held, 0..99 missing
    t.clientPort = 40001;
    t.handshake(100, 500);
    t.send(true, 201, 501, ACK, new byte[600]);
    t.clientPort = 40000;
    t.send(true, 1101, 501, ACK, new byte[600]); // 1200 of its own: the per-flow cap gives up its first hole
    assertThat(rec.gaps(rec.connections.get(0))).containsExactly("gap CLIENT_TO_SERVER 0 100 FLOW_BUFFER_LIMIT");
    assertThat(rec.gaps(rec.connections.get(1))).isEmpty();
    t.clientPort = 40002;
    t.handshake(100, 500);
    t.send(true, 201, 501, ACK, new byte[600]); // 1800 in all: the total cap gives up connection 1's hole
    assertThat(rec.gaps(rec.connections.get(1))).containsExactly("gap CLIENT_TO_SERVER 0 100 TOTAL_BUFFER_LIMIT");
    assertThat(rec.gaps(rec.connections.get(0))).containsExactly("gap CLIENT_TO_SERVER 0 100 FLOW_BUFFER_LIMIT");
    assertThat(rec.gaps(rec.connections.get(2))).isEmpty();
    assertThat(t.reassembler.bufferedBytes()).isEqualTo(1200);
    t.reassembler.close();
    assertThat(t.reassembler.bufferedBytes()).isZero();
  }

  @Test
  void aSegmentLongerThanThePerFlowLimitMakesTheHoleBeforeItAPerFlowGap() {
    Traffic t = traffic(Limits.builder().maxBufferedBytesPerFlow(100).build());
    t.handshake(100, 500);
    t.send(true, 201, 501, ACK, new byte[150]); // 100 bytes missing; 150 cannot be held at all
    assertThat(rec.connections.get(0).events.stream().filter(e -> e.contains("CLIENT_TO_SERVER")))
        .containsExactly("gap CLIENT_TO_SERVER 0 100 FLOW_BUFFER_LIMIT", "data CLIENT_TO_SERVER 100 150");
    assertThat(t.reassembler.bufferedBytes()).isZero();
    t.reassembler.close();
  }

  @Test
  void aSegmentLongerThanTheTotalLimitMakesTheHoleBeforeItATotalGap() {
    Traffic t = traffic(Limits.builder().maxBufferedBytesTotal(100).build());
    t.handshake(100, 500);
    t.send(true, 201, 501, ACK, new byte[150]);
    assertThat(rec.connections.get(0).events.stream().filter(e -> e.contains("CLIENT_TO_SERVER")))
        .containsExactly("gap CLIENT_TO_SERVER 0 100 TOTAL_BUFFER_LIMIT", "data CLIENT_TO_SERVER 100 150");
    assertThat(t.reassembler.bufferedBytes()).isZero();
    t.reassembler.close();
  }

  @Test
  void aPerFlowLimitAtLeastTheTotalIsNeverTheOneNamed() {
    // 150 bytes pass both caps of 100: raising the per-flow cap alone would not let them be held
    Traffic t = traffic(Limits.builder().maxBufferedBytesPerFlow(100).maxBufferedBytesTotal(100).build());
    t.handshake(100, 500);
    t.send(true, 201, 501, ACK, new byte[150]);
    assertThat(rec.gaps(rec.connections.get(0))).containsExactly("gap CLIENT_TO_SERVER 0 100 TOTAL_BUFFER_LIMIT");
    t.reassembler.close();
  }

  @Test
  void aConnectionWhoseHoleTheTotalLimitForcedClosesWhenItsFinsAreThrough() {
    Traffic t = traffic(Limits.builder().maxBufferedBytesTotal(1000).build());
    t.handshake(100, 500);
    t.send(true, 201, 501, ACK | FIN, new byte[600]); // 100 bytes missing, then data and the FIN
    t.send(false, 501, 101, ACK | FIN);
    assertThat(rec.connections.get(0).closed).isNull();
    t.clientPort = 40001;
    t.handshake(100, 500);
    t.send(true, 201, 501, ACK, new byte[600]);
    StreamRecorder.Conn first = rec.connections.get(0);
    assertThat(first.events).containsSubsequence("gap CLIENT_TO_SERVER 0 100 TOTAL_BUFFER_LIMIT",
        "data CLIENT_TO_SERVER 100 600", "fin CLIENT_TO_SERVER", "close FIN");
    t.reassembler.close();
  }

  @Test
  void unconsumedBytesAreDeliveredAgainInFrontOfTheNextData() {
    rec.consume = n -> n >= 6 ? 6 : 0;
    Traffic t = traffic(Limits.defaults());
    t.handshake(100, 500);
    t.send(true, 101, 501, ACK, ascii("abc"));
    t.send(true, 104, 501, ACK, ascii("defgh"));
    assertThat(text(C2S)).isEqualTo("abcdef");
    assertThat(rec.connections.get(0).events).containsSubsequence("data CLIENT_TO_SERVER 0 0",
        "data CLIENT_TO_SERVER 0 6");
    assertThat(t.reassembler.bufferedBytes()).isEqualTo(2);
    t.reassembler.close();
    assertThat(t.reassembler.unconsumedBytesDropped()).isEqualTo(2);
  }

  @Test
  void unconsumedBytesBeyondTheTotalLimitAreDropped() {
    // Found by TcpReassemblerFuzzTest (crash-97a2b8ee...): unconsumed bytes were checked against the per-flow
    // limit only, so the reassembler held more than maxBufferedBytesTotal.
    rec.consume = n -> 0;
    Traffic t = traffic(Limits.builder().maxBufferedBytesTotal(4).build());
    t.handshake(100, 500);
    t.send(true, 101, 501, ACK, ascii("abc"));
    assertThat(t.reassembler.bufferedBytes()).isEqualTo(3);
    t.clientPort = 40001;
    t.handshake(100, 500);
    t.send(true, 101, 501, ACK, ascii("defgh"));
    assertThat(t.reassembler.bufferedBytes()).as("3 + 5 would exceed the total of 4").isEqualTo(3);
    assertThat(t.reassembler.unconsumedBytesDropped()).isEqualTo(5);
    t.reassembler.close();
    assertThat(t.reassembler.bufferedBytes()).isZero();
  }

  @Test
  void aSegmentAfterAFinThatMakingRoomLetThroughIsNotPartOfTheStream() {
    // Found by TcpReassemblerFuzzTest (crash-33f065f1...): making room for a segment forced the hole before a held
    // FIN, the FIN was delivered, and the segment (after the FIN) still gave a gap, or was held and delivered later.
    Traffic t = traffic(Limits.builder().maxBufferedBytesPerFlow(10).build());
    t.handshake(100, 500);
    t.send(true, 111, 501, ACK | FIN, ascii("0123456789")); // held: bytes 0..9 missing
    t.send(true, 125, 501, ACK, ascii("abcdefgh")); // wholly after the FIN (at 20): dropped, makes no room
    t.reassembler.close();
    assertThat(rec.connections.get(0).events.stream().filter(e -> e.contains("CLIENT_TO_SERVER")))
        .containsExactly("gap CLIENT_TO_SERVER 0 10 CONNECTION_CLOSED", "data CLIENT_TO_SERVER 10 10",
            "fin CLIENT_TO_SERVER");
  }

  @Test
  void aSegmentCrossingAHeldFinThatMakingRoomLetThroughGivesNoBytesPastIt() {
    // As above, but the segment starts before the FIN (offsets 7..14, FIN at 20) so it needs room: the forced hole
    // lets the held bytes and the FIN through, and nothing of the segment comes after them.
    Traffic t = traffic(Limits.builder().maxBufferedBytesPerFlow(10).build());
    t.handshake(100, 500);
    t.send(true, 111, 501, ACK | FIN, ascii("0123456789")); // held: bytes 0..9 missing
    t.send(true, 108, 501, ACK, ascii("abcdefgh"));
    t.reassembler.close();
    assertThat(rec.connections.get(0).events.stream().filter(e -> e.contains("CLIENT_TO_SERVER")))
        .containsExactly("gap CLIENT_TO_SERVER 0 10 FLOW_BUFFER_LIMIT", "data CLIENT_TO_SERVER 10 10",
            "fin CLIENT_TO_SERVER");
  }

  @Test
  void withoutASynTheWellKnownPortIsTheServer() {
    Traffic t = traffic(Limits.defaults());
    t.send(false, 900, 100, ACK | PSH, ascii("HTTP/1.1 200 OK"));
    t.send(true, 100, 915, ACK);
    TcpConnection c = rec.connections.get(0).connection;
    assertThat(c.serverPort()).isEqualTo(80);
    assertThat(c.clientAddressAsString()).isEqualTo("10.0.0.1");
    assertThat(c.handshake()).isEqualTo(TcpHandshake.MISSING);
    assertThat(text(S2C)).isEqualTo("HTTP/1.1 200 OK");
    t.reassembler.close();
  }

  @Test
  void withoutASynNorAWellKnownPortTheFirstSenderIsTheClient() {
    Traffic t = traffic(Limits.defaults());
    t.serverPort = 50000;
    t.send(false, 900, 100, ACK, ascii("x"));
    assertThat(rec.connections.get(0).connection.clientPort()).isEqualTo(50000);
    t.reassembler.close();
  }

  @Test
  void aSynAckWithoutSynNamesTheServerAndStartsTheClientStream() {
    Traffic t = traffic(Limits.defaults());
    t.serverPort = 50000;
    t.send(false, 500, 101, SYN | ACK);
    t.send(true, 101, 501, ACK, ascii("hi"));
    TcpConnection c = rec.connections.get(0).connection;
    assertThat(c.serverPort()).isEqualTo(50000);
    assertThat(c.handshake()).isEqualTo(TcpHandshake.MISSING);
    assertThat(text(C2S)).isEqualTo("hi");
    t.reassembler.close();
  }

  @Test
  void handshakeStatesFollowWhatWasCaptured() {
    Traffic t = traffic(Limits.defaults());
    t.send(true, 100, 0, SYN);
    assertThat(rec.connections.get(0).connection.handshake()).isEqualTo(TcpHandshake.SYN_ONLY);
    t.send(false, 500, 101, SYN | ACK);
    assertThat(rec.connections.get(0).connection.handshake()).isEqualTo(TcpHandshake.SYN_SYNACK);
    t.send(true, 101, 501, ACK);
    assertThat(rec.connections.get(0).connection.handshake()).isEqualTo(TcpHandshake.COMPLETE);
    t.reassembler.close();
  }

  @Test
  void packetsWithoutTcpAreNotTaken() {
    Traffic t = traffic(Limits.defaults());
    byte[] udp = dev.wirelens.testkit.PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build();
    assertThat(t.feed(udp)).isFalse();
    assertThat(t.reassembler.connectionsSeen()).isZero();
    t.reassembler.close();
  }

  @Test
  void theEndOfInputClosesEveryConnectionInIdOrder() {
    Traffic t = traffic(Limits.defaults());
    t.handshake(100, 500);
    t.clientPort = 40001;
    t.handshake(100, 500);
    t.clientPort = 40000;
    t.send(true, 101, 501, ACK, ascii("a"));
    t.reassembler.close();
    List<StreamRecorder.Conn> cs = rec.connections;
    assertThat(cs).extracting(c -> c.closed).containsExactly(CloseReason.END_OF_INPUT, CloseReason.END_OF_INPUT);
    assertThatThrownBy(() -> t.send(true, 102, 501, ACK)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aHalfCloseLetsTheOtherSideGoOnSending() {
    Traffic t = traffic(Limits.defaults());
    t.handshake(100, 500);
    t.send(true, 101, 501, ACK | FIN, ascii("req"));
    t.send(false, 501, 105, ACK, ascii("resp1"));
    t.send(false, 506, 105, ACK, ascii("resp2"));
    StreamRecorder.Conn c = rec.connections.get(0);
    assertThat(c.events).containsExactly("open", "data CLIENT_TO_SERVER 0 3", "fin CLIENT_TO_SERVER",
        "data SERVER_TO_CLIENT 0 5", "data SERVER_TO_CLIENT 5 5");
    assertThat(c.closed).isNull();
    t.send(false, 511, 105, ACK | FIN);
    assertThat(c.closed).isEqualTo(CloseReason.FIN);
    t.reassembler.close();
  }

  @Test
  void eachConnectionGetsItsOwnListenerFromTheFactory() {
    List<StreamRecorder> made = new java.util.ArrayList<>();
    TcpReassembler r = new TcpReassembler(Limits.defaults(), connection -> {
      StreamRecorder s = new StreamRecorder();
      made.add(s);
      return s;
    });
    Traffic t = new Traffic(r);
    t.handshake(100, 500);
    t.clientPort = 40001;
    t.handshake(100, 500);
    t.send(true, 101, 501, ACK, ascii("b"));
    r.close();
    assertThat(made).hasSize(2);
    assertThat(made.get(0).connections.get(0).connection.clientPort()).isEqualTo(40000);
    assertThat(made.get(1).connections.get(0).bytes(C2S)).containsExactly('b');
  }

  @Test
  void firstAndLastTimestampsAreThoseOfTheConnectionsPackets() {
    Traffic t = traffic(Limits.defaults());
    long before = t.time;
    t.handshake(100, 500);
    t.clientPort = 40001;
    t.handshake(1, 2); // another connection in between
    t.clientPort = 40000;
    t.send(true, 101, 501, ACK, ascii("x"));
    TcpConnection c = rec.connections.get(0).connection;
    assertThat(c.firstTimestampNanos()).isEqualTo(before + 1_000_000L);
    assertThat(c.lastTimestampNanos()).isEqualTo(t.time);
    assertThat(c.lastTimestampNanos() - c.firstTimestampNanos()).isEqualTo(6_000_000L);
    t.reassembler.close();
  }

  @Test
  void aListenerReturningMoreThanItGotIsMisuse() {
    Traffic t = new Traffic(new TcpReassembler(Limits.defaults(), new TcpStreamListener() {
      @Override
      public int onData(TcpConnection c, Direction d, long off, ByteBuf data) {
        return data.readableBytes() + 1;
      }
    }));
    t.handshake(100, 500);
    assertThatThrownBy(() -> t.send(true, 101, 501, ACK, ascii("x"))).isInstanceOf(IllegalStateException.class);
    t.reassembler.close();
  }
}
