package dev.wirelens.pcapng;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture file read through memory-mapped windows ({@code openMapped}) gives what the stream path
 * ({@code open(InputStream)}) gives, byte for byte, whatever the window size (every block and record straddles
 * windows of 1, 7 or 100 bytes), and so does {@code open(Path)}'s read() path.
 */
class MappedFileReadingTest {
  private static List<Path> vectors() throws IOException, URISyntaxException {
    Path root = Path.of(MappedFileReadingTest.class.getResource("/vectors").toURI());
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile)
          .filter(p -> p.toString().matches(".*\\.(pcap|pcapng|ntar|cap)$"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static Frames.Run streamed(Path f) throws IOException {
    try (InputStream in = Files.newInputStream(f); CaptureReader r = CaptureReader.open(in, Limits.defaults())) {
      return Frames.readAll(r);
    }
  }

  @Test
  void everyTestVectorReadsTheSameMappedInWindowsOfAnySizeAsStreamed() throws Exception {
    List<Path> files = vectors();
    assertThat(files).hasSizeGreaterThan(50);
    SoftAssertions soft = new SoftAssertions();
    for (Path f : files) {
      Frames.Run expected = streamed(f);
      for (int window : new int[] {1, 7, 100, 1 << 20, 0}) { // 0: read() calls, as open(Path)
        try (CaptureReader r = CaptureReader.open(f, Limits.defaults(), window)) {
          Frames.Run mapped = Frames.readAll(r);
          soft.assertThat(mapped.frames()).as("%s, window %d", f, window).isEqualTo(expected.frames());
          soft.assertThat(mapped.end()).as("%s, window %d", f, window).isEqualTo(expected.end());
          soft.assertThat(mapped.report()).as("%s, window %d", f, window).isEqualTo(expected.report());
        }
      }
    }
    soft.assertAll();
  }

  @Test
  void aFileThatGrowsWhileReadIsReadToItsNewEnd(@TempDir Path dir) throws Exception {
    Path source = vectors().stream().filter(p -> p.toString().endsWith("gopacket-test_loopback.pcap")).findFirst()
        .orElseThrow();
    byte[] all = Files.readAllBytes(source);
    Frames.Run expected = streamed(source);
    assertThat(expected.frames().size()).isGreaterThan(4);
    Path f = dir.resolve("growing.pcap");
    // the first frames only: the pcap header (24 bytes) and the first two records
    int firstTwo = 24;
    for (int i = 0; i < 2; i++) {
      firstTwo += 16 + expected.frames().get(i).capturedLength();
    }
    Files.write(f, java.util.Arrays.copyOf(all, firstTwo));
    try (CaptureReader r = CaptureReader.open(f, Limits.defaults(), 1 << 20)) {
      assertThat(r.next()).isEqualTo(DecodeStatus.FRAME);
      assertThat(r.next()).isEqualTo(DecodeStatus.FRAME);
      Files.write(f, java.util.Arrays.copyOfRange(all, firstTwo, all.length), StandardOpenOption.APPEND);
      int more = 0;
      while (r.next() == DecodeStatus.FRAME) {
        more++;
      }
      assertThat(more).isEqualTo(expected.frames().size() - 2);
    }
  }
}
