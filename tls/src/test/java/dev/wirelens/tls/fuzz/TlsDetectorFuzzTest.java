package dev.wirelens.tls.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wirelens.tls.TlsDetection;
import dev.wirelens.tls.TlsDetector;
import dev.wirelens.testkit.FuzzInput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Fuzz target for {@link TlsDetector}: any first bytes. Checks, for every prefix of the input (up to 64 bytes): no
 * exception; nothing read outside the prefix (an exact buffer); the same answer for the bytes at an offset inside a
 * larger buffer and for a buffer whose readerIndex is not 0; and the answer is stable: once a prefix gives YES or NO,
 * every longer prefix gives the same (NEED_MORE only ever turns into a decision).
 */
class TlsDetectorFuzzTest {
  @FuzzTest(maxDuration = "2m")
  void detectionIsAFunctionOfTheBytesAndNeverReadsPastThem(byte[] input) {
    int n = Math.min(input.length, 64);
    TlsDetection decided = null;
    for (int k = 0; k <= n; k++) {
      ByteBuf exact = FuzzInput.exact(input, 0, k);
      ByteBuf shifted = Unpooled.buffer(k + 7).writeZero(7).writeBytes(input, 0, k);
      shifted.readerIndex(7);
      try {
        TlsDetection a = TlsDetector.looksLikeTls(exact);
        TlsDetection b = TlsDetector.looksLikeTls(shifted);
        TlsDetection c = TlsDetector.looksLikeTls(shifted.unwrap() == null ? shifted : shifted, 7, k);
        assertThat(b).isEqualTo(a);
        assertThat(c).isEqualTo(a);
        if (k == 0) {
          assertThat(a).isEqualTo(TlsDetection.NEED_MORE);
        }
        if (decided != null) {
          assertThat(a).as("answer for %d bytes after a decision", k).isEqualTo(decided);
        } else if (a != TlsDetection.NEED_MORE) {
          decided = a;
        }
        assertThat(shifted.readerIndex()).isEqualTo(7);
      } finally {
        exact.release();
        shifted.release();
      }
      assertThat(exact.refCnt()).isZero();
    }
  }
}
