package dev.wirelens.tls.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.StreamDissector;
import dev.wirelens.tls.KeyLog;
import dev.wirelens.tls.TlsConnectionDissector;
import dev.wirelens.tls.TlsLimit;
import dev.wirelens.tls.TlsSession;
import dev.wirelens.testkit.DuplexInput;
import dev.wirelens.testkit.FuzzInput;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Fuzz target for {@link TlsConnectionDissector}: both directions of a connection ({@link DuplexInput}: data and
 * gaps in capture order), with a key source holding the secrets of our recorded captures (so seeds made from them
 * decrypt, and mutations reach the decrypted handshake and application data paths) and an inner dissector that
 * digests the plaintext it is handed. Played whole and split at fuzz-chosen points. Checks: no exception; the
 * consumed count within what was offered; nothing read outside the bytes offered; the session summary, each
 * direction's decrypted bytes, problems and malformations the same for both deliveries (except that data after a
 * direction's gap keeps its segments: resynchronisation looks at segment starts by design); the memory the dissector
 * keeps between calls within a bound made of the (small) limits; nothing held after onClose.
 */
class TlsConnectionDissectorFuzzTest {
  static final Limits LIMITS = Limits.builder().maxTlsRecordLength(1 << 14).maxTlsHandshakeMessageLength(8192)
      .maxBufferedBytesPerFlow(8192).build();
  static final KeyLog KEYS = keys();
  /** Per direction: a partial record, a partial message, the ServerHello wait, the inner bytes; x8 for roots kept. */
  static final long MAX_RETAINED = 2L * 8 * ((5 + LIMITS.maxTlsRecordLength()) + (4 + LIMITS.maxTlsHandshakeMessageLength())
      + TlsConnectionDissector.maxHeldForServerHello(LIMITS) + LIMITS.maxBufferedBytesPerFlow() + 256);

  private static KeyLog keys() {
    try (InputStream in = TlsConnectionDissectorFuzzTest.class.getResourceAsStream("seed-captures.keys")) {
      return KeyLog.parse(in.readAllBytes(), Limits.defaults());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @org.junit.jupiter.api.Test
  void seedsFromKeyedCapturesDecrypt() throws IOException {
    // the seeds lead the fuzzer into decryption only if the key source knows them
    for (String name : new String[] {"tls13-aes128gcm", "tls12-ecdhe-rsa-aes128gcm", "tls12-rsa-aes128-cbc-sha256"}) {
      byte[] seed;
      try (InputStream in = getClass().getResourceAsStream(
          "TlsConnectionDissectorFuzzTestInputs/sessionIsTheSameWholeOrInPieces/" + name)) {
        seed = in.readAllBytes();
      }
      DuplexInput in = DuplexInput.ofSeed(seed);
      TlsConnectionDissector tls = new TlsConnectionDissector(LIMITS, KEYS, new Plaintext());
      try {
        in.deliver(tls, false, () -> { });
        assertThat(tls.session().decrypted()).as(name).isTrue();
        assertThat(tls.session().decryptedBytes(Direction.SERVER_TO_CLIENT)).as(name).isPositive();
      } finally {
        tls.close();
      }
    }
  }

  @FuzzTest(maxDuration = "5m")
  void sessionIsTheSameWholeOrInPieces(FuzzedDataProvider data) {
    DuplexInput in = DuplexInput.of(data);
    if (System.getenv("FUZZ_DEBUG") != null && !run(in, false).equals(run(in, true))) {
      System.err.println("cuts " + java.util.Arrays.toString(in.cuts));
      for (DuplexInput.Event e : in.events) {
        System.err.println("event dir=" + e.direction() + " gap=" + e.gap() + " len=" + e.bytes().length + " "
            + HexFormat.of().formatHex(java.util.Arrays.copyOf(e.bytes(), Math.min(1500, e.bytes().length))));
      }
    }
    String whole = run(in, false);
    String pieces = run(in, true);
    assertThat(pieces).isEqualTo(whole);
  }

  static String run(DuplexInput in, boolean split) {
    Plaintext inner = new Plaintext();
    TlsConnectionDissector tls = new TlsConnectionDissector(LIMITS, KEYS, inner);
    List<ByteBuf> handed;
    try {
      // after a gap the dissector resynchronises at segment starts (a TCP segment after a hole usually starts a
      // record): by design that depends on the segments, so data after a direction's gap is not split further
      handed = in.deliver(tls, split, false,
          () -> assertThat(tls.retainedBytes()).as("retained between calls").isLessThanOrEqualTo(MAX_RETAINED));
      tls.onFin(Direction.CLIENT_TO_SERVER, 9_000_000_000L);
      tls.onFin(Direction.SERVER_TO_CLIENT, 9_000_000_001L);
      tls.onClose(CloseReason.FIN, 9_000_000_002L);
    } finally {
      tls.close();
    }
    assertThat(tls.retainedBytes()).isZero();
    FuzzInput.assertReleased(handed);
    assertOffsetsInStream(in, tls.session());
    return digest(tls.session()) + inner;
  }

  /**
   * The session's offsets count each direction's TCP stream from its byte 0, gaps included (TlsSession): every one
   * lies inside what that direction delivered, -1 only for "none".
   */
  static void assertOffsetsInStream(DuplexInput in, TlsSession s) {
    long[] total = new long[2];
    for (DuplexInput.Event e : in.events) {
      total[e.direction()] += e.gap() ? e.gapLength() : e.bytes().length;
    }
    for (Direction dir : Direction.values()) {
      long end = total[dir == Direction.CLIENT_TO_SERVER ? 0 : 1];
      assertThat(s.plaintextOffset(dir)).as("plaintext offset " + dir).isBetween(-1L, end);
      if (s.malformation(dir).isMalformed()) {
        assertThat(s.malformation(dir).offset()).as(s.malformation(dir) + " " + dir).isBetween(0L, end);
      }
      // a cap is named exactly when the malformation is a cap hit
      assertThat(s.limitExceeded(dir) != TlsLimit.NONE).as(s.malformation(dir) + " " + s.limitExceeded(dir))
          .isEqualTo(s.malformation(dir).malformation() == Malformation.LIMIT_EXCEEDED);
    }
  }

  static String digest(TlsSession s) {
    StringBuilder d = new StringBuilder();
    d.append(s.isTls()).append(s.version()).append(s.versionName()).append(s.cipherSuite()).append(s.cipherSuiteName())
        .append(s.cipherSuiteId()).append(s.sni()).append(s.alpnOffered()).append(s.alpn())
        .append(s.helloRetryRequest()).append(s.resumed()).append(s.handshakeComplete()).append(s.certificateSha256())
        .append(s.certificates().size()).append(s.alerts()).append(s.ja3()).append(s.ja4())
        .append(s.clientRandom() == null ? "-" : HexFormat.of().formatHex(s.clientRandom()))
        .append(s.plaintextApplicationData()).append(s.decrypted());
    for (Direction dir : Direction.values()) {
      d.append('|').append(dir).append(s.plaintextOffset(dir)).append(',').append(s.decryptedBytes(dir)).append(',')
          .append(s.decryptionProblem(dir)).append(',').append(s.malformation(dir)).append(',')
          .append(s.limitExceeded(dir));
    }
    return d.toString();
  }

  /** Inner dissector: CRC and length of each direction's plaintext, gaps, fins, close. */
  static final class Plaintext implements StreamDissector {
    final CRC32[] crc = {new CRC32(), new CRC32()};
    final long[] length = new long[2];
    final StringBuilder events = new StringBuilder();

    @Override
    public int onData(Direction d, long ts, ByteBuf data) {
      for (int i = data.readerIndex(); i < data.writerIndex(); i++) {
        crc[d.ordinal()].update(data.getByte(i));
      }
      length[d.ordinal()] += data.readableBytes();
      return data.readableBytes();
    }

    @Override
    public void onGap(Direction d, long ts, long len) {
      events.append("gap").append(d.ordinal()).append(length[d.ordinal()]).append(';');
    }

    @Override
    public void onFin(Direction d, long ts) {
      events.append("fin").append(d.ordinal()).append(';');
    }

    @Override
    public void onClose(CloseReason why, long ts) {
      events.append("close;");
    }

    @Override
    public String toString() {
      return " plaintext " + length[0] + "/" + Long.toHexString(crc[0].getValue()) + " " + length[1] + "/"
          + Long.toHexString(crc[1].getValue()) + " " + events;
    }
  }
}
