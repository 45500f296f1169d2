package dev.wirelens.pcapng;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirelens.MalformationReport;
import dev.wirelens.testkit.EventDigest;
import io.netty.buffer.ByteBuf;

/** What the fuzz targets of this package record about blocks, records and frames, and check on the way. */
final class FuzzDigests {
  private FuzzDigests() {}

  /** The report of a MALFORMED status, field by field. */
  static void report(EventDigest d, MalformationReport r) {
    assertTrue(r.isMalformed(), "MALFORMED without a malformation");
    assertTrue(r.offset() >= 0, () -> "negative offset: " + r);
    d.add("malformed", r.malformation(), r.layer(), r.offset(), r.requiredLength(), r.availableLength(),
        r.lengthSource());
  }

  /** One pcap record: header fields and data, with the lengths checked against each other and the limit. */
  static void record(EventDigest d, PcapReader r, int maxBlock) {
    ByteBuf data = r.packetData();
    assertEquals(r.capturedLength(), data.readableBytes(), "packetData length");
    assertTrue(r.capturedLength() <= maxBlock, "record longer than Limits.maxCaptureBlockLength");
    assertEquals(r.snapLength() > 0 && r.capturedLength() > r.snapLength(), r.exceedsSnapLength());
    d.add("record", r.recordOffset(), r.linkType(), r.linkTypeField(), r.isLittleEndian(), r.isNanosecond(),
        r.timestampSeconds(), r.timestampFraction(), r.timestampNanos(), r.capturedLength(), r.originalLength(),
        r.snapLength(), r.isFcsLengthPresent(), r.fcsLength(), r.thisZone(), r.sigFigs(), r.versionMajor(),
        r.versionMinor());
    d.bytes(data);
  }

  /** One pcapng block: type, offset and bytes, then the fields of its view and every option or record in it. */
  static void block(EventDigest d, PcapngReader r, int maxBlock) {
    ByteBuf block = r.block();
    assertEquals(r.blockTotalLength(), block.readableBytes(), "block length");
    assertTrue(r.blockTotalLength() <= maxBlock, "block longer than Limits.maxCaptureBlockLength");
    d.add("block", r.blockType(), r.blockOffset(), r.blockTotalLength(), r.isLittleEndian(), r.sectionIndex(),
        r.interfaces().size());
    d.bytes(block);
    switch (r.blockType()) {
      case PcapngBlockTypes.SECTION_HEADER:
        SectionHeaderBlock shb = r.sectionHeader();
        d.add("shb", shb.majorVersion(), shb.minorVersion(), shb.sectionLength());
        options(d, shb.options());
        break;
      case PcapngBlockTypes.INTERFACE_DESCRIPTION:
        InterfaceDescriptionBlock idb = r.interfaceDescription();
        d.add("idb", idb.linkType(), idb.reserved(), idb.snapLength());
        options(d, idb.options());
        break;
      case PcapngBlockTypes.ENHANCED_PACKET:
        EnhancedPacketBlock epb = r.enhancedPacket();
        assertEquals(epb.capturedLength(), epb.packetData().readableBytes());
        d.add("epb", epb.interfaceId(), epb.timestamp(), epb.capturedLength(), epb.originalLength(), epb.flags(),
            r.packetInterface().linkType(), r.packetInterface().toEpochNanos(epb.timestamp()));
        d.bytes(epb.packetData());
        options(d, epb.options());
        break;
      case PcapngBlockTypes.SIMPLE_PACKET:
        SimplePacketBlock spb = r.simplePacket();
        long snap = r.packetInterface().snapLength();
        assertEquals(spb.capturedLength(snap), spb.packetData(snap).readableBytes());
        d.add("spb", spb.originalLength(), spb.capturedLength(snap));
        d.bytes(spb.packetData(snap));
        break;
      case PcapngBlockTypes.PACKET:
        PacketBlock pb = r.packet();
        assertEquals(pb.capturedLength(), pb.packetData().readableBytes());
        d.add("pb", pb.interfaceId(), pb.dropsCount(), pb.timestamp(), pb.capturedLength(), pb.originalLength());
        d.bytes(pb.packetData());
        options(d, pb.options());
        break;
      case PcapngBlockTypes.NAME_RESOLUTION:
        NameResolutionBlock nrb = r.nameResolution();
        NameResolutionRecordCursor c = nrb.records();
        while (c.next()) {
          d.add("nrb-record", c.recordType(), c.recordLength(), c.addressLength(), c.namesAsStrings());
          d.bytes(c.value());
        }
        d.add("nrb-end", c.sawEnd(), c.report().malformation());
        options(d, nrb.options());
        break;
      case PcapngBlockTypes.INTERFACE_STATISTICS:
        InterfaceStatisticsBlock isb = r.interfaceStatistics();
        d.add("isb", isb.interfaceId(), isb.timestamp());
        options(d, isb.options());
        break;
      case PcapngBlockTypes.DECRYPTION_SECRETS:
        DecryptionSecretsBlock dsb = r.decryptionSecrets();
        assertEquals(dsb.secretsLength(), dsb.copySecretsData().length);
        d.add("dsb", dsb.secretsType(), dsb.secretsLength());
        d.bytes(dsb.secretsData());
        options(d, dsb.options());
        break;
      case PcapngBlockTypes.CUSTOM_COPYABLE:
      case PcapngBlockTypes.CUSTOM_DO_NOT_COPY:
        CustomBlock cb = r.custom();
        d.add("custom", cb.blockType(), cb.isCopyable(), cb.privateEnterpriseNumber());
        d.bytes(cb.customData());
        break;
      default:
        break;
    }
  }

  private static void options(EventDigest d, PcapngOptionCursor o) {
    while (o.next()) {
      d.add("option", o.code(), o.length(), o.valueU8(), o.valueU32(), o.valueI64(), o.valueAsString().length());
      d.bytes(o.value());
    }
    d.add("options-end", o.sawEndOfOptions(), o.report().malformation());
  }
}
