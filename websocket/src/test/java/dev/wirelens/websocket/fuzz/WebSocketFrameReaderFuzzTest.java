package dev.wirelens.websocket.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.websocket.WebSocketFrame;
import dev.wirelens.websocket.WebSocketFrameReader;
import dev.wirelens.testkit.FuzzInput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Fuzz target for {@link WebSocketFrameReader}: any bytes as one direction's frames, delivered whole and in
 * fuzz-chosen pieces. Checks: no exception; fed buffers released after close; nothing read outside them; the same
 * frames (header fields, payload CRC over all parts, unmasked payload CRC) and report either way; each part's bytes
 * are the stream's bytes at its position; unmasking equals the RFC 6455 §5.3 XOR computed here
 * ({@code j mod 4}); no frame above the small limit and LIMIT_EXCEEDED only for a frame whose length field exceeds
 * it; while waiting, never more buffered than one header and one frame of the limit.
 */
class WebSocketFrameReaderFuzzTest {
  static final long MAX = 4096;
  static final Limits LIMITS = Limits.builder().maxWebSocketFrameLength(MAX).build();

  @FuzzTest(maxDuration = "5m")
  void framesAreTheSameWholeOrInPieces(FuzzedDataProvider data) {
    FuzzInput in = FuzzInput.of(data);
    String whole = run(in.stream, List.of(in.stream));
    String pieces = run(in.stream, in.pieces());
    assertThat(pieces).isEqualTo(whole);
  }

  static String run(byte[] stream, List<byte[]> pieces) {
    StringBuilder digest = new StringBuilder();
    List<ByteBuf> fed = new ArrayList<>();
    Frames frames = new Frames(stream, digest);
    DecodeStatus s = DecodeStatus.NEED_MORE;
    try (WebSocketFrameReader reader = new WebSocketFrameReader(LIMITS, UnpooledByteBufAllocator.DEFAULT)) {
      for (byte[] p : pieces) {
        ByteBuf b = FuzzInput.exact(p);
        fed.add(b);
        reader.feed(b);
        s = frames.drain(reader);
        if (s == DecodeStatus.MALFORMED) {
          break;
        }
        assertThat((long) reader.bufferedBytes()).as("buffered while waiting").isLessThan(14 + MAX);
      }
      if (s != DecodeStatus.MALFORMED) {
        reader.endOfInput();
        s = frames.drain(reader);
      }
      digest.append(s);
      if (s == DecodeStatus.MALFORMED) {
        MalformationReport r = reader.report();
        digest.append(' ').append(r);
        if (r.malformation() == Malformation.LIMIT_EXCEEDED) {
          assertThat(declaredLength(stream, (int) r.offset())).as("length field of the frame at the reported offset")
              .isGreaterThan(MAX);
        }
      }
    }
    FuzzInput.assertReleased(fed);
    return digest.toString();
  }

  /** The payload length the header at {@code at} declares (RFC 6455 §5.2), read here from the stream itself. */
  static long declaredLength(byte[] s, int at) {
    int len7 = s[at + 1] & 0x7f;
    if (len7 < 126) {
      return len7;
    }
    long v = 0;
    for (int i = 0; i < (len7 == 126 ? 2 : 8); i++) {
      v = (v << 8) | (s[at + 2 + i] & 0xff);
    }
    return v;
  }

  /** Drains a reader, joining frame parts into one digest entry per frame. */
  static final class Frames {
    final byte[] stream;
    final StringBuilder digest;
    final CRC32 raw = new CRC32();
    final CRC32 unmasked = new CRC32();

    Frames(byte[] stream, StringBuilder digest) {
      this.stream = stream;
      this.digest = digest;
    }

    DecodeStatus drain(WebSocketFrameReader reader) {
      DecodeStatus s;
      while ((s = reader.next()) == DecodeStatus.FRAME) {
        WebSocketFrame f = reader.frame();
        assertThat(f.payloadLength()).isBetween(0L, MAX);
        assertThat(f.payloadPartLength()).isLessThanOrEqualTo(WebSocketFrameReader.MAX_PART_LENGTH);
        if (f.isFirstPart()) {
          raw.reset();
          unmasked.reset();
        }
        ByteBuf part = f.payload();
        assertThat(part.readableBytes()).isEqualTo(f.payloadPartLength());
        int at = (int) (f.frameOffset() + f.headerLength() + f.payloadPartOffset());
        ByteBuf copy = f.unmaskedCopy(UnpooledByteBufAllocator.DEFAULT);
        try {
          assertThat(copy.readableBytes()).isEqualTo(f.payloadPartLength());
          for (int i = 0; i < part.readableBytes(); i++) {
            byte b = part.getByte(part.readerIndex() + i);
            if (b != stream[at + i]) {
              throw new AssertionError("payload byte " + i + " differs from the stream at " + (at + i));
            }
            long j = f.payloadPartOffset() + i;
            int keyByte = f.isMasked() ? (f.maskingKey() >>> (8 * (3 - (int) (j & 3)))) & 0xff : 0;
            if ((byte) (b ^ keyByte) != copy.getByte(copy.readerIndex() + i)) {
              throw new AssertionError("unmasked byte " + j + " is not payload XOR masking-key[j mod 4]");
            }
            raw.update(b);
            unmasked.update(b ^ keyByte);
          }
        } finally {
          copy.release();
        }
        if (f.isLastPart()) {
          digest.append(f.frameIndex()).append('@').append(f.frameOffset()).append(':').append(f.isFin())
              .append(f.rsv()).append(f.isRsv1()).append(f.isRsv2()).append(f.isRsv3()).append(f.opcode())
              .append(f.isControl()).append(f.isMasked()).append(Integer.toHexString(f.maskingKey())).append(',')
              .append(f.headerLength()).append(',').append(f.payloadLength()).append(f.isNonMinimalLength())
              .append(',').append(Long.toHexString(raw.getValue())).append(',')
              .append(Long.toHexString(unmasked.getValue())).append(';');
        }
      }
      return s;
    }
  }
}
