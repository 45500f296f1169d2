package dev.wirelens.pcapng;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.testkit.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

/** Hand-written pcapng and pcap vectors with one defect each: the exact malformation, offset and layer. */
class MalformedBlockTest {
  /** Little-endian SHB, 28 bytes, no options (offset 0). */
  static final String SHB = "0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000";
  /** IDB, Ethernet, snaplen 262144, 20 bytes (offset 28). */
  static final String IDB = "01000000 14000000 0100 0000 00000400 14000000";
  /** EPB on interface 0 at 1 s (µs), 4 bytes of data, 36 bytes (offset 48). */
  static final String EPB = "06000000 24000000 00000000 00000000 40420f00 04000000 04000000 deadbeef 24000000";

  static CaptureReader reader(String hex) {
    return CaptureReader.of(Unpooled.wrappedBuffer(Hex.decode(hex)), Limits.defaults());
  }

  static void assertMalformed(String hex, Malformation m, long offset) {
    try (CaptureReader r = reader(hex)) {
      DecodeStatus s;
      while ((s = r.next()) == DecodeStatus.FRAME) {
        // skip good frames
      }
      assertThat(s).isEqualTo(DecodeStatus.MALFORMED);
      assertThat(r.report().malformation()).isEqualTo(m);
      assertThat(r.report().offset()).isEqualTo(offset);
      assertThat(r.report().layer()).isEqualTo(Layer.CAPTURE);
      assertThat(r.next()).as("terminal").isEqualTo(DecodeStatus.MALFORMED);
    }
  }

  @Test
  void wellFormedVectorGivesOneFrame() {
    try (CaptureReader r = reader(SHB + IDB + EPB)) {
      assertThat(r.next()).isEqualTo(DecodeStatus.FRAME);
      assertThat(r.timestampNanos()).isEqualTo(1_000_000_000L);
      assertThat(r.exceedsSnapLength()).isFalse();
      assertThat(r.frameOffset()).isEqualTo(48 + 28);
      assertThat(r.recordOffset()).isEqualTo(48);
      assertThat(r.frameBuffer().getInt(r.frameIndex())).isEqualTo(0xdeadbeef);
      assertThat(Hex.decode("deadbeef")).isEqualTo(io.netty.buffer.ByteBufUtil.getBytes(r.frame()));
      assertThat(r.next()).isEqualTo(DecodeStatus.END);
    }
  }

  @Test
  void blockTotalLengthBelowTwelveIsBadLengthField() {
    assertMalformed(SHB + IDB + "06000000 08000000", Malformation.BAD_LENGTH_FIELD, 52);
  }

  @Test
  void blockTotalLengthNotMultipleOfFourIsBadLengthField() {
    assertMalformed(SHB + IDB + EPB.replace("24000000 00000000", "25000000 00000000") + "00",
        Malformation.BAD_LENGTH_FIELD, 52);
  }

  @Test
  void trailingLengthDifferentFromLeadingIsBadLengthField() {
    assertMalformed(SHB + IDB + EPB.substring(0, EPB.length() - 8) + "28000000", Malformation.BAD_LENGTH_FIELD,
        48 + 36 - 4);
  }

  @Test
  void absurdBlockLengthExceedsTheLimitBeforeAnythingIsBuffered() {
    assertMalformed(SHB + IDB + "06000000 f0ffffff", Malformation.LIMIT_EXCEEDED, 52);
  }

  @Test
  void absurdBlockLengthFromAStreamIsRefusedWithoutWaitingForItsBytes() {
    byte[] bytes = Hex.decode(SHB + IDB + "06000000 f0ffff7f");
    try (CaptureReader r = CaptureReader.open(new ByteArrayInputStream(bytes), Limits.defaults())) {
      assertThat(r.next()).isEqualTo(DecodeStatus.MALFORMED);
      assertThat(r.report().malformation()).isEqualTo(Malformation.LIMIT_EXCEEDED);
      assertThat(r.report().offset()).isEqualTo(52);
    }
  }

  @Test
  void unknownMagicIsBadMagicAtZero() {
    assertMalformed("68656c6c6f20776f726c640a", Malformation.BAD_MAGIC, 0);
  }

  @Test
  void sectionHeaderWithUnknownByteOrderMagicIsBadMagicAtEight() {
    assertMalformed(SHB.replace("4d3c2b1a", "11223344"), Malformation.BAD_MAGIC, 8);
  }

  @Test
  void sectionHeaderWithMajorVersionTwoIsBadVersion() {
    assertMalformed(SHB.replace("0100 0000", "0200 0000"), Malformation.BAD_VERSION, 12);
  }

  @Test
  void blockBeforeTheFirstSectionHeaderIsBadMagic() {
    assertMalformed(IDB, Malformation.BAD_MAGIC, 0);
  }

  @Test
  void packetOnAnUndeclaredInterfaceIsBadReference() {
    assertMalformed(SHB + IDB + EPB.replace("24000000 00000000", "24000000 01000000"), Malformation.BAD_REFERENCE,
        56);
  }

  @Test
  void simplePacketWithoutInterfaceZeroIsBadReference() {
    assertMalformed(SHB + "03000000 14000000 04000000 deadbeef 14000000", Malformation.BAD_REFERENCE, 28);
  }

  @Test
  void capturedLengthRunningPastTheBlockIsBadLengthField() {
    assertMalformed(SHB + IDB + EPB.replace("40420f00 04000000", "40420f00 05000000"), Malformation.BAD_LENGTH_FIELD,
        48 + 20);
  }

  @Test
  void secretsRunningPastTheBlockAreBadLengthField() {
    assertMalformed(SHB + "0a000000 18000000 4b534c54 05000000 41424344 18000000", Malformation.BAD_LENGTH_FIELD,
        28 + 12);
  }

  @Test
  void emptyInputIsTruncatedAtZero() {
    try (CaptureReader r = reader("")) {
      assertThat(r.next()).isEqualTo(DecodeStatus.MALFORMED);
      MalformationReport m = r.report();
      assertThat(m.malformation()).isEqualTo(Malformation.TRUNCATED);
      assertThat(m.offset()).isZero();
      assertThat(m.requiredLength()).isEqualTo(4);
      assertThat(m.availableLength()).isZero();
    }
  }

  @Test
  void truncatedBlockReportsItsOffsetRequiredAndAvailableLength() {
    String hex = SHB + IDB + EPB.substring(0, 40);
    try (CaptureReader r = reader(hex)) {
      assertThat(r.next()).isEqualTo(DecodeStatus.MALFORMED);
      assertThat(r.report().malformation()).isEqualTo(Malformation.TRUNCATED);
      assertThat(r.report().offset()).isEqualTo(48);
      assertThat(r.report().requiredLength()).isEqualTo(36);
      assertThat(r.report().availableLength()).isEqualTo(Hex.decode(hex).length - 48);
      assertThat(r.report().lengthSource()).isEqualTo(LengthSource.PCAPNG_BLOCK_LENGTH);
    }
  }

  @Test
  void optionRunningPastTheBlockStopsTheCursorButNotTheReader() {
    // IDB with an if_name option claiming 64 bytes but holding 4 (offset of the option: 28 + 16 = 44)
    String idb = "01000000 1c000000 0100 0000 00000400 0200 4000 65746830 1c000000";
    try (PcapngReader r = new PcapngReader()) {
      r.feed(Unpooled.wrappedBuffer(Hex.decode(SHB + idb)));
      r.endOfInput();
      assertThat(r.next()).isEqualTo(DecodeStatus.BLOCK);
      assertThat(r.next()).isEqualTo(DecodeStatus.BLOCK);
      PcapngOptionCursor o = r.interfaceDescription().options();
      assertThat(o.next()).isFalse();
      assertThat(o.report().malformation()).isEqualTo(Malformation.TRUNCATED);
      assertThat(o.report().offset()).isEqualTo(44);
      assertThat(o.report().requiredLength()).isEqualTo(4 + 64);
      assertThat(o.report().availableLength()).isEqualTo(8);
      assertThat(o.report().lengthSource()).isEqualTo(LengthSource.OPTION_LENGTH);
      assertThat(r.interfaces().get(0).name()).isNull();
      assertThat(r.next()).isEqualTo(DecodeStatus.END);
    }
  }

  @Test
  void unknownBlockTypeIsReturnedRawAndSkippedByTheCaptureReader() {
    String unknown = "78563412 10000000 01020304 10000000";
    try (PcapngReader r = new PcapngReader()) {
      r.feed(Unpooled.wrappedBuffer(Hex.decode(SHB + unknown)));
      r.endOfInput();
      assertThat(r.next()).isEqualTo(DecodeStatus.BLOCK);
      assertThat(r.next()).isEqualTo(DecodeStatus.BLOCK);
      assertThat(r.blockType()).isEqualTo(0x12345678);
      assertThat(r.blockOffset()).isEqualTo(28);
      assertThat(r.block().readableBytes()).isEqualTo(16);
      assertThat(r.next()).isEqualTo(DecodeStatus.END);
    }
    try (CaptureReader r = reader(SHB + IDB + unknown + EPB)) {
      assertThat(r.next()).isEqualTo(DecodeStatus.FRAME);
      assertThat(r.recordOffset()).isEqualTo(28 + 20 + 16);
    }
  }

  @Test
  void customBlockKeepsItsEnterpriseNumberAndRawData() {
    // CB 0x00000BAD, PEN 32473 (0x7ED9, the documentation PEN of RFC 5612), data "wire"
    String cb = "ad0b0000 14000000 d97e0000 77697265 14000000";
    try (PcapngReader r = new PcapngReader()) {
      r.feed(Unpooled.wrappedBuffer(Hex.decode(SHB + cb)));
      r.endOfInput();
      r.next();
      assertThat(r.next()).isEqualTo(DecodeStatus.BLOCK);
      assertThat(r.blockType()).isEqualTo(PcapngBlockTypes.CUSTOM_COPYABLE);
      assertThat(r.custom().isCopyable()).isTrue();
      assertThat(r.custom().privateEnterpriseNumber()).isEqualTo(32473);
      assertThat(r.custom().customData().toString(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("wire");
    }
  }

  @Test
  void nameResolutionRecordsGiveAddressAndNames() {
    // NRB: nrb_record_ipv4 127.0.0.1 "localhost\0lo\0" (4+13=17 bytes, padded to 20), nrb_record_end, then
    // opt_comment "c"
    String nrb = "04000000 34000000 0100 1100 7f000001 6c6f63616c686f7374006c6f00 000000 0000 0000 "
        + "0100 0100 63000000 0000 0000 34000000";
    try (PcapngReader r = new PcapngReader()) {
      r.feed(Unpooled.wrappedBuffer(Hex.decode(SHB + nrb)));
      r.endOfInput();
      r.next();
      assertThat(r.next()).as(r.report().toString()).isEqualTo(DecodeStatus.BLOCK);
      NameResolutionRecordCursor c = r.nameResolution().records();
      assertThat(c.next()).isTrue();
      assertThat(c.recordType()).isEqualTo(NameResolutionRecordCursor.IPV4);
      byte[] addr = new byte[4];
      assertThat(c.copyAddressTo(addr, 0)).isEqualTo(4);
      assertThat(addr).containsExactly(127, 0, 0, 1);
      assertThat(c.namesAsStrings()).containsExactly("localhost", "lo");
      assertThat(c.next()).isFalse();
      assertThat(c.sawEnd()).isTrue();
      PcapngOptionCursor o = r.nameResolution().options(); // options() rewinds: keep the cursor
      assertThat(o.seek(PcapngOptionCodes.COMMENT)).isTrue();
      assertThat(o.valueAsString()).isEqualTo("c");
    }
  }

  @Test
  void afterMalformedTheBlockReaderIsTerminalUntilReset() {
    try (PcapngReader r = new PcapngReader()) {
      r.feed(Unpooled.wrappedBuffer(Hex.decode("00000000 00000000")));
      assertThat(r.next()).isEqualTo(DecodeStatus.MALFORMED);
      assertThat(r.next()).isEqualTo(DecodeStatus.MALFORMED);
      r.reset();
      r.feed(Unpooled.wrappedBuffer(Hex.decode(SHB)));
      assertThat(r.next()).isEqualTo(DecodeStatus.BLOCK);
      assertThat(r.next()).isEqualTo(DecodeStatus.NEED_MORE);
    }
  }

  @Test
  void pcapRecordLongerThanSnaplenIsReadAndFlagged() {
    // LE µs pcap, snaplen 2, Ethernet; one record of 4 bytes
    String pcap = "d4c3b2a1 0200 0400 00000000 00000000 02000000 01000000"
        + "01000000 02000000 04000000 04000000 deadbeef";
    try (CaptureReader r = reader(pcap)) {
      assertThat(r.next()).isEqualTo(DecodeStatus.FRAME);
      assertThat(r.capturedLength()).isEqualTo(4);
      assertThat(r.timestampNanos()).isEqualTo(1_000_002_000L);
      assertThat(r.pcapReader().exceedsSnapLength()).isTrue();
      assertThat(r.exceedsSnapLength()).isTrue();
      assertThat(r.pcapReader().snapLength()).isEqualTo(2);
      PcapngInterface itf = r.interfaces().get(0);
      assertThat(itf.linkType()).isEqualTo(1);
      assertThat(itf.snapLength()).isEqualTo(2);
      assertThat(itf.tsresol()).isEqualTo(6);
      assertThat(itf.fcsLength()).isEqualTo(-1);
      assertThat(r.next()).isEqualTo(DecodeStatus.END);
    }
  }

  @Test
  void aCutOrCorruptGzipHeaderIsAnEmptyInputNotAnException() {
    // Found by CaptureReaderFuzzTest (crash-737d5730...): the gzip magic followed by too few bytes, or by an
    // unknown compression method, threw UncheckedIOException out of CaptureReader.of / open instead of reporting
    // bad input.
    for (String gzip : new String[] {"1f8b", "1f8b08", "1f8b 07 00 00000000 00 ff 0000"}) {
      try (CaptureReader r = reader(gzip)) {
        assertThat(r.next()).as(gzip).isEqualTo(DecodeStatus.MALFORMED);
        MalformationReport m = r.report();
        assertThat(m.malformation()).isEqualTo(Malformation.TRUNCATED);
        assertThat(m.layer()).isEqualTo(Layer.CAPTURE);
        assertThat(m.offset()).isZero();
        assertThat(m.requiredLength()).isEqualTo(4);
        assertThat(m.availableLength()).isZero();
      }
      java.io.InputStream in = new ByteArrayInputStream(Hex.decode(gzip));
      try (CaptureReader r = CaptureReader.open(in, Limits.defaults())) {
        assertThat(r.next()).as(gzip).isEqualTo(DecodeStatus.MALFORMED);
        assertThat(r.report().malformation()).isEqualTo(Malformation.TRUNCATED);
      }
    }
  }

  @Test
  void concatenatedGzipMembersAreReadWholeFromAPipeWithShortReads() throws java.io.IOException {
    // Found while writing CaptureReaderFuzzTest's stream-vs-buffer property (issue 8): GZIPInputStream only looks
    // for a second member when available() > 0, which a pipe does not promise, so the stream lost its frames.
    java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
    for (String part : new String[] {SHB + IDB, EPB}) {
      java.io.ByteArrayOutputStream member = new java.io.ByteArrayOutputStream();
      try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(member)) {
        z.write(Hex.decode(part));
      }
      file.write(member.toByteArray());
    }
    byte[] bytes = file.toByteArray();
    for (int cut = 1; cut < bytes.length; cut++) {
      java.io.InputStream pipe = new dev.wirelens.testkit.ShortReadInputStream(bytes, new int[] {cut});
      try (CaptureReader r = CaptureReader.open(pipe, Limits.defaults())) {
        assertThat(r.next()).as("cut at %d", cut).isEqualTo(DecodeStatus.FRAME);
        assertThat(r.frameOffset()).isEqualTo(48 + 28);
        assertThat(r.next()).isEqualTo(DecodeStatus.END);
      }
    }
  }

  @Test
  void pcapSnaplenZeroIsNeverExceeded() {
    // LE µs pcap, snaplen 0, Ethernet; one record of 4 bytes. Found by PcapReaderFuzzTest (crash-ee3a4612...):
    // PcapReader said "exceeds" while CaptureReader, over the same record, said it did not.
    String pcap = "d4c3b2a1 0200 0400 00000000 00000000 00000000 01000000"
        + "01000000 02000000 04000000 04000000 deadbeef";
    try (CaptureReader r = reader(pcap)) {
      assertThat(r.next()).isEqualTo(DecodeStatus.FRAME);
      assertThat(r.pcapReader().snapLength()).isZero();
      assertThat(r.pcapReader().exceedsSnapLength()).isFalse();
      assertThat(r.exceedsSnapLength()).isFalse();
    }
  }

  @Test
  void pcapLinkTypeFieldCarriesTheFcsLengthInSixteenBitUnits() {
    // big-endian ns pcap; link type field 0x14000001: FCS len 1 (bits 28-31), P bit 0x04000000, Ethernet
    String pcap = "a1b23c4d 0002 0004 00000000 00000000 0000ffff 14000001"
        + "00000001 00000002 00000000 00000000";
    try (CaptureReader r = reader(pcap)) {
      assertThat(r.next()).isEqualTo(DecodeStatus.FRAME);
      assertThat(r.timestampNanos()).isEqualTo(1_000_000_002L);
      assertThat(r.linkType()).isEqualTo(1);
      assertThat(r.pcapReader().isFcsLengthPresent()).isTrue();
      assertThat(r.pcapReader().fcsLength()).isEqualTo(1);
      assertThat(r.interfaces().get(0).fcsLength()).isEqualTo(16);
      assertThat(r.interfaces().get(0).tsresol()).isEqualTo(9);
    }
  }

  @Test
  void feedTakesOwnershipAndCloseReleasesPendingBytes() {
    ByteBuf data = Unpooled.wrappedBuffer(Hex.decode(SHB + IDB + EPB.substring(0, 20)));
    CaptureReader r = CaptureReader.forFeeding(Limits.defaults());
    r.feed(data);
    assertThat(r.next()).isEqualTo(DecodeStatus.NEED_MORE);
    r.close();
    assertThat(data.refCnt()).isZero();
  }

  /**
   * 48 bytes of SHB and IDB, then an EPB header announcing a 16 MiB block (the default maxCaptureBlockLength) and 12
   * more bytes: 68 bytes in all. Pulled from a stream or a file, the reader must not allocate the announced 16 MiB
   * before its bytes exist (it did: one allocation of the whole block per such input), and still reports the block
   * TRUNCATED at offset 48, required 16777216, available 20.
   */
  @Test
  void aShortInputAnnouncingAHugeBlockAllocatesOnlyWhatArrivedAndIsTruncated(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
    byte[] bytes = Hex.decode(SHB + IDB + "06000000 00000001 00000000 00000000 40420f00");
    assertThat(bytes).hasSize(68);
    java.nio.file.Path file = dir.resolve("huge-block.pcapng");
    java.nio.file.Files.write(file, bytes);
    for (CaptureReader r : new CaptureReader[] {
        CaptureReader.open(new ByteArrayInputStream(bytes), Limits.defaults()),
        CaptureReader.open(file, Limits.defaults())}) {
      try (r) {
        assertThat(r.next()).isEqualTo(DecodeStatus.MALFORMED);
        assertThat(r.report().malformation()).isEqualTo(Malformation.TRUNCATED);
        assertThat(r.report().layer()).isEqualTo(Layer.CAPTURE);
        assertThat(r.report().offset()).isEqualTo(48);
        assertThat(r.report().requiredLength()).isEqualTo(16 << 20);
        assertThat(r.report().availableLength()).isEqualTo(20);
        assertThat(r.report().lengthSource()).isEqualTo(LengthSource.PCAPNG_BLOCK_LENGTH);
        assertThat(r.bufferCapacity()).as("bytes allocated for 68 bytes of input").isLessThanOrEqualTo(1 << 20);
      }
    }
  }
}
