package dev.wirelens;

/**
 * What a pull reader's {@code next()} found: one unit of its stream, a request for more input, a malformation, or
 * the end.
 *
 * <p>The grammar of a reader's life is {@code (feed next* )* (END | MALFORMED)}: after {@link #NEED_MORE} the caller
 * feeds more bytes (or signals the end of input); after {@link #MALFORMED} the reader is terminal until {@code
 * reset()}; after {@link #END} it returns {@code END} forever.
 *
 * <p>Thread safety: immutable.
 */
public enum DecodeStatus {
  /** A TLS record is available through the reader's {@code record()}. */
  RECORD,
  /** A frame (a captured packet, a WebSocket frame) is available through the reader's {@code frame()}. */
  FRAME,
  /** A block (a pcapng block) is available through the reader's {@code block()}. */
  BLOCK,
  /** The input so far ends inside a unit; feed more bytes and call {@code next()} again. Not an error. */
  NEED_MORE,
  /** The input cannot be framed; the reader's {@code malformation()} says why and where. Terminal until reset. */
  MALFORMED,
  /** The input ended cleanly at a unit boundary. Terminal. */
  END
}
