package dev.wirelens.pcapng;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.LengthSource;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real captures read by {@link CaptureReader} give exactly what tshark recorded for them
 * (vectors/captures/record-expectations.sh): frame count, epoch timestamps, captured and original lengths,
 * interface ids and link types.
 */
class CaptureExpectationsTest {
  static final Path DIR = Paths.get("src/test/resources/vectors/captures");

  static Stream<String> captures() throws IOException {
    try (Stream<Path> s = Files.list(DIR)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".pcap") || n.endsWith(".pcapng") || n.endsWith(".pcap.gz"))
          .sorted().toList().stream();
    }
  }

  /** One line of {@code <capture>.frames.tsv}. */
  record Expected(long epochNanos, int capLen, long len, String interfaceId) {}

  static List<Expected> expectedFrames(String capture) throws IOException {
    return expectedFrames(DIR, capture);
  }

  static List<Expected> expectedFrames(Path dir, String capture) throws IOException {
    List<Expected> out = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve(capture + ".frames.tsv"))) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      // Beyond the range of a long (tshark reads a u64 timestamp as unsigned) the reader saturates.
      BigDecimal exact = new BigDecimal(f[1]).movePointRight(9);
      long nanos = exact.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Long.MAX_VALUE : exact.longValueExact();
      out.add(new Expected(nanos, Integer.parseInt(f[2]), Long.parseLong(f[3]), f[4]));
    }
    return out;
  }

  /** Link types per interface id (pcapng: every IDB; pcap: the header field). */
  static String[] linkTypes(String capture) throws IOException {
    return linkTypes(DIR, capture);
  }

  static String[] linkTypes(Path dir, String capture) throws IOException {
    String line = Files.readAllLines(dir.resolve(capture + ".linktypes.tsv")).get(0);
    String[] f = line.split("\t", -1);
    return f[0].isEmpty() ? f[1].split(",") : new String[] {f[0]};
  }

  static String tsharkError(Path dir, String capture) throws IOException {
    return Files.readString(dir.resolve(capture + ".tshark.txt"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("captures")
  void everyFrameMatchesTshark(String capture) throws IOException {
    Frames.Run run;
    try (CaptureReader r = CaptureReader.open(DIR.resolve(capture))) {
      run = Frames.readAll(r);
    }
    check(DIR, capture, run);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("captures")
  void streamChannelAndByteBufSourcesGiveTheSameFramesAsTheFile(String capture) throws IOException {
    Frames.Run fromFile;
    try (CaptureReader r = CaptureReader.open(DIR.resolve(capture))) {
      fromFile = Frames.readAll(r);
    }
    Frames.Run fromStream;
    try (InputStream in = Files.newInputStream(DIR.resolve(capture));
        CaptureReader r = CaptureReader.open(in, Limits.defaults())) {
      fromStream = Frames.readAll(r);
    }
    ByteBuf data = Unpooled.wrappedBuffer(Files.readAllBytes(DIR.resolve(capture)));
    Frames.Run fromBuf;
    try (CaptureReader r = CaptureReader.of(data, Limits.defaults())) {
      fromBuf = Frames.readAll(r);
    }
    assertThat(data.refCnt()).isZero();
    Frames.Run fromChannel;
    try (CaptureReader r = CaptureReader.open(
        java.nio.channels.Channels.newChannel(Files.newInputStream(DIR.resolve(capture))), Limits.defaults())) {
      fromChannel = Frames.readAll(r);
    }
    assertThat(fromChannel.frames()).isEqualTo(fromFile.frames());
    assertThat(fromChannel.report()).isEqualTo(fromFile.report());
    assertThat(fromStream.frames()).isEqualTo(fromFile.frames());
    assertThat(fromBuf.frames()).isEqualTo(fromFile.frames());
    assertThat(fromStream.report()).isEqualTo(fromFile.report());
    assertThat(fromBuf.report()).isEqualTo(fromFile.report());
  }

  static void check(Path dir, String capture, Frames.Run run) throws IOException {
    List<Expected> expected = expectedFrames(dir, capture);
    String error = tsharkError(dir, capture);
    String[] linkTypes = linkTypes(dir, capture);
    if (error.contains("network type")) {
      // tshark refuses the link type, not the file: we read the records and expose the raw field
      assertThat(run.end()).isEqualTo(DecodeStatus.END);
      return;
    }
    assertThat(run.frames()).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      Expected e = expected.get(i);
      Frames.Frame f = run.frames().get(i);
      assertThat(f.timestampNanos()).as("frame %d time", i + 1).isEqualTo(e.epochNanos());
      assertThat(f.capturedLength()).as("frame %d cap_len", i + 1).isEqualTo(e.capLen());
      assertThat(f.originalLength()).as("frame %d len", i + 1).isEqualTo(e.len());
      if (!e.interfaceId().isEmpty()) {
        assertThat(f.interfaceId()).as("frame %d interface", i + 1).isEqualTo(Integer.parseInt(e.interfaceId()));
      }
      int expectedLinkType = Integer.parseInt(linkTypes[linkTypes.length == 1 ? 0 : f.interfaceId()]) & 0xFFFF;
      assertThat(f.linkType()).as("frame %d link type", i + 1).isEqualTo(expectedLinkType);
    }
    if (error.contains("bigger than maximum")) {
      // "File has N-byte packet": the record after the last frame tshark read; the file ends inside it
      long n = Long.parseLong(error.replaceAll("(?s).*File has (\\d+)-byte packet.*", "$1"));
      long offset = PcapReader.HEADER_LENGTH;
      for (Expected e : expected) {
        offset += PcapReader.RECORD_HEADER_LENGTH + e.capLen();
      }
      assertThat(run.end()).isEqualTo(DecodeStatus.MALFORMED);
      assertThat(run.raw().malformation()).isEqualTo(Malformation.TRUNCATED);
      assertThat(run.raw().offset()).isEqualTo(offset);
      assertThat(run.raw().requiredLength()).isEqualTo(PcapReader.RECORD_HEADER_LENGTH + n);
      assertThat(run.raw().availableLength()).isEqualTo(Files.size(dir.resolve(capture)) - offset);
      assertThat(run.raw().lengthSource()).isEqualTo(LengthSource.PCAP_RECORD_LENGTH);
    } else if (error.contains("unknown SHB version")) {
      assertThat(run.end()).isEqualTo(DecodeStatus.MALFORMED);
      assertThat(run.raw().malformation()).isEqualTo(Malformation.BAD_VERSION);
    } else {
      assertThat(error).isEmpty();
      assertThat(run.end()).as(run.report()).isEqualTo(DecodeStatus.END);
    }
  }

  @Test
  void recordLongerThanTheBlockLimitIsRefusedBeforeBuffering() throws IOException {
    String capture = "suricata-verify-tls_DER-incomplete-header.pcap";
    List<Expected> expected = expectedFrames(capture);
    long offset = PcapReader.HEADER_LENGTH;
    for (Expected e : expected) {
      offset += PcapReader.RECORD_HEADER_LENGTH + e.capLen();
    }
    Limits tight = Limits.builder().maxCaptureBlockLength(262144).build();
    try (CaptureReader r = CaptureReader.open(DIR.resolve(capture), tight)) {
      Frames.Run run = Frames.readAll(r);
      assertThat(run.frames()).hasSize(expected.size());
      assertThat(run.end()).isEqualTo(DecodeStatus.MALFORMED);
      assertThat(run.raw().malformation()).isEqualTo(Malformation.LIMIT_EXCEEDED);
      assertThat(run.raw().offset()).isEqualTo(offset + 8); // the incl_len field
      assertThat(r.next()).isEqualTo(DecodeStatus.MALFORMED); // terminal
    }
  }

  @Test
  void unsupportedLinkTypeFieldIsExposedRawWithFcsBits() throws IOException {
    String capture = "tcpdump-hoobr_juniper3.pcap";
    int field = (int) Long.parseLong(linkTypes(capture)[0]);
    try (CaptureReader r = CaptureReader.open(DIR.resolve(capture))) {
      Frames.readAll(r);
      assertThat(r.pcapReader().linkTypeField()).isEqualTo(field);
      assertThat(r.pcapReader().linkType()).isEqualTo(field & 0xFFFF);
      assertThat(r.pcapReader().fcsLength()).isEqualTo(field >>> 28);
    }
  }

  @Test
  void decryptionSecretsBlockIsExposedToCallers() throws IOException {
    String capture = "gopacket-le-test301.pcapng";
    String[] dsb = Files.readAllLines(DIR.resolve(capture + ".dsb.tsv")).get(0).split("\t");
    try (CaptureReader r = CaptureReader.open(DIR.resolve(capture))) {
      assertThat(Frames.readAll(r).end()).isEqualTo(DecodeStatus.END);
      assertThat(r.decryptionSecrets()).hasSize(1);
      DecryptionSecret s = r.decryptionSecrets().get(0);
      assertThat(s.secretsType()).isEqualTo(Long.decode(dsb[0]));
      assertThat(s.isTlsKeyLog()).isTrue();
      assertThat(s.data()).hasSize(Integer.parseInt(dsb[1]));
      assertThat(ByteBufUtil.hexDump(s.data())).isEqualTo(dsb[2]);
      assertThat(s.dataAsString()).startsWith("CLIENT_RANDOM ");
      assertThat(new String(s.data(), StandardCharsets.UTF_8)).isEqualTo(s.dataAsString());
    }
  }

  @Test
  void interfacesOfAMultiInterfaceFileCarryNameSnaplenAndResolution() throws IOException {
    // capinfos -I zeek-pcapng-multi-interface.pcapng: #0 eth0, 262144, tsresol 0x09;
    // #1 \Device\NPF_{5AE6EDB4-EFF9-46B3-A3C2-EE50C688A9E6} "Ethernet 2", 262144, tsresol 0x06
    try (CaptureReader r = CaptureReader.open(DIR.resolve("zeek-pcapng-multi-interface.pcapng"))) {
      Frames.readAll(r);
      assertThat(r.format()).isEqualTo(CaptureFormat.PCAPNG);
      List<PcapngInterface> itfs = r.interfaces();
      assertThat(itfs).hasSize(2);
      assertThat(itfs.get(0).name()).isEqualTo("eth0");
      assertThat(itfs.get(0).tsresol()).isEqualTo(9);
      assertThat(itfs.get(0).snapLength()).isEqualTo(262144);
      assertThat(itfs.get(1).name()).isEqualTo("\\Device\\NPF_{5AE6EDB4-EFF9-46B3-A3C2-EE50C688A9E6}");
      assertThat(itfs.get(1).description()).isEqualTo("Ethernet 2");
      assertThat(itfs.get(1).tsresol()).isEqualTo(6);
    }
  }

  @Test
  void anEmptyPcapStillDescribesItsInterface() {
    try (CaptureReader r = CaptureReader.open(DIR.resolve("tcpdump-empty.pcap"))) {
      assertThat(r.next()).isEqualTo(DecodeStatus.END);
      assertThat(r.format()).isEqualTo(CaptureFormat.PCAP);
      assertThat(r.interfaces()).hasSize(1);
      assertThat(r.interfaces().get(0).linkType()).isEqualTo(Integer.parseInt(linkTypesUnchecked("tcpdump-empty.pcap")));
    }
  }

  private static String linkTypesUnchecked(String capture) {
    try {
      return linkTypes(capture)[0];
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void gzippedPcapIsDetectedAndReportsItsFormat() throws IOException {
    try (CaptureReader r = CaptureReader.open(DIR.resolve("zeek-tls-fragmented-handshake.pcap.gz"))) {
      assertThat(r.next()).isEqualTo(DecodeStatus.FRAME);
      assertThat(r.format()).isEqualTo(CaptureFormat.PCAP);
      assertThat(r.frameOffset()).isEqualTo(24 + 16);
    }
  }
}
