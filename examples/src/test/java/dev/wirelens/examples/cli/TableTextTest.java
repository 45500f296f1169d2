package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** {@link TableText} writes what {@code String.format(Locale.ROOT, ...)}, the oracle, writes for the table. */
class TableTextTest {
  @Property(tries = 5000)
  void anyDoubleHasTheThreeDecimalsOfFormat(@ForAll double value) {
    assertThat(TableText.fixed3(value)).isEqualTo(String.format(Locale.ROOT, "%.3f", value));
  }

  @Property(tries = 5000)
  void nanosecondsAsMillisecondsHaveTheThreeDecimalsOfFormat(@ForAll @LongRange(min = -2_000_000_000L,
      max = Long.MAX_VALUE) long nanos) {
    assertThat(TableText.fixed3(nanos / 1e6)).isEqualTo(String.format(Locale.ROOT, "%.3f", nanos / 1e6));
  }

  @Property(tries = 3000)
  void halvesAndSmallValuesRoundAsFormatRoundsThem(@ForAll @IntRange(min = -100_000, max = 100_000) int halfMicros) {
    double value = halfMicros / 2000.0 + 0.0005;
    assertThat(TableText.fixed3(value)).isEqualTo(String.format(Locale.ROOT, "%.3f", value));
  }

  @Test
  void edgesHaveTheThreeDecimalsOfFormat() {
    for (double value : new double[] {0.0, -0.0, 0.0005, -0.0005, 0.0015, 1.0005, 2.675, -0.000001, 1e-300,
        Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 1e21, 123456789.1234565, Double.NaN,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      assertThat(TableText.fixed3(value)).as("%s", value).isEqualTo(String.format(Locale.ROOT, "%.3f", value));
    }
  }

  @Property(tries = 2000)
  void paddingIsThatOfFormat(@ForAll String s, @ForAll @IntRange(min = 1, max = 50) int width) {
    assertThat(TableText.pad(new StringBuilder(), s, -width).toString())
        .isEqualTo(String.format(Locale.ROOT, "%-" + width + "s", s));
    assertThat(TableText.pad(new StringBuilder(), s, width).toString())
        .isEqualTo(String.format(Locale.ROOT, "%" + width + "s", s));
    assertThat(TableText.pad(new StringBuilder(), s, 0).toString()).isEqualTo(String.format(Locale.ROOT, "%s", s));
  }
}
