package dev.wirelens.examples.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import dev.wirelens.examples.audit.Audit;
import dev.wirelens.examples.audit.AuditSummary;
import dev.wirelens.examples.audit.ConnectionReport;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.TcpHandshake;
import dev.wirelens.testkit.PacketBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, resource limits of the IP and TCP layers through the audit, each under a 256 MiB heap (tag small-heap): a
 * million SYNs from different ports, 100,000 connections each holding an out-of-order hole, an IPv6 packet with
 * hundreds of chained extension headers, and overlapping IP fragments that disagree. The captures stream to a file;
 * each test asserts the cap reported (the audit's {@code limits()}) and that a normal connection after the hostile
 * part is reported complete and correct.
 */
@Tag("small-heap")
class TcpLimitsTest {
  private static final String MAX_BUFFERED = "maxBufferedBytesTotal";

  @TempDir
  Path dir;

  @Test
  void aMillionSynsFromDifferentPortsEvictTheOldestBeyondTheDefaultMaxFlows() {
    int syns = 1_000_000;
    int maxFlows = Limits.DEFAULT_MAX_FLOWS; // the defaults hold a SYN flood within 256 MiB
    Path file = dir.resolve("syn-flood.pcap");
    try (Wire w = Wire.pcap(file)) {
      byte[] syn = PacketBuilder.ethernet().ipv4("10.9.0.2", "10.0.0.1").tcp(1024, 443).seq(7)
          .flags(PacketBuilder.SYN).window(65535).build();
      for (int i = 0; i < syns; i++) {
        int port = 1024 + i % 60_000;
        syn[28] = (byte) (i / 60_000); // source address 10.9.<i / 60000>.2
        syn[34] = (byte) (port >>> 8);
        syn[35] = (byte) port;
        w.frame(Wire.T0 + i * 1_000L, syn);
      }
      w.normal("10.0.0.2", 40000, "10.0.0.1", Wire.T0 + 2_000_000_000L);
    }
    long[] evicted = {0};
    long[] synOnly = {0};
    List<ConnectionReport> normal = new ArrayList<>();
    Audit audit = Audit.builder().build();

    AuditSummary s = audit.run(file, r -> {
      if (r.closeReason() == CloseReason.EVICTED) {
        evicted[0]++;
        assertThat(r.limits()).isEqualTo(Map.of("maxFlows", 1L));
      }
      if (r.handshake() == TcpHandshake.SYN_ONLY) {
        synOnly[0]++;
      } else {
        normal.add(r);
      }
    });

    long expectedEvictions = syns + 1 - maxFlows; // the table keeps maxFlows connections, the last ones
    assertThat(s.problem()).isNull();
    assertThat(s.connections()).isEqualTo(syns + 1);
    assertThat(s.limits()).isEqualTo(Map.of("maxFlows", expectedEvictions));
    assertThat(evicted[0]).isEqualTo(expectedEvictions);
    assertThat(synOnly[0]).isEqualTo(syns);
    assertThat(normal).hasSize(1);
    Reports.assertNormal(normal.get(0), "10.0.0.2", 40000);
  }

  @Test
  void aHundredThousandConnectionsWithHolesGiveUpTheOldestHolesAtTheTotalBufferLimit() {
    int connections = 100_000;
    int held = 1000; // bytes after a 100-byte hole in each connection
    long total = 8L << 20;
    // ~4 KiB of audit state per open connection (measured): 100,000 open at once do not fit a 256 MiB heap, so the
    // flow table is capped too; holes are held by the most recent total / held connections, and each new piece must
    // find the oldest of them past ~11,600 connections that hold nothing (TcpReassembler skips those it found empty)
    int maxFlows = 20_000;
    Path file = dir.resolve("holes.pcap");
    byte[] data = new byte[held];
    Arrays.fill(data, (byte) 0xA5);
    try (Wire w = Wire.pcap(file)) {
      for (int i = 0; i < connections; i++) {
        long t = Wire.T0 + i * 100_000L;
        w.tcp("10.8." + (i / 50_000) + ".2", 1024 + i % 50_000, "10.0.0.1", 9000).handshake(t)
            .clientSendsAfterHole(t + 3_000_000, 100, data);
      }
      w.normal("10.0.0.2", 40000, "10.0.0.1", Wire.T0 + 20_000_000_000L);
    }
    long[] sums = new long[5]; // bytes, gap count, gap bytes, buffer-limit gaps, evictions
    List<ConnectionReport> normal = new ArrayList<>();
    Audit audit = Audit.builder()
        .limits(Limits.builder().maxBufferedBytesTotal(total).maxFlows(maxFlows).build()).build();

    AuditSummary s = audit.run(file, r -> {
      if (r.server().port() == 80) {
        normal.add(r);
        return;
      }
      sums[0] += r.bytes(Direction.CLIENT_TO_SERVER);
      sums[1] += r.gapCount(Direction.CLIENT_TO_SERVER);
      sums[2] += r.gapBytes(Direction.CLIENT_TO_SERVER);
      sums[3] += r.limits().getOrDefault(MAX_BUFFERED, 0L);
      sums[4] += r.limits().getOrDefault("maxFlows", 0L);
    });

    // at most total / 1000 pieces are held at once; each later piece makes the oldest held hole a gap
    // (TOTAL_BUFFER_LIMIT);
    // the connections evicted from the full table had theirs forced already; the holes still held at the end become
    // gaps when the connections close
    long forced = connections - total / held;
    long evicted = connections + 1 - maxFlows;
    assertThat(s.problem()).isNull();
    assertThat(s.connections()).isEqualTo(connections + 1);
    assertThat(s.limits()).containsOnly(Map.entry(MAX_BUFFERED, forced), Map.entry("maxFlows", evicted));
    assertThat(sums[3]).isEqualTo(forced);
    assertThat(sums[4]).isEqualTo(evicted);
    assertThat(sums[0]).isEqualTo((long) connections * held);
    assertThat(sums[1]).isEqualTo(connections);
    assertThat(sums[2]).isEqualTo(connections * 100L);
    assertThat(normal).hasSize(1);
    Reports.assertNormal(normal.get(0), "10.0.0.2", 40000);
  }

  @Test
  void aConnectionHoldingMoreThanThePerFlowCapGivesUpItsHoleAtThatCapAlone() {
    int perFlow = 64 << 10;
    Path file = dir.resolve("flow-hole.pcap");
    byte[] piece = new byte[1000];
    Arrays.fill(piece, (byte) 0x5A);
    int pieces = 70; // 70,000 bytes after a 100-byte hole: the 66th piece passes 65,536
    try (Wire w = Wire.pcap(file)) {
      Wire.Tcp c = w.tcp("10.0.0.6", 40006, "10.0.0.1", 9000).handshake(Wire.T0)
          .clientSendsAfterHole(Wire.T0 + 3_000_000, 100, piece);
      for (int i = 1; i < pieces; i++) {
        c.clientSends(Wire.T0 + 3_000_000 + i * 1000L, piece);
      }
      c.closeByClient(Wire.T0 + 5_000_000);
      w.normal("10.0.0.2", 40000, "10.0.0.1", Wire.T0 + 1_000_000_000L);
    }
    List<ConnectionReport> reports = new ArrayList<>();

    AuditSummary s = Audit.builder().limits(Limits.builder().maxBufferedBytesPerFlow(perFlow).build()).build()
        .run(file, reports::add);

    assertThat(s.problem()).isNull();
    assertThat(reports).hasSize(2);
    ConnectionReport holed = reports.get(0);
    assertThat(holed.limits()).isEqualTo(Map.of("maxBufferedBytesPerFlow", 1L));
    assertThat(holed.gapCount(Direction.CLIENT_TO_SERVER)).isEqualTo(1);
    assertThat(holed.gapBytes(Direction.CLIENT_TO_SERVER)).isEqualTo(100);
    assertThat(holed.bytes(Direction.CLIENT_TO_SERVER)).isEqualTo((long) pieces * piece.length);
    assertThat(s.limits()).isEqualTo(Map.of("maxBufferedBytesPerFlow", 1L));
    Reports.assertNormal(reports.get(1), "10.0.0.2", 40000);
  }

  @Test
  void fragmentedDatagramsDroppedForEachIpCapNameThatCap() {
    // two datagrams in progress at most, and 1000 bytes held at most: the first fragments of TCP datagrams 1 to 3 (200
    // bytes each) pass the count once, then datagram 4's 800 bytes pass the bytes (datagram 3 is dropped for them)
    Path file = dir.resolve("fragment-caps.pcap");
    int[] payloads = {200, 200, 200, 800};
    try (Wire w = Wire.pcap(file)) {
      for (int id = 1; id <= payloads.length; id++) {
        w.frame(Wire.T0 + id * 1_000_000L, PacketBuilder.ethernet().ipv4("10.0.0.5", "10.0.0.1").identification(id)
            .fragment(false, true, 0).ipProtocol(6).payload(new byte[payloads[id - 1]]).build());
      }
      w.normal("10.0.0.2", 40000, "10.0.0.1", Wire.T0 + 1_000_000_000L);
    }
    List<ConnectionReport> reports = new ArrayList<>();
    Limits limits = Limits.builder().maxFragmentedDatagrams(2).maxBufferedBytesTotal(1000).build();

    AuditSummary s = Audit.builder().limits(limits).build().run(file, reports::add);

    assertThat(s.problem()).isNull();
    assertThat(s.limits()).isEqualTo(Map.of("maxFragmentedDatagrams", 2L, "maxBufferedBytesTotal", 1L));
    assertThat(reports).hasSize(1);
    Reports.assertNormal(reports.get(0), "10.0.0.2", 40000);
  }

  @Test
  void anIpv6PacketWithHundredsOfChainedExtensionHeadersStopsAtTheCapAndIsCounted() {
    Path file = dir.resolve("ipv6-chain.pcap");
    int chained = 300;
    try (Wire w = Wire.pcap(file)) {
      PacketBuilder b = PacketBuilder.ethernet().ipv6("2001:db8::66", "2001:db8::1");
      for (int i = 0; i < chained; i++) {
        b.ipv6Extension(60, new byte[] {1, 4, 0, 0, 0, 0}); // Destination Options, PadN (RFC 8200 §4.2, §4.6)
      }
      w.frame(Wire.T0, b.tcp(40066, 80).seq(1).flags(PacketBuilder.SYN).build());
      w.normal("2001:db8::2", 40000, "2001:db8::1", Wire.T0 + 1_000_000_000L);
    }
    List<ConnectionReport> reports = new ArrayList<>();

    AuditSummary s = Audit.builder().build().run(file, reports::add);

    assertThat(s.problem()).isNull();
    assertThat(s.frames()).isEqualTo(9);
    assertThat(s.limits()).isEqualTo(Map.of("maxIpv6ExtensionHeaders", 1L));
    assertThat(reports).hasSize(1); // the SYN behind the chain was never reached
    Reports.assertNormal(reports.get(0), "2001:db8::2", 40000);
  }

  @Test
  void overlappingIpFragmentsThatDisagreeAreCountedAndTheFirstBytesKept() {
    Path file = dir.resolve("fragments.pcap");
    byte[] payload = new byte[40];
    Arrays.fill(payload, (byte) 'A');
    try (Wire w = Wire.pcap(file)) {
      Wire.Tcp c = w.tcp("10.0.0.5", 40005, "10.0.0.1", 80).handshake(Wire.T0);
      byte[] frame = c.clientFrame(PacketBuilder.ACK | PacketBuilder.PSH, payload);
      byte[] segment = Arrays.copyOfRange(frame, 14 + 20, frame.length); // TCP header + 40 bytes
      byte[] other = Arrays.copyOfRange(segment, 24, 32);
      Arrays.fill(other, (byte) 'X');
      w.frame(Wire.T0 + 3_000_000, fragment(0, true, Arrays.copyOfRange(segment, 0, 32)));
      w.frame(Wire.T0 + 3_100_000, fragment(24, true, other)); // bytes 24..31 again, different
      w.frame(Wire.T0 + 3_200_000, fragment(32, false, Arrays.copyOfRange(segment, 32, segment.length)));
      c.clientSeq += payload.length;
      c.closeByClient(Wire.T0 + 5_000_000);
      w.normal("10.0.0.2", 40000, "10.0.0.1", Wire.T0 + 1_000_000_000L);
    }
    List<ConnectionReport> reports = new ArrayList<>();

    AuditSummary s = Audit.builder().build().run(file, reports::add);

    assertThat(s.problem()).isNull();
    assertThat(s.fragmentConflicts()).isEqualTo(1);
    assertThat(reports).hasSize(2);
    ConnectionReport fragmented = reports.get(0);
    assertThat(fragmented.handshake()).isEqualTo(TcpHandshake.COMPLETE);
    assertThat(fragmented.close()).isEqualTo("fin");
    assertThat(fragmented.bytes(Direction.CLIENT_TO_SERVER)).isEqualTo(40);
    assertThat(fragmented.gapCount(Direction.CLIENT_TO_SERVER)).isZero();
    Reports.assertNormal(reports.get(1), "10.0.0.2", 40000);
  }

  private static byte[] fragment(int offset, boolean more, byte[] bytes) {
    return PacketBuilder.ethernet().ipv4("10.0.0.5", "10.0.0.1").identification(0x77)
        .fragment(false, more, offset / 8).ipProtocol(6).payload(bytes).build();
  }
}
