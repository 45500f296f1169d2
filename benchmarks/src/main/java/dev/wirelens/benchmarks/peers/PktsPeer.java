package dev.wirelens.benchmarks.peers;

import dev.wirelens.benchmarks.FiveTuple;
import io.pkts.Pcap;
import io.pkts.buffer.Buffers;
import io.pkts.frame.PcapGlobalHeader;
import io.pkts.frame.PcapRecordHeader;
import io.pkts.packet.IPPacket;
import io.pkts.packet.Packet;
import io.pkts.packet.TCPPacket;
import io.pkts.packet.impl.PCapPacketImpl;
import io.pkts.protocol.Protocol;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The pkts 3.0.18 peer: its own pcap reader ({@code Pcap.openStream(...).loop(handler)}) and its lazy framers up to
 * TCP ({@code packet.getPacket(Protocol.TCP)}), then the 5-tuple from {@code getRawSourceIP()} and the ports. pkts
 * frames IPv4 and IPv6; its addresses come out as fresh byte arrays, which is the cheapest accessor it has.
 */
public final class PktsPeer {
  private final PcapGlobalHeader globalHeader = PcapGlobalHeader.createDefaultHeader(Protocol.ETHERNET_II);
  private final PcapRecordHeader recordHeader;
  private final byte[] frame;

  /** Prepares the one-packet path for {@code frame} (kept, not copied). */
  public PktsPeer(byte[] frame) {
    this.frame = frame;
    this.recordHeader = PcapRecordHeader.createDefaultHeader(1_767_225_600_000L);
    recordHeader.setCapturedLength(frame.length);
    recordHeader.setTotalLength(frame.length);
  }

  /** One hot packet: a pkts packet over the frame, framed up to TCP, 5-tuple folded. */
  public long fiveTuple() {
    try {
      return fold(new PCapPacketImpl(globalHeader, recordHeader, Buffers.wrap(frame)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Streaming decode of a pcap file held in {@code bytes[0, length)} by pkts' own reader. */
  public static long decodePcap(byte[] bytes, int length) {
    long[] acc = new long[1];
    try {
      Pcap pcap = Pcap.openStream(new ByteArrayInputStream(bytes, 0, length));
      pcap.loop(packet -> {
        acc[0] = FiveTuple.add(acc[0], fold(packet));
        return true;
      });
      pcap.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return acc[0];
  }

  static long fold(Packet packet) throws IOException {
    Packet p = packet.getPacket(Protocol.TCP);
    if (!(p instanceof TCPPacket)) {
      return 0;
    }
    TCPPacket tcp = (TCPPacket) p;
    IPPacket ip = tcp.getParentPacket();
    byte[] s = ip.getRawSourceIP();
    byte[] d = ip.getRawDestinationIP();
    if (s.length == 4) {
      return FiveTuple.ipv4(FiveTuple.intAt(s, 0), FiveTuple.intAt(d, 0), 6, tcp.getSourcePort(),
          tcp.getDestinationPort());
    }
    return FiveTuple.ipv6(FiveTuple.longAt(s, 0), FiveTuple.longAt(s, 8), FiveTuple.longAt(d, 0),
        FiveTuple.longAt(d, 8), 6, tcp.getSourcePort(), tcp.getDestinationPort());
  }
}
