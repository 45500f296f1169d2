package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code target/wirelens}, the shell launcher the build puts next to {@code target/wirelens.jar} (from
 * {@code src/main/sh/wirelens}): it runs the jar with its JVM flags, then the user's, and says so on one line when the
 * jar is missing. Tagged "launcher": these tests run in the {@code verify} phase, after {@code package} made the jar.
 *
 * <p>Expected values: the audit's output is the in-process run's ({@link Wirelens#run}), whose facts the other audit
 * tests check against tshark's recordings; the server name and the ping count are read from tshark's view of the sample
 * recorded beside it ({@code captures/websocket/agent-console.tls-keys.tsv}, {@code agent-console.ws.tsv}); the flags
 * are the ones the launcher's header documents.
 */
@Tag("launcher")
class LauncherTest {
  private static final Path LAUNCHER = Path.of("target/wirelens");
  private static final Path SAMPLE = Path.of("src/main/resources/captures/agent-console.pcapng");
  private static final Path KEYS = Path.of("src/main/resources/captures/agent-console.keys");
  private static final Path WS = Path.of("src/test/resources/captures/websocket");

  @Test
  void theLauncherAuditsTheReadmeSampleAsTheJarDoesInProcess() throws Exception {
    Run r = launch(LAUNCHER, null, "audit", "--keylog", KEYS.toString(), SAMPLE.toString());
    AuditRun inProcess = AuditRun.run("--keylog", KEYS.toString(), SAMPLE.toString());
    assertThat(r.code).isZero();
    assertThat(r.err).isEmpty();
    assertThat(r.out).isEqualTo(inProcess.out());
    String sni = firstValue(WS.resolve("agent-console.tls-keys.tsv"), "server_name");
    long pings = values(WS.resolve("agent-console.ws.tsv"), "opcode").stream().filter("9"::equals).count();
    assertThat(r.out.lines()).anySatisfy(line -> assertThat(line).startsWith("     tls: sni " + sni + ", "));
    assertThat(r.out.lines()).anySatisfy(line ->
        assertThat(line).startsWith("     websocket: /agent, pings answered " + pings + " "));
    assertThat(r.out.lines().toList()).last().isEqualTo("verdict: encrypted, stable");
  }

  @Test
  void theLauncherGivesTheJvmItsFlagsThenTheUsersWhichWin() throws Exception {
    Run r = launch(LAUNCHER, "-XX:+PrintCommandLineFlags -Xmx200m", "--version");
    assertThat(r.code).isZero();
    String flags = r.out.lines().findFirst().orElseThrow();
    assertThat(flags.split(" ")).contains("-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
        "-XX:MaxHeapSize=" + (200L << 20)).doesNotContain("-XX:-BytecodeVerificationRemote");
    assertThat(r.out).contains("wirelens ");
  }

  @Test
  void theLaunchersAuditLeavesNettysPooledAllocatorUnbuiltUnlessTheUserAsks(@TempDir Path dir) throws Exception {
    // mapped pcapng (little-endian reads of a read-only mapped buffer), TLS decrypted (SNI decoded), WebSocket: every
    // path on which ByteBufUtil builds Netty's default allocator (benchmarks/README.md, "Session 6: the allocator")
    Path classes = dir.resolve("classes.txt");
    Run r = launch(LAUNCHER, "-Xlog:class+load:file=" + classes, "audit", "--json", "--keylog", KEYS.toString(),
        SAMPLE.toString());
    assertThat(r.code).isZero();
    assertThat(r.out).isEqualTo(AuditRun.run("--json", "--keylog", KEYS.toString(), SAMPLE.toString()).out());
    String loaded = Files.readString(classes);
    assertThat(loaded).contains(" io.netty.buffer.ByteBufUtil ", " io.netty.buffer.UnpooledByteBufAllocator ")
        .doesNotContain("io.netty.buffer.AdaptivePoolingAllocator", " io.netty.buffer.PooledByteBufAllocator ");

    Path asked = dir.resolve("asked.txt");
    Run adaptive = launch(LAUNCHER, "-Dio.netty.allocator.type=adaptive -Xlog:class+load:file=" + asked, "audit",
        "--json", "--keylog", KEYS.toString(), SAMPLE.toString());
    assertThat(adaptive.out).isEqualTo(r.out);
    assertThat(Files.readString(asked)).contains(" io.netty.buffer.AdaptivePoolingAllocator ");
  }

  @Test
  void aLauncherReachedThroughASymbolicLinkFindsTheJarBesideItsTarget(@TempDir Path dir) throws Exception {
    Path link = Files.createSymbolicLink(dir.resolve("wirelens"), LAUNCHER.toAbsolutePath());
    Run r = launch(link, null, "--version");
    Files.delete(link); // before @TempDir's clean-up, which warns about links leading out of it
    assertThat(r.code).isZero();
    assertThat(r.out).startsWith("wirelens ");
  }

  @Test
  void aLauncherWithoutTheJarBesideItSaysSoOnOneLineAndExitsTwo(@TempDir Path dir) throws Exception {
    Path alone = Files.copy(LAUNCHER, dir.resolve("wirelens"));
    Run r = launch(alone, null, "audit", SAMPLE.toString());
    assertThat(r.code).isEqualTo(2);
    assertThat(r.out).isEmpty();
    assertThat(r.err.lines().toList()).singleElement().asString()
        .isEqualTo("wirelens: " + dir.resolve("wirelens.jar")
            + " not found (build it with ./mvnw -B -q -DskipTests package)");
  }

  private record Run(int code, String out, String err) {}

  /** Runs {@code sh launcher args...} with this JVM as JAVA_HOME and {@code opts} as WIRELENS_JAVA_OPTS (or none). */
  private static Run launch(Path launcher, String opts, String... args) throws IOException, InterruptedException {
    assertThat(LAUNCHER).as("the build copies src/main/sh/wirelens to target").exists();
    List<String> command = new ArrayList<>(List.of("sh", launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("WIRELENS_JAVA_OPTS");
    if (opts != null) {
      pb.environment().put("WIRELENS_JAVA_OPTS", opts);
    }
    Path out = Files.createTempFile("launcher", ".out");
    Path err = Files.createTempFile("launcher", ".err");
    try {
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      p.getOutputStream().close();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("launcher finished").isTrue();
      return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static String firstValue(Path tsv, String column) throws IOException {
    return values(tsv, column).stream().filter(v -> !v.isEmpty()).findFirst().orElseThrow();
  }

  /** A column of a recorded tshark .tsv: line 1 is the command, line 2 the header. */
  private static List<String> values(Path tsv, String column) throws IOException {
    List<String> lines = Files.readAllLines(tsv);
    List<String> header = List.of(lines.get(1).split("\t", -1));
    int at = header.indexOf(column);
    assertThat(at).as(column + " in " + tsv).isNotNegative();
    return lines.stream().skip(2).map(l -> l.split("\t", -1)).filter(f -> f.length > at).map(f -> f[at]).toList();
  }
}
