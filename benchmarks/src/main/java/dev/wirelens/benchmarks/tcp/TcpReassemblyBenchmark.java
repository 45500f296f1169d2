package dev.wirelens.benchmarks.tcp;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.benchmarks.AbstractMicrobenchmark;
import dev.wirelens.benchmarks.Inputs;
import dev.wirelens.benchmarks.generator.CaptureFileWriter.Format;
import dev.wirelens.benchmarks.generator.SyntheticCapture;
import dev.wirelens.link.LinkTypes;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.GapReason;
import dev.wirelens.tcp.TcpConnection;
import dev.wirelens.tcp.TcpReassembler;
import dev.wirelens.tcp.TcpStreamListener;
import dev.wirelens.testkit.PacketBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.time.Duration;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * TCP reassembly (issue 3), decode included, in one JMH run:
 * <ul>
 *   <li>{@link #inOrder}: one operation reads the whole synthetic pcap capture from memory
 *       ({@code CaptureReader.next()}, {@code PacketDissector.dissect(reader)}) and feeds every packet to a
 *       {@link TcpReassembler} whose listener consumes every delivered byte. Read the {@code payloadBytes} secondary
 *       result (bytes/s delivered to the listener: GB/s = it / 1e9) and {@code packets};
 *       {@code gc.alloc.rate.norm} is per whole capture (it includes each connection's state: divide by packets).
 *   <li>{@link #impaired}: the same traffic with 0.5% of data segments lost, 2% reordered and 1% followed by an
 *       overlapping retransmission ({@code ImpairedTraffic}, seeded).
 *   <li>{@link #ackLookup} with {@code flows} = 1,000 and 100,000 established connections: one operation is one pure
 *       ACK of a randomly chosen connection, dissected and looked up in the flow table (ns/op).
 *   <li>{@link #inOrderSegment}: one operation is one 1448-byte in-order data segment of a randomly chosen
 *       established connection, dissected, looked up and delivered: the steady-state in-order path, whose
 *       {@code gc.alloc.rate.norm} is the bytes allocated per segment. The frames of both benchmarks lie in one
 *       buffer, as a capture reader hands them out (the reassembler makes one payload view per distinct packet
 *       buffer: a caller that gives every packet a buffer of its own pays 16 bytes per data segment for it).
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class TcpReassemblyBenchmark extends AbstractMicrobenchmark {

  /** The synthetic capture in memory. */
  @State(Scope.Benchmark)
  public static class InOrderCapture {
    /** Capture size: {@code 1g}, {@code 256m}... */
    @Param("1g")
    public String captureSize;

    SyntheticCapture capture;
    ByteBuf pcap;

    /** Generates or finds the capture and loads it. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
      capture = Inputs.capture(captureSize);
      pcap = Inputs.buffer(Inputs.bytes(capture, Format.PCAP), "heap");
    }
  }

  /** The impaired variant of the same capture, in memory. */
  @State(Scope.Benchmark)
  public static class ImpairedCapture {
    /** Capture size: {@code 1g}, {@code 256m}... */
    @Param("1g")
    public String captureSize;

    SyntheticCapture capture;
    ByteBuf pcap;

    /** Generates or finds the capture and loads it. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
      capture = SyntheticCapture.ensureImpaired(SyntheticCapture.parseSize(captureSize),
          SyntheticCapture.DEFAULT_SEED);
      pcap = Inputs.buffer(Inputs.bytes(capture, Format.PCAP), "heap");
    }
  }

  /** Delivered bytes and packets, reported by JMH per second. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Rates {
    /** Payload bytes delivered to the listener. */
    public long payloadBytes;
    /** Frames read. */
    public long packets;
    /** Bytes reported as gaps. */
    public long gapBytes;

    /** Starts each iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
      payloadBytes = 0;
      packets = 0;
      gapBytes = 0;
    }
  }

  /** A listener that consumes everything and counts it. */
  static final class Counting implements TcpStreamListener {
    long bytes;
    long gapBytes;
    long checksum;

    @Override
    public int onData(TcpConnection c, Direction d, long offset, ByteBuf data) {
      int n = data.readableBytes();
      bytes += n;
      checksum += data.getByte(data.readerIndex()); // touch the data, as any consumer would
      return n;
    }

    @Override
    public void onGap(TcpConnection c, Direction d, long offset, long length, GapReason why) {
      gapBytes += length;
    }
  }

  /** The reused dissector and listener. */
  @State(Scope.Thread)
  public static class Worker {
    final PacketDissector dissector = new PacketDissector();
    final Counting listener = new Counting();
  }

  /** The documented loop: read, dissect in place, reassemble. Returns a value that depends on every byte count. */
  static long reassemble(ByteBuf pcap, Worker w, Rates rates) {
    Counting l = w.listener;
    l.bytes = 0;
    l.gapBytes = 0;
    long packets = 0;
    PacketDissector d = w.dissector;
    try (CaptureReader r = CaptureReader.of(pcap.retainedDuplicate(), Limits.defaults());
        TcpReassembler tcp = new TcpReassembler(Limits.defaults(), l)) {
      while (r.next() == DecodeStatus.FRAME) {
        d.dissect(r);
        tcp.onPacket(d, r.timestampNanos());
        packets++;
      }
    }
    rates.payloadBytes += l.bytes;
    rates.gapBytes += l.gapBytes;
    rates.packets += packets;
    return l.bytes + l.checksum;
  }

  /** In-order reassembly of the whole synthetic capture, decode included. */
  @Benchmark
  public long inOrder(InOrderCapture in, Worker w, Rates rates) {
    return reassemble(in.pcap, w, rates);
  }

  /** The same capture with loss, reordering and overlapping retransmissions. */
  @Benchmark
  public long impaired(ImpairedCapture in, Worker w, Rates rates) {
    return reassemble(in.pcap, w, rates);
  }

  /** A reassembler with {@code flows} established connections and one ACK and one data frame per connection. */
  @State(Scope.Thread)
  public static class FlowTable {
    /** Established connections in the flow table. */
    @Param({"1000", "100000"})
    public int flows;

    static final int PAYLOAD = 1448;
    static final int SEQ_OFFSET = 14 + 20 + 4; // Ethernet, IPv4, TCP sequence number

    final PacketDissector dissector = new PacketDissector();
    final Counting listener = new Counting();
    TcpReassembler tcp;
    ByteBuf acks; // frame i at i * ackLength: one buffer, as a capture reader hands out
    ByteBuf data; // frame i at i * dataLength
    int ackLength;
    int dataLength;
    long[] serverSeq;
    int[] order;
    int cursor;
    long now = 1_767_225_600_000_000_000L;

    /** Opens every connection with a three-way handshake. */
    @Setup(Level.Trial)
    public void setUp() {
      Limits limits = Limits.defaults().toBuilder().maxFlows(flows * 2).idleTimeout(Duration.ofDays(1)).build();
      tcp = new TcpReassembler(limits, listener);
      serverSeq = new long[flows];
      SplittableRandom random = new SplittableRandom(20261128L);
      for (int i = 0; i < flows; i++) {
        int client = 0x0A000000 | (i + 1);
        int server = 0xC0000201 + (i % 61);
        int port = 32768 + (i % 28000);
        long cs = random.nextLong() & 0xFFFFFFFFL;
        long ss = random.nextLong() & 0xFFFFFFFFL;
        feed(PacketBuilder.ethernet().ipv4(client, server).tcp(port, 443).seq(cs).flags(PacketBuilder.SYN)
            .mss(1460).build());
        feed(PacketBuilder.ethernet().ipv4(server, client).tcp(443, port).seq(ss).ack(cs + 1)
            .flags(PacketBuilder.SYN | PacketBuilder.ACK).mss(1460).build());
        byte[] ack = PacketBuilder.ethernet().ipv4(client, server).tcp(port, 443).seq(cs + 1).ack(ss + 1)
            .flags(PacketBuilder.ACK).window(65535).build();
        feed(ack);
        byte[] segment = PacketBuilder.ethernet().ipv4(server, client).tcp(443, port).seq(ss + 1)
            .ack(cs + 1).flags(PacketBuilder.ACK).window(65535).payload(PAYLOAD).build();
        if (acks == null) {
          ackLength = ack.length;
          dataLength = segment.length;
          acks = Unpooled.buffer(ackLength * flows, ackLength * flows);
          data = Unpooled.buffer(dataLength * flows, dataLength * flows);
        }
        acks.writeBytes(ack);
        data.writeBytes(segment);
        serverSeq[i] = (ss + 1) & 0xFFFFFFFFL;
      }
      order = new int[1 << 20];
      for (int i = 0; i < order.length; i++) {
        order[i] = random.nextInt(flows);
      }
      if (tcp.connectionCount() != flows) {
        throw new IllegalStateException(tcp.connectionCount() + " connections, expected " + flows);
      }
    }

    private void feed(byte[] frame) {
      dissector.dissect(Unpooled.wrappedBuffer(frame), LinkTypes.ETHERNET);
      tcp.onPacket(dissector, now++);
    }

    int next() {
      int i = order[cursor];
      cursor = (cursor + 1) & (order.length - 1);
      return i;
    }

    /** Closes every connection. */
    @TearDown(Level.Trial)
    public void tearDown() {
      tcp.close();
    }
  }

  /** One pure ACK of a random established connection: dissect, flow-table lookup, sequence analysis. */
  @Benchmark
  public boolean ackLookup(FlowTable t) {
    int i = t.next();
    t.dissector.dissect(t.acks, i * t.ackLength, t.ackLength, LinkTypes.ETHERNET);
    return t.tcp.onPacket(t.dissector, t.now++);
  }

  /** One in-order 1448-byte data segment of a random established connection: dissect, look up, deliver. */
  @Benchmark
  public long inOrderSegment(FlowTable t) {
    int i = t.next();
    int at = i * t.dataLength;
    long seq = t.serverSeq[i];
    t.data.setInt(at + FlowTable.SEQ_OFFSET, (int) seq);
    t.serverSeq[i] = (seq + FlowTable.PAYLOAD) & 0xFFFFFFFFL;
    t.dissector.dissect(t.data, at, t.dataLength, LinkTypes.ETHERNET);
    t.tcp.onPacket(t.dissector, t.now++);
    return t.listener.bytes;
  }

  /** Runs these benchmarks; JMH options may be given. */
  public static void main(String[] args) throws Exception {
    run(TcpReassemblyBenchmark.class, args);
  }
}
