package dev.wirelens.examples.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import dev.wirelens.examples.audit.Audit;
import dev.wirelens.examples.audit.AuditSummary;
import dev.wirelens.examples.audit.ConnectionReport;
import dev.wirelens.link.LinkTypes;
import dev.wirelens.pcapng.PcapngWriter;
import dev.wirelens.tcp.Direction;
import io.netty.buffer.Unpooled;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, resource limits at the capture-file level, each under a 256 MiB heap (tag small-heap): a pcapng block that
 * claims 2 GiB, pcap records longer than the snaplen and one claiming 2 GiB, and a gzip bomb. Each run reports the cap
 * (the audit summary's problem and {@code limits()}) and the connections before the hostile part are complete.
 */
@Tag("small-heap")
class CaptureFileLimitsTest {
  @TempDir
  Path dir;

  @Test
  void aPcapngBlockClaimingTwoGibIsRefusedAndTheConnectionsBeforeItAreReported() throws IOException {
    Path file = dir.resolve("claims-2gib.pcapng");
    long badBlockAt;
    long packets;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      CountingStream counted = new CountingStream(out);
      PcapngWriter w = new PcapngWriter(counted, true);
      w.writeSectionHeader(null, null, null, null);
      int itf = w.writeInterface(LinkTypes.ETHERNET, 65535, 9, "eth0", null);
      List<Wire.Frame> frames = new ArrayList<>();
      Wire wire = Wire.collecting(frames);
      wire.normal("10.0.0.2", 40000, "10.0.0.1", Wire.T0);
      wire.tcp("10.0.0.3", 40001, "10.0.0.1", 80).handshake(Wire.T0 + 10_000_000)
          .clientSends(Wire.T0 + 20_000_000, "half a request ");
      for (Wire.Frame f : frames) {
        w.writeEnhancedPacket(itf, f.t(), Unpooled.wrappedBuffer(f.bytes()), f.bytes().length, -1, null);
      }
      packets = frames.size();
      w.flush();
      badBlockAt = counted.count;
      byte[] block = new byte[64];
      Wire.le32(block, 0, 6); // Enhanced Packet Block
      Wire.le32(block, 4, 0x80000000); // Block Total Length: 2 GiB
      counted.write(block);
    }

    List<ConnectionReport> reports = new ArrayList<>();
    AuditSummary s = Audit.builder().build().run(file, reports::add);

    assertThat(s.problem()).isEqualTo("capture block at offset " + (badBlockAt + 4) + " claims more than the limit of "
        + Limits.DEFAULT_MAX_CAPTURE_BLOCK_LENGTH + " bytes (Limits.maxCaptureBlockLength); reading stopped there"
        + " (after " + packets + " packets)");
    assertThat(s.limits()).isEqualTo(Map.of("maxCaptureBlockLength", 1L));
    assertThat(s.frames()).isEqualTo(packets);
    assertThat(reports).hasSize(2);
    Reports.assertNormal(reports.get(0), "10.0.0.2", 40000);
    assertThat(reports.get(1).close()).isEqualTo("open");
    assertThat(reports.get(1).bytes(Direction.CLIENT_TO_SERVER)).isEqualTo("half a request ".length());
  }

  @Test
  void pcapRecordsLongerThanTheSnaplenAreReadWholeAndCountedAndOneClaimingTwoGibEndsTheInput()
      throws IOException {
    Path file = dir.resolve("snaplen.pcap");
    long longerThanSnaplen;
    long badRecordAt;
    long packets;
    try (Wire w = Wire.pcap(new BufferedOutputStream(Files.newOutputStream(file)), 96)) {
      // the 100-byte request (154-byte frame) and the 200-byte answer (254) are longer than the snaplen of 96
      w.normal("10.0.0.2", 40000, "10.0.0.1", Wire.T0);
      longerThanSnaplen = 2;
      packets = w.frames();
      badRecordAt = w.offset();
      byte[] record = new byte[16 + 64];
      Wire.le32(record, 0, (int) (Wire.T0 / 1_000_000_000L) + 1);
      Wire.le32(record, 8, 0x7fffffff); // incl_len: 2 GiB - 1
      Wire.le32(record, 12, 0x7fffffff);
      w.raw(record);
    }

    List<ConnectionReport> reports = new ArrayList<>();
    AuditSummary s = Audit.builder().build().run(file, reports::add);

    assertThat(s.problem()).isEqualTo("capture block at offset " + (badRecordAt + 8) + " claims more than the limit of "
        + Limits.DEFAULT_MAX_CAPTURE_BLOCK_LENGTH + " bytes (Limits.maxCaptureBlockLength); reading stopped there"
        + " (after " + packets + " packets)");
    assertThat(s.limits()).containsExactly(Map.entry("snapLength", longerThanSnaplen),
        Map.entry("maxCaptureBlockLength", 1L));
    assertThat(reports).hasSize(1);
    Reports.assertNormal(reports.get(0), "10.0.0.2", 40000);
  }

  @Test
  void aGzipBombIsCutByTheInflationRatioAfterTheConnectionsBeforeIt() throws IOException {
    // member 1: a pcap header and a normal connection; then 80 members of 16 MiB of junk records each (Ethernet
    // frames of zeros, EtherType 0: no IP), 1.25 GiB decompressed from ~1.3 MiB: deflate's ratio of about 1,000
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    long normalFrames;
    try (Wire w = Wire.pcap(first, 262144)) {
      w.normal("10.0.0.2", 40000, "10.0.0.1", Wire.T0);
      normalFrames = w.frames();
    }
    ByteArrayOutputStream junk = new ByteArrayOutputStream();
    int junkRecords = 256;
    try (Wire w = Wire.raw(junk)) {
      byte[] zeros = new byte[65535 - 16];
      for (int i = 0; i < junkRecords; i++) {
        w.frame(Wire.T0 + 1_000_000_000L, zeros);
      }
    }
    byte[] member1 = gzip(first.toByteArray());
    byte[] bombMember = gzip(junk.toByteArray());
    int members = 80;
    long decompressedTotal = first.size() + (long) members * junk.size();
    long compressedTotal = member1.length + (long) members * bombMember.length;
    assertThat(decompressedTotal).isGreaterThan(1L << 30);
    assertThat(compressedTotal).isLessThan(2L << 20);
    Path file = dir.resolve("bomb.pcap.gz");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      out.write(member1);
      for (int i = 0; i < members; i++) {
        out.write(bombMember);
      }
    }

    List<ConnectionReport> reports = new ArrayList<>();
    AuditSummary s = Audit.builder().build().run(file, reports::add);

    String prefix = "gzip data inflates more than " + Limits.DEFAULT_MAX_CAPTURE_INFLATION_RATIO
        + " times (Limits.maxCaptureInflationRatio, a decompression bomb); reading stopped at decompressed offset ";
    assertThat(s.problem()).startsWith(prefix);
    long cut = Long.parseLong(s.problem().substring(prefix.length(), s.problem().indexOf(' ', prefix.length())));
    // the cap: more than 250 x the compressed bytes read (at most all of them) plus the 64 MiB allowance
    assertThat(cut).isGreaterThan(Limits.CAPTURE_INFLATION_ALLOWANCE)
        .isLessThanOrEqualTo(Limits.DEFAULT_MAX_CAPTURE_INFLATION_RATIO * compressedTotal
            + Limits.CAPTURE_INFLATION_ALLOWANCE + (1 << 20))
        .isLessThan(decompressedTotal / 4);
    assertThat(s.limits()).isEqualTo(Map.of("maxCaptureInflationRatio", 1L));
    assertThat(s.frames()).isGreaterThan(normalFrames).isLessThan(normalFrames + (long) members * junkRecords / 4);
    assertThat(reports).hasSize(1);
    Reports.assertNormal(reports.get(0), "10.0.0.2", 40000);
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  /** Counts what goes through. */
  private static final class CountingStream extends java.io.FilterOutputStream {
    long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }

}
