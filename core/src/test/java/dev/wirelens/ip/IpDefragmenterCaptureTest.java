package dev.wirelens.ip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.wirelens.Layer;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.testkit.PcapFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real captures against tshark's reassembled view (recorded by vectors/ip/record.sh): every datagram tshark
 * reassembles is reassembled here by the same frame, with the same length and bytes, and nothing else is.
 */
class IpDefragmenterCaptureTest {

  @ParameterizedTest
  @ValueSource(strings = {"ipv4-fragments.pcap", "ipv6-ext.pcap", "IpV6ExtFragmentPacketTest.pcap"})
  void reassembledDatagramsMatchTshark(String name) throws Exception {
    Path dir = Paths.get(IpDefragmenterCaptureTest.class.getResource("/vectors/ip/SOURCES.md").toURI()).getParent();
    List<String> expected = Files.readAllLines(dir.resolve(name + ".reassembled.tsv"), StandardCharsets.UTF_8);
    PcapFrames pcap = PcapFrames.read(dir.resolve(name));
    PacketDissector dissector = new PacketDissector();
    PacketDissector inner = new PacketDissector();
    List<String> actual = new ArrayList<>();
    Map<Long, Integer> unfragmentable = new HashMap<>();
    try (IpDefragmenter defrag = new IpDefragmenter()) {
      for (int i = 0; i < pcap.frames.size(); i++) {
        ByteBuf frame = Unpooled.wrappedBuffer(pcap.frames.get(i));
        try {
          dissector.dissect(frame, pcap.linkType);
          if (!dissector.isFragment()) {
            continue;
          }
          if (dissector.has(Layer.IPV6)) {
            rememberUnfragmentable(dissector.ipv6(), unfragmentable);
          }
          ByteBuf whole = defrag.offer(dissector, pcap.timestampsNanos.get(i));
          if (whole == null) {
            continue;
          }
          try {
            inner.dissect(whole, dev.wirelens.link.LinkTypes.RAW);
            int version = inner.has(Layer.IPV4) ? 4 : 6;
            // tshark's reassembled bytes: after the IPv4 header / after the IPv6 unfragmentable part
            int start = version == 4 ? inner.ipv4().payloadOffset() : unfragmentable.get(identification6(dissector.ipv6()));
            byte[] data = new byte[whole.readableBytes() - start];
            whole.getBytes(start, data);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
            actual.add((i + 1) + "\t" + version + "\t" + data.length + "\t" + sha);
          } finally {
            whole.release();
          }
        } finally {
          frame.release();
        }
      }
    }
    assertEquals(expected, actual);
  }

  /** For an offset-0 IPv6 fragment: the length of the part before its fragment header, by identification. */
  private static void rememberUnfragmentable(Ipv6Packet p, Map<Long, Integer> into) {
    Ipv6ExtensionCursor c = new Ipv6ExtensionCursor();
    c.wrap(p);
    while (c.next()) {
      if (c.headerType() == IpProtocols.IPV6_FRAG) {
        if (c.fragmentOffset() == 0) {
          into.put(c.fragmentIdentification(), c.headerOffset() - p.offset());
        }
        return;
      }
    }
  }

  /** The fragment identification of the IPv6 fragment that completed the datagram. */
  private static long identification6(Ipv6Packet fragment) {
    Ipv6ExtensionCursor c = new Ipv6ExtensionCursor();
    c.wrap(fragment);
    while (c.next()) {
      if (c.headerType() == IpProtocols.IPV6_FRAG) {
        return c.fragmentIdentification();
      }
    }
    throw new AssertionError("no fragment header");
  }
}
