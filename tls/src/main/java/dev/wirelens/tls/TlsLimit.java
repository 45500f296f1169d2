package dev.wirelens.tls;

import dev.wirelens.Limits;
import dev.wirelens.Malformation;

/**
 * Which cap of {@link Limits} stopped parsing one direction of a TLS connection: the cap behind a
 * {@link Malformation#LIMIT_EXCEEDED} of {@link TlsSession#malformation(dev.wirelens.tcp.Direction)}, reported in
 * {@link TlsSession#limitExceeded(dev.wirelens.tcp.Direction)}. Both caps give LIMIT_EXCEEDED at layer TLS at a length
 * field, one of a record header (RFC 8446 §5.1: {@code uint16 length}), one of a handshake message header (RFC 8446
 * §4: {@code uint24 length}, which may span records); this says which, so that a caller can name the setting to raise.
 *
 * <p>Thread safety: immutable.
 */
public enum TlsLimit {
  /** No cap: the direction's malformation is not {@link Malformation#LIMIT_EXCEEDED} (or there is none). */
  NONE,
  /** {@link Limits#maxTlsRecordLength()}: a record header's length field was above it. */
  RECORD_LENGTH,
  /**
   * {@link Limits#maxTlsHandshakeMessageLength()}: a handshake message header's length field was above it, where a
   * message that long could be there (see {@link TlsConnectionDissector}; elsewhere it is BAD_LENGTH_FIELD).
   */
  HANDSHAKE_MESSAGE_LENGTH
}
