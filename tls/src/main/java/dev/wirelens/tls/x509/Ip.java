package dev.wirelens.tls.x509;

/** Text forms of IP addresses: dotted IPv4, RFC 5952 IPv6; no name resolution ever. */
final class Ip {
  private Ip() {}

  /** The iPAddress octets of a GeneralName (4 or 16 bytes) as text; other lengths (name constraints) as hex. */
  static String format(byte[] a) {
    if (a.length == 4) {
      return (a[0] & 0xFF) + "." + (a[1] & 0xFF) + "." + (a[2] & 0xFF) + "." + (a[3] & 0xFF);
    }
    if (a.length != 16) {
      StringBuilder sb = new StringBuilder("#");
      for (byte b : a) {
        sb.append(String.format("%02x", b & 0xFF));
      }
      return sb.toString();
    }
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = (a[2 * i] & 0xFF) << 8 | (a[2 * i + 1] & 0xFF);
    }
    // RFC 5952 §4.2: "::" replaces the longest run of two or more zero groups, the first one on a tie
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  /**
   * The canonical text of an IPv4 or IPv6 literal ({@code "[::1]"} brackets allowed), or {@code null} if
   * {@code s} is not one (then it is a DNS name).
   */
  static String normalizeLiteral(String s) {
    String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    byte[] v4 = parseIpv4(t);
    if (v4 != null) {
      return format(v4);
    }
    byte[] v6 = t.indexOf(':') >= 0 ? parseIpv6(t) : null;
    return v6 == null ? null : format(v6);
  }

  private static byte[] parseIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3) {
        return null;
      }
      int v = 0;
      for (int k = 0; k < p.length(); k++) {
        char c = p.charAt(k);
        if (c < '0' || c > '9') {
          return null;
        }
        v = v * 10 + (c - '0');
      }
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  private static byte[] parseIpv6(String s) {
    int dbl = s.indexOf("::");
    if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
      return null;
    }
    String head = dbl >= 0 ? s.substring(0, dbl) : s;
    String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
    int[] h = groups(head);
    int[] t = groups(tail);
    if (h == null || t == null) {
      return null;
    }
    if (dbl < 0 ? h.length != 8 : h.length + t.length > 7) {
      return null;
    }
    byte[] out = new byte[16];
    for (int i = 0; i < h.length; i++) {
      out[2 * i] = (byte) (h[i] >>> 8);
      out[2 * i + 1] = (byte) h[i];
    }
    for (int i = 0; i < t.length; i++) {
      int pos = 8 - t.length + i;
      out[2 * pos] = (byte) (t[i] >>> 8);
      out[2 * pos + 1] = (byte) t[i];
    }
    return out;
  }

  private static int[] groups(String s) {
    if (s.isEmpty()) {
      return new int[0];
    }
    String[] parts = s.split(":", -1);
    int[] g = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 4) {
        return null;
      }
      try {
        g[i] = Integer.parseInt(p, 16);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return g;
  }
}
