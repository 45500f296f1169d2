package dev.wirelens.pcapng;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.testkit.Hex;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/**
 * if_tsresol (powers of 10 and of 2) and if_tsoffset turn raw pcapng timestamps into epoch nanoseconds without
 * overflow (draft-ietf-opsawg-pcapng §4.2); values beyond a long saturate. Expected values are worked by hand in
 * the comments.
 */
class TimestampTest {
  static long nanos(long units, int tsresol, long offset) {
    return new PcapngInterface(0, 0, 1, 0, tsresol, offset, null, null, -1).toEpochNanos(units);
  }

  @Test
  void powersOfTenScaleToNanoseconds() {
    assertThat(nanos(1_500_000, 6, 0)).isEqualTo(1_500_000_000L); // 1.5 s in µs
    assertThat(nanos(123, 9, 0)).isEqualTo(123);
    assertThat(nanos(5, 0, 0)).isEqualTo(5_000_000_000L); // seconds
    assertThat(nanos(17, 2, 0)).isEqualTo(170_000_000L); // centiseconds
    assertThat(nanos(1_000_000_000_123_456L, 12, 0)).isEqualTo(1_000_000_000_123L); // ps, rounded down
  }

  @Test
  void powersOfTwoKeepExactFractions() {
    // 2^-8: 50/256 s = 0.1953125 s
    assertThat(nanos(256L * 1_700_000_000L + 50, 0x88, 0)).isEqualTo(1_700_000_000_195_312_500L);
    // 2^-30: 10.5 s
    assertThat(nanos((1L << 30) * 10 + (1L << 29), 0x80 | 30, 0)).isEqualTo(10_500_000_000L);
    // 2^-40: 3.5 s; the fraction 2^39 times 10^9 does not fit in 64 bits
    assertThat(nanos((1L << 40) * 3 + (1L << 39), 0x80 | 40, 0)).isEqualTo(3_500_000_000L);
    // 2^-63: 2^62 units = 0.5 s
    assertThat(nanos(1L << 62, 0x80 | 63, 0)).isEqualTo(500_000_000L);
    // 2^-1: 3 units = 1.5 s
    assertThat(nanos(3, 0x81, 0)).isEqualTo(1_500_000_000L);
  }

  @Test
  void offsetInSecondsIsAdded() {
    assertThat(nanos(20, 0, -10)).isEqualTo(10_000_000_000L);
    assertThat(nanos(0, 6, -1)).isEqualTo(-1_000_000_000L);
    assertThat(nanos(7, 9, 1_600_000_000L)).isEqualTo(1_600_000_000_000_000_007L);
  }

  @Test
  void timesBeyondTheRangeOfALongSaturate() {
    assertThat(nanos(-1L, 6, 0)).isEqualTo(Long.MAX_VALUE); // 2^64-1 µs, unsigned
    assertThat(nanos(-1L, 9, 0)).isEqualTo(Long.MAX_VALUE);
    assertThat(nanos(10_000_000_000L, 0, 0)).isEqualTo(Long.MAX_VALUE); // year 2286
    assertThat(nanos(1, 0, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void interfaceOptionsTsresolAndTsoffsetApplyToItsPackets() {
    String hex = "0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000"
        // IDB: if_tsresol 0 (seconds), if_tsoffset 1600000000 (0x5f5e1000), opt_endofopt
        + "01000000 2c000000 0100 0000 00000000 0900 0100 00000000 0e00 0800 00105e5f00000000 0000 0000 2c000000"
        // EPB at 5 units, no data
        + "06000000 20000000 00000000 00000000 05000000 00000000 00000000 20000000";
    try (CaptureReader r = CaptureReader.of(Unpooled.wrappedBuffer(Hex.decode(hex)), Limits.defaults())) {
      assertThat(r.next()).as(r.report().toString()).isEqualTo(DecodeStatus.FRAME);
      assertThat(r.interfaces().get(0).tsresol()).isZero();
      assertThat(r.interfaces().get(0).tsoffset()).isEqualTo(1_600_000_000L);
      assertThat(r.timestampNanos()).isEqualTo(1_600_000_005_000_000_000L);
      assertThat(r.capturedLength()).isZero();
    }
  }
}
