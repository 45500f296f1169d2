package dev.wirelens.examples.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Internal: the text of the audit table's cells as {@code java.util.Formatter} wrote them with {@code Locale.ROOT}
 * ({@code %-Ns}, {@code %Ns}, {@code %.3f}), without a {@code Formatter}: its first use with a locale loads the
 * locale providers, CLDR data and decimal format symbols (about 110 classes) at the start of every table run.
 * {@code %.3f} rounds half up the shortest decimal that gives the double back (what {@link Double#toString}
 * prints), with a minus sign for any negative value, also one that rounds to zero; {@code TableTextTest} compares
 * both with {@link String#format} on random values.
 */
final class TableText {
  private static final int MILLIS_DECIMALS = 3;

  private TableText() {}

  /**
   * {@code s} padded with spaces to {@code width} characters: on the right for a negative width ({@code %-Ns}),
   * on the left for a positive one ({@code %Ns}); never cut.
   */
  static StringBuilder pad(StringBuilder sb, String s, int width) {
    int spaces = Math.abs(width) - s.length();
    if (width > 0) {
      sb.append(" ".repeat(Math.max(0, spaces)));
    }
    sb.append(s);
    if (width < 0) {
      sb.append(" ".repeat(Math.max(0, spaces)));
    }
    return sb;
  }

  /** {@code value} with three decimals, as {@code String.format(Locale.ROOT, "%.3f", value)}. */
  static String fixed3(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
    }
    boolean negative = Double.compare(value, 0.0) < 0; // -0.0 too, as Formatter prints it
    String digits = new BigDecimal(Double.toString(Math.abs(value))).setScale(MILLIS_DECIMALS, RoundingMode.HALF_UP)
        .toPlainString();
    return negative ? "-" + digits : digits;
  }
}
