package dev.wirelens.benchmarks.peers;

import dev.wirelens.benchmarks.FiveTuple;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IllegalRawDataException;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV6Packet;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.TcpPacket;

/**
 * The pcap4j 1.8.2 peer: {@code EthernetPacket.newPacket(bytes, offset, length)}, its pure-Java packet factory
 * (pcap4j-packetfactory-static; native libpcap is needed only for live capture and for its own file reader, which
 * is why the pcap records are walked here by the same code as the floor), then the 5-tuple read from the parsed
 * headers, folded by {@code FiveTuple} as every path folds it.
 */
public final class Pcap4jPeer {
  private Pcap4jPeer() {
  }

  /** Parses one Ethernet frame and folds its 5-tuple. */
  public static long fiveTuple(byte[] bytes, int off, int len) {
    EthernetPacket eth;
    try {
      eth = EthernetPacket.newPacket(bytes, off, len);
    } catch (IllegalRawDataException e) {
      return 0;
    }
    Packet ip = eth.getPayload();
    Packet l4 = ip == null ? null : ip.getPayload();
    int sp = 0;
    int dp = 0;
    if (l4 instanceof TcpPacket) {
      TcpPacket.TcpHeader t = ((TcpPacket) l4).getHeader();
      sp = t.getSrcPort().valueAsInt();
      dp = t.getDstPort().valueAsInt();
    }
    if (ip instanceof IpV4Packet) {
      IpV4Packet.IpV4Header h = ((IpV4Packet) ip).getHeader();
      return FiveTuple.ipv4(h.getSrcAddr().hashCode(), h.getDstAddr().hashCode(), h.getProtocol().value() & 0xFF,
          sp, dp);
    } else if (ip instanceof IpV6Packet) {
      IpV6Packet.IpV6Header h = ((IpV6Packet) ip).getHeader();
      byte[] s = h.getSrcAddr().getAddress();
      byte[] d = h.getDstAddr().getAddress();
      return FiveTuple.ipv6(FiveTuple.longAt(s, 0), FiveTuple.longAt(s, 8), FiveTuple.longAt(d, 0),
          FiveTuple.longAt(d, 8), h.getNextHeader().value() & 0xFF, sp, dp);
    }
    return 0;
  }

  /** Streaming decode of a little-endian Ethernet pcap file held in {@code bytes[0, length)}. */
  public static long decodePcap(byte[] bytes, int length) {
    int pos = 24;
    long acc = 0;
    while (pos + 16 <= length) {
      int capLen = intLE(bytes, pos + 8);
      acc = FiveTuple.add(acc, fiveTuple(bytes, pos + 16, capLen));
      pos += 16 + capLen;
    }
    return acc;
  }

  static int intLE(byte[] b, int i) {
    return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
  }
}
