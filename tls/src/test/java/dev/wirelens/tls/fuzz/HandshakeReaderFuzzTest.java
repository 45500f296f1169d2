package dev.wirelens.tls.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.tls.handshake.HandshakeMessage;
import dev.wirelens.tls.handshake.HandshakeReader;
import dev.wirelens.testkit.FuzzInput;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target for {@link HandshakeReader} and, for every message it frames, the message views with their cursors
 * ({@link HandshakeViews}: ClientHello, ServerHello, Certificate with its entries and X.509 summaries, ... every
 * accessor). Bytes are the handshake stream (the concatenated fragments of handshake records), delivered whole and
 * in fuzz-chosen pieces. Checks: no exception, every fed buffer released, views read only inside the message (each
 * view walks an exact copy of the body), the same messages/views/report either way, each message equal to the
 * stream's bytes at its offset, no message above the small limit, LIMIT_EXCEEDED only at a length field that
 * exceeds it, and never waiting with a complete message buffered.
 */
class HandshakeReaderFuzzTest {
  static final int MAX = 2048;
  static final Limits LIMITS = Limits.builder().maxTlsHandshakeMessageLength(MAX).build();

  @FuzzTest(maxDuration = "5m")
  void messagesAreTheSameWholeOrInPiecesAndEveryViewStaysInside(FuzzedDataProvider data) {
    FuzzInput in = FuzzInput.of(data);
    String whole = run(in.stream, List.of(in.stream));
    String pieces = run(in.stream, in.pieces());
    assertThat(pieces).isEqualTo(whole);
  }

  static String run(byte[] stream, List<byte[]> pieces) {
    StringBuilder digest = new StringBuilder();
    List<ByteBuf> fed = new ArrayList<>();
    HandshakeViews views = new HandshakeViews(true);
    DecodeStatus s = DecodeStatus.NEED_MORE;
    try (HandshakeReader reader = new HandshakeReader(LIMITS)) {
      for (byte[] p : pieces) {
        ByteBuf b = FuzzInput.exact(p);
        fed.add(b);
        reader.feed(b);
        s = drain(reader, stream, digest, views);
        if (s == DecodeStatus.MALFORMED) {
          break;
        }
        assertThat(reader.bufferedBytes()).as("buffered while waiting").isLessThan(4 + MAX);
        reader.compact();
      }
      if (s != DecodeStatus.MALFORMED) {
        reader.endOfInput();
        s = drain(reader, stream, digest, views);
      }
      digest.append(s);
      if (s == DecodeStatus.MALFORMED) {
        MalformationReport r = reader.report();
        digest.append(' ').append(r);
        if (r.malformation() == Malformation.LIMIT_EXCEEDED) {
          int at = (int) r.offset();
          int claimed = ((stream[at] & 0xff) << 16) | ((stream[at + 1] & 0xff) << 8) | (stream[at + 2] & 0xff);
          assertThat(claimed).as("length field at the reported offset").isGreaterThan(MAX);
        }
      }
    }
    FuzzInput.assertReleased(fed);
    return digest.toString();
  }

  private static DecodeStatus drain(HandshakeReader reader, byte[] stream, StringBuilder digest,
      HandshakeViews views) {
    DecodeStatus s;
    while ((s = reader.next()) == DecodeStatus.RECORD) {
      HandshakeMessage m = reader.message();
      assertThat(m.length()).as("message length within the limit").isLessThanOrEqualTo(MAX);
      int at = (int) m.streamOffset();
      ByteBuf whole = m.message();
      assertThat(whole.readableBytes()).isEqualTo(4 + m.length());
      for (int i = 0; i < whole.readableBytes(); i++) {
        if (whole.getByte(whole.readerIndex() + i) != stream[at + i]) {
          throw new AssertionError("message byte " + i + " differs from the stream at " + (at + i));
        }
      }
      ByteBuf body = FuzzInput.exact(stream, at + 4, m.length());
      try {
        digest.append(m.msgType()).append(',').append(m.length()).append('@').append(at).append(' ')
            .append(views.walk(m.msgType(), body)).append(';');
      } finally {
        body.release();
      }
    }
    return s;
  }
}
