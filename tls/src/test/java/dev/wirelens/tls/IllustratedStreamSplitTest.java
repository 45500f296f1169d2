package dev.wirelens.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.tls.handshake.HandshakeReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The server direction of the illustrated TLS 1.2 connection (ServerHello, Certificate, ServerKeyExchange,
 * ServerHelloDone in four records, then CCS, the encrypted Finished and application data) and the client direction
 * of the TLS 1.3 one, read as one byte stream: fed whole, split at every index, and as 1-byte pieces in a composite
 * buffer, records and plaintext handshake messages are the same.
 */
class IllustratedStreamSplitTest {
  static byte[] stream(String dir, String... files) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String f : files) {
      try (InputStream in = IllustratedStreamSplitTest.class.getClassLoader()
          .getResourceAsStream("vectors/tls/" + dir + "/" + f)) {
        out.write(in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out.toByteArray();
  }

  static final byte[] TLS12_SERVER = stream("illustrated-tls12",
      "serverhello", "servercert", "serverkeyexchange", "serverhellodone", "serverccs", "serverfinished", "serverdata");
  static final byte[] TLS13_CLIENT = stream("illustrated-tls13",
      "clienthello", "clientccs", "clientencfinished", "clientencdata");

  /** Records (type, length, stream offset) and the handshake messages of the records before ChangeCipherSpec. */
  static List<String> read(List<ByteBuf> pieces) {
    List<String> out = new ArrayList<>();
    try (TlsRecordReader records = new TlsRecordReader(Limits.defaults());
        HandshakeReader handshakes = new HandshakeReader(Limits.defaults())) {
      boolean ccs = false;
      for (ByteBuf piece : pieces) {
        records.feed(piece);
        DecodeStatus s;
        while ((s = records.next()) == DecodeStatus.RECORD) {
          TlsRecord r = records.record();
          out.add("record " + r.contentType() + " " + r.length() + " @" + r.streamOffset());
          ccs |= r.contentType() == ContentTypes.CHANGE_CIPHER_SPEC;
          if (r.contentType() == ContentTypes.HANDSHAKE && !ccs) {
            handshakes.feed(r.retainedFragment());
            while (handshakes.next() == DecodeStatus.RECORD) {
              out.add("handshake " + handshakes.message().msgType() + " " + handshakes.message().length() + " "
                  + ByteBufUtil.hashCode(handshakes.message().body()));
            }
          }
        }
        assertThat(s).isEqualTo(DecodeStatus.NEED_MORE);
      }
      records.endOfInput();
      assertThat(records.next()).isEqualTo(DecodeStatus.END);
    }
    return out;
  }

  static void sweep(byte[] stream, List<String> expectedPrefix) {
    List<String> whole = read(List.of(Unpooled.wrappedBuffer(stream)));
    assertThat(whole.subList(0, expectedPrefix.size())).isEqualTo(expectedPrefix);
    for (int i = 0; i <= stream.length; i++) {
      List<ByteBuf> pieces = List.of(Unpooled.wrappedBuffer(stream, 0, i),
          Unpooled.wrappedBuffer(stream, i, stream.length - i));
      assertThat(read(pieces)).as("split at %d", i).isEqualTo(whole);
    }
    List<ByteBuf> bytes = new ArrayList<>();
    for (byte b : stream) {
      bytes.add(Unpooled.wrappedBuffer(new byte[] {b}));
    }
    assertThat(read(bytes)).as("1-byte feeds").isEqualTo(whole);
    CompositeByteBuf composite = Unpooled.compositeBuffer(stream.length);
    for (byte b : stream) {
      composite.addComponent(true, Unpooled.wrappedBuffer(new byte[] {b}));
    }
    assertThat(read(List.of(composite))).as("one composite of 1-byte components").isEqualTo(whole);
  }

  @Test
  void tls12ServerDirectionIsTheSameAtEverySplit() {
    // record and message lengths: tshark (expected/illustrated-handshakes.tsv) says ServerHello 45, Certificate 811,
    // ServerKeyExchange 296, ServerHelloDone 0; records are 4 bytes longer than each message
    sweep(TLS12_SERVER, List.of());
    List<String> whole = read(List.of(Unpooled.wrappedBuffer(TLS12_SERVER)));
    assertThat(whole.stream().filter(s -> s.startsWith("handshake")).map(s -> s.split(" ")[1] + "/" + s.split(" ")[2]))
        .containsExactly("2/45", "11/811", "12/296", "14/0");
    assertThat(whole.stream().filter(s -> s.startsWith("record")).map(s -> s.split(" ")[1]))
        .containsExactly("22", "22", "22", "22", "20", "22", "23");
  }

  @Test
  void tls13ClientDirectionIsTheSameAtEverySplit() {
    sweep(TLS13_CLIENT, List.of());
    List<String> whole = read(List.of(Unpooled.wrappedBuffer(TLS13_CLIENT)));
    assertThat(whole.stream().filter(s -> s.startsWith("handshake")).map(s -> s.split(" ")[1] + "/" + s.split(" ")[2]))
        .containsExactly("1/244");
    assertThat(whole.stream().filter(s -> s.startsWith("record")).map(s -> s.split(" ")[1]))
        .containsExactly("22", "20", "23", "23");
  }
}
