package dev.wirelens.benchmarks.pcapng;

import dev.wirelens.benchmarks.AbstractMicrobenchmark;
import dev.wirelens.benchmarks.Inputs;
import dev.wirelens.benchmarks.WirelensPaths;
import dev.wirelens.benchmarks.floor.FloorWalk;
import dev.wirelens.benchmarks.generator.CaptureFileWriter.Format;
import dev.wirelens.benchmarks.generator.SyntheticCapture;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Capture scanning: one operation reads every frame of the whole synthetic capture (about 1 GiB), pcap or pcapng,
 * from memory (a {@code ByteBuf} holding the file) or from the file (warm page cache), and touches each frame's
 * header. {@code CaptureReader.next()} in a loop beside the floor ({@link FloorWalk}'s record walk).
 *
 * <p>Read the {@code bytes} secondary result (bytes/s) for GB/s and {@code packets} for frames/s.
 * Gate: {@code gc.alloc.rate.norm} about 0 B/op for the reader from memory (a file read may allocate its
 * buffers once per file).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 3)
public class CaptureReaderBenchmark extends AbstractMicrobenchmark {

  /** The capture, as files and in memory. */
  @State(Scope.Benchmark)
  public static class Input {
    /** Capture size: {@code 1g}, {@code 256m}... */
    @Param("1g")
    public String captureSize;
    /** Memory for the in-memory scans: {@code heap} or {@code direct}. */
    @Param("heap")
    public String buffer;
    /** File format. */
    @Param({"PCAP", "PCAPNG"})
    public Format format;

    SyntheticCapture capture;
    ByteBuf data;
    long fileBytes;

    /** Generates or finds the capture and loads it. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
      capture = Inputs.capture(captureSize);
      data = Inputs.buffer(Inputs.bytes(capture, format), buffer);
      fileBytes = data.readableBytes();
      Inputs.warmPageCache(capture, format);
    }
  }

  /** Bytes and frames read, reported by JMH per second. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Rates {
    /** File bytes scanned. */
    public long bytes;
    /** Frames read. */
    public long packets;

    /** Starts each iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
      bytes = 0;
      packets = 0;
    }

    void add(Input in) {
      bytes += in.fileBytes;
      packets += in.capture.packets();
    }
  }

  /** Scratch buffer of the floor's file walk. */
  @State(Scope.Thread)
  public static class Scratch {
    final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
  }

  /** Floor: record walk over the capture in memory. */
  @Benchmark
  public long floorFromMemory(Input in, Rates rates) {
    rates.add(in);
    return in.format == Format.PCAP ? FloorWalk.scanPcap(in.data) : FloorWalk.scanPcapng(in.data);
  }

  /** Floor: record walk over the file through a 1 MiB buffer. */
  @Benchmark
  public long floorFromFile(Input in, Rates rates, Scratch scratch) throws IOException {
    rates.add(in);
    return in.format == Format.PCAP
        ? FloorWalk.scanPcapFile(in.capture.pcap(), scratch.buffer)
        : FloorWalk.scanPcapngFile(in.capture.pcapng(), scratch.buffer);
  }

  /** Wirelens: {@code CaptureReader.of(ByteBuf)}, {@code next()} until END, each frame's length and timestamp. */
  @Benchmark
  public long readerFromMemory(Input in, Rates rates) {
    rates.add(in);
    return WirelensPaths.scan(in.data);
  }

  /** Wirelens: {@code CaptureReader.open(Path)}, {@code next()} until END, each frame's length and timestamp. */
  @Benchmark
  public long readerFromFile(Input in, Rates rates) {
    rates.add(in);
    return WirelensPaths.scan(in.capture.file(in.format));
  }

  /** Runs these benchmarks; JMH options may be given. */
  public static void main(String[] args) throws Exception {
    run(CaptureReaderBenchmark.class, args);
  }
}
