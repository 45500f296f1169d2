package dev.wirelens.pcapng.internal;

/**
 * Converts pcapng timestamps (an unsigned 64-bit count of units of {@code if_tsresol}) to epoch nanoseconds
 * without allocation, saturating at the range of a {@code long} instead of wrapping.
 *
 * <p>pcapng §4.2, {@code if_tsresol}: "If the Most Significant Bit is equal to zero, the remaining bits indicates
 * the resolution of the timestamp as a negative power of 10 (e.g. 6 means microsecond resolution, timestamps are
 * the number of microseconds since 1970-01-01 00:00:00 UTC). If the Most Significant Bit is equal to one, the
 * remaining bits indicates the resolution as negative power of 2".
 */
public final class Timestamps {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final long[] POW10 = new long[19];

  static {
    long p = 1;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p;
      p *= 10;
    }
  }

  private Timestamps() {}

  /** Epoch nanoseconds of {@code units} (unsigned) at resolution {@code tsresol}, plus {@code offsetSeconds}. */
  public static long toEpochNanos(long units, int tsresol, long offsetSeconds) {
    int k = tsresol & 0x7f;
    long seconds;
    long fractionNanos;
    if ((tsresol & 0x80) == 0) {
      if (k <= 9) {
        long perSecond = POW10[k];
        seconds = Long.divideUnsigned(units, perSecond);
        fractionNanos = Long.remainderUnsigned(units, perSecond) * POW10[9 - k];
      } else if (k - 9 < POW10.length) {
        long divisor = POW10[k - 9];
        long nanos = Long.divideUnsigned(units, divisor);
        seconds = Long.divideUnsigned(nanos, NANOS_PER_SECOND);
        fractionNanos = Long.remainderUnsigned(nanos, NANOS_PER_SECOND);
      } else {
        seconds = 0;
        fractionNanos = 0;
      }
    } else {
      if (k == 0) {
        seconds = units;
        fractionNanos = 0;
      } else if (k < 64) {
        seconds = units >>> k;
        fractionNanos = mulShift(units & ((1L << k) - 1), k);
      } else {
        seconds = 0;
        fractionNanos = mulShift(units, k);
      }
    }
    return combine(seconds, fractionNanos, offsetSeconds);
  }

  /**
   * Nanoseconds per unit for a decimal resolution 10^-0 to 10^-9 ({@code units * nanosPerUnit} is then exactly what
   * {@link #toEpochNanos} returns with no offset, while it does not overflow), else 0.
   */
  public static long nanosPerUnit(int tsresol) {
    return (tsresol & 0x80) == 0 && tsresol <= 9 ? POW10[9 - tsresol] : 0;
  }

  /** Epoch nanoseconds of a classic pcap record: seconds (u32) and a fraction in µs or ns. */
  public static long pcapToEpochNanos(long seconds, long fraction, boolean nanosecond) {
    return seconds * NANOS_PER_SECOND + (nanosecond ? fraction : fraction * 1000);
  }

  /** {@code seconds * 1e9 + fraction + offset * 1e9}, treating {@code seconds} as unsigned and saturating. */
  private static long combine(long seconds, long fractionNanos, long offsetSeconds) {
    if (seconds < 0 || seconds > Long.MAX_VALUE / NANOS_PER_SECOND) {
      return Long.MAX_VALUE;
    }
    long total = seconds + offsetSeconds;
    if (((seconds ^ total) & (offsetSeconds ^ total)) < 0 || total > Long.MAX_VALUE / NANOS_PER_SECOND) {
      return offsetSeconds < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    if (total < Long.MIN_VALUE / NANOS_PER_SECOND) {
      return Long.MIN_VALUE;
    }
    long nanos = total * NANOS_PER_SECOND;
    long sum = nanos + fractionNanos;
    return sum < nanos ? Long.MAX_VALUE : sum;
  }

  /** {@code (fraction * 1e9) >> k} over 128 bits, {@code fraction} unsigned, {@code 0 < k < 128}. */
  private static long mulShift(long fraction, int k) {
    long lo = fraction * NANOS_PER_SECOND;
    long hi = Math.multiplyHigh(fraction, NANOS_PER_SECOND) + ((fraction >> 63) & NANOS_PER_SECOND);
    if (k >= 128) {
      return 0;
    }
    if (k >= 64) {
      return hi >>> (k - 64);
    }
    return (hi << (64 - k)) | (lo >>> k);
  }

  /**
   * The inverse for writers: the number of {@code tsresol} units in {@code epochNanos} (rounded down), for
   * non-negative times.
   */
  public static long fromEpochNanos(long epochNanos, int tsresol) {
    int k = tsresol & 0x7f;
    if ((tsresol & 0x80) == 0) {
      if (k <= 9) {
        return epochNanos / POW10[9 - k];
      }
      return java.math.BigInteger.valueOf(epochNanos).multiply(java.math.BigInteger.TEN.pow(k - 9)).longValue();
    }
    return java.math.BigInteger.valueOf(epochNanos).shiftLeft(k)
        .divide(java.math.BigInteger.valueOf(NANOS_PER_SECOND)).longValue();
  }
}
