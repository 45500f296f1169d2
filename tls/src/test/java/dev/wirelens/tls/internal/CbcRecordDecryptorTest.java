package dev.wirelens.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * CBC record protection, failure side: records built here by the RFC 5246 §6.2.3.2 / RFC 7366 §3 recipe with the
 * JDK's AES and HMAC, then damaged. (That good records decrypt is shown against tshark on real captures.)
 */
class CbcRecordDecryptorTest {
  private static final int AES128_SHA256 = 0x003C; // TLS_RSA_WITH_AES_128_CBC_SHA256
  private static final byte[] MAC_KEY = filled(32, 1);
  private static final byte[] KEY = filled(16, 2);
  private static final byte[] IV = filled(16, 3);
  private static final byte[] CONTENT = "GET / HTTP/1.1\r\nHost: example\r\n\r\n".getBytes();

  private static byte[] filled(int n, int v) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) v);
    return b;
  }

  private static CbcRecordDecryptor decryptor(int version, boolean etm) {
    return new CbcRecordDecryptor(CipherSuite.of(AES128_SHA256), version, MAC_KEY, KEY, IV, etm);
  }

  private static byte[] mac(long seq, int type, int version, byte[] data) throws Exception {
    Mac m = Mac.getInstance("HmacSHA256");
    m.init(new SecretKeySpec(MAC_KEY, "HmacSHA256"));
    byte[] header = new byte[13];
    for (int i = 7; i >= 0; i--) {
      header[i] = (byte) (seq >>> (8 * (7 - i)));
    }
    header[8] = (byte) type;
    header[9] = (byte) (version >>> 8);
    header[10] = (byte) version;
    header[11] = (byte) (data.length >>> 8);
    header[12] = (byte) data.length;
    m.update(header);
    return m.doFinal(data);
  }

  private static byte[] pad(byte[] data, int padding) {
    byte[] out = Arrays.copyOf(data, data.length + padding + 1);
    Arrays.fill(out, data.length, out.length, (byte) padding);
    return out;
  }

  private static byte[] cbc(byte[] iv, byte[] plain) throws Exception {
    Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"), new IvParameterSpec(iv));
    return c.doFinal(plain);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** MAC-then-encrypt, TLS 1.2, explicit IV, seq 0: IV || CBC(content || MAC || padding). */
  private static byte[] macThenEncrypt(byte[] content, long seq, int padding) throws Exception {
    byte[] inner = concat(content, mac(seq, 23, 0x0303, content));
    int toBlock = 16 - (inner.length + 1) % 16;
    byte[] explicitIv = filled(16, 9);
    return concat(explicitIv, cbc(explicitIv, pad(inner, (toBlock % 16) + padding)));
  }

  private static boolean decrypt(RecordDecryptor d, byte[] fragment, ByteBuf out) {
    ByteBuf in = Unpooled.wrappedBuffer(fragment);
    try {
      return d.decrypt(23, 0x0303, in, out);
    } finally {
      in.release();
    }
  }

  @Test
  void wellFormedMacThenEncryptRecordDecrypts() throws Exception {
    RecordDecryptor d = decryptor(0x0303, false);
    ByteBuf out = Unpooled.buffer();
    try {
      assertThat(decrypt(d, macThenEncrypt(CONTENT, 0, 0), out)).isTrue();
      assertThat(ByteBufUtil.getBytes(out)).isEqualTo(CONTENT);
      assertThat(decrypt(d, macThenEncrypt(CONTENT, 1, 32), out)).as("longer padding (up to 255 allowed)").isTrue();
      assertThat(d.sequenceNumber()).isEqualTo(2);
    } finally {
      out.release();
    }
  }

  @Test
  void badMacFailsAndLeavesEverythingAsItWas() throws Exception {
    RecordDecryptor d = decryptor(0x0303, false);
    byte[] record = macThenEncrypt(CONTENT, 1, 0); // MAC of sequence number 1 while the decryptor expects 0
    ByteBuf out = Unpooled.buffer().writeByte(7);
    try {
      assertThat(decrypt(d, record, out)).isFalse();
      assertThat(ByteBufUtil.getBytes(out)).containsExactly(7);
      assertThat(d.sequenceNumber()).isZero();
    } finally {
      out.release();
    }
  }

  @Test
  void paddingBytesThatDisagreeWithPaddingLengthFail() throws Exception {
    byte[] inner = concat(CONTENT, mac(0, 23, 0x0303, CONTENT));
    int padding = 15 - inner.length % 16 + 16;
    byte[] padded = pad(inner, padding);
    padded[padded.length - 2] ^= 1; // one padding byte differs from padding_length
    byte[] iv = filled(16, 9);
    ByteBuf out = Unpooled.buffer();
    try {
      assertThat(decrypt(decryptor(0x0303, false), concat(iv, cbc(iv, padded)), out)).isFalse();
    } finally {
      out.release();
    }
  }

  @Test
  void ciphertextNotAMultipleOfTheBlockOrTooShortFails() throws Exception {
    byte[] record = macThenEncrypt(CONTENT, 0, 0);
    ByteBuf out = Unpooled.buffer();
    try {
      RecordDecryptor d = decryptor(0x0303, false);
      assertThat(decrypt(d, Arrays.copyOf(record, record.length - 1), out)).isFalse();
      assertThat(decrypt(d, Arrays.copyOf(record, 32), out)).isFalse(); // IV + one block: no room for the MAC
      assertThat(decrypt(d, new byte[0], out)).isFalse();
      assertThat(out.readableBytes()).isZero();
    } finally {
      out.release();
    }
  }

  @Test
  void encryptThenMacChecksTheMacOverIvAndCiphertextBeforeDecrypting() throws Exception {
    byte[] iv = filled(16, 4);
    byte[] protectedPart = concat(iv, cbc(iv, pad(CONTENT, 15 - CONTENT.length % 16)));
    byte[] record = concat(protectedPart, mac(0, 23, 0x0303, protectedPart));
    ByteBuf out = Unpooled.buffer();
    try {
      assertThat(decrypt(decryptor(0x0303, false), record, out)).as("not MAC-then-encrypt").isFalse();
      RecordDecryptor d = decryptor(0x0303, true);
      byte[] damaged = record.clone();
      damaged[20] ^= 1;
      assertThat(decrypt(d, damaged, out)).isFalse();
      assertThat(decrypt(d, record, out)).isTrue();
      assertThat(ByteBufUtil.getBytes(out)).isEqualTo(CONTENT);
    } finally {
      out.release();
    }
  }

  @Test
  void tls10ChainsTheIvFromTheLastCiphertextBlock() throws Exception {
    RecordDecryptor d = decryptor(0x0301, false);
    byte[] first = tls10Record(IV, 0);
    byte[] second = tls10Record(Arrays.copyOfRange(first, first.length - 16, first.length), 1);
    ByteBuf out = Unpooled.buffer();
    try {
      assertThat(decrypt10(d, first, out)).isTrue();
      assertThat(decrypt10(d, second, out)).isTrue();
      assertThat(ByteBufUtil.getBytes(out)).isEqualTo(concat(CONTENT, CONTENT));
    } finally {
      out.release();
    }
  }

  private static byte[] tls10Record(byte[] iv, long seq) throws Exception {
    byte[] inner = concat(CONTENT, macFor(seq, 0x0301));
    return cbc(iv, pad(inner, 15 - inner.length % 16));
  }

  private static byte[] macFor(long seq, int version) throws Exception {
    return mac(seq, 23, version, CONTENT);
  }

  private static boolean decrypt10(RecordDecryptor d, byte[] fragment, ByteBuf out) {
    ByteBuf in = Unpooled.wrappedBuffer(fragment);
    try {
      return d.decrypt(23, 0x0301, in, out);
    } finally {
      in.release();
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(dev.wirelens.testkit.BufferShape.class)
  void everyBufferShapeDecryptsBothLayouts(dev.wirelens.testkit.BufferShape shape) throws Exception {
    byte[] iv = filled(16, 4);
    byte[] protectedPart = concat(iv, cbc(iv, pad(CONTENT, 15 - CONTENT.length % 16)));
    byte[] etm = concat(protectedPart, mac(0, 23, 0x0303, protectedPart));
    byte[] mte = macThenEncrypt(CONTENT, 0, 0);
    for (boolean encryptThenMac : new boolean[] {true, false}) {
      ByteBuf in = shape.wrap(encryptThenMac ? etm : mte);
      ByteBuf out = shape == dev.wirelens.testkit.BufferShape.DIRECT ? Unpooled.directBuffer(4)
          : Unpooled.compositeBuffer().addComponent(true, Unpooled.buffer(2).writeByte(5));
      try {
        assertThat(decryptor(0x0303, encryptThenMac).decrypt(23, 0x0303, in, out)).isTrue();
        byte[] got = ByteBufUtil.getBytes(out);
        assertThat(Arrays.copyOfRange(got, got.length - CONTENT.length, got.length)).isEqualTo(CONTENT);
      } finally {
        in.release();
        out.release();
      }
    }
  }

  @Test
  void unsupportedVersionsAndSuitesGiveNoDecryptor() {
    byte[] master = new byte[48];
    byte[] random = new byte[32];
    assertThat(RecordDecryptors.tls12(0x002F, 0x0300, master, random, random, true, false)).as("SSL 3.0").isNull();
    assertThat(RecordDecryptors.tls12(0x0041, 0x0303, master, random, random, true, false)).as("Camellia").isNull();
    assertThat(RecordDecryptors.tls12(0xC02F, 0x0302, master, random, random, true, false))
        .as("GCM below TLS 1.2").isNull();
    assertThat(RecordDecryptors.tls12(0x1301, 0x0303, master, random, random, true, false)).as("TLS 1.3 suite")
        .isNull();
    assertThat(RecordDecryptors.tls12(0xC02F, 0x0303, new byte[32], random, random, true, false))
        .as("short master secret").isNull();
    assertThat(RecordDecryptors.tls12(0xC02F, 0x0303, master, random, random, true, false)).isNotNull();
  }
}
