package dev.wirelens.tls;

/**
 * Where the TLS dissector looks up the secrets of a connection, by the 32-byte random of its ClientHello. A parsed
 * NSS key log ({@code KeyLog}) is one; a test or an embedding application may supply its own.
 *
 * <p>Thread safety: implementation defined; the dissector calls it on its own thread, once per connection.
 */
@FunctionalInterface
public interface TlsKeySource {
  /** No keys at all: every connection stays encrypted. */
  TlsKeySource NONE = clientRandom -> null;

  /** The secrets for the connection whose ClientHello random is {@code clientRandom}, or {@code null}. */
  TlsSecrets secretsFor(byte[] clientRandom);
}
