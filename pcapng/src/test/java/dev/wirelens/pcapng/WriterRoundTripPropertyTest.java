package dev.wirelens.pcapng;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property: whatever packets are written (any size, time, resolution, byte order), reading them back gives the
 * same bytes, lengths, link types and the timestamp rounded down to the interface resolution, computed here with
 * BigInteger arithmetic independent of the reader.
 */
class WriterRoundTripPropertyTest {
  record Packet(byte[] data, long nanos, int extra) {}

  @Provide
  Arbitrary<List<Packet>> packets() {
    Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(1600);
    Arbitrary<Long> nanos = Arbitraries.longs().between(0, 4_102_444_800_000_000_000L);
    Arbitrary<Integer> extra = Arbitraries.integers().between(0, 100);
    return Combinators.combine(data, nanos, extra).as(Packet::new).list().ofMaxSize(12);
  }

  @Provide
  Arbitrary<Integer> tsresols() {
    return Arbitraries.of(0, 3, 6, 9, 0x80 | 8, 0x80 | 20, 0x80 | 30);
  }

  /** floor(nanos / unit) * unit in nanoseconds, for unit = 10^-k or 2^-k seconds, then floored to ns. */
  static long rounded(long nanos, int tsresol) {
    BigInteger n = BigInteger.valueOf(nanos);
    BigInteger perSecond = (tsresol & 0x80) == 0 ? BigInteger.TEN.pow(tsresol) : BigInteger.ONE.shiftLeft(tsresol & 0x7f);
    BigInteger billion = BigInteger.valueOf(1_000_000_000L);
    BigInteger units = n.multiply(perSecond).divide(billion);
    return units.multiply(billion).divide(perSecond).longValueExact();
  }

  @Property(tries = 200)
  void pcapngPacketsReadBackAsWritten(@ForAll("packets") List<Packet> packets, @ForAll("tsresols") int tsresol,
      @ForAll boolean littleEndian, @ForAll boolean simple) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PcapngWriter w = new PcapngWriter(out, littleEndian)) {
      w.writeSectionHeader(null, null, null, null);
      int id = w.writeInterface(276, 0, tsresol, "any", null);
      for (Packet p : packets) {
        if (simple) {
          w.writeSimplePacket(Unpooled.wrappedBuffer(p.data()), p.data().length);
        } else {
          w.writeEnhancedPacket(id, p.nanos(), Unpooled.wrappedBuffer(p.data()), p.data().length + p.extra(), -1,
              null);
        }
      }
    }
    try (CaptureReader r = CaptureReader.of(Unpooled.wrappedBuffer(out.toByteArray()), Limits.defaults())) {
      for (Packet p : packets) {
        assertThat(r.next()).isEqualTo(DecodeStatus.FRAME);
        assertThat(ByteBufUtil.getBytes(r.frame())).isEqualTo(p.data());
        assertThat(r.linkType()).isEqualTo(276);
        assertThat(r.originalLength()).isEqualTo(p.data().length + (simple ? 0 : p.extra()));
        assertThat(r.timestampNanos()).isEqualTo(simple ? 0 : rounded(p.nanos(), tsresol));
      }
      assertThat(r.next()).isEqualTo(DecodeStatus.END);
    }
  }

  @Property(tries = 100)
  void pcapRecordsReadBackAsWritten(@ForAll("packets") List<Packet> packets, @ForAll boolean nanosecond,
      @ForAll boolean littleEndian) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PcapWriter w = new PcapWriter(out, 101, 65535, nanosecond, littleEndian)) {
      for (Packet p : packets) {
        w.writeRecord(p.nanos() % 4_294_967_296_000_000_000L, Unpooled.wrappedBuffer(p.data()),
            p.data().length + p.extra());
      }
    }
    try (CaptureReader r = CaptureReader.of(Unpooled.wrappedBuffer(out.toByteArray()), Limits.defaults())) {
      for (Packet p : packets) {
        assertThat(r.next()).isEqualTo(DecodeStatus.FRAME);
        assertThat(ByteBufUtil.getBytes(r.frame())).isEqualTo(p.data());
        assertThat(r.linkType()).isEqualTo(101);
        assertThat(r.originalLength()).isEqualTo(p.data().length + p.extra());
        assertThat(r.timestampNanos())
            .isEqualTo(rounded(p.nanos() % 4_294_967_296_000_000_000L, nanosecond ? 9 : 6));
      }
      assertThat(r.next()).isEqualTo(DecodeStatus.END);
    }
  }
}
