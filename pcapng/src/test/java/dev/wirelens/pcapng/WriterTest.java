package dev.wirelens.pcapng;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The writers produce exactly the recorded samples (vectors/written), tshark reads those samples cleanly and
 * sees what our reader sees (frames, timestamps, lengths, link types, comments, flags, section options, DSB), and
 * what is written reads back identically in both byte orders.
 */
class WriterTest {
  static final Path DIR = WrittenSamples.DIR;

  static Stream<String> samples() {
    return Stream.of("written-le.pcapng", "written-be.pcapng", "written-us-le.pcap", "written-ns-be.pcap");
  }

  static byte[] generate(String sample) {
    switch (sample) {
      case "written-le.pcapng": return WrittenSamples.pcapng(true);
      case "written-be.pcapng": return WrittenSamples.pcapng(false);
      case "written-us-le.pcap": return WrittenSamples.pcap(false, true);
      case "written-ns-be.pcap": return WrittenSamples.pcap(true, false);
      default: throw new IllegalArgumentException(sample);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void writersProduceExactlyTheRecordedSample(String sample) throws IOException {
    assertThat(generate(sample)).isEqualTo(Files.readAllBytes(DIR.resolve(sample)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void tsharkReadsTheSampleCleanlyAndAsWeDo(String sample) throws IOException {
    assertThat(Files.readString(DIR.resolve(sample + ".tshark.txt"))).isEmpty();
    try (CaptureReader r = CaptureReader.open(DIR.resolve(sample))) {
      CaptureExpectationsTest.check(DIR, sample, Frames.readAll(r));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void commentsAndFlagsOfEveryPacketMatchTshark(String sample) throws IOException {
    List<String> lines = Files.readAllLines(DIR.resolve(sample + ".packets.tsv"));
    try (CaptureReader r = CaptureReader.open(DIR.resolve(sample))) {
      for (String line : lines) {
        String[] f = line.split("\t", -1);
        assertThat(r.next()).isEqualTo(DecodeStatus.FRAME);
        String comment = "";
        String flags = "";
        if (r.pcapngReader() != null) {
          EnhancedPacketBlock epb = r.pcapngReader().enhancedPacket();
          PcapngOptionCursor o = epb.options();
          comment = o.seek(PcapngOptionCodes.COMMENT) ? o.valueAsString().replace("\n", "\\n") : "";
          flags = epb.flags() < 0 ? "" : String.format("0x%08x", epb.flags());
        }
        assertThat(comment).as("frame %s comment", f[0]).isEqualTo(f[1]);
        assertThat(flags).as("frame %s flags", f[0]).isEqualTo(f[2]);
      }
      assertThat(r.next()).isEqualTo(DecodeStatus.END);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void sectionAndInterfaceOptionsMatchTshark(String sample) throws IOException {
    if (!sample.endsWith(".pcapng")) {
      return;
    }
    String[] cols = Files.readString(DIR.resolve(sample + ".file.tsv")).replaceAll("\n$", "").split("\t", -1);
    List<String> comments = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> descriptions = new ArrayList<>();
    List<String> tsresols = new ArrayList<>();
    String hardware = null;
    String os = null;
    String app = null;
    try (PcapngReader r = new PcapngReader()) {
      r.feed(Unpooled.wrappedBuffer(Files.readAllBytes(DIR.resolve(sample))));
      r.endOfInput();
      while (r.next() == DecodeStatus.BLOCK) {
        PcapngOptionCursor o = PcapngConformanceTest.options(r);
        while (o != null && o.next()) {
          String v = o.code() == PcapngOptionCodes.IF_TSRESOL ? String.format("0x%02x", o.valueU8())
              : o.valueAsString().replace("\n", "\\n");
          if (o.code() == PcapngOptionCodes.COMMENT) {
            comments.add(v);
          } else if (r.blockType() == PcapngBlockTypes.SECTION_HEADER) {
            if (o.code() == PcapngOptionCodes.SHB_HARDWARE) {
              hardware = v;
            } else if (o.code() == PcapngOptionCodes.SHB_OS) {
              os = v;
            } else if (o.code() == PcapngOptionCodes.SHB_USERAPPL) {
              app = v;
            }
          } else if (r.blockType() == PcapngBlockTypes.INTERFACE_DESCRIPTION) {
            if (o.code() == PcapngOptionCodes.IF_NAME) {
              names.add(v);
            } else if (o.code() == PcapngOptionCodes.IF_DESCRIPTION) {
              descriptions.add(v);
            } else if (o.code() == PcapngOptionCodes.IF_TSRESOL) {
              tsresols.add(v);
            }
          }
        }
      }
    }
    assertThat(String.join("\u001e", comments)).isEqualTo(cols[0]);
    assertThat(hardware).isEqualTo(cols[1]);
    assertThat(os).isEqualTo(cols[2]);
    assertThat(app).isEqualTo(cols[3]);
    assertThat(String.join("\u001e", names)).isEqualTo(cols[4]);
    assertThat(String.join("\u001e", descriptions)).isEqualTo(cols[5]);
    assertThat(String.join("\u001e", tsresols)).isEqualTo(cols[6]);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void decryptionSecretsMatchTshark(String sample) throws IOException {
    Path dsb = DIR.resolve(sample + ".dsb.tsv");
    if (!Files.exists(dsb)) {
      return;
    }
    String[] f = Files.readAllLines(dsb).get(0).split("\t");
    try (CaptureReader r = CaptureReader.open(DIR.resolve(sample))) {
      Frames.readAll(r);
      assertThat(r.decryptionSecrets()).hasSize(1);
      assertThat(r.decryptionSecrets().get(0).secretsType()).isEqualTo(Long.decode(f[0]));
      assertThat(r.decryptionSecrets().get(0).data()).hasSize(Integer.parseInt(f[1]));
      assertThat(HexFormat.of().formatHex(r.decryptionSecrets().get(0).data())).isEqualTo(f[2]);
      assertThat(r.decryptionSecrets().get(0).dataAsString()).isEqualTo(WrittenSamples.KEY_LOG);
      // the first comment tshark's file dissector lists is the SHB's (see sectionAndInterfaceOptionsMatchTshark)
      String[] cols = Files.readString(DIR.resolve(sample + ".file.tsv")).split("\t", -1);
      assertThat(r.sectionComments()).containsExactly(cols[0].split("\u001e")[0]);
    }
  }

  @Test
  void decryptionSecretsBeyondTheBufferingCapAreCountedNotKept() {
    Limits tiny = Limits.builder().maxBufferedBytesTotal(WrittenSamples.KEY_LOG.length() - 1).build();
    try (CaptureReader r = CaptureReader.of(Unpooled.wrappedBuffer(WrittenSamples.pcapng(true)), tiny)) {
      assertThat(Frames.readAll(r).end()).isEqualTo(DecodeStatus.END);
      assertThat(r.decryptionSecrets()).isEmpty();
      assertThat(r.droppedDecryptionSecrets()).isEqualTo(1);
    }
  }

  @Test
  void sectionsOfBothByteOrdersRoundTripThroughOneStream() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long[] times = {0L, 1L, 1_700_000_000_000_000_001L, 4_102_444_800_123_456_789L};
    List<byte[]> payloads = new ArrayList<>();
    for (boolean le : new boolean[] {true, false}) {
      PcapngWriter w = new PcapngWriter(out, le);
      w.writeSectionHeader(le ? "little" : "big", null, null, null);
      int linkType = le ? 1 : 276;
      int id = w.writeInterface(linkType, 128, 9, le ? "a" : "b", null);
      for (int i = 0; i < times.length; i++) {
        byte[] p = new byte[i * 13 + 1];
        Arrays.fill(p, (byte) (i + (le ? 0 : 100)));
        payloads.add(p);
        w.writeEnhancedPacket(id, times[i], Unpooled.wrappedBuffer(p), p.length + i, -1, null);
      }
      w.flush();
    }
    try (CaptureReader r = CaptureReader.of(Unpooled.wrappedBuffer(out.toByteArray()), Limits.defaults())) {
      for (int s = 0; s < 2; s++) {
        for (int i = 0; i < times.length; i++) {
          assertThat(r.next()).isEqualTo(DecodeStatus.FRAME);
          assertThat(r.timestampNanos()).isEqualTo(times[i]);
          assertThat(ByteBufUtil.getBytes(r.frame())).isEqualTo(payloads.get(s * times.length + i));
          assertThat(r.originalLength()).isEqualTo(payloads.get(s * times.length + i).length + i);
          assertThat(r.linkType()).isEqualTo(s == 0 ? 1 : 276);
          assertThat(r.interfaces().get(0).name()).isEqualTo(s == 0 ? "a" : "b");
          assertThat(r.pcapngReader().isLittleEndian()).isEqualTo(s == 0);
        }
      }
      assertThat(r.next()).isEqualTo(DecodeStatus.END);
    }
  }

  @Test
  void pcapRoundTripKeepsMicrosecondsOrNanosecondsInBothByteOrders(@TempDir Path tmp) {
    long t = 1_234_567_890_987_654_321L;
    for (boolean nano : new boolean[] {true, false}) {
      for (boolean le : new boolean[] {true, false}) {
        Path file = tmp.resolve("x-" + nano + le + ".pcap");
        ByteBuf data = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
        try (PcapWriter w = new PcapWriter(newOutput(file), 228, 3, nano, le)) {
          w.writeRecord(t, data, 9);
        }
        try (CaptureReader r = CaptureReader.open(file)) {
          assertThat(r.next()).isEqualTo(DecodeStatus.FRAME);
          assertThat(r.timestampNanos()).isEqualTo(nano ? t : t - t % 1000);
          assertThat(r.linkType()).isEqualTo(228);
          assertThat(r.originalLength()).isEqualTo(9);
          assertThat(r.pcapReader().isNanosecond()).isEqualTo(nano);
          assertThat(r.pcapReader().isLittleEndian()).isEqualTo(le);
          assertThat(r.pcapReader().versionMajor()).isEqualTo(2);
          assertThat(r.pcapReader().versionMinor()).isEqualTo(4);
          assertThat(r.next()).isEqualTo(DecodeStatus.END);
        }
      }
    }
  }

  private static java.io.OutputStream newOutput(Path file) {
    try {
      return Files.newOutputStream(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void packetBeforeSectionHeaderOrOnUnknownInterfaceIsMisuse() {
    PcapngWriter w = new PcapngWriter(new ByteArrayOutputStream(), true);
    ByteBuf data = Unpooled.wrappedBuffer(new byte[4]);
    assertThatThrownBy(() -> w.writeEnhancedPacket(0, 0, data, 4, -1, null))
        .isInstanceOf(IllegalStateException.class);
    w.writeSectionHeader(null, null, null, null);
    assertThatThrownBy(() -> w.writeEnhancedPacket(0, 0, data, 4, -1, null))
        .isInstanceOf(IllegalArgumentException.class);
    w.close();
  }
}
