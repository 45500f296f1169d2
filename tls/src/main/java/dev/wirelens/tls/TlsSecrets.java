package dev.wirelens.tls;

import java.util.Arrays;

/**
 * The secrets a key log holds for one TLS connection, found by its ClientHello random: the TLS 1.2 master secret
 * ({@code CLIENT_RANDOM}) and the TLS 1.3 traffic secrets ({@code CLIENT_HANDSHAKE_TRAFFIC_SECRET},
 * {@code SERVER_HANDSHAKE_TRAFFIC_SECRET}, {@code CLIENT_TRAFFIC_SECRET_0}, {@code SERVER_TRAFFIC_SECRET_0},
 * {@code CLIENT_EARLY_TRAFFIC_SECRET}, {@code EXPORTER_SECRET}) of the NSS key log format. Any of them may be absent
 * ({@code null}).
 *
 * <p>Allocation: accessors return the arrays held, not copies; callers must not modify them.
 *
 * <p>Thread safety: immutable once built.
 */
public final class TlsSecrets {
  private final byte[] clientRandom;
  private final byte[] masterSecret;
  private final byte[] clientHandshakeTrafficSecret;
  private final byte[] serverHandshakeTrafficSecret;
  private final byte[] clientTrafficSecret0;
  private final byte[] serverTrafficSecret0;
  private final byte[] clientEarlyTrafficSecret;
  private final byte[] exporterSecret;

  /** Secrets for the connection whose ClientHello random is {@code clientRandom} (32 bytes); {@code null} = absent. */
  public TlsSecrets(
      byte[] clientRandom,
      byte[] masterSecret,
      byte[] clientHandshakeTrafficSecret,
      byte[] serverHandshakeTrafficSecret,
      byte[] clientTrafficSecret0,
      byte[] serverTrafficSecret0,
      byte[] clientEarlyTrafficSecret,
      byte[] exporterSecret) {
    if (clientRandom == null || clientRandom.length != 32) {
      throw new IllegalArgumentException("a client random has 32 bytes");
    }
    this.clientRandom = clientRandom;
    this.masterSecret = masterSecret;
    this.clientHandshakeTrafficSecret = clientHandshakeTrafficSecret;
    this.serverHandshakeTrafficSecret = serverHandshakeTrafficSecret;
    this.clientTrafficSecret0 = clientTrafficSecret0;
    this.serverTrafficSecret0 = serverTrafficSecret0;
    this.clientEarlyTrafficSecret = clientEarlyTrafficSecret;
    this.exporterSecret = exporterSecret;
  }

  /** The 32-byte ClientHello random these secrets belong to. */
  public byte[] clientRandom() {
    return clientRandom;
  }

  /** TLS 1.2 (and earlier) master secret, 48 bytes ({@code CLIENT_RANDOM} line), or {@code null}. */
  public byte[] masterSecret() {
    return masterSecret;
  }

  /** TLS 1.3 {@code CLIENT_HANDSHAKE_TRAFFIC_SECRET}, or {@code null}. */
  public byte[] clientHandshakeTrafficSecret() {
    return clientHandshakeTrafficSecret;
  }

  /** TLS 1.3 {@code SERVER_HANDSHAKE_TRAFFIC_SECRET}, or {@code null}. */
  public byte[] serverHandshakeTrafficSecret() {
    return serverHandshakeTrafficSecret;
  }

  /** TLS 1.3 {@code CLIENT_TRAFFIC_SECRET_0}, or {@code null}. */
  public byte[] clientTrafficSecret0() {
    return clientTrafficSecret0;
  }

  /** TLS 1.3 {@code SERVER_TRAFFIC_SECRET_0}, or {@code null}. */
  public byte[] serverTrafficSecret0() {
    return serverTrafficSecret0;
  }

  /** TLS 1.3 {@code CLIENT_EARLY_TRAFFIC_SECRET} (0-RTT), or {@code null}. */
  public byte[] clientEarlyTrafficSecret() {
    return clientEarlyTrafficSecret;
  }

  /** TLS 1.3 {@code EXPORTER_SECRET}, or {@code null}. Not needed for decryption. */
  public byte[] exporterSecret() {
    return exporterSecret;
  }

  @Override
  public String toString() {
    return "TlsSecrets[clientRandom=" + hexPrefix(clientRandom) + "…, masterSecret=" + (masterSecret != null)
        + ", tls13Handshake=" + (clientHandshakeTrafficSecret != null && serverHandshakeTrafficSecret != null)
        + ", tls13Application=" + (clientTrafficSecret0 != null && serverTrafficSecret0 != null)
        + ", early=" + (clientEarlyTrafficSecret != null) + "]";
  }

  private static String hexPrefix(byte[] bytes) {
    StringBuilder sb = new StringBuilder();
    for (byte b : Arrays.copyOf(bytes, 4)) {
      sb.append(String.format("%02x", b & 0xff));
    }
    return sb.toString();
  }
}
