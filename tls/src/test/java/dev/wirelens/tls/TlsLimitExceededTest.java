package dev.wirelens.tls;

import static dev.wirelens.tls.TlsConnectionDissectorTest.clientHello;
import static dev.wirelens.tls.TlsConnectionDissectorTest.concat;
import static dev.wirelens.tls.TlsConnectionDissectorTest.handshake;
import static dev.wirelens.tls.TlsConnectionDissectorTest.record;
import static dev.wirelens.tls.TlsConnectionDissectorTest.serverHello;
import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.Layer;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TlsSession#limitExceeded(Direction)}: which of the two TLS caps a LIMIT_EXCEEDED is. Hand-built streams
 * (RFC 8446 §5.1 record header {@code type(1) legacy_record_version(2) length(2)}, §4 handshake header
 * {@code msg_type(1) length(3)}; the helpers of {@link TlsConnectionDissectorTest} write them byte by byte), each fed
 * whole and in 1-byte pieces. The record and handshake tests share one pair of small caps, so only the stream tells
 * the two apart. Expected offsets are counted from the layouts written in the comments.
 */
class TlsLimitExceededTest {
  static final Direction C = Direction.CLIENT_TO_SERVER;
  static final Direction S = Direction.SERVER_TO_CLIENT;
  /** Records up to 100 bytes, handshake messages up to 150: every message below fits a record's cap but one. */
  static final Limits SMALL = Limits.builder().maxTlsRecordLength(100).maxTlsHandshakeMessageLength(150).build();

  @ParameterizedTest(name = "in 1-byte pieces: {0}")
  @ValueSource(booleans = {false, true})
  void recordLongerThanTheRecordLimitIsTheRecordCap(boolean pieces) {
    byte[] hello = record(22, 0x0301, clientHello()); // fragment 81 bytes: within both caps
    // a handshake record of 120 bytes (> 100) holding a ServerHello (44 bytes) and a Certificate of 4 + 72 bytes,
    // each message within the 150-byte handshake cap: only the record's length is over a cap
    byte[] fragment = concat(serverHello(new byte[0], 0xC02F), handshake(11, new byte[72]));
    assertThat(fragment.length).isEqualTo(120);
    byte[] server = record(22, 0x0303, fragment);

    TlsSession s = run(SMALL, pieces, hello, server);

    MalformationReport m = s.malformation(S);
    assertThat(m.malformation()).isEqualTo(Malformation.LIMIT_EXCEEDED);
    assertThat(m.layer()).isEqualTo(Layer.TLS);
    assertThat(m.offset()).isEqualTo(3); // the record header's length field
    assertThat(s.limitExceeded(S)).isEqualTo(TlsLimit.RECORD_LENGTH);
    assertThat(s.plaintextOffset(S)).as("a lowered cap: the bytes may still be TLS").isEqualTo(-1);
    assertThat(s.malformation(C).isMalformed()).isFalse();
    assertThat(s.limitExceeded(C)).isEqualTo(TlsLimit.NONE);
  }

  @ParameterizedTest(name = "in 1-byte pieces: {0}")
  @ValueSource(booleans = {false, true})
  void handshakeMessageLongerThanTheHandshakeLimitInRecordsThatFitIsTheHandshakeCap(boolean pieces) {
    byte[] hello = record(22, 0x0301, clientHello());
    byte[] serverHello = record(22, 0x0303, serverHello(new byte[0], 0xC02F)); // 5 + 44
    // a Certificate of 4 + 200 bytes (200 > 150) in records of 100, 100 and 4 bytes, each within the record cap
    byte[] certificate = handshake(11, new byte[200]);
    byte[] server = concat(serverHello, record(22, 0x0303, Arrays.copyOfRange(certificate, 0, 100)),
        record(22, 0x0303, Arrays.copyOfRange(certificate, 100, 200)),
        record(22, 0x0303, Arrays.copyOfRange(certificate, 200, 204)));

    TlsSession s = run(SMALL, pieces, hello, server);

    MalformationReport m = s.malformation(S);
    assertThat(m.malformation()).isEqualTo(Malformation.LIMIT_EXCEEDED);
    assertThat(m.layer()).isEqualTo(Layer.TLS);
    // the stream offset of the Certificate's length field: the ServerHello record 5 + 44, a record header 5, msg_type 1
    assertThat(m.offset()).isEqualTo(49 + 5 + 1);
    assertThat(s.limitExceeded(S)).isEqualTo(TlsLimit.HANDSHAKE_MESSAGE_LENGTH);
    assertThat(s.plaintextOffset(S)).isEqualTo(-1);
    assertThat(s.limitExceeded(C)).isEqualTo(TlsLimit.NONE);
  }

  @ParameterizedTest(name = "in 1-byte pieces: {0}")
  @ValueSource(booleans = {false, true})
  void clientHelloLongerThanTheHandshakeLimitInRecordsThatFitIsTheHandshakeCap(boolean pieces) {
    Limits limits = Limits.builder().maxTlsRecordLength(100).maxTlsHandshakeMessageLength(50).build();
    byte[] body = clientHello(); // 4 + 77 bytes: 77 > 50
    byte[] client = concat(record(22, 0x0301, Arrays.copyOfRange(body, 0, 40)),
        record(22, 0x0301, Arrays.copyOfRange(body, 40, body.length)));

    TlsSession s = run(limits, pieces, client, new byte[0]);

    MalformationReport m = s.malformation(C);
    assertThat(m.malformation()).isEqualTo(Malformation.LIMIT_EXCEEDED);
    assertThat(m.offset()).isEqualTo(5 + 1); // record header, msg_type
    assertThat(s.limitExceeded(C)).isEqualTo(TlsLimit.HANDSHAKE_MESSAGE_LENGTH);
    assertThat(s.limitExceeded(S)).isEqualTo(TlsLimit.NONE);
  }

  @ParameterizedTest(name = "in 1-byte pieces: {0}")
  @ValueSource(booleans = {false, true})
  void recordOverTheDefaultRecordLimitIsTheRecordCapAndPlaintext(boolean pieces) {
    // 0x4800 = 2^14 + 2048: allowed by RFC 5246 §6.2.3, over the default cap of 2^14 + 256 (RFC 8446 §5.2)
    byte[] hello = record(22, 0x0301, clientHello());
    byte[] client = concat(hello, new byte[] {23, 3, 3, 0x48, 0, 1, 2, 3});

    TlsSession s = run(Limits.defaults(), pieces, client, new byte[0]);

    assertThat(s.malformation(C).malformation()).isEqualTo(Malformation.LIMIT_EXCEEDED);
    assertThat(s.malformation(C).offset()).isEqualTo(hello.length + 3);
    assertThat(s.limitExceeded(C)).isEqualTo(TlsLimit.RECORD_LENGTH);
    assertThat(s.plaintextOffset(C)).isEqualTo(hello.length);
  }

  @ParameterizedTest(name = "in 1-byte pieces: {0}")
  @ValueSource(booleans = {false, true})
  void handshakeCapAfterPlaintextIsStillTheHandshakeCap(boolean pieces) {
    // the server's stream starts in plaintext (a STARTTLS-style banner, so plaintextOffset is 0), then a ServerHello
    // and a Certificate claiming 0xFFFFFF bytes, over the default 256 KiB cap: the plaintext does not make it a record
    // cap hit
    byte[] banner = "220 ready\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] hello = record(22, 0x0301, clientHello());
    byte[] server = concat(banner, record(22, 0x0303, concat(serverHello(new byte[0], 0xC02F),
        new byte[] {11, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0})));

    TlsSession s = run(Limits.defaults(), pieces, hello, server);

    assertThat(s.plaintextOffset(S)).isEqualTo(0);
    assertThat(s.malformation(S).malformation()).isEqualTo(Malformation.LIMIT_EXCEEDED);
    // banner 11, record header 5, the ServerHello 44, msg_type 1
    assertThat(s.malformation(S).offset()).isEqualTo(11 + 5 + 44 + 1);
    assertThat(s.limitExceeded(S)).isEqualTo(TlsLimit.HANDSHAKE_MESSAGE_LENGTH);
    assertThat(s.limitExceeded(C)).isEqualTo(TlsLimit.NONE);
  }

  @ParameterizedTest(name = "in 1-byte pieces: {0}")
  @ValueSource(booleans = {false, true})
  void malformationOtherThanACapHitIsNoCap(boolean pieces) {
    // a record cut short by the FIN: TRUNCATED, not a cap
    byte[] hello = record(22, 0x0301, clientHello());
    byte[] client = Arrays.copyOf(hello, hello.length - 1);

    TlsSession s = run(SMALL, pieces, client, new byte[0]);

    assertThat(s.malformation(C).malformation()).isEqualTo(Malformation.TRUNCATED);
    assertThat(s.limitExceeded(C)).isEqualTo(TlsLimit.NONE);
  }

  /**
   * The client's bytes, then the server's, then a FIN each way and the close; in 1-byte pieces each call is a fresh
   * buffer holding the bytes the last call left unconsumed and one more (TcpStreamListener.onData's contract).
   */
  static TlsSession run(Limits limits, boolean pieces, byte[] client, byte[] server) {
    TlsConnectionDissector d = new TlsConnectionDissector(limits, TlsKeySource.NONE, null);
    try {
      deliver(d, C, client, pieces);
      deliver(d, S, server, pieces);
      d.onFin(C, 3);
      d.onFin(S, 4);
      d.onClose(CloseReason.FIN, 5);
      return d.session();
    } finally {
      d.close();
    }
  }

  private static void deliver(TlsConnectionDissector d, Direction dir, byte[] bytes, boolean pieces) {
    if (bytes.length == 0) {
      return;
    }
    if (!pieces) {
      ByteBuf b = Unpooled.wrappedBuffer(bytes);
      try {
        assertThat(d.onData(dir, 1, b)).isEqualTo(bytes.length);
      } finally {
        b.release();
      }
      return;
    }
    byte[] left = new byte[0];
    for (byte x : bytes) {
      byte[] piece = Arrays.copyOf(left, left.length + 1);
      piece[left.length] = x;
      ByteBuf b = Unpooled.wrappedBuffer(piece);
      try {
        int used = d.onData(dir, 1, b);
        left = Arrays.copyOfRange(piece, used, piece.length);
      } finally {
        b.release();
      }
    }
  }
}
