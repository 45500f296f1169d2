package dev.wirelens.examples.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import dev.wirelens.tcp.Direction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/**
 * {@link HeldStream}, the stream a TLS connection of a live pcapng input holds while its keys may still come: when it
 * must stop, it names the one cap that stopped it (the name the audit reports if the keys do come).
 */
class HeldStreamTest {
  private static final Direction C2S = Direction.CLIENT_TO_SERVER;

  /** Offers {@code sizes} bytes after bytes, as data calls; the name of the cap that refused one, or null. */
  private static String hold(Limits limits, int... sizes) {
    CaptureKeys keys = new CaptureKeys(null, limits);
    HeldStream held = new HeldStream(keys, limits);
    ByteBuf data = Unpooled.buffer(64 << 10).writeZero(64 << 10);
    try {
      for (int n : sizes) {
        String passed = held.add(C2S, 1L, data, 0, n);
        if (passed != null) {
          assertThat(keys.held()).as("nothing of the refused call is held").isEqualTo(held.bytes());
          return passed;
        }
      }
      return null;
    } finally {
      held.release();
      assertThat(keys.held()).isZero();
      data.release();
    }
  }

  @Test
  void underTheDefaultsTheFixedCapOfSixteenKibibytesStopsHolding() {
    assertThat(hold(Limits.defaults(), 16 << 10)).isNull();
    assertThat(hold(Limits.defaults(), 16 << 10, 1)).isEqualTo("HeldStream.MAX_HELD_BYTES");
  }

  @Test
  void aPerFlowCapBelowSixteenKibibytesStopsHoldingUnderItsOwnName() {
    Limits limits = Limits.builder().maxBufferedBytesPerFlow(2048).build();
    assertThat(hold(limits, 2048)).isNull();
    assertThat(hold(limits, 1000, 1049)).isEqualTo("maxBufferedBytesPerFlow");
  }

  @Test
  void theSharedBudgetAQuarterOfTheTotalCapStopsHoldingUnderTheTotalCapsName() {
    Limits limits = Limits.builder().maxBufferedBytesTotal(8192).build(); // a budget of 2048 for all held streams
    assertThat(hold(limits, 2048)).isNull();
    assertThat(hold(limits, 2000, 49)).isEqualTo("maxBufferedBytesTotal");
  }

  @Test
  void aConnectionCapNotBelowTheWholeBudgetIsNotTheOneNamed() {
    // a per-flow cap of 2048 and a budget of 1024 for all held streams: the budget binds, whatever the order
    Limits limits = Limits.builder().maxBufferedBytesPerFlow(2048).maxBufferedBytesTotal(4096).build();
    assertThat(hold(limits, 3000)).isEqualTo("maxBufferedBytesTotal");
    assertThat(hold(limits, 1000, 25)).isEqualTo("maxBufferedBytesTotal");
  }
}
