package dev.wirelens.benchmarks.packet;

import dev.wirelens.benchmarks.AbstractMicrobenchmark;
import dev.wirelens.benchmarks.Inputs;
import dev.wirelens.benchmarks.WirelensPaths;
import dev.wirelens.benchmarks.floor.FloorWalk;
import dev.wirelens.benchmarks.generator.CaptureFileWriter.Format;
import dev.wirelens.benchmarks.generator.SyntheticCapture;
import dev.wirelens.benchmarks.peers.Pcap4jPeer;
import dev.wirelens.benchmarks.peers.PktsPeer;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.tcp.FlowKey;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
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
 * Streaming decode: one operation reads the whole synthetic pcap capture (and, for Wirelens and the floor, the
 * same capture as pcapng) from memory and, for every frame, decodes
 * link, IP and TCP and touches the 5-tuple (addresses, protocol, ports). Wirelens ({@code CaptureReader.next()} +
 * {@code PacketDissector.dissect()} + {@code flowKey}), the floor ({@link FloorWalk#decodePcap}), pcap4j
 * ({@code EthernetPacket.newPacket} per frame) and pkts (its own pcap reader and framers), all over the same bytes.
 *
 * <p>Read the {@code packets} secondary result (frames/s): ns/packet = 1e9 / packets. Gate: {@code
 * gc.alloc.rate.norm} about 0 B/op for Wirelens (the peers allocate per packet by design).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 4, time = 5)
public class StreamingDecodeBenchmark extends AbstractMicrobenchmark {

  /** The capture in memory. */
  @State(Scope.Benchmark)
  public static class Input {
    /** Capture size: {@code 1g}, {@code 256m}... */
    @Param("1g")
    public String captureSize;
    /** Memory holding the capture: {@code heap} or {@code direct} (the peers always read the heap bytes). */
    @Param("heap")
    public String buffer;

    SyntheticCapture capture;
    byte[] pcapBytes;
    ByteBuf pcap;

    /** Generates or finds the capture and loads it. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
      capture = Inputs.capture(captureSize);
      pcapBytes = Inputs.bytes(capture, Format.PCAP);
      pcap = Inputs.buffer(pcapBytes, buffer);
    }
  }

  /** The same capture as pcapng, in memory. */
  @State(Scope.Benchmark)
  public static class PcapngInput {
    /** Capture size: {@code 1g}, {@code 256m}... (the same parameter as {@link Input#captureSize}). */
    @Param("1g")
    public String captureSize;
    /** Memory holding the capture: {@code heap} or {@code direct}. */
    @Param("heap")
    public String buffer;

    SyntheticCapture capture;
    ByteBuf pcapng;

    /** Generates or finds the capture and loads it. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
      capture = Inputs.capture(captureSize);
      pcapng = Inputs.buffer(Inputs.bytes(capture, Format.PCAPNG), buffer);
    }
  }

  /** Frames decoded and bytes read, reported by JMH per second. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Rates {
    /** Frames decoded. */
    public long packets;
    /** File bytes read. */
    public long bytes;

    /** Starts each iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
      packets = 0;
      bytes = 0;
    }

    void add(Input in) {
      packets += in.capture.packets();
      bytes += in.capture.pcapBytes();
    }

    void add(PcapngInput in) {
      packets += in.capture.packets();
      bytes += in.capture.pcapngBytes();
    }
  }

  /** The reused dissector and flow key. */
  @State(Scope.Thread)
  public static class Dissector {
    final PacketDissector dissector = new PacketDissector();
    final FlowKey key = new FlowKey();
  }

  /** Wirelens: {@code CaptureReader.next()} + {@code PacketDissector.dissect(reader)} (in place) + flowKey. */
  @Benchmark
  public long wirelensPcap(Input in, Rates rates, Dissector d) {
    rates.add(in);
    return WirelensPaths.decode(in.pcap, d.dissector, d.key);
  }

  /** Wirelens through the convenience {@code dissect(reader.frame(), reader.linkType())}: a slice per frame. */
  @Benchmark
  public long wirelensPcapFrameSlice(Input in, Rates rates, Dissector d) {
    rates.add(in);
    return WirelensPaths.decodeFrameSlice(in.pcap, d.dissector, d.key);
  }

  /** Wirelens over the pcapng file: as {@link #wirelensPcap}. */
  @Benchmark
  public long wirelensPcapng(PcapngInput in, Rates rates, Dissector d) {
    rates.add(in);
    return WirelensPaths.decode(in.pcapng, d.dissector, d.key);
  }

  /** Floor over the pcapng file: hand-written block walk (EPBs) and Ethernet/IP/TCP offsets. */
  @Benchmark
  public long floorPcapng(PcapngInput in, Rates rates) {
    rates.add(in);
    return FloorWalk.decodePcapng(in.pcapng);
  }

  /** Floor: hand-written record walk and Ethernet/IP/TCP offsets. */
  @Benchmark
  public long floorPcap(Input in, Rates rates) {
    rates.add(in);
    return FloorWalk.decodePcap(in.pcap);
  }

  /** pcap4j 1.8.2: {@code EthernetPacket.newPacket} per frame. */
  @Benchmark
  public long pcap4j(Input in, Rates rates) {
    rates.add(in);
    return Pcap4jPeer.decodePcap(in.pcapBytes, in.pcapBytes.length);
  }

  /** pkts 3.0.18: its pcap reader and framers up to TCP. */
  @Benchmark
  public long pkts(Input in, Rates rates) {
    rates.add(in);
    return PktsPeer.decodePcap(in.pcapBytes, in.pcapBytes.length);
  }

  /** Runs these benchmarks; JMH options may be given. */
  public static void main(String[] args) throws Exception {
    run(StreamingDecodeBenchmark.class, args);
  }
}
