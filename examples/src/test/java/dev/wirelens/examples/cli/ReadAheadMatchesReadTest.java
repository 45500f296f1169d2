package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import dev.wirelens.examples.audit.Audit;
import dev.wirelens.examples.audit.AuditSession;
import dev.wirelens.examples.audit.AuditSummary;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.testkit.Corpus;
import java.io.IOException;
import java.io.StringWriter;
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
 * {@link AuditSession#readAhead} over {@code CaptureReader.openMapped} (the capture mapped and read on a second
 * thread, a batch of frames ahead, as the audit of a file runs) gives what {@link AuditSession#read} over
 * {@code CaptureReader.open} gives: the same JSON lines in the same order, the same summary and the same problem, on
 * every recorded capture (among them Decryption Secrets Block captures, read without the prescan so that their keys
 * come only from the blocks met while reading, and a capture of 3,657 frames, 15 batches), every corpus capture,
 * and truncated copies cut inside a later batch.
 */
class ReadAheadMatchesReadTest {
  /** One audit of {@code file}: its JSON lines, then its summary and problem. */
  private static String audit(Path file, boolean ahead, boolean prescan) {
    StringWriter out = new StringWriter();
    AuditJson json = new AuditJson(out);
    AuditSession s = Audit.builder().build().session(json::write);
    if (prescan) {
      s.useSecretsOf(file);
    }
    CaptureReader r;
    try {
      r = ahead ? CaptureReader.openMapped(file, Limits.defaults()) : CaptureReader.open(file); // as the audit does
    } catch (RuntimeException e) {
      return "cannot open: " + e;
    }
    String problem = ahead ? s.readAhead(r) : s.read(r);
    AuditSummary a = s.finish();
    return out + "\nproblem=" + problem + " connections=" + a.connections() + " frames=" + a.frames()
        + " notEncrypted=" + a.notEncrypted() + " unstable=" + a.unstable() + " reasons=" + a.reasons()
        + " limits=" + a.limits() + " summaryProblem=" + a.problem();
  }

  private static List<Path> captures(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile)
          .filter(p -> p.toString().matches(".*\\.(pcap|pcapng|cap|ntar|pcap\\.gz|pcapng\\.gz)$"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static void sameOnEvery(List<Path> files, boolean prescan) {
    SoftAssertions soft = new SoftAssertions();
    for (Path f : files) {
      String read = audit(f, false, prescan);
      soft.assertThat(audit(f, true, prescan)).as(f.toString()).isEqualTo(read);
    }
    soft.assertAll();
  }

  @Test
  void everyRecordedCaptureAuditsTheSameReadAheadAsReadInLine() throws IOException {
    List<Path> files = captures(CliCaptures.path("README.md").getParent());
    assertThat(files).hasSizeGreaterThan(40);
    sameOnEvery(files, false);
    sameOnEvery(files.stream().filter(p -> p.toString().contains("dsb")).collect(Collectors.toList()), true);
  }

  @Test
  void aCaptureOfManyBatchesAuditsTheSameAndReportsEveryFrame() {
    Path f = CliCaptures.path("tcp-lossy-download-v4.pcap");
    String ahead = audit(f, true, false);
    assertThat(ahead).contains(" frames=3657 ").isEqualTo(audit(f, false, false));
  }

  @Test
  void aCaptureCutInsideALaterBatchGivesTheSameProblemAfterTheSameFrames(@TempDir Path dir) throws IOException {
    byte[] all = Files.readAllBytes(CliCaptures.path("tcp-lossy-download-v4.pcap"));
    for (int cut : new int[] {all.length - 7, all.length / 2 + 3, 24 + 16 + 5}) {
      Path f = dir.resolve("cut-" + cut + ".pcap");
      Files.write(f, java.util.Arrays.copyOf(all, cut));
      String read = audit(f, false, false);
      assertThat(read).contains("problem=").doesNotContain("problem=null");
      assertThat(audit(f, true, false)).as("cut at %d", cut).isEqualTo(read);
    }
  }

  @Test
  void aRunInterruptedBeforeItsFirstBatchSaysSoAndReleasesTheBatchesReadAhead() {
    AuditSession s = Audit.builder().build().session(r -> { });
    assertThat(s.interrupt()).isTrue();
    String p = s.readAhead(CaptureReader.openMapped(CliCaptures.path("tcp-lossy-download-v4.pcap"), Limits.defaults()));
    assertThat(p).isEqualTo(AuditSession.INTERRUPTED);
    assertThat(s.summary().problem()).isEqualTo(AuditSession.INTERRUPTED);
  }

  @Test
  @Tag("corpus")
  void everyCorpusCaptureAuditsTheSameReadAheadAsReadInLine() throws IOException {
    sameOnEvery(captures(Corpus.root()), true);
  }
}
