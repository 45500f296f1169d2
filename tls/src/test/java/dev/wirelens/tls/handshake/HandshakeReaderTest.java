package dev.wirelens.tls.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import dev.wirelens.testkit.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeReaderTest {
  // RFC 5246 §7.4 headers: ServerHelloDone (14, empty), a 3-byte body of type 2, Finished (20) with 12 bytes,
  // and an unknown type 0x77 with a 1-byte body.
  static final byte[] STREAM = Hex.decode("0e000000  02000003 aabbcc  1400000c 000102030405060708090a0b  77000001 ff");
  static final List<String> EXPECTED = List.of(
      "14 0 @0 ", "2 3 @4 aabbcc", "20 12 @11 000102030405060708090a0b", "119 1 @27 ff");

  static List<String> run(HandshakeReader reader, List<ByteBuf> pieces) {
    List<String> out = new ArrayList<>();
    for (ByteBuf piece : pieces) {
      reader.feed(piece);
      DecodeStatus s;
      while ((s = reader.next()) == DecodeStatus.RECORD) {
        HandshakeMessage m = reader.message();
        out.add(m.msgType() + " " + m.length() + " @" + m.streamOffset() + " " + ByteBufUtil.hexDump(m.body()));
      }
      if (s == DecodeStatus.MALFORMED) {
        out.add("MALFORMED " + reader.report());
        break;
      }
    }
    return out;
  }

  @Test
  void messagesAreFramedAtEverySplitIndex() {
    for (int i = 0; i <= STREAM.length; i++) {
      for (int j = i; j <= STREAM.length; j++) {
        try (HandshakeReader reader = new HandshakeReader(Limits.defaults())) {
          List<ByteBuf> pieces = List.of(Unpooled.wrappedBuffer(STREAM, 0, i),
              Unpooled.wrappedBuffer(STREAM, i, j - i), Unpooled.wrappedBuffer(STREAM, j, STREAM.length - j));
          assertThat(run(reader, pieces)).as("split at %d,%d", i, j).isEqualTo(EXPECTED);
          reader.endOfInput();
          assertThat(reader.next()).isEqualTo(DecodeStatus.END);
        }
      }
    }
  }

  @Test
  void oneBytePiecesGiveTheSameMessages() {
    List<ByteBuf> pieces = new ArrayList<>();
    for (byte x : STREAM) {
      pieces.add(Unpooled.buffer(1).writeByte(x));
    }
    try (HandshakeReader reader = new HandshakeReader(Limits.defaults())) {
      assertThat(run(reader, pieces)).isEqualTo(EXPECTED);
    }
  }

  @Test
  void messageLongerThanLimitIsMalformedAtItsLengthField() {
    Limits limits = Limits.builder().maxTlsHandshakeMessageLength(12).build();
    try (HandshakeReader reader = new HandshakeReader(limits)) {
      reader.feed(Unpooled.wrappedBuffer(Hex.decode("1400000c 000102030405060708090a0b 0b00000d")));
      assertThat(reader.next()).isEqualTo(DecodeStatus.RECORD);
      assertThat(reader.next()).isEqualTo(DecodeStatus.MALFORMED);
      assertThat(reader.report().malformation()).isEqualTo(Malformation.LIMIT_EXCEEDED);
      assertThat(reader.report().layer()).isEqualTo(Layer.TLS);
      assertThat(reader.report().offset()).isEqualTo(17);
    }
  }

  @Test
  void absurdLengthIsMalformedWithDefaultLimits() {
    try (HandshakeReader reader = new HandshakeReader(Limits.defaults())) {
      reader.feed(Unpooled.wrappedBuffer(Hex.decode("01ffffff")));
      assertThat(reader.next()).isEqualTo(DecodeStatus.MALFORMED);
      assertThat(reader.report().offset()).isEqualTo(1);
    }
  }

  @Test
  void partialMessageAtEndOfInputIsTruncated() {
    try (HandshakeReader reader = new HandshakeReader(Limits.defaults())) {
      reader.feed(Unpooled.wrappedBuffer(Hex.decode("0e000000 02000003 aa")));
      assertThat(reader.next()).isEqualTo(DecodeStatus.RECORD);
      assertThat(reader.next()).isEqualTo(DecodeStatus.NEED_MORE);
      reader.endOfInput();
      assertThat(reader.next()).isEqualTo(DecodeStatus.MALFORMED);
      assertThat(reader.report().malformation()).isEqualTo(Malformation.TRUNCATED);
      assertThat(reader.report().offset()).isEqualTo(4);
      assertThat(reader.report().requiredLength()).isEqualTo(7);
      assertThat(reader.report().availableLength()).isEqualTo(5);
      assertThat(reader.report().lengthSource()).isEqualTo(LengthSource.TLS_LENGTH);
    }
  }
}
