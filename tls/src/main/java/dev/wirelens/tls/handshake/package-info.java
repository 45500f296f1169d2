/**
 * TLS handshake messages (RFC 8446 §4, RFC 5246 §7.4): the {@link dev.wirelens.tls.handshake.HandshakeReader} that
 * reassembles messages across records, flyweight views over each message body, and the
 * {@link dev.wirelens.tls.handshake.TlsExtensionCursor} with its per-extension accessors.
 */
package dev.wirelens.tls.handshake;
