package dev.wirelens.tls.internal;

import io.netty.buffer.ByteBuf;

/**
 * Removes the protection of the TLS records of one direction of one connection, under one set of keys: AEAD for
 * TLS 1.3 and TLS 1.2 GCM/ChaCha20 suites, CBC with HMAC for older TLS 1.2 suites. Tracks the record sequence number
 * (which advances only when a record decrypts).
 *
 * <p>Internal: not exported; no compatibility promise.
 *
 * <p>Allocation: nothing of its own per record once warmed up (plaintext is written into the caller's buffer); the
 * JDK's {@code Cipher.init}, needed for every record's nonce, allocates about 1.1 KiB (AES-GCM) or 2.4 KiB
 * (ChaCha20-Poly1305) on JDK 17, exactly as a bare {@code Cipher} call does (RecordDecryptorBenchmark).
 *
 * <p>Thread safety: not thread safe; one instance per direction.
 */
public interface RecordDecryptor {
  /**
   * Decrypts one record. {@code contentType} and {@code legacyVersion} are the record header's fields (they are part
   * of the additional data), {@code fragment} the readable bytes of the record's body (not consumed, not modified).
   * On success the plaintext (TLS 1.3: without the inner content type and padding) is appended to {@code out} and
   * the sequence number advances; on failure (authentication fails, body too short) {@code out} and the sequence
   * number are left as they were.
   */
  boolean decrypt(int contentType, int legacyVersion, ByteBuf fragment, ByteBuf out);

  /** The content type of the last decrypted record: TLS 1.3's inner content type, else the record's own. */
  int innerContentType();

  /** The sequence number the next record will be decrypted with. */
  long sequenceNumber();
}
