package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wirelens.testkit.Corpus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code wirelens audit --json} over every capture of the shared corpus (many malformed or truncated on purpose):
 * each run ends with exit code 0, or 2 and exactly one line on standard error naming the file, never an internal
 * error; whatever the ending, every output line is a JSON object and the ids are 0 to n-1 in order (no corpus
 * capture comes near the 10,000 connections --max-waiting allows to wait) with a start not after the end. The
 * captures of captures/corpus-limits-hit.tsv (caps they really hit, checked with tshark) print that limits line
 * first; no other capture prints one.
 */
@Tag("corpus")
class AuditCommandOnCorpusTest {
  @Test
  void everyCorpusCaptureGivesValidJsonLinesInIdOrder() throws IOException {
    Path root = Corpus.root();
    List<Path> captures;
    try (Stream<Path> files = Files.walk(root)) {
      captures = files.filter(Files::isRegularFile)
          .filter(p -> p.toString().matches(".*\\.(pcap|pcapng|cap|ntar|pcap\\.gz|pcapng\\.gz)$"))
          .sorted()
          .collect(Collectors.toList());
    }
    assertThat(captures).isNotEmpty();
    Map<String, String> limitsHit = limitsHit();
    SoftAssertions soft = new SoftAssertions();
    long connections = 0;
    for (Path capture : captures) {
      AuditRun r = AuditRun.run("--json", capture.toString());
      String relative = root.relativize(capture).toString().replace('\\', '/');
      String at = relative + ": " + r.err().trim();
      soft.assertThat(r.code()).as(at).isIn(0, 2);
      String err = r.err();
      String hit = limitsHit.get(relative);
      String limitsLine = "wirelens audit: " + capture + ": limits hit: " + hit + " (";
      if (hit != null) {
        soft.assertThat(err).as(at).startsWith(limitsLine);
        err = err.lines().skip(1).map(l -> l + "\n").collect(Collectors.joining());
      }
      if (r.code() == 0) {
        soft.assertThat(err).as(at).isEmpty();
      } else {
        soft.assertThat(err.lines().count()).as(at).isEqualTo(1);
        soft.assertThat(err).as(at).startsWith("wirelens audit: " + capture + ": ")
            .doesNotContain("internal error").doesNotContain("Exception").doesNotContain("limits hit");
      }
      List<JsonNode> lines = r.json();
      for (int id = 0; id < lines.size(); id++) {
        JsonNode line = lines.get(id);
        soft.assertThat(line.get("id").asInt()).as(at + " ids").isEqualTo(id);
        soft.assertThat(line.get("start").asText().compareTo(line.get("end").asText())).as(at + " start/end")
            .isLessThanOrEqualTo(0);
        soft.assertThat(line.get("duration_ms").decimalValue().signum()).as(at + " duration").isNotNegative();
      }
      connections += lines.size();
    }
    soft.assertAll();
    assertThat(connections).isPositive();
  }

  /** captures/corpus-limits-hit.tsv: corpus path to the limits text tshark shows the capture really hits. */
  private static Map<String, String> limitsHit() throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    try (InputStream in = AuditCommandOnCorpusTest.class.getResourceAsStream("/captures/corpus-limits-hit.tsv")) {
      assertThat(in).as("captures/corpus-limits-hit.tsv").isNotNull();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          String[] f = line.split("\t");
          m.put(f[0], f[1]);
        }
      }
    }
    return m;
  }
}
