package dev.wirelens.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/**
 * The shared public corpus in {@code ../shared/corpus} (system property {@code wirelens.corpus}, set by the parent
 * POM). Tests of files whose licence does not allow copying them into the repository read them from there; they are
 * tagged {@code corpus}, run under the {@code corpus} Maven profile, and skip themselves, saying so, when the folder
 * is absent.
 */
public final class Corpus {
  private Corpus() {}

  /** The corpus folder, or the test is skipped with a message when it is absent. */
  public static Path root() {
    String dir = System.getProperty("wirelens.corpus", "../shared/corpus");
    Path root = Paths.get(dir).toAbsolutePath().normalize();
    Assumptions.assumeTrue(Files.isDirectory(root),
        "skipped: shared corpus folder " + root + " is absent (tests tagged 'corpus' need it)");
    return root;
  }

  /** A file of the corpus, or the test is skipped with a message when it is absent. */
  public static Path file(String relative) {
    Path p = root().resolve(relative);
    Assumptions.assumeTrue(Files.isRegularFile(p), "skipped: corpus file " + p + " is absent");
    return p;
  }
}
