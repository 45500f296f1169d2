package dev.wirelens.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.testkit.BufferShape;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TLS 1.3 record protection against RFC 8448 §3 (the "Simple 1-RTT Handshake"): the RFC's traffic secrets, its
 * derived keys and IVs, and its complete protected records, whose plaintext the RFC also prints.
 */
class Tls13RecordDecryptorTest {
  private static final int TLS_AES_128_GCM_SHA256 = 0x1301;
  private static final int HANDSHAKE = 22;
  private static final int APPLICATION_DATA = 23;
  private static final int ALERT = 21;
  private static final Vectors RFC8448 = Vectors.load("rfc8448-simple-1rtt.txt");

  @Test
  void writeKeysAndIvsAreHkdfExpandLabelOfTheTrafficSecret() {
    String[][] cases = {
        {"server_handshake_traffic_secret", "server_handshake_key", "server_handshake_iv"},
        {"client_handshake_traffic_secret", "client_handshake_key", "client_handshake_iv"},
        {"server_application_traffic_secret_0", "server_application_key", "server_application_iv"},
    };
    for (String[] c : cases) {
      byte[] secret = RFC8448.get(c[0]);
      assertThat(KeyDerivation.hkdfExpandLabel("SHA-256", secret, "key", new byte[0], 16))
          .as(c[1]).isEqualTo(RFC8448.get(c[1]));
      assertThat(KeyDerivation.hkdfExpandLabel("SHA-256", secret, "iv", new byte[0], 12))
          .as(c[2]).isEqualTo(RFC8448.get(c[2]));
    }
  }

  @Test
  void serverHandshakeRecordDecryptsToEncryptedExtensionsThroughFinished() throws Exception {
    byte[] expected = concat(RFC8448.get("encrypted_extensions"), RFC8448.get("certificate"),
        RFC8448.get("certificate_verify"), RFC8448.get("server_finished"));
    // the RFC's own transcript hash ties these four messages to the handshake independently of this code
    byte[] transcript = MessageDigest.getInstance("SHA-256")
        .digest(concat(RFC8448.get("client_hello"), RFC8448.get("server_hello"), expected));
    assertThat(transcript).isEqualTo(RFC8448.get("transcript_hash_to_server_finished"));

    RecordDecryptor d = RecordDecryptors.tls13(TLS_AES_128_GCM_SHA256,
        RFC8448.get("server_handshake_traffic_secret"));
    assertThat(decrypt(d, RFC8448.get("server_handshake_record"))).isEqualTo(expected);
    assertThat(d.innerContentType()).isEqualTo(HANDSHAKE);
    assertThat(d.sequenceNumber()).isEqualTo(1);
  }

  @Test
  void clientFinishedRecordDecryptsToAFinishedMessage() {
    RecordDecryptor d = RecordDecryptors.tls13(TLS_AES_128_GCM_SHA256,
        RFC8448.get("client_handshake_traffic_secret"));
    byte[] plain = decrypt(d, RFC8448.get("client_finished_record"));
    // Finished: msg_type 20, length 32 (SHA-256 verify_data); 58 = 5 header + 36 + 1 type + 16 tag
    assertThat(plain).hasSize(36);
    assertThat(Arrays.copyOf(plain, 4)).containsExactly(0x14, 0x00, 0x00, 0x20);
    assertThat(d.innerContentType()).isEqualTo(HANDSHAKE);
  }

  @Test
  void serverApplicationRecordsDecryptInSequence() {
    RecordDecryptor d = RecordDecryptors.tls13(TLS_AES_128_GCM_SHA256,
        RFC8448.get("server_application_traffic_secret_0"));
    byte[] ticket = decrypt(d, RFC8448.get("server_new_session_ticket_record"));
    assertThat(d.innerContentType()).isEqualTo(HANDSHAKE);
    assertThat(ticket[0]).isEqualTo((byte) 4); // new_session_ticket
    int bodyLength = (ticket[1] & 0xff) << 16 | (ticket[2] & 0xff) << 8 | ticket[3] & 0xff;
    assertThat(ticket).hasSize(4 + bodyLength);

    assertThat(decrypt(d, RFC8448.get("server_application_data_record"))).isEqualTo(zeroToFortyNine());
    assertThat(d.innerContentType()).isEqualTo(APPLICATION_DATA);
    assertThat(decrypt(d, RFC8448.get("server_alert_record"))).containsExactly(1, 0); // warning, close_notify
    assertThat(d.innerContentType()).isEqualTo(ALERT);
    assertThat(d.sequenceNumber()).isEqualTo(3);
  }

  @Test
  void clientApplicationRecordsDecryptInSequence() {
    RecordDecryptor d = RecordDecryptors.tls13(TLS_AES_128_GCM_SHA256,
        RFC8448.get("client_application_traffic_secret_0"));
    assertThat(decrypt(d, RFC8448.get("client_application_data_record"))).isEqualTo(zeroToFortyNine());
    assertThat(d.innerContentType()).isEqualTo(APPLICATION_DATA);
    assertThat(decrypt(d, RFC8448.get("client_alert_record"))).containsExactly(1, 0);
    assertThat(d.innerContentType()).isEqualTo(ALERT);
  }

  @Test
  void wrongKeyFailsAndLeavesOutputAndSequenceNumberUnchanged() {
    RecordDecryptor d = RecordDecryptors.tls13(TLS_AES_128_GCM_SHA256,
        RFC8448.get("client_handshake_traffic_secret")); // the server's record under the client's key
    byte[] record = RFC8448.get("server_handshake_record");
    ByteBuf fragment = Unpooled.wrappedBuffer(record, 5, record.length - 5);
    ByteBuf out = Unpooled.buffer().writeBytes(new byte[] {1, 2, 3});
    try {
      assertThat(d.decrypt(23, 0x0303, fragment, out)).isFalse();
      assertThat(d.sequenceNumber()).isZero();
      assertThat(ByteBufUtil.getBytes(out)).containsExactly(1, 2, 3);
      assertThat(fragment.readerIndex()).isZero();
    } finally {
      fragment.release();
      out.release();
    }
  }

  @Test
  void recordOutOfSequenceFailsThenTheExpectedOneStillDecrypts() {
    RecordDecryptor d = RecordDecryptors.tls13(TLS_AES_128_GCM_SHA256,
        RFC8448.get("server_application_traffic_secret_0"));
    assertThat(tryDecrypt(d, RFC8448.get("server_application_data_record"))).isFalse(); // sequence 1, not 0
    assertThat(d.sequenceNumber()).isZero();
    assertThat(tryDecrypt(d, RFC8448.get("server_new_session_ticket_record"))).isTrue();
    assertThat(tryDecrypt(d, RFC8448.get("server_application_data_record"))).isTrue();
  }

  @Test
  void flippedCiphertextBitFailsAuthentication() {
    RecordDecryptor d = RecordDecryptors.tls13(TLS_AES_128_GCM_SHA256,
        RFC8448.get("client_application_traffic_secret_0"));
    byte[] record = RFC8448.get("client_application_data_record");
    record[20] ^= 1;
    assertThat(tryDecrypt(d, record)).isFalse();
  }

  @Test
  void changedHeaderFailsAuthenticationBecauseItIsTheAdditionalData() {
    RecordDecryptor d = RecordDecryptors.tls13(TLS_AES_128_GCM_SHA256,
        RFC8448.get("client_application_traffic_secret_0"));
    byte[] record = RFC8448.get("client_application_data_record");
    ByteBuf fragment = Unpooled.wrappedBuffer(record, 5, record.length - 5);
    ByteBuf out = Unpooled.buffer();
    try {
      assertThat(d.decrypt(23, 0x0301, fragment, out)).isFalse();
      assertThat(d.decrypt(23, 0x0303, fragment, out)).isTrue();
    } finally {
      fragment.release();
      out.release();
    }
  }

  @Test
  void fragmentShorterThanTagAndTypeFails() {
    RecordDecryptor d = RecordDecryptors.tls13(TLS_AES_128_GCM_SHA256,
        RFC8448.get("client_application_traffic_secret_0"));
    for (int length = 0; length <= 16; length++) {
      ByteBuf fragment = Unpooled.wrappedBuffer(new byte[length]);
      ByteBuf out = Unpooled.buffer();
      try {
        assertThat(d.decrypt(23, 0x0303, fragment, out)).isFalse();
        assertThat(out.readableBytes()).isZero();
      } finally {
        fragment.release();
        out.release();
      }
    }
    assertThat(d.sequenceNumber()).isZero();
  }

  @ParameterizedTest
  @EnumSource(BufferShape.class)
  void everyFragmentShapeDecryptsToTheSameBytes(BufferShape shape) {
    byte[] expected = concat(RFC8448.get("encrypted_extensions"), RFC8448.get("certificate"),
        RFC8448.get("certificate_verify"), RFC8448.get("server_finished"));
    byte[] record = RFC8448.get("server_handshake_record");
    ByteBuf fragment = shape.wrap(Arrays.copyOfRange(record, 5, record.length));
    ByteBuf out = Unpooled.directBuffer(8);
    try {
      RecordDecryptor d = RecordDecryptors.tls13(TLS_AES_128_GCM_SHA256,
          RFC8448.get("server_handshake_traffic_secret"));
      assertThat(d.decrypt(23, 0x0303, fragment, out)).isTrue();
      assertThat(ByteBufUtil.getBytes(out)).isEqualTo(expected);
    } finally {
      fragment.release();
      out.release();
    }
  }

  @Test
  void compositeOutputBufferReceivesThePlaintextAfterWhatItHeld() {
    byte[] record = RFC8448.get("client_application_data_record");
    ByteBuf fragment = Unpooled.wrappedBuffer(record, 5, record.length - 5);
    CompositeByteBuf out = Unpooled.compositeBuffer();
    out.addComponent(true, Unpooled.buffer(4).writeBytes(new byte[] {9, 9}));
    out.addComponent(true, Unpooled.buffer(4).writeBytes(new byte[] {8}));
    try {
      RecordDecryptor d = RecordDecryptors.tls13(TLS_AES_128_GCM_SHA256,
          RFC8448.get("client_application_traffic_secret_0"));
      assertThat(d.decrypt(23, 0x0303, fragment, out)).isTrue();
      assertThat(ByteBufUtil.getBytes(out)).isEqualTo(concat(new byte[] {9, 9, 8}, zeroToFortyNine()));
    } finally {
      fragment.release();
      out.release();
    }
  }

  @Test
  void unsupportedSuiteOrSecretOfWrongLengthGivesNoDecryptor() {
    byte[] secret = RFC8448.get("client_application_traffic_secret_0");
    assertThat(RecordDecryptors.tls13(0x1306, secret)).isNull();
    assertThat(RecordDecryptors.tls13(0xC02F, secret)).isNull();
    assertThat(RecordDecryptors.tls13(0x1302, secret)).isNull(); // SHA-384 suite needs 48 bytes
    assertThat(RecordDecryptors.tls13(0x1301, null)).isNull();
    assertThat(RecordDecryptors.nextTrafficSecret(0xC02F, secret)).isNull();
  }

  @Test
  void nextTrafficSecretIsHkdfExpandLabelTrafficUpd() throws Exception {
    // RFC 8446 §7.2 spelled out with the JDK's HMAC as an independent HKDF-Expand (one block: L = Hash.length)
    byte[] secret = RFC8448.get("client_application_traffic_secret_0");
    byte[] label = "tls13 traffic upd".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    ByteArrayOutputStream info = new ByteArrayOutputStream();
    info.write(new byte[] {0, 32, (byte) label.length});
    info.write(label);
    info.write(0);
    info.write(1); // HKDF-Expand counter of T(1)
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
    assertThat(RecordDecryptors.nextTrafficSecret(0x1301, secret)).isEqualTo(mac.doFinal(info.toByteArray()));
  }

  /** Decrypts a complete record (header + fragment) and returns the plaintext; fails the test if it does not. */
  static byte[] decrypt(RecordDecryptor d, byte[] record) {
    ByteBuf fragment = Unpooled.wrappedBuffer(record, 5, record.length - 5);
    ByteBuf out = Unpooled.buffer();
    try {
      int version = (record[1] & 0xff) << 8 | record[2] & 0xff;
      assertThat(d.decrypt(record[0] & 0xff, version, fragment, out)).as("decrypts").isTrue();
      return ByteBufUtil.getBytes(out);
    } finally {
      fragment.release();
      out.release();
    }
  }

  private static boolean tryDecrypt(RecordDecryptor d, byte[] record) {
    ByteBuf fragment = Unpooled.wrappedBuffer(record, 5, record.length - 5);
    ByteBuf out = Unpooled.buffer();
    try {
      return d.decrypt(record[0] & 0xff, 0x0303, fragment, out);
    } finally {
      fragment.release();
      out.release();
    }
  }

  private static byte[] zeroToFortyNine() {
    byte[] b = new byte[50];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) i;
    }
    return b;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
