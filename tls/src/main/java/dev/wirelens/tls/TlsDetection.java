package dev.wirelens.tls;

/**
 * The answer of {@link TlsDetector#looksLikeTls(io.netty.buffer.ByteBuf)}: whether the first bytes of a stream (or the bytes at a
 * record boundary) look like a TLS record header.
 *
 * <p>Thread safety: immutable.
 */
public enum TlsDetection {
  /** A plausible TLS record header (or SSLv2-compatible ClientHello header) is there. */
  YES,
  /** The bytes cannot start a TLS record: the stream is something else (or no longer TLS). */
  NO,
  /** Too few bytes to decide; look again with more. */
  NEED_MORE
}
