package dev.wirelens.benchmarks.packet;

import dev.wirelens.benchmarks.AbstractMicrobenchmark;
import dev.wirelens.Layer;
import dev.wirelens.benchmarks.Inputs;
import dev.wirelens.benchmarks.WirelensPaths;
import dev.wirelens.benchmarks.floor.FloorWalk;
import dev.wirelens.benchmarks.peers.Pcap4jPeer;
import dev.wirelens.benchmarks.peers.PktsPeer;
import dev.wirelens.ip.Ipv4Packet;
import dev.wirelens.ip.Ipv6Packet;
import dev.wirelens.link.EthernetFrame;
import dev.wirelens.link.LinkTypes;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.tcp.FlowKey;
import dev.wirelens.tcp.TcpSegment;
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
    final PacketDissector dissector = new PacketDissector();
    final FlowKey key = new FlowKey();

    /** Builds the frame. */
    @Setup(Level.Trial)
    public void setUp() {
      bytes = Inputs.hotFrame("ipv6".equals(ip));
      buf = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes));
      pkts = new PktsPeer(bytes);
    }
  }

  /** Wirelens, rung 1: dissect only (link to TCP); returns the deepest layer. */
  @Benchmark
  public Layer viewOnly(Frame f) {
    return f.dissector.dissect(f.buf, LinkTypes.ETHERNET);
  }

  /** Wirelens, rung 2: dissect and fill a {@code FlowKey}, folded as every path folds its 5-tuple. */
  @Benchmark
  public long fiveTuple(Frame f) {
    return WirelensPaths.fiveTuple(f.buf, f.dissector, f.key);
  }

  /** Wirelens, rung 3: dissect and read every Ethernet, IP and TCP header field through the views. */
  @Benchmark
  public long allFields(Frame f) {
    PacketDissector d = f.dissector;
    d.dissect(f.buf, LinkTypes.ETHERNET);
    EthernetFrame eth = d.ethernet();
    long acc = eth.destination() + eth.source() + eth.etherType();
    if (d.has(Layer.IPV4)) {
      Ipv4Packet ip = d.ipv4();
      acc += ip.version() + ip.headerLength() + ip.typeOfService() + ip.totalLength() + ip.identification()
          + ip.flags() + ip.fragmentOffset() + ip.timeToLive() + ip.protocol() + ip.headerChecksum()
          + ip.sourceAddress() + ip.destinationAddress() + ip.payloadLength();
    } else if (d.has(Layer.IPV6)) {
      Ipv6Packet ip = d.ipv6();
      acc += ip.version() + ip.trafficClass() + ip.flowLabel() + ip.payloadLength() + ip.nextHeader()
          + ip.hopLimit() + ip.sourceAddressHigh() + ip.sourceAddressLow() + ip.destinationAddressHigh()
          + ip.destinationAddressLow();
    }
    if (d.has(Layer.TCP)) {
      TcpSegment t = d.tcp();
      acc += t.sourcePort() + t.destinationPort() + t.sequenceNumber() + t.acknowledgmentNumber()
          + t.headerLength() + t.flags() + t.window() + t.checksum() + t.urgentPointer() + t.payloadOffset()
          + t.payloadLength();
    }
    return acc;
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
