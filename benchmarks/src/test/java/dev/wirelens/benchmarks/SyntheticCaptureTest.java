package dev.wirelens.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.benchmarks.floor.FloorWalk;
import dev.wirelens.benchmarks.generator.CaptureFileWriter.Format;
import dev.wirelens.benchmarks.generator.SyntheticCapture;
import dev.wirelens.benchmarks.peers.Pcap4jPeer;
import dev.wirelens.benchmarks.peers.PktsPeer;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.tcp.FlowKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmarks' input and paths are what they claim: the generator is deterministic and writes what tshark reads
 * (expected values recorded with capinfos/tshark/sha256sum), and the floor, Wirelens and both peers decode the same
 * 5-tuples from it, so the benchmarks compare equal work.
 */
class SyntheticCaptureTest {
  private static final long SIZE = 4L << 20;
  private static final long SEED = 7;

  @TempDir
  static Path dir;

  private static SyntheticCapture capture;
  private static Properties expected;

  @BeforeAll
  static void generate() throws IOException {
    capture = SyntheticCapture.ensure(dir, SIZE, SEED);
    expected = new Properties();
    try (Reader r = new java.io.InputStreamReader(
        SyntheticCaptureTest.class.getResourceAsStream("/synthetic-7-4194304.expected.properties"),
        java.nio.charset.StandardCharsets.UTF_8)) {
      expected.load(r);
    }
  }

  @Test
  void sameSeedWritesTheSameBytes() throws Exception {
    assertThat(sha256(capture.pcap())).isEqualTo(expected.getProperty("pcapSha256"));
    assertThat(sha256(capture.pcapng())).isEqualTo(expected.getProperty("pcapngSha256"));
  }

  @Test
  void packetCountsAreThoseCapinfosAndTsharkReport() throws IOException {
    assertThat(capture.packets()).isEqualTo(Long.parseLong(expected.getProperty("packets")));
    assertThat(capture.ipv6Packets()).isEqualTo(Long.parseLong(expected.getProperty("ipv6Packets")));
    assertThat(capture.pcapBytes()).isEqualTo(Files.size(capture.pcap()));
    assertThat(capture.pcapngBytes()).isEqualTo(Files.size(capture.pcapng()));
  }

  @Test
  void captureReaderReadsEveryFrameOfBothFormatsFromFileAndMemory() throws IOException {
    long packets = Long.parseLong(expected.getProperty("packets"));
    for (Format format : Format.values()) {
      try (CaptureReader r = CaptureReader.open(capture.file(format))) {
        assertThat(count(r)).as(format + " file").isEqualTo(packets);
      }
      ByteBuf data = Unpooled.wrappedBuffer(Files.readAllBytes(capture.file(format)));
      try (CaptureReader r = CaptureReader.of(data.retain(), Limits.defaults())) {
        assertThat(count(r)).as(format + " memory").isEqualTo(packets);
      } finally {
        assertThat(data.release()).isTrue();
      }
    }
  }

  @Test
  void floorScansEveryFrameFromFile() throws IOException {
    ByteBuffer scratch = ByteBuffer.allocateDirect(1 << 20);
    ByteBuf pcap = Unpooled.wrappedBuffer(Files.readAllBytes(capture.pcap()));
    ByteBuf pcapng = Unpooled.wrappedBuffer(Files.readAllBytes(capture.pcapng()));
    try {
      assertThat(FloorWalk.scanPcapFile(capture.pcap(), scratch)).isEqualTo(FloorWalk.scanPcap(pcap));
      assertThat(FloorWalk.scanPcapngFile(capture.pcapng(), scratch)).isEqualTo(FloorWalk.scanPcapng(pcapng));
    } finally {
      pcap.release();
      pcapng.release();
    }
  }

  @Test
  void floorWirelensPcap4jAndPktsDecodeTheSameFiveTuples() throws IOException {
    byte[] pcapBytes = Files.readAllBytes(capture.pcap());
    ByteBuf pcap = Unpooled.wrappedBuffer(pcapBytes);
    ByteBuf pcapng = Unpooled.wrappedBuffer(Files.readAllBytes(capture.pcapng()));
    try {
      long floor = FloorWalk.decodePcap(pcap);
      assertThat(floor).isNotZero();
      assertThat(FloorWalk.decodePcapng(pcapng)).isEqualTo(floor);
      assertThat(WirelensPaths.decode(pcap, new PacketDissector(), new FlowKey())).isEqualTo(floor);
      assertThat(WirelensPaths.decode(pcapng, new PacketDissector(), new FlowKey())).isEqualTo(floor);
      assertThat(WirelensPaths.decodeFrameSlice(pcap, new PacketDissector(), new FlowKey())).isEqualTo(floor);
      assertThat(WirelensPaths.decodeFrameSlice(pcapng, new PacketDissector(), new FlowKey())).isEqualTo(floor);
      assertThat(Pcap4jPeer.decodePcap(pcapBytes, pcapBytes.length)).isEqualTo(floor);
      assertThat(PktsPeer.decodePcap(pcapBytes, pcapBytes.length)).isEqualTo(floor);
    } finally {
      pcap.release();
      pcapng.release();
    }
  }

  @Test
  void hotFramesAreFullSizeTcpOverEachIpVersion() {
    for (boolean v6 : new boolean[] {false, true}) {
      byte[] frame = Inputs.hotFrame(v6);
      ByteBuf buf = Unpooled.wrappedBuffer(frame);
      try {
        assertThat(frame).hasSize(1514);
        assertThat(buf.getUnsignedShort(12)).isEqualTo(v6 ? 0x86DD : 0x0800);
        long floor = FloorWalk.fiveTuple(buf, 0, frame.length);
        assertThat(WirelensPaths.fiveTuple(buf, new PacketDissector(), new FlowKey())).isEqualTo(floor);
        assertThat(Pcap4jPeer.fiveTuple(frame, 0, frame.length)).isEqualTo(floor);
        assertThat(new PktsPeer(frame).fiveTuple()).isEqualTo(floor);
      } finally {
        buf.release();
      }
    }
  }

  private static long count(CaptureReader r) {
    long n = 0;
    DecodeStatus s;
    while ((s = r.next()) == DecodeStatus.FRAME) {
      n++;
    }
    assertThat(s).isEqualTo(DecodeStatus.END);
    return n;
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] chunk = new byte[1 << 16];
      int n;
      while ((n = in.read(chunk)) > 0) {
        md.update(chunk, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new UncheckedIOException(new IOException(e));
    }
  }
}
