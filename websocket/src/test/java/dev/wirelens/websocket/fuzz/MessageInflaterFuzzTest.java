package dev.wirelens.websocket.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wirelens.websocket.internal.MessageInflater;
import dev.wirelens.testkit.FuzzInput;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Fuzz target for the permessage-deflate inflater ({@link MessageInflater}): any bytes as the compressed payload of
 * one message (RFC 7692 §7.2.2, the 00 00 ff ff tail added by the inflater), given whole and in fuzz-chosen
 * pieces, then a second message (the same bytes again) to exercise context takeover. Checks: no exception; the same
 * results and inflated bytes (length and CRC) either way, for both context modes, corrupt data included; a message
 * never yields more than the small limit, the limit is reported as LENGTH_LIMIT_EXCEEDED exactly when the output would pass
 * it, and
 * {@link MessageInflater#inflatedLength()} matches what the sink received.
 */
class MessageInflaterFuzzTest {
  static final long MAX_INFLATED = 32 * 1024;

  @FuzzTest(maxDuration = "5m")
  void inflationIsTheSameWholeOrInPiecesAndWithinLimits(FuzzedDataProvider data) {
    FuzzInput in = FuzzInput.of(data);
    for (boolean noContextTakeover : new boolean[] {false, true}) {
      String whole = run(noContextTakeover, List.of(in.stream));
      String pieces = run(noContextTakeover, in.pieces());
      // also for corrupt data: the first problem in stream order wins and the bytes decoded before it are delivered
      // (crash-2d079d8b...: corrupt data behind output that passes the limit)
      assertThat(pieces).isEqualTo(whole);
    }
  }

  static String run(boolean noContextTakeover, List<byte[]> pieces) {
    return run(noContextTakeover, pieces,
        new java.io.ByteArrayOutputStream[] {new java.io.ByteArrayOutputStream(), new java.io.ByteArrayOutputStream()});
  }

  static String run(boolean noContextTakeover, List<byte[]> pieces, java.io.ByteArrayOutputStream[] out) {
    StringBuilder d = new StringBuilder();
    try (MessageInflater inflater = new MessageInflater(noContextTakeover, MAX_INFLATED, 10)) {
      for (int message = 0; message < 2; message++) {
        java.io.ByteArrayOutputStream all = out[message];
        long[] total = {0};
        CRC32 crc = new CRC32();
        MessageInflater.Sink sink = (bytes, offset, length) -> {
          assertThat(length).isPositive();
          crc.update(bytes, offset, length);
          all.write(bytes, offset, length);
          total[0] += length;
        };
        inflater.startMessage();
        MessageInflater.Result first = MessageInflater.Result.OK;
        for (byte[] p : pieces) {
          MessageInflater.Result r = inflater.inflate(p, 0, p.length, sink);
          if (first == MessageInflater.Result.OK) {
            first = r;
          }
        }
        MessageInflater.Result end = inflater.finishMessage(sink);
        if (first == MessageInflater.Result.OK) {
          first = end;
        }
        assertThat(total[0]).as("inflated bytes of one message").isLessThanOrEqualTo(MAX_INFLATED);
        assertThat(first).as("the ratio is not judged below RATIO_FLOOR, above MAX_INFLATED")
            .isNotEqualTo(MessageInflater.Result.RATIO_LIMIT_EXCEEDED);
        if (first == MessageInflater.Result.LENGTH_LIMIT_EXCEEDED) {
          assertThat(inflater.inflatedLength()).as("counted past the limit").isGreaterThan(MAX_INFLATED);
        } else {
          assertThat(inflater.inflatedLength()).isEqualTo(total[0]);
        }
        d.append(first).append(',').append(total[0]).append(',').append(Long.toHexString(crc.getValue())).append(';');
      }
    }
    return d.toString();
  }
}
