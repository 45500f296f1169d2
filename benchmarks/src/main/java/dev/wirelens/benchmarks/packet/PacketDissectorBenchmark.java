package dev.wirelens.benchmarks.packet;

import dev.wirelens.benchmarks.AbstractMicrobenchmark;
import dev.wirelens.benchmarks.Inputs;
import dev.wirelens.benchmarks.floor.FloorWalk;
import dev.wirelens.benchmarks.peers.Pcap4jPeer;
import dev.wirelens.benchmarks.peers.PktsPeer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One hot packet: {@code PacketDissector.dissect()} of one full-size TCP data frame (1514 bytes, taken from the
 * synthetic traffic), over IPv4 or IPv6, again and again. The ladder: {@code viewOnly} (dissect, read the stop
 * layer), {@code fiveTuple} (dissect and fill a {@code FlowKey}), {@code allFields} (dissect and read every IP and
 * TCP header field), beside the floor ({@link FloorWalk#fiveTuple}), pcap4j ({@code EthernetPacket.newPacket}) and
 * pkts (a pkts packet framed up to TCP).
 *
 * <p>Gate: {@code gc.alloc.rate.norm} about 0 B/op on every Wirelens rung.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PacketDissectorBenchmark extends AbstractMicrobenchmark {

  /** The frame, as a heap buffer and as bytes; the dissector. */
  @State(Scope.Thread)
  public static class Frame {
    /** IP version of the frame. */
    @Param({"ipv4", "ipv6"})
    public String ip;

    byte[] bytes;
    ByteBuf buf;
    PktsPeer pkts;

    /** Builds the frame. */
    @Setup(Level.Trial)
    public void setUp() {
      bytes = Inputs.hotFrame("ipv6".equals(ip));
      buf = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes));
      pkts = new PktsPeer(bytes);
    }
  }

  /** Floor: hand-written Ethernet/IP/TCP offsets, 5-tuple folded. */
  @Benchmark
  public long floor(Frame f) {
    return FloorWalk.fiveTuple(f.buf, 0, f.bytes.length);
  }

  /** pcap4j 1.8.2: {@code EthernetPacket.newPacket}, 5-tuple from its headers. */
  @Benchmark
  public long pcap4j(Frame f) {
    return Pcap4jPeer.fiveTuple(f.bytes, 0, f.bytes.length);
  }

  /** pkts 3.0.18: a packet over the frame, framed up to TCP, 5-tuple from its packets. */
  @Benchmark
  public long pkts(Frame f) {
    return f.pkts.fiveTuple();
  }

  /** Runs these benchmarks; JMH options may be given. */
  public static void main(String[] args) throws Exception {
    run(PacketDissectorBenchmark.class, args);
  }
}
