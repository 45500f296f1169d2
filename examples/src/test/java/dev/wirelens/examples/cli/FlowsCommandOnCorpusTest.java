package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wirelens.testkit.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wirelens flows} over every capture of the shared corpus (many malformed or truncated on purpose): each run
 * ends with exit code 0, or 2 and exactly one line on standard error naming the file, never an internal error; and
 * whatever the ending, index.json is valid JSON that lists every connection exactly once (ids 0 to n-1), says
 * whether the input was read to the end, and describes files whose sizes are the byte counts it gives.
 */
@Tag("corpus")
class FlowsCommandOnCorpusTest {
  @TempDir Path tmp;

  @Test
  void everyCorpusCaptureLeavesAValidIndexOfCompleteFiles() throws IOException {
    Path root = Corpus.root();
    List<Path> captures;
    try (Stream<Path> files = Files.walk(root)) {
      captures = files.filter(Files::isRegularFile)
          .filter(p -> p.toString().matches(".*\\.(pcap|pcapng|cap|ntar|pcap\\.gz|pcapng\\.gz)$"))
          .sorted()
          .collect(Collectors.toList());
    }
    assertThat(captures).isNotEmpty();
    SoftAssertions soft = new SoftAssertions();
    int clean = 0;
    long connections = 0;
    for (int i = 0; i < captures.size(); i++) {
      Path capture = captures.get(i);
      Path out = tmp.resolve(Integer.toString(i));
      FlowsRun r = FlowsRun.file(out, capture);
      String at = root.relativize(capture) + ": " + r.err().trim();
      soft.assertThat(r.code()).as(at).isIn(0, 2);
      if (r.code() == 0) {
        soft.assertThat(r.err()).as(at).isEmpty();
        clean++;
      } else {
        soft.assertThat(r.err().lines().count()).as(at).isEqualTo(1);
        soft.assertThat(r.err()).as(at).startsWith("wirelens flows: " + capture + ": ")
            .doesNotContain("internal error").doesNotContain("Exception");
      }
      if (!Files.exists(out.resolve("index.json"))) {
        soft.assertThat(r.code()).as(at + " (no index)").isEqualTo(2);
        continue;
      }
      JsonNode index = r.index();
      soft.assertThat(index.get("complete").asBoolean()).as(at).isEqualTo(r.code() == 0);
      List<JsonNode> list = r.connections();
      soft.assertThat(index.get("connection_count").asInt()).as(at).isEqualTo(list.size());
      for (int id = 0; id < list.size(); id++) {
        JsonNode c = list.get(id);
        soft.assertThat(c.get("id").asInt()).as(at + " ids").isEqualTo(id);
        for (String side : List.of("client", "server")) {
          JsonNode s = c.at("/streams/" + side);
          String file = s.get("file").asText();
          soft.assertThat(file).isEqualTo(id + "-" + side + ".bin");
          soft.assertThat(Files.size(out.resolve(file))).as(at + " " + file).isEqualTo(s.get("bytes").asLong());
          long listed = 0;
          for (JsonNode g : s.at("/gaps/list")) {
            listed += g.get("length").asLong();
          }
          if (!s.at("/gaps/list_truncated").asBoolean()) {
            soft.assertThat(listed).as(at + " " + file + " gaps").isEqualTo(s.at("/gaps/bytes").asLong());
          }
        }
      }
      connections += list.size();
    }
    soft.assertAll();
    assertThat(clean).as("captures read to the end").isGreaterThan(captures.size() / 2);
    assertThat(connections).as("connections written").isGreaterThan(100);
  }
}
