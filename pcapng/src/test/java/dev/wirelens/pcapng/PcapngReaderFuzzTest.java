package dev.wirelens.pcapng;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.testkit.CutPoints;
import dev.wirelens.testkit.EventDigest;
import dev.wirelens.testkit.ExactBuffer;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target of {@link PcapngReader} (issue 8). Property: for any bytes, fed whole or in fuzz-chosen pieces, the
 * reader gives the same blocks (type, offset, bytes, and every field, option and name record of their views) and
 * the same final status and report; it never throws, never reads outside the bytes fed (each piece is an exact
 * buffer), never returns a block longer than the (small, fuzz-chosen) {@link Limits#maxCaptureBlockLength()}, and
 * releases every buffer it was fed.
 *
 * <p>Input layout: parameters from the end of the fuzz input, capture bytes from its front (a pcapng file is a seed
 * as it is). Seeds and regression inputs: {@code PcapngReaderFuzzTestInputs/} in the test resources.
 */
class PcapngReaderFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void anyBytesReadTheSameWholeOrInPieces(FuzzedDataProvider data) {
    // all-zero parameters (a seed file followed by zero bytes) mean: default limits, whole input, heap buffer
    int maxBlock = data.consumeBoolean() ? data.consumeInt(64, 1 << 16) : Limits.DEFAULT_MAX_CAPTURE_BLOCK_LENGTH;
    CutPoints cuts = CutPoints.consume(data, 16);
    int shape = data.consumeInt();
    byte[] input = data.consumeRemainingAsBytes();
    Limits limits = Limits.builder().maxCaptureBlockLength(maxBlock).build();

    EventDigest whole = read(limits, List.of(input), shape, cuts, maxBlock);
    EventDigest pieces = read(limits, cuts.split(input), shape, cuts, maxBlock);
    assertEquals(whole, pieces, "whole vs pieces");
  }

  private static EventDigest read(Limits limits, List<byte[]> pieces, int shape, CutPoints cuts, int maxBlock) {
    EventDigest d = new EventDigest();
    List<ByteBuf> fed = new ArrayList<>();
    try (PcapngReader r = new PcapngReader(limits)) {
      DecodeStatus s = DecodeStatus.NEED_MORE;
      for (byte[] p : pieces) {
        ByteBuf b = ExactBuffer.of(p, shape, cuts);
        fed.add(b);
        r.feed(b.retain());
        s = drain(d, r, maxBlock);
        if (s == DecodeStatus.MALFORMED) {
          break;
        }
      }
      if (s != DecodeStatus.MALFORMED) {
        r.endOfInput();
        s = drain(d, r, maxBlock);
      }
      d.add("status", s);
      if (s == DecodeStatus.MALFORMED) {
        FuzzDigests.report(d, r.report());
        assertEquals(DecodeStatus.MALFORMED, r.next(), "MALFORMED is terminal");
      }
    }
    for (ByteBuf b : fed) {
      assertEquals(1, b.refCnt(), "the reader released what it was fed");
      b.release();
    }
    return d;
  }

  private static DecodeStatus drain(EventDigest d, PcapngReader r, int maxBlock) {
    DecodeStatus s;
    while ((s = r.next()) == DecodeStatus.BLOCK) {
      FuzzDigests.block(d, r, maxBlock);
    }
    return s;
  }
}
