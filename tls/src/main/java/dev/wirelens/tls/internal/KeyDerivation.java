package dev.wirelens.tls.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key derivation functions of TLS, on the JDK's HMAC (Java 17 has no HKDF): HKDF-Expand-Label of TLS 1.3
 * (RFC 8446 §7.1, over HKDF-Expand of RFC 5869 §2.3), the TLS 1.2 PRF P_hash (RFC 5246 §5) and the TLS 1.0/1.1 PRF
 * (P_MD5 XOR P_SHA1, RFC 2246 §5). Internal: not exported; no compatibility promise.
 *
 * <p>Allocation: a {@link Mac} and the results per call; called once per key, never per record.
 *
 * <p>Thread safety: stateless.
 */
public final class KeyDerivation {
  private KeyDerivation() {}

  /** The JCA HMAC name for a hash name ({@code SHA-256} gives {@code HmacSHA256}). */
  public static String hmacOf(String hash) {
    return "Hmac" + hash.replace("-", "");
  }

  /**
   * HKDF-Expand-Label(Secret, Label, Context, Length) of RFC 8446 §7.1:
   * <pre>
   * struct {
   *     uint16 length = Length;
   *     opaque label<7..255> = "tls13 " + Label;
   *     opaque context<0..255> = Context;
   * } HkdfLabel;
   * HKDF-Expand-Label = HKDF-Expand(Secret, HkdfLabel, Length)
   * </pre>
   */
  public static byte[] hkdfExpandLabel(String hash, byte[] secret, String label, byte[] context, int length) {
    byte[] fullLabel = ("tls13 " + label).getBytes(StandardCharsets.US_ASCII);
    byte[] info = new byte[2 + 1 + fullLabel.length + 1 + context.length];
    info[0] = (byte) (length >>> 8);
    info[1] = (byte) length;
    info[2] = (byte) fullLabel.length;
    System.arraycopy(fullLabel, 0, info, 3, fullLabel.length);
    info[3 + fullLabel.length] = (byte) context.length;
    System.arraycopy(context, 0, info, 4 + fullLabel.length, context.length);
    return hkdfExpand(hash, secret, info, length);
  }

  /** HKDF-Expand(PRK, info, L) of RFC 5869 §2.3: T(i) = HMAC(PRK, T(i-1) | info | i), concatenated. */
  public static byte[] hkdfExpand(String hash, byte[] prk, byte[] info, int length) {
    Mac mac = mac(hmacOf(hash), prk);
    byte[] out = new byte[length];
    byte[] t = new byte[0];
    int done = 0;
    for (int i = 1; done < length; i++) {
      mac.update(t);
      mac.update(info);
      mac.update((byte) i);
      t = mac.doFinal();
      int n = Math.min(t.length, length - done);
      System.arraycopy(t, 0, out, done, n);
      done += n;
    }
    return out;
  }

  /** The TLS 1.2 PRF with {@code hash}: P_hash(secret, label + seed) of RFC 5246 §5. */
  public static byte[] tls12Prf(String hash, byte[] secret, String label, byte[] seed, int length) {
    return pHash(hmacOf(hash), secret, concat(label.getBytes(StandardCharsets.US_ASCII), seed), length);
  }

  /**
   * The TLS 1.0/1.1 PRF of RFC 2246 §5: P_MD5(S1, label + seed) XOR P_SHA-1(S2, label + seed), S1 and S2 the first
   * and last halves of the secret (sharing the middle byte when its length is odd).
   */
  public static byte[] tls10Prf(byte[] secret, String label, byte[] seed, int length) {
    byte[] labelSeed = concat(label.getBytes(StandardCharsets.US_ASCII), seed);
    int half = (secret.length + 1) / 2;
    byte[] s1 = java.util.Arrays.copyOfRange(secret, 0, half);
    byte[] s2 = java.util.Arrays.copyOfRange(secret, secret.length - half, secret.length);
    byte[] md5 = pHash("HmacMD5", s1, labelSeed, length);
    byte[] sha1 = pHash("HmacSHA1", s2, labelSeed, length);
    for (int i = 0; i < length; i++) {
      md5[i] ^= sha1[i];
    }
    return md5;
  }

  /** P_hash(secret, seed) = HMAC(secret, A(1) + seed) + HMAC(secret, A(2) + seed) + ..., A(i) = HMAC(secret, A(i-1)). */
  private static byte[] pHash(String hmac, byte[] secret, byte[] seed, int length) {
    Mac mac = mac(hmac, secret);
    byte[] out = new byte[length];
    byte[] a = seed;
    int done = 0;
    while (done < length) {
      a = mac.doFinal(a);
      mac.update(a);
      mac.update(seed);
      byte[] block = mac.doFinal();
      int n = Math.min(block.length, length - done);
      System.arraycopy(block, 0, out, done, n);
      done += n;
    }
    return out;
  }

  static Mac mac(String algorithm, byte[] key) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      // an HMAC key may be empty only in theory; SecretKeySpec rejects it, and TLS never derives one
      mac.init(new SecretKeySpec(key, algorithm));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks " + algorithm, e);
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
