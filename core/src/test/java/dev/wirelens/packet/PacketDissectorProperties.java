package dev.wirelens.packet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Layer;
import dev.wirelens.ip.IpProtocols;
import dev.wirelens.ip.Ipv4Packet;
import dev.wirelens.ip.Ipv6Packet;
import dev.wirelens.tcp.FlowKey;
import dev.wirelens.tcp.TcpOptionCursor;
import dev.wirelens.testkit.BufferShape;
import dev.wirelens.testkit.PacketBuilder;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Build with {@link PacketBuilder}, dissect, read back the same fields; fixed seed so failures reproduce. */
class PacketDissectorProperties {

  /** What a generated packet was built from. */
  static final class Spec {
    int link;
    int vlans;
    boolean v6;
    int src4;
    int dst4;
    long srcHi;
    long srcLo;
    long dstHi;
    long dstLo;
    int ttl;
    int ipv4OptionWords;
    int extensions;
    int transport; // 0 TCP, 1 UDP, 2 ICMP
    int sport;
    int dport;
    long seq;
    long ack;
    int flags;
    int window;
    int mss;
    int payload;
    int snaplenCut;

    PacketBuilder builder() {
      PacketBuilder b;
      switch (link) {
        case 0: b = PacketBuilder.ethernet(); break;
        case 1: b = PacketBuilder.sll(); break;
        case 2: b = PacketBuilder.sll2(); break;
        case 3: b = PacketBuilder.nullLoopback(true); break;
        case 4: b = PacketBuilder.loop(); break;
        default: b = PacketBuilder.raw(); break;
      }
      if (link == 0) {
        for (int i = 0; i < vlans; i++) {
          b.vlan(i == 0 && vlans > 1 ? 0x88a8 : 0x8100, i, i % 2 == 1, 100 + i);
        }
      }
      if (v6) {
        byte[] s = new byte[16];
        byte[] d = new byte[16];
        io.netty.buffer.Unpooled.wrappedBuffer(s).setLong(0, srcHi).setLong(8, srcLo);
        io.netty.buffer.Unpooled.wrappedBuffer(d).setLong(0, dstHi).setLong(8, dstLo);
        b.ipv6(s, d);
        for (int i = 0; i < extensions; i++) {
          b.ipv6Extension(i == 0 ? 0 : 60, new byte[6 + 8 * i]);
        }
      } else {
        b.ipv4(src4, dst4);
        if (ipv4OptionWords > 0) {
          byte[] nops = new byte[4 * ipv4OptionWords];
          Arrays.fill(nops, (byte) 1);
          b.ipv4Options(nops);
        }
      }
      b.ttl(ttl);
      switch (transport) {
        case 0:
          b.tcp(sport, dport).seq(seq).ack(ack).flags(flags).window(window);
          if (mss > 0) {
            b.mss(mss);
          }
          break;
        case 1:
          b.udp(sport, dport);
          break;
        default:
          b.icmp(v6 ? 128 : 8, 0, 0);
          break;
      }
      return b.payload(payload);
    }
  }

  @Provide
  Arbitrary<Spec> specs() {
    Arbitrary<int[]> shape = Combinators.combine(Arbitraries.integers().between(0, 5),
        Arbitraries.integers().between(0, 3), Arbitraries.of(false, true), Arbitraries.integers().between(0, 2),
        Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 10),
        Arbitraries.integers().between(0, 300), Arbitraries.integers().between(0, 60))
        .as((link, vlans, v6, transport, ext, optWords, payload, cut) ->
            new int[] {link, vlans, v6 ? 1 : 0, transport, ext, optWords, payload, cut});
    Arbitrary<long[]> numbers = Combinators.combine(Arbitraries.longs(), Arbitraries.longs(), Arbitraries.longs(),
        Arbitraries.longs(), Arbitraries.longs().between(0, 0xffffffffL), Arbitraries.longs().between(0, 0xffffffffL),
        Arbitraries.integers().between(0, 65535), Arbitraries.integers().between(0, 65535))
        .as((a, b, c, e, seq, ack, sport, dport) -> new long[] {a, b, c, e, seq, ack, sport, dport});
    Arbitrary<int[]> small = Combinators.combine(Arbitraries.integers().between(0, 255),
        Arbitraries.integers().between(0, 0x1ff), Arbitraries.integers().between(0, 65535),
        Arbitraries.integers().between(0, 65535))
        .as((ttl, flags, window, mss) -> new int[] {ttl, flags, window, mss});
    return Combinators.combine(shape, numbers, small).as((s, n, m) -> {
      Spec p = new Spec();
      p.link = s[0];
      p.vlans = s[1];
      p.v6 = s[2] == 1;
      p.transport = s[3];
      p.extensions = s[4];
      p.ipv4OptionWords = s[5];
      p.payload = s[6];
      p.snaplenCut = s[7];
      p.srcHi = n[0];
      p.srcLo = n[1];
      p.dstHi = n[2];
      p.dstLo = n[3];
      p.src4 = (int) n[0];
      p.dst4 = (int) n[1];
      p.seq = n[4];
      p.ack = n[5];
      p.sport = (int) n[6];
      p.dport = (int) n[7];
      p.ttl = m[0];
      p.flags = m[1];
      p.window = m[2];
      p.mss = m[3] % 3 == 0 ? 0 : m[3];
      return p;
    });
  }

  @Property(seed = "20261128", tries = 400)
  void builtFramesDissectToTheFieldsTheyWereBuiltFrom(@ForAll("specs") Spec spec,
      @ForAll BufferShape shape) {
    PacketBuilder builder = spec.builder();
    byte[] frame = builder.build();
    ByteBuf buf = shape.wrap(frame);
    PacketDissector d = new PacketDissector();
    try {
      Layer expected = spec.transport == 0 ? Layer.TCP : spec.transport == 1 ? Layer.UDP
          : spec.v6 ? Layer.ICMPV6 : Layer.ICMP;
      assertThat(d.dissect(buf, builder.linkType())).isEqualTo(expected);
      assertThat(d.stopLayer()).isEqualTo(Layer.NONE);
      assertThat(d.isTruncated()).isFalse();
      if (spec.v6) {
        Ipv6Packet ip = d.ipv6();
        assertThat(ip.sourceAddressHigh()).isEqualTo(spec.srcHi);
        assertThat(ip.sourceAddressLow()).isEqualTo(spec.srcLo);
        assertThat(ip.destinationAddressHigh()).isEqualTo(spec.dstHi);
        assertThat(ip.destinationAddressLow()).isEqualTo(spec.dstLo);
        assertThat(ip.hopLimit()).isEqualTo(spec.ttl);
        assertThat(d.ipv6ExtensionCount()).isEqualTo(spec.extensions);
      } else {
        Ipv4Packet ip = d.ipv4();
        assertThat(ip.sourceAddress()).isEqualTo(spec.src4);
        assertThat(ip.destinationAddress()).isEqualTo(spec.dst4);
        assertThat(ip.timeToLive()).isEqualTo(spec.ttl);
        assertThat(ip.optionsLength()).isEqualTo(4 * spec.ipv4OptionWords);
        assertThat(ip.isHeaderChecksumValid()).isTrue();
      }
      assertThat(d.vlanCount()).isEqualTo(spec.link == 0 ? spec.vlans : 0);
      FlowKey key = new FlowKey();
      assertThat(d.flowKey(key)).isTrue();
      assertThat(key.ipVersion()).isEqualTo(spec.v6 ? 6 : 4);
      switch (spec.transport) {
        case 0:
          assertThat(d.transportProtocol()).isEqualTo(IpProtocols.TCP);
          assertThat(d.tcp().sourcePort()).isEqualTo(spec.sport);
          assertThat(d.tcp().destinationPort()).isEqualTo(spec.dport);
          assertThat(d.tcp().sequenceNumber()).isEqualTo(spec.seq);
          assertThat(d.tcp().acknowledgmentNumber()).isEqualTo(spec.ack);
          assertThat(d.tcp().flags()).isEqualTo(spec.flags);
          assertThat(d.tcp().window()).isEqualTo(spec.window);
          assertThat(d.tcp().payloadLength()).isEqualTo(spec.payload);
          TcpOptionCursor o = new TcpOptionCursor();
          o.wrap(d.tcp());
          int mss = 0;
          while (o.next()) {
            if (o.kind() == TcpOptionCursor.MSS) {
              mss = o.mss();
            }
          }
          assertThat(o.report().isMalformed()).isFalse();
          assertThat(mss).isEqualTo(spec.mss);
          assertThat(key.sourcePort()).isEqualTo(spec.sport);
          break;
        case 1:
          assertThat(d.udp().sourcePort()).isEqualTo(spec.sport);
          assertThat(d.udp().destinationPort()).isEqualTo(spec.dport);
          assertThat(d.udp().payloadLength()).isEqualTo(spec.payload);
          assertThat(key.destinationPort()).isEqualTo(spec.dport);
          break;
        default:
          assertThat(d.icmp().type()).isEqualTo(spec.v6 ? 128 : 8);
          assertThat(key.sourcePort()).isZero();
          break;
      }
    } finally {
      buf.release();
    }
    assertThat(buf.refCnt()).isZero();
  }

  @Property(seed = "20261128", tries = 300)
  void everyPrefixDissectsWithoutExceptionAndOuterLayersStayConsistent(@ForAll("specs") Spec spec) {
    PacketBuilder builder = spec.builder();
    byte[] frame = builder.build();
    PacketDissector d = new PacketDissector();
    int n = Math.max(0, frame.length - 1 - spec.snaplenCut);
    ByteBuf buf = BufferShape.COMPOSITE_ONE_BYTE.wrap(Arrays.copyOf(frame, n));
    try {
      Layer deepest = d.dissect(buf, builder.linkType());
      // either every header was there (snaplen cut in the payload) or some layer says where it stopped
      if (d.stopLayer() == Layer.NONE) {
        assertThat(d.isTruncated()).isTrue();
      } else {
        assertThat(d.report().isMalformed()).isTrue();
        assertThat(d.report().offset()).isBetween((long) buf.readerIndex(), (long) buf.readerIndex() + n);
        if (d.stopLayer() != Layer.VLAN && d.stopLayer() != Layer.IPV6_EXTENSION) {
          // (repeated layers: earlier tags / extension headers may have been decoded before the bad one)
          assertThat(d.has(d.stopLayer())).isFalse();
        }
      }
      if (deepest != Layer.NONE) {
        assertThat(d.has(deepest)).isTrue();
      }
    } finally {
      buf.release();
    }
  }

  @Property(seed = "20261128", tries = 500)
  void mutatedFramesNeverThrowAndReportOffsetsInsideTheFrame(@ForAll("specs") Spec spec,
      @ForAll @net.jqwik.api.constraints.Size(max = 6) java.util.List<@net.jqwik.api.constraints.IntRange(max = 4095) Integer> positions,
      @ForAll byte value) {
    PacketBuilder builder = spec.builder();
    byte[] frame = builder.build();
    for (int pos : positions) {
      frame[pos % frame.length] ^= (byte) (value | 1);
    }
    PacketDissector d = new PacketDissector();
    ByteBuf buf = BufferShape.READ_ONLY.wrap(frame);
    try {
      Layer deepest = d.dissect(buf, builder.linkType());
      if (d.stopLayer() != Layer.NONE) {
        assertThat(d.report().offset()).isBetween(0L, (long) frame.length);
      }
      if (deepest != Layer.NONE) {
        assertThat(d.has(deepest)).isTrue();
      }
      if (d.has(Layer.TCP)) {
        TcpOptionCursor o = new TcpOptionCursor();
        o.wrap(d.tcp());
        while (o.next()) {
          assertThat(o.valueOffset() + o.valueLength()).isLessThanOrEqualTo(frame.length);
        }
        assertThat(d.tcp().payloadOffset() + d.tcp().capturedPayloadLength()).isLessThanOrEqualTo(frame.length);
      }
      d.flowKey(new FlowKey());
    } finally {
      buf.release();
    }
  }
}
