package dev.wirelens.tls.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.testkit.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The ClientHellos of fingerprint/clienthellos-tshark.tsv (see fingerprint/SOURCES.md). */
final class RecordedClientHellos {
  private RecordedClientHellos() {}

  /** One line: capture, frame, tshark's ja3_full and ja3, the handshake message (with its 4-byte header). */
  record Line(String capture, int frame, String ja3Full, String ja3, byte[] handshake) {
    @Override
    public String toString() {
      return capture + "#" + frame;
    }
  }

  static List<Line> all() throws IOException {
    return read("fingerprint/clienthellos-tshark.tsv");
  }

  /** Every distinct ClientHello of the MIT/BSD/Apache/Unlicense corpus captures (sweep-permissive-corpus.py). */
  static List<Line> sweep() throws IOException {
    return read("fingerprint/clienthellos-sweep.tsv");
  }

  private static List<Line> read(String resource) throws IOException {
    List<Line> lines = new ArrayList<>();
    for (String l : text(resource).split("\n")) {
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] f = l.split("\t", -1);
      lines.add(new Line(f[0], Integer.parseInt(f[1]), f[2], f[3], Hex.decode(f[4])));
    }
    return lines;
  }

  static Line find(String capture, int frame) throws IOException {
    for (Line l : all()) {
      if (l.capture().equals(capture) && l.frame() == frame) {
        return l;
      }
    }
    throw new AssertionError("no recorded ClientHello " + capture + "#" + frame);
  }

  static String text(String resource) throws IOException {
    try (InputStream in = RecordedClientHellos.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
