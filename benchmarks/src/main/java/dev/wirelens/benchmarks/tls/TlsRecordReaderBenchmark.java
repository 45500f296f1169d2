package dev.wirelens.benchmarks.tls;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.benchmarks.AbstractMicrobenchmark;
import dev.wirelens.tls.TlsRecordReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.ssl.SslHandler;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * TLS record framing over one direction held in memory: {@code hot64} is 4096 application-data records of 64 bytes
 * (69 with the header, 276 KiB: stays in L2), {@code mix} is 16 MiB of records whose fragment sizes are drawn
 * log-uniformly from 50 B to 16 KiB (seed 1). One operation frames the whole buffer.
 *
 * <p>{@code reader}: {@code TlsRecordReader.feed} of a retained duplicate, then {@code next()} until NEED_MORE,
 * reading each record's type and length (every record lies in the one fed buffer: zero copy). {@code nettyFloor}:
 * the same walk with Netty's {@code SslHandler.isEncrypted(buf, false)} checking each header and the length read by
 * hand, the least a framer can do. Read the {@code records} and {@code bytes} secondary results (per second) for
 * ns/record and GB/s. Gate: {@code gc.alloc.rate.norm} about 0 B/op for {@code reader}.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar TlsRecordReaderBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TlsRecordReaderBenchmark extends AbstractMicrobenchmark {

  /** The records. */
  @State(Scope.Benchmark)
  public static class Input {
    /** {@code hot64} or {@code mix}. */
    @Param({"hot64", "mix"})
    public String records;

    ByteBuf data;
    long bytes;
    long count;

    /** Builds the records. */
    @Setup(Level.Trial)
    public void setUp() {
      ByteBuf b = Unpooled.buffer();
      Random random = new Random(1);
      if (records.equals("hot64")) {
        for (int i = 0; i < 4096; i++) {
          record(b, 64, random);
        }
      } else {
        while (b.readableBytes() < (16 << 20)) {
          int size = (int) Math.round(Math.exp(Math.log(50) + random.nextDouble() * (Math.log(16384) - Math.log(50))));
          record(b, size, random);
        }
      }
      bytes = b.readableBytes();
      data = Unpooled.unreleasableBuffer(b.asReadOnly());
    }

    private void record(ByteBuf b, int size, Random random) {
      b.writeByte(23).writeShort(0x0303).writeShort(size);
      byte[] fragment = new byte[size];
      random.nextBytes(fragment);
      b.writeBytes(fragment);
      count++;
    }
  }

  /** Records and bytes framed, reported by JMH per second. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Rates {
    /** Records framed. */
    public long records;
    /** Stream bytes framed. */
    public long bytes;

    /** Starts each iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
      records = 0;
      bytes = 0;
    }
  }

  /** One reusable reader per thread. */
  @State(Scope.Thread)
  public static class Reader {
    final TlsRecordReader reader = new TlsRecordReader(Limits.defaults());

    /** Releases the reader. */
    @TearDown(Level.Trial)
    public void close() {
      reader.close();
    }
  }

  /** Wirelens: {@code TlsRecordReader} over the whole buffer. */
  @Benchmark
  public long reader(Input in, Reader r, Rates rates) {
    TlsRecordReader reader = r.reader;
    reader.feed(in.data.retainedDuplicate());
    long sum = 0;
    while (reader.next() == DecodeStatus.RECORD) {
      sum += reader.record().contentType() + reader.record().length();
    }
    rates.records += in.count;
    rates.bytes += in.bytes;
    return sum;
  }

  /** Floor: Netty's {@code SslHandler.isEncrypted} per header and a hand-written length walk. */
  @Benchmark
  public long nettyFloor(Input in, Rates rates) {
    ByteBuf b = in.data.duplicate();
    long sum = 0;
    while (b.readableBytes() >= 5 && SslHandler.isEncrypted(b, false)) {
      int ri = b.readerIndex();
      int len = b.getUnsignedShort(ri + 3);
      sum += b.getUnsignedByte(ri) + len;
      b.readerIndex(ri + 5 + len);
    }
    rates.records += in.count;
    rates.bytes += in.bytes;
    return sum;
  }

  /** Runs these benchmarks; JMH options may be given. */
  public static void main(String[] args) throws Exception {
    run(TlsRecordReaderBenchmark.class, args);
  }
}
