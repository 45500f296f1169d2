package dev.wirelens.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * HandshakeOffsets maps handshake-stream offsets to TCP stream offsets. The stream below, written out: a record header
 * at 100 (5 bytes), its 3-byte fragment at 105 (handshake bytes 0..2), a ChangeCipherSpec record at 108 (6 bytes),
 * a record header at 114 and its 2-byte fragment at 119 (handshake bytes 3..4).
 */
class HandshakeOffsetsTest {
  @Test
  void bytesOnTheWireMapToTheirOwnOffsetAcrossRecords() {
    HandshakeOffsets o = new HandshakeOffsets();
    o.fed(0, 3, 105, true);
    o.fed(3, 2, 119, true);
    assertThat(o.streamOffset(0)).isEqualTo(105);
    assertThat(o.streamOffset(2)).isEqualTo(107);
    assertThat(o.streamOffset(3)).isEqualTo(119);
    assertThat(o.streamOffset(4)).isEqualTo(120);
    assertThat(o.streamOffset(5)).isEqualTo(-1); // not fed
  }

  @Test
  void decryptedBytesMapToTheirRecordsOffset() {
    HandshakeOffsets o = new HandshakeOffsets();
    o.fed(0, 40, 200, false); // 40 plaintext bytes of the record whose header is at 200
    assertThat(o.streamOffset(0)).isEqualTo(200);
    assertThat(o.streamOffset(39)).isEqualTo(200);
  }

  @Test
  void onlyTheFragmentsHoldingThePendingHeaderAreKept() {
    HandshakeOffsets o = new HandshakeOffsets();
    o.fed(0, 6, 5, true); // handshake bytes 0..5 at 5..10: a whole 6-byte message
    o.fed(6, 5, 16, true); // bytes 6..10 at 16..20: the next message's header and 1 body byte
    o.fed(11, 100, 26, true); // bytes 11..110 at 26..125: inside the pending message's body
    o.framedUpTo(6); // the pending message starts at 6: its header is bytes 6..9
    assertThat(o.streamOffset(5)).as("framed").isEqualTo(-1);
    assertThat(o.streamOffset(6)).isEqualTo(16);
    assertThat(o.streamOffset(9)).isEqualTo(19);
    assertThat(o.streamOffset(10)).as("kept with the header's fragment").isEqualTo(20);
    assertThat(o.streamOffset(11)).as("body, never reported").isEqualTo(-1);
  }

  @Test
  void oneByteFragmentsOfAHeaderAreAllKept() {
    HandshakeOffsets o = new HandshakeOffsets();
    for (int i = 0; i < 4; i++) {
      o.fed(i, 1, 5 + 6L * i, true); // 1-byte records: fragments at 5, 11, 17, 23
      o.framedUpTo(0);
    }
    assertThat(o.streamOffset(1)).isEqualTo(11);
    assertThat(o.streamOffset(3)).isEqualTo(23);
  }

  @Test
  void resetForgetsEverything() {
    HandshakeOffsets o = new HandshakeOffsets();
    o.fed(0, 4, 5, true);
    o.reset();
    assertThat(o.streamOffset(0)).isEqualTo(-1);
  }
}
