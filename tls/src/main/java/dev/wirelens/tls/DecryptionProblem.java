package dev.wirelens.tls;

/**
 * Why one direction of a TLS connection was not (or no longer) decrypted. Reported per direction in
 * {@link TlsSession#decryptionProblem(dev.wirelens.tcp.Direction)}; the first problem of a direction wins.
 *
 * <p>Thread safety: immutable.
 */
public enum DecryptionProblem {
  /** Nothing went wrong (or the direction carried nothing encrypted). */
  NONE,
  /** The key source had no secrets for the connection's client random (or not the ones this direction needs). */
  NO_KEY,
  /** A record failed authentication (AEAD tag or MAC): the key does not belong to this connection. */
  AUTHENTICATION_FAILED,
  /** Bytes of the direction were never captured (a TCP gap): decryption stopped at the gap. */
  GAP,
  /** The negotiated cipher suite (or version) is one the decryptors do not implement. */
  UNSUPPORTED_SUITE,
  /** A cap of {@link dev.wirelens.Limits} was hit (bytes held for the handshake or the inner dissector). */
  LIMIT_EXCEEDED
}
