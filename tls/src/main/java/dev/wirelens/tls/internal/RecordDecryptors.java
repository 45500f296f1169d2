package dev.wirelens.tls.internal;

/**
 * Creates {@link RecordDecryptor}s from key-log secrets. Internal: not exported; no compatibility promise.
 *
 * <p>Thread safety: stateless.
 */
public final class RecordDecryptors {
  private RecordDecryptors() {}

  /**
   * A TLS 1.3 decryptor for {@code cipherSuite} (0x1301..0x1305) keyed from a traffic secret by HKDF-Expand-Label
   * ({@code key}, {@code iv}; RFC 8446 §7.3), sequence number 0; {@code null} when the suite is not supported.
   */
  public static RecordDecryptor tls13(int cipherSuite, byte[] trafficSecret) {
    throw new UnsupportedOperationException("not yet implemented (issue 5)");
  }

  /**
   * The next TLS 1.3 traffic secret after a KeyUpdate: HKDF-Expand-Label(secret, "traffic upd", "", Hash.length)
   * (RFC 8446 §7.2).
   */
  public static byte[] nextTrafficSecret(int cipherSuite, byte[] trafficSecret) {
    throw new UnsupportedOperationException("not yet implemented (issue 5)");
  }

  /**
   * A TLS 1.0–1.2 decryptor for {@code cipherSuite}, keyed from the master secret by the version's PRF (RFC 5246
   * §6.3 key block), for the client's ({@code clientWrite}) or the server's direction; {@code null} when the suite is
   * not supported. {@code encryptThenMac} is RFC 7366's extension, as negotiated.
   */
  public static RecordDecryptor tls12(
      int cipherSuite,
      int version,
      byte[] masterSecret,
      byte[] clientRandom,
      byte[] serverRandom,
      boolean clientWrite,
      boolean encryptThenMac) {
    throw new UnsupportedOperationException("not yet implemented (issue 5)");
  }
}
