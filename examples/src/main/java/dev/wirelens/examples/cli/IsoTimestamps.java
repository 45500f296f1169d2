package dev.wirelens.examples.cli;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Internal: capture timestamps as the audit JSON and {@code index.json} write them, ISO-8601 UTC with all nine
 * fraction digits ({@code 2026-11-28T01:05:26.532284525Z}), the text of the pattern
 * {@code uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'} in UTC. Years 0 to 9999 are written digit by digit: building that
 * {@link DateTimeFormatter} (parsing the pattern, its printer classes) was a few milliseconds of every
 * {@code audit --json} run's start-up; other years (a corrupt timestamp) still go through the formatter, whose
 * output {@code IsoTimestampsTest} compares with this class's on random instants.
 */
final class IsoTimestamps {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private IsoTimestamps() {}

  /** Epoch nanoseconds as ISO-8601 UTC with nine fraction digits. */
  static String isoNanos(long epochNanos) {
    long seconds = Math.floorDiv(epochNanos, NANOS_PER_SECOND);
    int nanos = (int) Math.floorMod(epochNanos, NANOS_PER_SECOND);
    LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC);
    int year = t.getYear();
    if (year < 0 || year > 9999) {
      return Formatter.ISO_NANOS.format(Instant.ofEpochSecond(seconds, nanos));
    }
    StringBuilder sb = new StringBuilder(30);
    digits(sb, year, 4).append('-');
    digits(sb, t.getMonthValue(), 2).append('-');
    digits(sb, t.getDayOfMonth(), 2).append('T');
    digits(sb, t.getHour(), 2).append(':');
    digits(sb, t.getMinute(), 2).append(':');
    digits(sb, t.getSecond(), 2).append('.');
    return digits(sb, nanos, 9).append('Z').toString();
  }

  /** {@code value} (not negative) with leading zeros to {@code width} digits. */
  private static StringBuilder digits(StringBuilder sb, int value, int width) {
    String s = Integer.toString(value);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    return sb.append(s);
  }

  /** The formatter, built only when a year outside 0 to 9999 needs it. */
  static final class Formatter {
    static final DateTimeFormatter ISO_NANOS =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Formatter() {}
  }
}
