package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** {@link IsoTimestamps} writes what the formatter the audit and index.json used before writes (the oracle). */
class IsoTimestampsTest {
  private static final DateTimeFormatter BEFORE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  private static String before(long epochNanos) {
    return BEFORE.format(Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
        Math.floorMod(epochNanos, 1_000_000_000L)));
  }

  @Property(tries = 5000)
  void everyInstantIsWrittenAsTheFormatterWritesIt(@ForAll long epochNanos) {
    assertThat(IsoTimestamps.isoNanos(epochNanos)).isEqualTo(before(epochNanos));
  }

  @Property(tries = 5000)
  void captureEraInstantsAreWrittenAsTheFormatterWritesThem(
      @ForAll @LongRange(min = 0, max = 4_102_444_800_000_000_000L) long epochNanos) {
    assertThat(IsoTimestamps.isoNanos(epochNanos)).isEqualTo(before(epochNanos));
  }

  @Test
  void edgesAreWrittenAsTheFormatterWritesThem() {
    for (long nanos : new long[] {0, 1, -1, 999_999_999, 1_000_000_000, -1_000_000_000, Long.MIN_VALUE,
        Long.MAX_VALUE, 1_764_291_926_532_284_525L, -6_213_559_680_000_000_000L}) {
      assertThat(IsoTimestamps.isoNanos(nanos)).as("%d", nanos).isEqualTo(before(nanos));
    }
    // date -u -d @1795568726 +%Y-%m-%dT%H:%M:%S prints 2026-11-25T01:05:26
    assertThat(IsoTimestamps.isoNanos(1_795_568_726_532_284_525L)).isEqualTo("2026-11-25T01:05:26.532284525Z");
  }
}
