package dev.wirelens.tls.internal;

import dev.wirelens.tls.TlsVersions;

/**
 * Creates {@link RecordDecryptor}s from key-log secrets. Internal: not exported; no compatibility promise.
 *
 * <p>Supported: TLS 1.3 suites 0x1301..0x1305 (AES-128/256-GCM, ChaCha20-Poly1305, AES-128-CCM, AES-128-CCM-8);
 * TLS 1.2 AES-GCM, AES-CCM(-8) and ChaCha20-Poly1305 suites; TLS 1.0-1.2 AES-CBC and 3DES-CBC suites with
 * HMAC-MD5/SHA1/SHA256/SHA384 and NULL-cipher suites (MAC only), MAC-then-encrypt or encrypt-then-MAC. See
 * {@link CipherSuite} for the table. SSL 3.0, RC4, Camellia and ARIA are not supported ({@code null}).
 *
 * <p>Allocation: key derivation allocates once per decryptor; see the decryptors for per-record behaviour.
 *
 * <p>Thread safety: stateless.
 */
public final class RecordDecryptors {
  private RecordDecryptors() {}

  /**
   * A TLS 1.3 decryptor for {@code cipherSuite} (0x1301..0x1305) keyed from a traffic secret by HKDF-Expand-Label
   * ({@code key}, {@code iv}; RFC 8446 §7.3), sequence number 0; {@code null} when the suite is not supported or the
   * secret is not the suite's hash length.
   */
  public static RecordDecryptor tls13(int cipherSuite, byte[] trafficSecret) {
    CipherSuite suite = CipherSuite.of(cipherSuite);
    if (suite == null || !suite.isTls13() || trafficSecret == null
        || trafficSecret.length != hashLength(suite.prfHash())) {
      return null;
    }
    // [sender]_write_key = HKDF-Expand-Label(Secret, "key", "", key_length)
    // [sender]_write_iv  = HKDF-Expand-Label(Secret, "iv", "", iv_length)     (RFC 8446 §7.3; iv_length = 12)
    byte[] key = KeyDerivation.hkdfExpandLabel(suite.prfHash(), trafficSecret, "key", new byte[0],
        suite.keyLength());
    byte[] iv = KeyDerivation.hkdfExpandLabel(suite.prfHash(), trafficSecret, "iv", new byte[0], 12);
    return new AeadRecordDecryptor(suite, AeadRecordDecryptor.Layout.TLS13, key, iv);
  }

  /**
   * The next TLS 1.3 traffic secret after a KeyUpdate: HKDF-Expand-Label(secret, "traffic upd", "", Hash.length)
   * (RFC 8446 §7.2); {@code null} when the suite is not a supported TLS 1.3 suite.
   */
  public static byte[] nextTrafficSecret(int cipherSuite, byte[] trafficSecret) {
    CipherSuite suite = CipherSuite.of(cipherSuite);
    if (suite == null || !suite.isTls13() || trafficSecret == null) {
      return null;
    }
    return KeyDerivation.hkdfExpandLabel(suite.prfHash(), trafficSecret, "traffic upd", new byte[0],
        hashLength(suite.prfHash()));
  }

  /**
   * A TLS 1.0–1.2 decryptor for {@code cipherSuite}, keyed from the master secret by the version's PRF (RFC 5246
   * §6.3 key block), for the client's ({@code clientWrite}) or the server's direction; {@code null} when the suite or
   * version is not supported. {@code encryptThenMac} is RFC 7366's extension, as negotiated.
   */
  public static RecordDecryptor tls12(
      int cipherSuite,
      int version,
      byte[] masterSecret,
      byte[] clientRandom,
      byte[] serverRandom,
      boolean clientWrite,
      boolean encryptThenMac) {
    CipherSuite suite = CipherSuite.of(cipherSuite);
    if (suite == null || suite.isTls13() || version < TlsVersions.TLS_1_0 || version > TlsVersions.TLS_1_2 || masterSecret == null
        || masterSecret.length != 48 || clientRandom == null || clientRandom.length != 32
        || serverRandom == null || serverRandom.length != 32) {
      return null;
    }
    boolean aead = suite.macAlgorithm() == null;
    if (aead && version != TlsVersions.TLS_1_2) {
      return null; // AEAD suites exist only in TLS 1.2
    }
    // key_block = PRF(SecurityParameters.master_secret, "key expansion",
    //                 SecurityParameters.server_random + SecurityParameters.client_random);
    // client_write_MAC_key, server_write_MAC_key, client_write_key, server_write_key,
    // client_write_IV, server_write_IV                                         (RFC 5246 §6.3)
    int macLength = suite.macLength();
    int keyLength = suite.keyLength();
    int ivLength = suite.fixedIvLength();
    int total = 2 * (macLength + keyLength + ivLength);
    byte[] seed = KeyDerivation.concat(serverRandom, clientRandom);
    byte[] block = version == TlsVersions.TLS_1_2
        ? KeyDerivation.tls12Prf(suite.prfHash(), masterSecret, "key expansion", seed, total)
        : KeyDerivation.tls10Prf(masterSecret, "key expansion", seed, total);
    int p = clientWrite ? 0 : macLength;
    byte[] macKey = java.util.Arrays.copyOfRange(block, p, p + macLength);
    p = 2 * macLength + (clientWrite ? 0 : keyLength);
    byte[] key = java.util.Arrays.copyOfRange(block, p, p + keyLength);
    p = 2 * macLength + 2 * keyLength + (clientWrite ? 0 : ivLength);
    byte[] iv = java.util.Arrays.copyOfRange(block, p, p + ivLength);
    if (aead) {
      AeadRecordDecryptor.Layout layout = suite.bulk() == CipherSuite.Bulk.CHACHA20_POLY1305
          ? AeadRecordDecryptor.Layout.TLS12_XOR_NONCE
          : AeadRecordDecryptor.Layout.TLS12_EXPLICIT_NONCE;
      return new AeadRecordDecryptor(suite, layout, key, iv);
    }
    return new CbcRecordDecryptor(suite, version, macKey, key, iv, encryptThenMac);
  }

  private static int hashLength(String hash) {
    return "SHA-384".equals(hash) ? 48 : 32;
  }
}
