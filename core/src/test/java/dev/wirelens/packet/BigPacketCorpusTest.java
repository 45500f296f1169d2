package dev.wirelens.packet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Layer;
import dev.wirelens.testkit.Corpus;
import dev.wirelens.testkit.PcapFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Super-packets from tcpdump's regression captures (BSD-3-Clause, commit 39b50f76672b; read from ../shared/corpus
 * because each is 7-80 KB): IPv4 total length 0 (BIG TCP), IPv6 jumbograms with the hop-by-hop Jumbo Payload
 * option, IPv6 payload length 0 without it ("presumed BIG TCP"), and plain GSO. Expected values are tcpdump's
 * reference output ({@code tests/*.out}) and tshark 4.0.17's {@code tcp.len}, quoted per test.
 */
@Tag("corpus")
class BigPacketCorpusTest {
  private final PacketDissector d = new PacketDissector();

  private Layer dissect(String file) throws IOException {
    PcapFrames p = PcapFrames.read(Corpus.file("tcpdump/" + file));
    ByteBuf buf = Unpooled.wrappedBuffer(p.frames.get(0));
    Layer l = d.dissect(buf, p.linkType);
    assertThat(d.stopLayer()).as(d.report().toString()).isEqualTo(Layer.NONE);
    assertThat(d.isTruncated()).isFalse();
    return l;
  }

  @Test
  void ipv4TotalLengthZeroIsBigTcp() throws IOException {
    // tcpdump: "proto TCP (6), length 80052 [was 0, presumed BIG TCP] ... length 80000"; tshark ip.len 80052
    assertThat(dissect("bigtcp-ipv4.pcap")).isEqualTo(Layer.TCP);
    assertThat(d.ipv4().totalLength()).isEqualTo(80052);
    assertThat(d.ipv4().isTotalLengthZero()).isTrue();
    assertThat(d.tcp().payloadLength()).isEqualTo(80000);
    assertThat(d.tcp().sequenceNumber()).isEqualTo(4155358606L);
  }

  @Test
  void ipv6JumbogramWithHopByHopOption() throws IOException {
    // tcpdump: "payload length 0) ... HBH (jumbo: 80040)  41851 > 43913: Flags [P.] ... length 80000"
    assertThat(dissect("bigtcp-ipv6-hbh.pcap")).isEqualTo(Layer.TCP);
    assertThat(d.ipv6().isJumbogram()).isTrue();
    assertThat(d.ipv6ExtensionCount()).isEqualTo(1);
    assertThat(d.tcp().sourcePort()).isEqualTo(41851);
    assertThat(d.tcp().payloadLength()).isEqualTo(80000);
  }

  @Test
  void ipv6PayloadLengthZeroWithoutHopByHopIsPresumedBigTcp() throws IOException {
    // tcpdump: "next-header TCP (6), payload length 0) [real length 80040, presumed BIG TCP] ... length 79968"
    assertThat(dissect("bigtcp-ipv6.pcap")).isEqualTo(Layer.TCP);
    assertThat(d.ipv6().isJumbogram()).isFalse();
    assertThat(d.ipv6().isLengthInferred()).isTrue();
    assertThat(d.ipv6().capturedPayloadLength()).isEqualTo(80040 - 40); // "real length" counts the header
    assertThat(d.tcp().payloadLength()).isEqualTo(79968);
  }

  @Test
  void ipv6JumbogramCarryingIcmpv6() throws IOException {
    // tcpdump: "HBH (jumbo: 65536)  [icmp6 sum ok] ICMP6, echo request, id 4576, seq 51486"
    assertThat(dissect("ipv6_jumbogram_1.pcap")).isEqualTo(Layer.ICMPV6);
    assertThat(d.icmp().type()).isEqualTo(128);
    assertThat(d.icmp().identifier()).isEqualTo(4576);
    assertThat(d.icmp().sequenceNumber()).isEqualTo(51486);
  }

  @Test
  void gsoSegmentsAreOrdinaryLargePackets() throws IOException {
    // tcpdump: "length 7292) ... length 7240" and "payload length 7172) ... length 7140"
    assertThat(dissect("gso-ipv4.pcap")).isEqualTo(Layer.TCP);
    assertThat(d.tcp().payloadLength()).isEqualTo(7240);
    assertThat(dissect("gso-ipv6.pcap")).isEqualTo(Layer.TCP);
    assertThat(d.tcp().payloadLength()).isEqualTo(7140);
  }
}
