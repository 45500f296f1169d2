package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.testkit.Corpus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Robustness of the command line over every capture of the shared corpus (many of them malformed on purpose):
 * each run ends with exit code 0 and nothing on standard error, or exit code 2 and exactly one line on standard
 * error naming the file; never a stack trace, never an internal error.
 */
@Tag("corpus")
class PacketsCommandOnCorpusTest {

  @Test
  void everyCorpusCaptureEndsCleanlyOrWithOneErrorLine() throws IOException {
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
    for (Path capture : captures) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = Wirelens.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err),
          "packets", "--limit", "5000", capture.toString());
      String at = root.relativize(capture) + ": " + err.toString().trim();
      soft.assertThat(code).as(at).isIn(0, 2);
      if (code == 0) {
        soft.assertThat(err.toString()).as(at).isEmpty();
        clean++;
      } else {
        soft.assertThat(err.toString().lines().count()).as(at).isEqualTo(1);
        soft.assertThat(err.toString()).as(at).startsWith("wirelens packets: " + capture + ": ")
            .doesNotContain("internal error").doesNotContain("Exception");
      }
    }
    soft.assertAll();
    assertThat(clean).as("captures read to the end").isGreaterThan(captures.size() / 2);
  }
}
