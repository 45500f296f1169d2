package dev.wirelens.tls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Test-only TLS 1.3 record protection for TLS_AES_128_GCM_SHA256, written from RFC 8446 with the JDK's HMAC and
 * AES-GCM (not the library's decryptors): §7.3 traffic keys ({@code HKDF-Expand-Label(secret, "key", "", 16)} and
 * {@code "iv"}, 12), §5.3 per-record nonce (the sequence number, left-padded to 12 bytes, XOR the iv), §5.2
 * TLSInnerPlaintext (content, then the real content type) and the additional data (the record header, opaque_type 23,
 * legacy_record_version 0x0303, the ciphertext length).
 */
final class Tls13Records {
  private Tls13Records() {}

  /** The whole record (header and ciphertext) carrying {@code content} of {@code type} as record {@code seq}. */
  static byte[] seal(byte[] trafficSecret, long seq, byte[] content, int type) throws Exception {
    byte[] key = expandLabel(trafficSecret, "key", 16);
    byte[] iv = expandLabel(trafficSecret, "iv", 12);
    for (int i = 0; i < 8; i++) {
      iv[11 - i] ^= (byte) (seq >>> (8 * i));
    }
    byte[] inner = java.util.Arrays.copyOf(content, content.length + 1);
    inner[content.length] = (byte) type;
    int length = inner.length + 16;
    byte[] header = {23, 3, 3, (byte) (length >> 8), (byte) length};
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
    gcm.updateAAD(header);
    byte[] sealed = gcm.doFinal(inner);
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.writeBytes(header);
    o.writeBytes(sealed);
    return o.toByteArray();
  }

  /** HKDF-Expand-Label with an empty context (RFC 8446 §7.1), SHA-256, at most 32 bytes (one HKDF block). */
  static byte[] expandLabel(byte[] secret, String label, int length) throws Exception {
    byte[] full = ("tls13 " + label).getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream info = new ByteArrayOutputStream();
    info.write(length >> 8);
    info.write(length);
    info.write(full.length);
    info.writeBytes(full);
    info.write(0); // context<0..255>: empty
    info.write(1); // HKDF-Expand (RFC 5869 §2.3): T(1) = HMAC(PRK, info | 0x01)
    Mac hmac = Mac.getInstance("HmacSHA256");
    hmac.init(new SecretKeySpec(secret, "HmacSHA256"));
    return java.util.Arrays.copyOf(hmac.doFinal(info.toByteArray()), length);
  }
}
