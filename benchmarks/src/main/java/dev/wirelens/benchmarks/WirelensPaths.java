package dev.wirelens.benchmarks;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.link.LinkTypes;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.tcp.FlowKey;
import io.netty.buffer.ByteBuf;
import java.nio.file.Path;

/**
 * The Wirelens side of each benchmark, written the way the API documents its use, so the benchmarks and the
 * cross-check test run the same code.
 */
public final class WirelensPaths {
  private WirelensPaths() {
  }

  /** Scan: {@code CaptureReader.next()} over a capture in memory ({@code data} is not released). */
  public static long scan(ByteBuf data) {
    try (CaptureReader r = CaptureReader.of(data.retainedDuplicate(), Limits.defaults())) {
      return scan(r);
    }
  }

  /** Scan: {@code CaptureReader.next()} over a capture file. */
  public static long scan(Path file) {
    try (CaptureReader r = CaptureReader.open(file)) {
      return scan(r);
    }
  }

  private static long scan(CaptureReader r) {
    long acc = 0;
    while (r.next() == DecodeStatus.FRAME) {
      acc += r.capturedLength() + r.timestampNanos();
    }
    return acc;
  }

  /**
   * Streaming decode as the API documents it: {@code CaptureReader.next()}, {@code PacketDissector.dissect(reader)}
   * (in place, through {@code CapturedFrame}: no slice) and {@code flowKey} per frame, the 5-tuple folded by
   * {@link FiveTuple}.
   */
  public static long decode(ByteBuf data, PacketDissector dissector, FlowKey key) {
    long acc = 0;
    try (CaptureReader r = CaptureReader.of(data.retainedDuplicate(), Limits.defaults())) {
      while (r.next() == DecodeStatus.FRAME) {
        dissector.dissect(r);
        acc = FiveTuple.add(acc, dissector.flowKey(key) ? fold(key) : 0);
      }
    }
    return acc;
  }

  /**
   * As {@link #decode}, but through {@code dissect(reader.frame(), reader.linkType())}: {@code frame()} allocates a
   * slice per frame, so this shows what that convenience costs.
   */
  public static long decodeFrameSlice(ByteBuf data, PacketDissector dissector, FlowKey key) {
    long acc = 0;
    try (CaptureReader r = CaptureReader.of(data.retainedDuplicate(), Limits.defaults())) {
      while (r.next() == DecodeStatus.FRAME) {
        dissector.dissect(r.frame(), r.linkType());
        acc = FiveTuple.add(acc, dissector.flowKey(key) ? fold(key) : 0);
      }
    }
    return acc;
  }

  /** One frame: dissect and fold the 5-tuple. */
  public static long fiveTuple(ByteBuf frame, PacketDissector dissector, FlowKey key) {
    dissector.dissect(frame, LinkTypes.ETHERNET);
    return dissector.flowKey(key) ? fold(key) : 0;
  }

  /** Folds a flow key as {@link FiveTuple} folds every path's 5-tuple. */
  public static long fold(FlowKey key) {
    if (key.ipVersion() == 4) {
      return FiveTuple.ipv4(key.sourceIpv4(), key.destinationIpv4(), key.protocol(), key.sourcePort(),
          key.destinationPort());
    }
    return FiveTuple.ipv6(key.sourceHigh(), key.sourceLow(), key.destinationHigh(), key.destinationLow(),
        key.protocol(), key.sourcePort(), key.destinationPort());
  }
}
