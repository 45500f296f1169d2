package dev.wirelens.packet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.testkit.BufferShape;
import dev.wirelens.testkit.Hex;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Malformed frames from tcpdump's regression captures (github.com/the-tcpdump-group/tcpdump tests/, commit
 * 39b50f76672b, BSD-3-Clause; copied from ../shared/corpus/tcpdump). Each row quotes tcpdump's reference output
 * ({@code tests/*.out}) or tshark 4.0.17's expert message for the frame; the expected stop layer, malformation and
 * absolute offset follow from it.
 */
class MalformedCaptureTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      # file#frame | link | hex | deepest | stop layer | malformation | offset | required | available | length source
      # tcpdump: "IP [header length 16 < 20] (invalid)"
      ipv4_invalid_hdr_length#1 | 1 | c0d68236032bf04da23d5da3080044000054f1a60000401145948cd309ce2d217f9c98b7003500406ecb92aa01200001000000000001037777770774637064756d70036f7267000001000100002904d000000000000c000a00088bc0e5f53e713bbd | LINK | IPV4 | BAD_LENGTH_FIELD | 14 | -1 | -1 |
      # tcpdump: "IP [length 19 < 20] (invalid)"
      ipv4_invalid_length#1 | 1 | c0d68236032bf04da23d5da3080045000054fc35000040113b058cd309ce2d217f | LINK | IPV4 | TRUNCATED | 14 | 20 | 19 | HEADER_MINIMUM
      # tcpdump: "IP [total length 19 < header length 20] (invalid)"; tshark: "Bogus IP length (19, less than header length 20)"
      ipv4_invalid_total_length_2#1 | 1 | c0d68236032bf04da23d5da3080045000013f1a60000401145948cd309ce2d217f9c98b7003500406ecb92aa01200001000000000001037777770774637064756d70036f7267000001000100002904d000000000000c000a00088bc0e5f53e713bbd | LINK | IPV4 | BAD_LENGTH_FIELD | 16 | -1 | -1 |
      # tcpdump: "ICMP6, neighbor solicitation, who has fe80::20c:29ff:fe76:6c14, length 24"
      ipv6-bad-version#1 | 1 | 3333ff766c14000c29766c1486dd6000000000183aff00000000000000000000000000000000ff0200000000000000000001ff766c148700790600000000fe80000000000000020c29fffe766c14 | ICMPV6 | NONE | NONE | -1 | -1 | -1 |
      # tcpdump: "IP6 [version 0 != 6] (invalid)"; tshark: "Bogus IPv6 version"
      ipv6-bad-version#2 | 1 | 33330000000124843feb3cee86dd0000000000203afffe80000000000000020c29fffe766c14ff0200000000000000000000000000018800ab1300000000fe80000000000000020c29fffe766c14020124843feb3cee | LINK | IPV6 | BAD_VERSION | 14 | -1 | -1 |
      # tcpdump: "IP6 [length 39 < 40] (invalid)"
      ipv6_invalid_length#1 | 1 | c0d68236032bf04da23d5da386dd6009d8d8004011402605bc8030100104000000008cd309ce26003c00e000001900000000000000 | LINK | IPV6 | TRUNCATED | 14 | 40 | 39 | HEADER_MINIMUM
      # 39 of 118 bytes captured; tcpdump: "IP6 (flowlabel 0x74111, ...) [|ip6]"; tshark: "[Packet size limited during capture]"
      ipv6_39_byte_header#1 | 1 | c0d68236032bf04da23d5da386dd60074111004011402605bc8030100104000000008cd309ce26 | LINK | IPV6 | TRUNCATED | 14 | 40 | 25 | HEADER_MINIMUM
      # an IPv6 packet with link type IPV4 (228); tcpdump: "IP [version 6 != 4] (invalid)"
      LINKTYPE_IPV4_invalid#1 | 228 | 600000000025114020010db8000000000000000000000001262000fe00000000000000000000000930390035002598b3123401000001000000000000076578616d706c6503636f6d0000010001 | NONE | IPV4 | BAD_VERSION | 0 | -1 | -1 |
      # an IPv4 packet with link type IPV6 (229); tcpdump: "IP6 [version 4 != 6] (invalid)"
      LINKTYPE_IPV6_invalid#1 | 229 | 45000039000100004011a695c0a80164090909093039003500251976123401000001000000000000076578616d706c6503636f6d0000010001 | NONE | IPV6 | BAD_VERSION | 0 | -1 | -1 |
      # IP length 12336, 46 of 262144 bytes captured; tcpdump: "48.48.48.48.12336 > 48.48.48.48.12336:  [|tcp]"
      tcp_header_heapoverflow#1 | 1 | 30303030303030303030303008004530303030300000300630303030303030303030303030303030303030303030 | IPV4 | TCP | TRUNCATED | 34 | 20 | 12 | AVAILABLE_BYTES
      # tcpdump: "48.48.48.48.12336 > 48.48.48.48.12336:  [|udp]"
      udp-length-heapoverflow#1 | 1 | 3030303030303030303030300800453030303030000030113030303030303030303030303030 | IPV4 | UDP | TRUNCATED | 34 | 8 | 4 | AVAILABLE_BYTES
      # raw IPv6 whose routing header is cut after 5 bytes; tcpdump: "RT6 (len=48, type=0 [Deprecated], segleft=48 [|rt6]"
      ipv6-rthdr-oobr#1 | 229 | 6a30303030302b3030303030303030303030303030303030303030303030303030303030303030303030003030 | IPV6 | IPV6_EXTENSION | TRUNCATED | 40 | 8 | 5 | HEADER_MINIMUM
      """)
  void malformedFramesStopWhereTcpdumpDoes(String name, int linkType, String hex, Layer deepest, Layer stop,
      Malformation malformation, long offset, long required, long available, LengthSource source) {
    byte[] frame = Hex.decode(hex);
    PacketDissector d = new PacketDissector();
    for (BufferShape shape : BufferShape.values()) {
      ByteBuf buf = shape.wrap(frame);
      try {
        int base = buf.readerIndex();
        assertThat(d.dissect(buf, linkType)).as(shape.toString()).isEqualTo(deepest);
        assertThat(d.stopLayer()).isEqualTo(stop);
        assertThat(d.report().malformation()).isEqualTo(malformation);
        assertThat(d.report().layer()).isEqualTo(stop);
        if (offset >= 0) {
          assertThat(d.report().offset()).isEqualTo(base + offset);
        }
        assertThat(d.report().requiredLength()).isEqualTo(required);
        assertThat(d.report().availableLength()).isEqualTo(available);
        assertThat(d.report().lengthSource()).isEqualTo(source);
      } finally {
        buf.release();
      }
      assertThat(buf.refCnt()).isZero();
    }
  }
}
