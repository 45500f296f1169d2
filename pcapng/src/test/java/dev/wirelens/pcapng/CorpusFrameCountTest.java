package dev.wirelens.pcapng;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Malformation;
import dev.wirelens.testkit.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every capture of the shared corpus, malformed ones included, is read to END or to a clear MALFORMED without an
 * exception or a leak, after exactly as many frames as tshark read (vectors/corpus/frame-counts.tsv). Captures
 * under permissive licenses are read from the corpus directly (skipped when it is absent); the GPL and unlicensed
 * folders only under the {@code corpus} tag.
 */
class CorpusFrameCountTest {
  static final Path COUNTS = Paths.get("src/test/resources/vectors/corpus/frame-counts.tsv");
  static final Set<String> RESTRICTED = Set.of("wireshark-notes", "scapy", "wireshark-testcaptures-via-wirerust");

  static Stream<String> permissive() throws IOException {
    return Files.readAllLines(COUNTS).stream().filter(l -> !RESTRICTED.contains(l.substring(0, l.indexOf('/'))));
  }

  static Stream<String> restricted() throws IOException {
    return Files.readAllLines(COUNTS).stream().filter(l -> RESTRICTED.contains(l.substring(0, l.indexOf('/'))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("permissive")
  void permissiveCorpusCaptureReadsLikeTshark(String line) {
    check(line);
  }

  @Tag("corpus")
  @ParameterizedTest(name = "{0}")
  @MethodSource("restricted")
  void restrictedCorpusCaptureReadsLikeTshark(String line) {
    check(line);
  }

  /**
   * tshark shows every pcapng custom block (CB, DCB) as a record of its own; frames are packets only. The
   * pcapng-test-generator files say how many custom blocks they hold in their .txt description.
   */
  private static int customBlocks(Path capture) {
    String name = capture.getFileName().toString();
    Path txt = capture.resolveSibling(name.replace(".pcapng", ".txt"));
    if (!name.endsWith(".pcapng") || !capture.toString().contains("pcapng-test-generator")
        || !Files.isRegularFile(txt)) {
      return 0;
    }
    try {
      int n = 0;
      for (String l : Files.readAllLines(txt)) {
        String t = l.trim();
        if (t.startsWith("CB:") || t.startsWith("DCB:")) {
          n += Integer.parseInt(t.substring(t.indexOf(':') + 1).trim());
        }
      }
      return n;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void check(String line) {
    String[] f = line.split("\t", -1);
    Path file = Corpus.file(f[0]);
    int expected = Integer.parseInt(f[1]) - customBlocks(file);
    String error = f[2];
    Frames.Run run;
    try (CaptureReader r = CaptureReader.open(file)) {
      run = Frames.readAll(r);
    }
    if (error.contains("network type")) {
      assertThat(run.end()).isEqualTo(DecodeStatus.END); // a link type tshark does not know: not our concern
      return;
    }
    assertThat(run.frames()).as(run.report()).hasSize(expected);
    if (error.isEmpty()) {
      assertThat(run.end()).as(run.report()).isEqualTo(DecodeStatus.END);
    } else if (error.contains("unknown SHB version")) {
      assertThat(run.raw().malformation()).isEqualTo(Malformation.BAD_VERSION);
    } else if (error.contains("bigger than maximum")) {
      // tshark caps at 256 KiB and calls it damaged; with our 16 MiB cap the file ends inside that record
      assertThat(run.raw().malformation()).isIn(Malformation.TRUNCATED, Malformation.LIMIT_EXCEEDED);
    } else {
      throw new AssertionError("unexpected tshark error recorded: " + error);
    }
  }
}
