package dev.wirelens.tls.internal;

import dev.wirelens.testkit.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named hex values from a vector file in {@code src/test/resources/vectors/tls}: {@code name = hex}, continued on
 * indented lines, {@code #} comments.
 */
final class Vectors {
  private final Map<String, byte[]> values = new LinkedHashMap<>();

  private Vectors() {}

  static Vectors load(String resource) {
    Vectors v = new Vectors();
    try (InputStream in = Vectors.class.getResourceAsStream("/vectors/tls/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      String name = null;
      StringBuilder hex = new StringBuilder();
      for (String raw : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
        String line = raw.contains("#") ? raw.substring(0, raw.indexOf('#')) : raw;
        if (line.isBlank()) {
          continue;
        }
        if (!Character.isWhitespace(line.charAt(0))) {
          if (name != null) {
            v.values.put(name, Hex.decode(hex.toString()));
          }
          name = line.substring(0, line.indexOf('=')).trim();
          hex.setLength(0);
          hex.append(line.substring(line.indexOf('=') + 1));
        } else {
          hex.append(' ').append(line);
        }
      }
      if (name != null) {
        v.values.put(name, Hex.decode(hex.toString()));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return v;
  }

  byte[] get(String name) {
    byte[] b = values.get(name);
    if (b == null) {
      throw new IllegalArgumentException("no vector " + name);
    }
    return b.clone();
  }
}
