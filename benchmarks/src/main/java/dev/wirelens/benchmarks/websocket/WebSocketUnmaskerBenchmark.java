package dev.wirelens.benchmarks.websocket;

import dev.wirelens.benchmarks.AbstractMicrobenchmark;
import dev.wirelens.websocket.WebSocketUnmasker;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Unmasking throughput of {@link WebSocketUnmasker#unmask(ByteBuf, int, long, ByteBuf)}, source never written, into
 * a reused destination: heap to heap (the {@code byte[]} path) and direct to direct (the {@code getLong} path;
 * {@code unmaskWithScratch}: through an 8 KiB heap scratch array).
 * Bytes per second = size / score. Gate: 0 B/op, at least 5 GB/s.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.wirelens.benchmarks.websocket.WebSocketUnmaskerBenchmark -f 1 -wi 2 -i 3}.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-da", "-dsa", "-Dio.netty.leakDetection.level=disabled",
    "-Dio.netty.leakDetectionLevel=disabled", "-Xms512m", "-Xmx512m"})
public class WebSocketUnmaskerBenchmark extends AbstractMicrobenchmark {
  @Param({"125", "1024", "16384", "65536"})
  public int size;

  @Param({"false", "true"})
  public boolean direct;

  private ByteBuf src;
  private ByteBuf dst;
  private final byte[] scratch = new byte[8192];

  @Setup(Level.Trial)
  public void setUp() {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    src = (direct ? Unpooled.directBuffer(size) : Unpooled.buffer(size)).writeBytes(data);
    dst = direct ? Unpooled.directBuffer(size) : Unpooled.buffer(size);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    src.release();
    dst.release();
  }

  @Benchmark
  public int unmask() {
    dst.clear();
    WebSocketUnmasker.unmask(src, 0x37fa213d, 1, dst);
    return dst.writerIndex();
  }

  /** The same with an 8 KiB scratch array (what {@code WebSocketFrame.unmaskTo} passes for a direct destination). */
  @Benchmark
  public int unmaskWithScratch() {
    dst.clear();
    WebSocketUnmasker.unmask(src, 0, src.readableBytes(), 0x37fa213d, 1, dst, scratch);
    return dst.writerIndex();
  }

  public static void main(String[] args) throws Exception {
    run(WebSocketUnmaskerBenchmark.class, args);
  }
}
