package dev.wirelens.tls;

/** Formatting shared by the name tables. */
final class Names {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private Names() {}

  /** {@code "0x"} and four upper-case hex digits of an unsigned 16-bit value. */
  static String hex4(int value) {
    if (value < 0 || value > 0xFFFF) {
      throw new IllegalArgumentException("not an unsigned 16-bit value: " + value);
    }
    return new String(new char[] {'0', 'x', HEX[(value >>> 12) & 0xF], HEX[(value >>> 8) & 0xF],
        HEX[(value >>> 4) & 0xF], HEX[value & 0xF]});
  }
}
