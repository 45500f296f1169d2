package dev.wirelens.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.testkit.BufferShape;
import dev.wirelens.testkit.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** TCP view and option cursor. Field values are tshark 4.0.17's (vectors/packet/synthetic.tsv). */
class TcpSegmentTest {
  // synthetic-ethernet.pcap#1 from byte 34: tcp.srcport 51234, dstport 8084, seq_raw 3000000000, ack_raw 0,
  // hdr_len 40, flags 0x0002 (SYN), window 64240, checksum 0x6c14, urgent 0, len 0; option kinds 2,4,8,1,3:
  // mss_val 1460, SACK permitted, tsval 123456789, tsecr 0, NOP, wscale.shift 7
  static final byte[] SYN = Hex.decode("c822 1f94 b2d05e00 00000000 a0 02 faf0 6c14 0000"
      + "| 020405b4 | 0402 | 080a 075bcd15 00000000 | 01 | 030307");
  // synthetic-ethernet.pcap#12 from byte 34: 22 -> 60000, seq 100, ack 200, hdr_len 40, flags 0x01f0
  // (AE CWR ECE URG ACK), urgent pointer 3, option kinds 1,1,5, sack_le 1000,3000, sack_re 2000,4000, tcp.len 5
  static final byte[] SACK = Hex.decode("0016 ea60 00000064 000000c8 a1 f0 ffff e6ea 0003"
      + "| 01 01 | 0512 000003e8 000007d0 00000bb8 00000fa0 | 0001020304");

  @ParameterizedTest
  @EnumSource(BufferShape.class)
  void synFieldsAndOptionsMatchTshark(BufferShape shape) {
    ByteBuf buf = shape.wrap(SYN);
    int base = buf.readerIndex();
    TcpSegment tcp = new TcpSegment();
    assertThat(tcp.wrap(buf, base, SYN.length)).isTrue();
    assertThat(tcp.sourcePort()).isEqualTo(51234);
    assertThat(tcp.destinationPort()).isEqualTo(8084);
    assertThat(tcp.sequenceNumber()).isEqualTo(3_000_000_000L);
    assertThat(tcp.acknowledgmentNumber()).isZero();
    assertThat(tcp.dataOffset()).isEqualTo(10);
    assertThat(tcp.headerLength()).isEqualTo(40);
    assertThat(tcp.flags()).isEqualTo(0x002);
    assertThat(tcp.isSyn()).isTrue();
    assertThat(tcp.isAck() || tcp.isFin() || tcp.isRst() || tcp.isPsh() || tcp.isUrg() || tcp.isEce() || tcp.isCwr()
        || tcp.isAe()).isFalse();
    assertThat(tcp.window()).isEqualTo(64240);
    assertThat(tcp.checksum()).isEqualTo(0x6c14);
    assertThat(tcp.urgentPointer()).isZero();
    assertThat(tcp.payloadLength()).isZero();
    assertThat(tcp.payloadOffset()).isEqualTo(base + 40);
    assertThat(tcp.optionsLength()).isEqualTo(20);

    TcpOptionCursor o = new TcpOptionCursor();
    o.wrap(tcp);
    assertThat(o.next()).isTrue();
    assertThat(o.kind()).isEqualTo(TcpOptionCursor.MSS);
    assertThat(o.offset()).isEqualTo(base + 20);
    assertThat(o.length()).isEqualTo(4);
    assertThat(o.mss()).isEqualTo(1460);
    assertThat(o.windowScale()).isEqualTo(-1);
    assertThat(o.next()).isTrue();
    assertThat(o.kind()).isEqualTo(TcpOptionCursor.SACK_PERMITTED);
    assertThat(o.valueLength()).isZero();
    assertThat(o.next()).isTrue();
    assertThat(o.kind()).isEqualTo(TcpOptionCursor.TIMESTAMPS);
    assertThat(o.timestampValue()).isEqualTo(123456789L);
    assertThat(o.timestampEchoReply()).isZero();
    assertThat(o.next()).isTrue();
    assertThat(o.kind()).isEqualTo(TcpOptionCursor.NOP);
    assertThat(o.length()).isEqualTo(1);
    assertThat(o.next()).isTrue();
    assertThat(o.kind()).isEqualTo(TcpOptionCursor.WINDOW_SCALE);
    assertThat(o.windowScale()).isEqualTo(7);
    assertThat(o.next()).isFalse();
    assertThat(o.kind()).isEqualTo(-1);
    assertThat(o.report().isMalformed()).isFalse();
    buf.release();
    assertThat(buf.refCnt()).isZero();
  }

  @Test
  void sackBlocksAndAllNineFlagsMatchTshark() {
    TcpSegment tcp = new TcpSegment();
    assertThat(tcp.wrap(Unpooled.wrappedBuffer(SACK), 0, SACK.length)).isTrue();
    assertThat(tcp.flags()).isEqualTo(0x1f0);
    assertThat(tcp.isAe()).isTrue();
    assertThat(tcp.isCwr()).isTrue();
    assertThat(tcp.isEce()).isTrue();
    assertThat(tcp.isUrg()).isTrue();
    assertThat(tcp.isAck()).isTrue();
    assertThat(tcp.isPsh()).isFalse();
    assertThat(tcp.reservedBits()).isZero();
    assertThat(tcp.urgentPointer()).isEqualTo(3);
    assertThat(tcp.payloadLength()).isEqualTo(5);
    assertThat(tcp.payload().readableBytes()).isEqualTo(5);
    TcpOptionCursor o = new TcpOptionCursor();
    o.wrap(tcp);
    assertThat(o.next()).isTrue();
    assertThat(o.next()).isTrue();
    assertThat(o.next()).isTrue();
    assertThat(o.kind()).isEqualTo(TcpOptionCursor.SACK);
    assertThat(o.sackBlockCount()).isEqualTo(2);
    assertThat(o.sackLeftEdge(0)).isEqualTo(1000);
    assertThat(o.sackRightEdge(0)).isEqualTo(2000);
    assertThat(o.sackLeftEdge(1)).isEqualTo(3000);
    assertThat(o.sackRightEdge(1)).isEqualTo(4000);
    assertThat(o.sackLeftEdge(2)).isEqualTo(-1);
    assertThat(o.next()).isFalse();
  }

  @Test
  void truncationSweepReportsExactLengths() {
    TcpSegment tcp = new TcpSegment();
    for (int n = 0; n < SACK.length; n++) {
      ByteBuf buf = BufferShape.NONZERO_READER_INDEX.wrap(Arrays.copyOf(SACK, n));
      int base = buf.readerIndex();
      boolean ok = tcp.wrap(buf, base, n);
      if (n < 40) {
        assertThat(ok).isFalse();
        assertThat(tcp.report().malformation()).isEqualTo(Malformation.TRUNCATED);
        assertThat(tcp.report().layer()).isEqualTo(Layer.TCP);
        assertThat(tcp.report().offset()).isEqualTo(base);
        assertThat(tcp.report().requiredLength()).isEqualTo(n < 20 ? 20 : 40);
        assertThat(tcp.report().availableLength()).isEqualTo(n);
        assertThat(tcp.report().lengthSource())
            .isEqualTo(n < 20 ? LengthSource.HEADER_MINIMUM : LengthSource.HEADER_LENGTH_FIELD);
      } else {
        assertThat(ok).isTrue();
        assertThat(tcp.payloadLength()).isEqualTo(n - 40);
      }
      buf.release();
    }
  }

  @Test
  void snaplenCutSegmentKeepsTheAnnouncedLength() {
    TcpSegment tcp = new TcpSegment();
    // 3 of 5 data bytes captured; the IP header announced 45 bytes of segment
    assertThat(tcp.wrap(Unpooled.wrappedBuffer(SACK), 0, 43, 45)).isTrue();
    assertThat(tcp.payloadLength()).isEqualTo(5);
    assertThat(tcp.capturedPayloadLength()).isEqualTo(3);
    assertThat(tcp.payload().readableBytes()).isEqualTo(3);
    assertThat(tcp.isTruncated()).isTrue();
    // header cut by the snaplen: truncation against the bytes that are there
    assertThat(tcp.wrap(Unpooled.wrappedBuffer(SACK), 0, 12, 45)).isFalse();
    assertThat(tcp.report().lengthSource()).isEqualTo(LengthSource.AVAILABLE_BYTES);
    assertThat(tcp.report().requiredLength()).isEqualTo(20);
    assertThat(tcp.report().availableLength()).isEqualTo(12);
  }

  @Test
  void dataOffsetBelowFiveIsMalformed() {
    byte[] b = SYN.clone();
    b[12] = 0x40;
    TcpSegment tcp = new TcpSegment();
    assertThat(tcp.wrap(Unpooled.wrappedBuffer(b), 0, b.length)).isFalse();
    assertThat(tcp.report().malformation()).isEqualTo(Malformation.BAD_LENGTH_FIELD);
    assertThat(tcp.report().layer()).isEqualTo(Layer.TCP);
    assertThat(tcp.report().offset()).isEqualTo(12);
  }

  @Test
  void optionCursorTruncationSweep() {
    // 02 04 05 b4 | 01 | 03 03 07, walked over every prefix of the option area
    byte[] opts = Hex.decode("020405b4 01 030307");
    TcpOptionCursor o = new TcpOptionCursor();
    ByteBuf buf = Unpooled.wrappedBuffer(opts);
    String[] expected = {"", "T0/2/1", "B1", "B1", "2", "2,1", "2,1,T5/2/1", "2,1,B6", "2,1,3"};
    for (int n = 0; n <= opts.length; n++) {
      o.wrap(buf, 0, n);
      StringBuilder kinds = new StringBuilder();
      while (o.next()) {
        kinds.append(kinds.length() == 0 ? "" : ",").append(o.kind());
      }
      if (o.report().malformation() == Malformation.TRUNCATED) {
        assertThat(o.report().lengthSource()).isEqualTo(LengthSource.OPTION_LENGTH);
        assertThat(o.report().layer()).isEqualTo(Layer.TCP);
        kinds.append(kinds.length() == 0 ? "" : ",").append('T').append(o.report().offset()).append('/')
            .append(o.report().requiredLength()).append('/').append(o.report().availableLength());
      } else if (o.report().malformation() == Malformation.BAD_LENGTH_FIELD) {
        kinds.append(kinds.length() == 0 ? "" : ",").append('B').append(o.report().offset());
      }
      assertThat(kinds.toString()).as("prefix %d", n).isEqualTo(expected[n]);
    }
  }

  @Test
  void optionLengthBelowTwoStopsTheCursor() {
    TcpOptionCursor o = new TcpOptionCursor();
    o.wrap(Unpooled.wrappedBuffer(Hex.decode("01 1e 01 00")), 0, 4);
    assertThat(o.next()).isTrue();
    assertThat(o.next()).isFalse();
    assertThat(o.report().malformation()).isEqualTo(Malformation.BAD_LENGTH_FIELD);
    assertThat(o.report().offset()).isEqualTo(2);
    assertThat(o.next()).isFalse();
  }

  @Test
  void knownKindsWithTheWrongLengthAreMalformed() {
    for (String bad : new String[] {"0203 0500", "030400ff", "040300", "050a00000001000000", "0809000000000000000000"}) {
      TcpOptionCursor o = new TcpOptionCursor();
      byte[] b = Hex.decode(bad);
      o.wrap(Unpooled.wrappedBuffer(b), 0, b.length);
      assertThat(o.next()).as(bad).isFalse();
      assertThat(o.report().malformation()).as(bad).isEqualTo(Malformation.BAD_LENGTH_FIELD);
      assertThat(o.report().offset()).isEqualTo(1);
    }
  }

  @Test
  void unknownKindsPassThroughWithTheirValue() {
    // kind 34 (TCP Fast Open cookie, 8 bytes), kind 254 (experimental, RFC 6994) then EOL and padding
    byte[] b = Hex.decode("220a 0102030405060708 fe04 abcd 00 000000");
    TcpOptionCursor o = new TcpOptionCursor();
    o.wrap(Unpooled.wrappedBuffer(b), 0, b.length);
    assertThat(o.next()).isTrue();
    assertThat(o.kind()).isEqualTo(TcpOptionCursor.FAST_OPEN);
    assertThat(o.valueOffset()).isEqualTo(2);
    assertThat(o.valueLength()).isEqualTo(8);
    assertThat(o.value().getLong(0)).isEqualTo(0x0102030405060708L);
    assertThat(o.next()).isTrue();
    assertThat(o.kind()).isEqualTo(254);
    assertThat(o.value().getUnsignedShort(0)).isEqualTo(0xabcd);
    assertThat(o.next()).isTrue();
    assertThat(o.kind()).isEqualTo(TcpOptionCursor.EOL);
    assertThat(o.next()).as("EOL ends the list; the rest is padding").isFalse();
    assertThat(o.report().isMalformed()).isFalse();
  }
}
