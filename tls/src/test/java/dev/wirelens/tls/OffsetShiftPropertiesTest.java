package dev.wirelens.tls;

import static dev.wirelens.tls.OffsetsAfterARestartTest.C;
import static dev.wirelens.tls.OffsetsAfterARestartTest.CLIENT_HELLO;
import static dev.wirelens.tls.OffsetsAfterARestartTest.S;
import static dev.wirelens.tls.OffsetsAfterARestartTest.SERVER_HELLO;
import static dev.wirelens.tls.OffsetsAfterARestartTest.ev;
import static dev.wirelens.tls.OffsetsAfterARestartTest.gap;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Limits;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The offset rule of {@link OffsetsAfterARestartTest} as properties over generated server streams (a ServerHello, then
 * a mix of records, handshake headers, over-long headers and junk): bytes before the point where the record reader
 * restarts shift every offset after it by exactly their number. STARTTLS plaintext of length p before the hello adds p;
 * a gap of g bytes instead of g' adds g - g'. One side of each comparison is fed whole, the other in 1-byte pieces.
 */
class OffsetShiftPropertiesTest {
  /** Limits low enough that generated handshake headers hit them. */
  static final Limits LIMITS = Limits.builder().maxTlsHandshakeMessageLength(3000).build();

  @Property(tries = 200)
  void plaintextBeforeTheHelloShiftsEveryOffsetByItsLength(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 300) int plaintextLength) {
    byte[] rest = OffsetShiftPropertiesTest.rest(new Random(seed));
    byte[] plaintext = new byte[plaintextLength];
    for (int i = 0; i < plaintextLength; i++) {
      plaintext[i] = (byte) ('A' + i % 26); // no 0x16: the hello is the first record-looking byte
    }
    OffsetsAfterARestartTest.Result alone = OffsetsAfterARestartTest.run(
        List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO, rest)), LIMITS, TlsKeySource.NONE, false);
    OffsetsAfterARestartTest.Result after = OffsetsAfterARestartTest.run(
        List.of(ev(C, CLIENT_HELLO), ev(S, plaintext, SERVER_HELLO, rest)), LIMITS, TlsKeySource.NONE, true);
    assertThat(after.plaintextOffset[1]).isZero();
    assertThat(after.malformation[1]).isEqualTo(shifted(alone.malformation[1], plaintextLength));
  }

  @Property(tries = 200)
  void aLongerGapShiftsEveryOffsetAfterItByTheDifference(@ForAll long seed,
      @ForAll @LongRange(min = 1, max = 1L << 40) long gap, @ForAll @LongRange(min = 1, max = 100_000) long otherGap) {
    byte[] rest = OffsetShiftPropertiesTest.rest(new Random(seed));
    byte[] resync = OffsetsAfterARestartTest.APP_DATA; // a record that looks like TLS, to resynchronise on
    OffsetsAfterARestartTest.Result a = OffsetsAfterARestartTest.run(
        List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO), gap(S, gap), ev(S, resync, rest)), LIMITS,
        TlsKeySource.NONE, false);
    OffsetsAfterARestartTest.Result b = OffsetsAfterARestartTest.run(
        List.of(ev(C, CLIENT_HELLO), ev(S, SERVER_HELLO), gap(S, otherGap), ev(S, resync, rest)), LIMITS,
        TlsKeySource.NONE, true);
    long shift = gap - otherGap;
    assertThat(a.malformation[1]).isEqualTo(shifted(b.malformation[1], shift));
    assertThat(a.plaintextOffset[1]).isEqualTo(b.plaintextOffset[1] < 0 ? -1 : b.plaintextOffset[1] + shift);
  }

  /** "KIND LAYER OFFSET [...]" with the offset moved by {@code shift}; "NONE" stays. */
  static String shifted(String malformation, long shift) {
    String[] f = malformation.split(" ", 4);
    if (f.length < 3) {
      return malformation;
    }
    return f[0] + " " + f[1] + " " + (Long.parseLong(f[2]) + shift) + (f.length > 3 ? " " + f[3] : "");
  }

  /** Up to 8 pieces: TLS 1.2 records, handshake headers of any length, headers no TLS allows, junk. */
  static byte[] rest(Random r) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    int pieces = 1 + r.nextInt(8);
    for (int i = 0; i < pieces; i++) {
      switch (r.nextInt(6)) {
        case 0: // a record of type 20..23 with random content
        case 1: {
          byte[] fragment = new byte[r.nextInt(40)];
          r.nextBytes(fragment);
          o.writeBytes(TlsConnectionDissectorTest.record(20 + r.nextInt(4), 0x0303, fragment));
          break;
        }
        case 2: { // a handshake record starting a message of a random type and length
          int len = r.nextInt(6000);
          byte[] fragment = {(byte) r.nextInt(256), (byte) (len >> 16), (byte) (len >> 8), (byte) len, 1, 2};
          o.writeBytes(TlsConnectionDissectorTest.record(22, 0x0303, fragment));
          break;
        }
        case 3: // a header longer than any TLS version allows, or over the cap
          o.writeBytes(new byte[] {23, 3, 3, (byte) (0x41 + r.nextInt(0xbe)), (byte) r.nextInt(256)});
          break;
        case 4: { // junk
          byte[] junk = new byte[1 + r.nextInt(10)];
          r.nextBytes(junk);
          o.writeBytes(junk);
          break;
        }
        default: // plaintext
          o.writeBytes("GET / HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          break;
      }
    }
    return o.toByteArray();
  }
}
