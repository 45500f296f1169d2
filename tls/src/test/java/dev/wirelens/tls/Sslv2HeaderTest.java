package dev.wirelens.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import dev.wirelens.testkit.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rule: an SSLv2-compatible ClientHello is recognised with the 2-byte SSLv2 record header only; one with the
 * 3-byte header (high bit clear, 14-bit length, padding length) is not a record, and the bytes are not TLS.
 *
 * <p>Why (decided in session 6 instead of adding a 3-byte recogniser): RFC 5246 Appendix E.2 (as RFC 2246/4346
 * Appendix E.1 and RFC 6101 Appendix E) defines the V2ClientHello with {@code msg_length} whose "highest bit MUST be
 * 1", so no TLS or SSL 3.0 client sends one with a 3-byte header; a genuine SSL 2.0 client sends its CLIENT-HELLO in
 * the clear, where the padding that the 3-byte header exists for (block ciphers) has no use, and SSL 2.0 is
 * prohibited anyway (RFC 6176). Wireshark, the reference, agrees: tshark 4.0.17 shows such a hello as "Continuation
 * Data", not as a Client Hello. A recogniser would also need care not to read TLS as SSLv2: a TLS ClientHello record
 * of 259 bytes starts {@code 16 03 01 01 03 01}, which has byte 0 below 0x40, "msg_type" 1 at byte 3 and "version"
 * 0x0301 at bytes 4-5, the very test proposed for a 3-byte header.
 *
 * <p>Oracle: expected/tshark-sslv2-headers.tsv, recorded by scripts/tls-sslv2-header/record.sh: per header (2-byte;
 * 3-byte with padding 0, 5 and 255, the last as NSS's ssl_v2_client_hello_unittest AddPadding sends it), tshark's
 * protocol and info for the frame holding the hello, and the payloads of that frame and of the server's ServerHello,
 * which are fed to the dissector here, whole and in 1-byte pieces.
 */
class Sslv2HeaderTest {
  static final Direction C = Direction.CLIENT_TO_SERVER;
  static final Direction S = Direction.SERVER_TO_CLIENT;

  /** One row of the oracle. */
  static final class Row {
    String header;
    String protocol;
    String info;
    byte[] client;
    byte[] server;
  }

  static List<Row> rows() throws IOException {
    List<Row> rows = new ArrayList<>();
    try (InputStream in = Sslv2HeaderTest.class.getClassLoader()
        .getResourceAsStream("expected/tshark-sslv2-headers.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("#") || line.startsWith("header\t")) {
          continue;
        }
        String[] f = line.split("\t");
        Row r = new Row();
        r.header = f[0];
        r.protocol = f[1];
        r.info = f[2];
        r.client = Hex.decode(f[3]);
        r.server = Hex.decode(f[4]);
        rows.add(r);
      }
    }
    assertThat(rows).hasSize(4);
    return rows;
  }

  @Test
  void onlyTheTwoByteHeaderMakesAnSslv2ClientHelloAsTsharkFramesIt() throws IOException {
    for (Row r : rows()) {
      boolean tsharkHello = r.protocol.equals("SSLv2") && r.info.equals("Client Hello");
      assertThat(tsharkHello || r.protocol.equals("SSL") && r.info.equals("Continuation Data")).as(r.header).isTrue();
      assertThat(tsharkHello).as(r.header).isEqualTo(r.header.equals("2"));

      assertThat(detect(r.client)).as(r.header).isEqualTo(tsharkHello ? TlsDetection.YES : TlsDetection.NO);
      assertThat(firstRecordIsSsl2ClientHello(r.client)).as(r.header).isEqualTo(tsharkHello);
      for (boolean pieces : new boolean[] {false, true}) {
        String how = r.header + (pieces ? " in 1-byte pieces" : " whole");
        TlsSession s = session(r, pieces);
        assertThat(s.isTls()).as(how).isTrue(); // the server's ServerHello
        assertThat(s.version()).as(how).isEqualTo(0x0301);
        // a hello that is not a record is bytes that are not TLS, from the stream's first byte
        assertThat(s.plaintextOffset(C)).as(how).isEqualTo(tsharkHello ? -1 : 0);
        assertThat(s.plaintextOffset(S)).as(how).isEqualTo(-1);
        assertThat(s.malformation(C).isMalformed()).as(how).isFalse();
      }
    }
  }

  @Test
  void aTlsClientHelloRecordOf259BytesIsTlsNotAThreeByteSslv2Header() {
    // 16 03 01 01 03 | 01 ...: read as a 3-byte SSLv2 header, byte 0 0x16 < 0x40, byte 3 = 1, bytes 4-5 = 0x0301
    byte[] record = new byte[5 + 259];
    System.arraycopy(Hex.decode("16 0301 0103 01"), 0, record, 0, 6);
    assertThat(detect(record)).isEqualTo(TlsDetection.YES);
    try (TlsRecordReader reader = new TlsRecordReader(Limits.defaults())) {
      reader.feed(Unpooled.wrappedBuffer(record));
      assertThat(reader.next()).isEqualTo(DecodeStatus.RECORD);
      assertThat(reader.record().isSsl2()).isFalse();
      assertThat(reader.record().contentType()).isEqualTo(ContentTypes.HANDSHAKE);
      assertThat(reader.record().length()).isEqualTo(259);
    }
  }

  static TlsDetection detect(byte[] bytes) {
    ByteBuf b = Unpooled.wrappedBuffer(bytes);
    try {
      return TlsDetector.looksLikeTls(b);
    } finally {
      b.release();
    }
  }

  static boolean firstRecordIsSsl2ClientHello(byte[] bytes) {
    try (TlsRecordReader reader = new TlsRecordReader(Limits.defaults())) {
      reader.feed(Unpooled.wrappedBuffer(bytes));
      return reader.next() == DecodeStatus.RECORD && reader.record().isSsl2ClientHello();
    }
  }

  static TlsSession session(Row r, boolean oneByteAtATime) {
    TlsConnectionDissector d = new TlsConnectionDissector(Limits.defaults(), TlsKeySource.NONE, null);
    try {
      feed(d, C, r.client, oneByteAtATime);
      feed(d, S, r.server, oneByteAtATime);
      d.onClose(CloseReason.FIN, 2);
      return d.session();
    } finally {
      d.close();
    }
  }

  /** Feeds {@code bytes} whole or a byte at a time, offering again what the dissector leaves, as TCP does. */
  static void feed(TlsConnectionDissector d, Direction dir, byte[] bytes, boolean oneByteAtATime) {
    byte[] pending = new byte[0];
    int step = oneByteAtATime ? 1 : bytes.length;
    for (int at = 0; at < bytes.length; at += step) {
      byte[] piece = Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + step));
      byte[] offered = Arrays.copyOf(pending, pending.length + piece.length);
      System.arraycopy(piece, 0, offered, pending.length, piece.length);
      ByteBuf b = Unpooled.wrappedBuffer(offered);
      try {
        int used = d.onData(dir, 1, b);
        pending = Arrays.copyOfRange(offered, used, offered.length);
      } finally {
        b.release();
      }
    }
  }
}
