package dev.wirelens.benchmarks;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * What every Wirelens benchmark shares (after Netty's {@code AbstractMicrobenchmark}): two forks, short warm-up and
 * measurement iterations, and forked JVMs with assertions off ({@code -da -dsa}), Netty's leak detection off, and a
 * 4 GiB heap so a 1 GiB capture fits in memory beside the peers' garbage. The heap is pre-touched
 * ({@code -XX:+AlwaysPreTouch}): without it the first pass of an allocating benchmark (the peers) through a fresh
 * eden pays a page fault per 4 KiB and measured up to 20 times slower than after the first GC.
 *
 * <p>Each subclass has a {@code main()} that runs only its own benchmarks through {@link #run}, with the GC
 * profiler and a JSON result file under {@code benchmarks/results/} unless the command line says otherwise; any
 * JMH option may be given ({@code -f 2 -i 10 -p captureSize=256m}).
 */
@Fork(value = 2, jvmArgsAppend = {
    "-da", "-dsa",
    "-Dio.netty.leakDetection.level=disabled", "-Dio.netty.leakDetectionLevel=disabled",
    "-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public abstract class AbstractMicrobenchmark {

  /** Runs the benchmarks of {@code benchmark} with JMH options from {@code args}. */
  protected static void run(Class<? extends AbstractMicrobenchmark> benchmark, String... args) throws Exception {
    CommandLineOptions cli = new CommandLineOptions(args);
    ChainedOptionsBuilder options = new OptionsBuilder().parent(cli);
    if (cli.getIncludes().isEmpty()) {
      options.include(benchmark.getName() + "\\.");
    }
    if (cli.getProfilers().isEmpty()) {
      options.addProfiler(GCProfiler.class);
    }
    if (!cli.getResult().hasValue()) {
      Path dir = Paths.get(System.getProperty("wirelens.bench.results", "benchmarks/results"));
      java.nio.file.Files.createDirectories(dir);
      options.resultFormat(ResultFormatType.JSON).result(dir.resolve(benchmark.getSimpleName() + ".json").toString());
    }
    new Runner(options.build()).run();
  }
}
