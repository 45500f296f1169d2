package dev.wirelens.websocket.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wirelens.websocket.internal.MessageInflater;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Fuzz target for the permessage-deflate inflater ({@link MessageInflater}): any bytes as the compressed payload of
 * one message (RFC 7692 §7.2.2, the 00 00 ff ff tail added by the inflater), given whole and in fuzz-chosen
 * pieces, then a second message (the same bytes again) to exercise context takeover. Checks: no exception; the same
 * results and inflated bytes (length and CRC) either way, for both context modes (for corrupt data: the same
 * results, and one output a prefix of the other, see below); a message never yields more than
 * the small limit, the limit is reported as LIMIT_EXCEEDED exactly when the output would pass it, and
 * {@link MessageInflater#inflatedLength()} matches what the sink received.
 */
class MessageInflaterFuzzTest {
  static final long MAX_INFLATED = 32 * 1024;

  @FuzzTest(maxDuration = "5m")
  void inflationIsTheSameWholeOrInPiecesAndWithinLimits(FuzzedDataProvider data) {
    FuzzInput in = FuzzInput.of(data);
    for (boolean noContextTakeover : new boolean[] {false, true}) {
      java.io.ByteArrayOutputStream[] wholeOut = {new java.io.ByteArrayOutputStream(), new java.io.ByteArrayOutputStream()};
      java.io.ByteArrayOutputStream[] piecesOut = {new java.io.ByteArrayOutputStream(), new java.io.ByteArrayOutputStream()};
      String whole = run(noContextTakeover, List.of(in.stream), wholeOut);
      String pieces = run(noContextTakeover, in.pieces(), piecesOut);
      if (whole.contains("INVALID_DATA") || pieces.contains("INVALID_DATA")) {
        // before corrupt data, the output is what the decompressor produced until it met the corruption, which
        // depends on how much input it was given at once (java.util.zip.Inflater drops the bytes of a call that
        // ends in DataFormatException): the results must agree and one output must be a prefix of the other
        assertThat(pieces.replaceAll(",[^;]*;", ";")).isEqualTo(whole.replaceAll(",[^;]*;", ";"));
        for (int m = 0; m < 2; m++) { // per message: a failed message restarts the window
          byte[] a = wholeOut[m].toByteArray();
          byte[] b = piecesOut[m].toByteArray();
          byte[] shorter = a.length <= b.length ? a : b;
          byte[] longer = a.length <= b.length ? b : a;
          assertThat(java.util.Arrays.copyOf(longer, shorter.length)).as("one output a prefix of the other")
              .isEqualTo(shorter);
        }
      } else {
        assertThat(pieces).isEqualTo(whole);
      }
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
        if (first == MessageInflater.Result.LIMIT_EXCEEDED) {
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
