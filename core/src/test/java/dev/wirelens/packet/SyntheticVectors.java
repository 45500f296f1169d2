package dev.wirelens.packet;

import dev.wirelens.testkit.PacketBuilder;
import dev.wirelens.testkit.PcapFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the synthetic captures whose tshark fields are recorded in {@code vectors/packet/synthetic.tsv} (see
 * {@code vectors/packet/record.sh}). Run once when vectors change; the tests read only the recorded TSV, so they do
 * not depend on this class or on {@link PacketBuilder} being right.
 */
final class SyntheticVectors {
  private SyntheticVectors() {}

  public static void main(String[] args) throws IOException {
    Path dir = Paths.get(args.length > 0 ? args[0] : "target/vectors");
    Files.createDirectories(dir);
    byte[] ipOptRecordRoute = {7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0};

    List<byte[]> eth = new ArrayList<>();
    // 1: SYN with the usual Linux option set
    eth.add(PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").identification(0xbeef).fragment(true, false, 0)
        .tcp(51234, 8084).seq(3000000000L).ack(0).flags(PacketBuilder.SYN).window(64240)
        .mss(1460).sackPermitted().timestamps(123456789L, 0).nop().windowScale(7).build());
    // 2: one 802.1Q tag, UDP
    eth.add(PacketBuilder.ethernet().vlan(0x8100, 5, true, 100).ipv4("192.168.1.10", "192.168.1.1").ttl(128)
        .udp(5353, 53).payload(20).build());
    // 3: QinQ 802.1ad over 802.1Q, IPv6 TCP data
    eth.add(PacketBuilder.ethernet().vlan(0x88a8, 1, false, 10).vlan(0x8100, 0, false, 20)
        .ipv6("2001:db8::1", "2001:db8:0:1::2").flowLabel(0x12345).tos(0x28).ttl(63)
        .tcp(443, 50000).seq(1).ack(2).flags(PacketBuilder.ACK | PacketBuilder.PSH).window(501).payload(100).build());
    // 4: IPv4 record-route option, ICMP echo request
    eth.add(PacketBuilder.ethernet().ipv4("10.1.1.1", "10.2.2.2").ipv4Options(ipOptRecordRoute)
        .icmp(8, 0, 0x00420007L).payload(32).build());
    // 5: IPv6 hop-by-hop (PadN), destination options (PadN), routing type 0 segments left 0, UDP
    eth.add(PacketBuilder.ethernet().ipv6("fe80::1", "ff02::1:2")
        .ipv6Extension(0, new byte[] {1, 4, 0, 0, 0, 0})
        .ipv6Extension(60, new byte[] {1, 4, 0, 0, 0, 0})
        .ipv6Extension(43, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
        .udp(546, 547).payload(12).build());
    // 6: IPv6 first fragment, UDP whose length covers the whole datagram
    byte[] first = PacketBuilder.ethernet().ipv6("2001:db8::a", "2001:db8::b").ipv6Fragment(0, true, 0xcafe)
        .udp(4000, 4001).payload(64).build();
    eth.add(first);
    // 7: IPv6 non-first fragment
    eth.add(PacketBuilder.ethernet().ipv6("2001:db8::a", "2001:db8::b").ipv6Fragment(9, false, 0xcafe)
        .ipProtocol(17).payload(24).build());
    // 8: IPv4 non-first fragment of a TCP datagram
    eth.add(PacketBuilder.ethernet().ipv4("10.0.0.3", "10.0.0.4").identification(77).fragment(false, false, 185)
        .ipProtocol(6).payload(40).build());
    // 9: ICMPv6 echo request
    eth.add(PacketBuilder.ethernet().ipv6("::1", "::1").icmp(128, 0, 0x00010001L).payload(8).build());
    // 10: pure ACK padded to the 60-byte Ethernet minimum
    byte[] ack = PacketBuilder.ethernet().ipv4("10.0.0.2", "10.0.0.1").tcp(8084, 51234).seq(1).ack(1)
        .flags(PacketBuilder.ACK).window(502).build();
    eth.add(java.util.Arrays.copyOf(ack, 60));
    // 11: 802.3 length frame with LLC/SNAP (OUI 0, type IPv4) carrying UDP (RFC 1042)
    byte[] inner = PacketBuilder.raw().ipv4("10.9.9.9", "10.8.8.8").udp(1000, 2000).payload(10).build();
    byte[] snap = new byte[14 + 8 + inner.length];
    byte[] macs = PacketBuilder.ethernet().build();
    System.arraycopy(macs, 0, snap, 0, 12);
    int len = 8 + inner.length;
    snap[12] = (byte) (len >>> 8);
    snap[13] = (byte) len;
    byte[] llc = {(byte) 0xaa, (byte) 0xaa, 3, 0, 0, 0, 8, 0};
    System.arraycopy(llc, 0, snap, 14, 8);
    System.arraycopy(inner, 0, snap, 22, inner.length);
    eth.add(snap);
    // 12: SACK blocks, ECE+CWR+AE, urgent pointer
    eth.add(PacketBuilder.ethernet().ipv4("172.16.0.1", "172.16.0.2").tcp(22, 60000).seq(100).ack(200)
        .flags(PacketBuilder.ACK | PacketBuilder.ECE | PacketBuilder.CWR | PacketBuilder.AE | PacketBuilder.URG)
        .urgentPointer(3).nop().nop().sack(1000, 2000, 3000, 4000).payload(5).build());
    // 13: IPv6 with AH (length in 4-byte units) then TCP
    eth.add(PacketBuilder.ethernet().ipv6("2001:db8::1", "2001:db8::2")
        .ipv6Extension(51, new byte[] {0, 0, 0, 0, 0x10, 0, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
        .tcp(179, 40000).seq(5).ack(6).payload(3).build());
    // 14: IPv6 No Next Header
    eth.add(PacketBuilder.ethernet().ipv6("2001:db8::1", "2001:db8::2").ipProtocol(59).build());
    PcapFiles.write(dir.resolve("synthetic-ethernet.pcap"), 1, 65535, eth);

    // snaplen-truncated: 1000 bytes of TCP data, 100 bytes captured; UDP likewise
    List<byte[]> cut = new ArrayList<>();
    cut.add(PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(51234, 8084).seq(10).ack(20)
        .flags(PacketBuilder.ACK | PacketBuilder.PSH).payload(1000).build());
    cut.add(PacketBuilder.ethernet().ipv6("2001:db8::1", "2001:db8::2").udp(9999, 8888).payload(500).build());
    PcapFiles.write(dir.resolve("synthetic-snaplen100.pcap"), 1, 100, cut);

    List<byte[]> sll = new ArrayList<>();
    sll.add(PacketBuilder.sll().sllInfo(1, 4).ipv4("127.0.0.1", "127.0.0.1").tcp(40000, 8084).seq(1).ack(1).payload(7)
        .build());
    sll.add(PacketBuilder.sll().ipv6("::1", "::1").udp(1234, 5678).payload(4).build());
    sll.add(PacketBuilder.sll().vlan(0x8100, 1, true, 7).ipv6("fe80::1", "fe80::2").icmp(135, 0, 0).payload(16)
        .build());
    PcapFiles.write(dir.resolve("synthetic-sll.pcap"), 113, 65535, sll);

    List<byte[]> sll2 = new ArrayList<>();
    sll2.add(PacketBuilder.sll2().sllInfo(3, 0).ipv4("10.0.0.1", "10.0.0.2").tcp(51234, 8084).seq(7).ack(8)
        .flags(PacketBuilder.ACK | PacketBuilder.FIN).build());
    sll2.add(PacketBuilder.sll2().sllInfo(1, 4).ipv6("2001:db8::1", "2001:db8::2").tcp(8084, 51234)
        .flags(PacketBuilder.RST).build());
    // tcpdump -i any on a VLAN-tagged interface: libpcap re-inserts the tag after the cooked header
    sll2.add(PacketBuilder.sll2().sllInfo(2, 0).vlan(0x8100, 6, false, 42).ipv4("192.0.2.1", "192.0.2.2")
        .udp(123, 123).payload(48).build());
    PcapFiles.write(dir.resolve("synthetic-sll2.pcap"), 276, 65535, sll2);

    List<byte[]> nullLe = new ArrayList<>();
    nullLe.add(PacketBuilder.nullLoopback(true).ipv4("127.0.0.1", "127.0.0.1").udp(1, 2).payload(3).build());
    nullLe.add(PacketBuilder.nullLoopback(true).loopbackIpv6Family(30).ipv6("::1", "::1").tcp(3, 4).build());
    PcapFiles.write(dir.resolve("synthetic-null-le.pcap"), 0, 65535, nullLe);

    List<byte[]> nullBe = new ArrayList<>();
    nullBe.add(PacketBuilder.nullLoopback(false).ipv4("127.0.0.1", "127.0.0.1").udp(1, 2).payload(3).build());
    nullBe.add(PacketBuilder.nullLoopback(false).loopbackIpv6Family(28).ipv6("::1", "::1").tcp(3, 4).build());
    PcapFiles.write(dir.resolve("synthetic-null-be.pcap"), 0, 65535, nullBe);

    List<byte[]> loop = new ArrayList<>();
    loop.add(PacketBuilder.loop().ipv4("127.0.0.1", "127.0.0.1").udp(1, 2).payload(3).build());
    loop.add(PacketBuilder.loop().loopbackIpv6Family(24).ipv6("::1", "::1").tcp(3, 4).build());
    PcapFiles.write(dir.resolve("synthetic-loop.pcap"), 108, 65535, loop);

    List<byte[]> raw = new ArrayList<>();
    raw.add(PacketBuilder.raw().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2).flags(PacketBuilder.SYN).mss(536).build());
    raw.add(PacketBuilder.raw().ipv6("2001:db8::1", "2001:db8::2").udp(3, 4).payload(1).build());
    PcapFiles.write(dir.resolve("synthetic-raw.pcap"), 101, 65535, raw);
    PcapFiles.write(dir.resolve("synthetic-ipv4.pcap"), 228, 65535, raw.subList(0, 1));
    PcapFiles.write(dir.resolve("synthetic-ipv6.pcap"), 229, 65535, raw.subList(1, 2));
  }
}
