package dev.wirelens.testkit;

/** Hex strings for inline test vectors: whitespace, {@code |} and {@code #}-comments to the end of a line ignored. */
public final class Hex {
  private Hex() {}

  /** Decodes {@code hex}, ignoring whitespace, {@code |}, and comments from {@code #} to the end of the line. */
  public static byte[] decode(String hex) {
    StringBuilder digits = new StringBuilder();
    boolean comment = false;
    for (int i = 0; i < hex.length(); i++) {
      char c = hex.charAt(i);
      if (c == '#') {
        comment = true;
      } else if (c == '\n') {
        comment = false;
      } else if (!comment && Character.digit(c, 16) >= 0) {
        digits.append(c);
      } else if (!comment && !Character.isWhitespace(c) && c != '|' && c != ':') {
        throw new IllegalArgumentException("not hex: '" + c + "' at " + i);
      }
    }
    if (digits.length() % 2 != 0) {
      throw new IllegalArgumentException("odd number of hex digits");
    }
    byte[] out = new byte[digits.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
