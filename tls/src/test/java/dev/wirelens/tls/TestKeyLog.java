package dev.wirelens.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Test-only NSS key log reader (the product's KeyLog is another engineer's work; the sweeps must not depend on it
 * until it lands). Lines: {@code LABEL <client random hex> <secret hex>}; comments and unknown labels ignored.
 */
final class TestKeyLog implements TlsKeySource {
  private final Map<String, Map<String, byte[]>> byRandom = new HashMap<>();

  static TestKeyLog of(String text) {
    TestKeyLog k = new TestKeyLog();
    for (String line : text.split("\r?\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length != 3 || f[0].startsWith("#") || f[1].length() != 64) {
        continue;
      }
      try {
        k.byRandom.computeIfAbsent(f[1].toLowerCase(), x -> new HashMap<>()).put(f[0], hex(f[2]));
      } catch (IllegalArgumentException bad) {
        // not hex: ignored
      }
    }
    return k;
  }

  static TestKeyLog read(Path file) throws IOException {
    return of(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
  }

  void addAll(TestKeyLog other) {
    other.byRandom.forEach((r, m) -> byRandom.computeIfAbsent(r, x -> new HashMap<>()).putAll(m));
  }

  boolean isEmpty() {
    return byRandom.isEmpty();
  }

  @Override
  public TlsSecrets secretsFor(byte[] clientRandom) {
    StringBuilder sb = new StringBuilder();
    for (byte b : clientRandom) {
      sb.append(String.format("%02x", b & 0xff));
    }
    Map<String, byte[]> m = byRandom.get(sb.toString());
    if (m == null) {
      return null;
    }
    return new TlsSecrets(clientRandom.clone(), m.get("CLIENT_RANDOM"), m.get("CLIENT_HANDSHAKE_TRAFFIC_SECRET"),
        m.get("SERVER_HANDSHAKE_TRAFFIC_SECRET"), m.get("CLIENT_TRAFFIC_SECRET_0"), m.get("SERVER_TRAFFIC_SECRET_0"),
        m.get("CLIENT_EARLY_TRAFFIC_SECRET"), m.get("EXPORTER_SECRET"));
  }

  static byte[] hex(String s) {
    if (s.length() % 2 != 0) {
      throw new IllegalArgumentException("odd length");
    }
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(s.charAt(2 * i), 16);
      int lo = Character.digit(s.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        throw new IllegalArgumentException("not hex");
      }
      out[i] = (byte) (hi << 4 | lo);
    }
    return out;
  }
}
