package dev.wirelens.tls.internal;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The stream state shared by the TLS pull readers (records, handshake messages): the {@link ByteQueue} of fed bytes,
 * end of input, and the terminal malformation with its report. The readers keep only their header layout and caps.
 * Internal: not exported; no compatibility promise.
 *
 * <p>Rules: bytes fed after {@link #endOfInput()} are released and rejected; at a unit boundary an empty queue is
 * END after end of input, else NEED_MORE; an incomplete unit is NEED_MORE, or TRUNCATED at the unit's stream
 * offset after end of input; a length above its cap is LIMIT_EXCEEDED; MALFORMED is terminal until
 * {@link #reset()}.
 *
 * <p>Lifetime: owns the queued buffers until {@link #reset()} or {@link #release()}. Allocation: as
 * {@link ByteQueue}. Thread safety: not thread safe.
 */
public final class Framer {
  private final ByteQueue input;
  private final MalformationReport report = new MalformationReport();
  private boolean ended;
  private boolean malformed;

  /** Creates an empty stream that copies spanning units into buffers from {@code allocator}. */
  public Framer(ByteBufAllocator allocator) {
    this.input = new ByteQueue(allocator);
  }

  /** The queue of fed bytes not yet framed. */
  public ByteQueue input() {
    return input;
  }

  /** The malformation after MALFORMED, else NONE. */
  public MalformationReport report() {
    return report;
  }

  /** Releases {@code data} and throws when {@link #endOfInput()} was called; otherwise does nothing. */
  public void requireOpen(ByteBuf data) {
    if (ended) {
      data.release();
      throw new IllegalStateException("feed after endOfInput()");
    }
  }

  /** Declares that no more bytes follow. */
  public void endOfInput() {
    ended = true;
  }

  /** True once a MALFORMED status was returned (until {@link #reset()}). */
  public boolean isMalformed() {
    return malformed;
  }

  /**
   * At a unit boundary: MALFORMED when terminal, END or NEED_MORE when nothing is buffered, else {@code null} (a
   * unit starts at {@code input().position()}). Releases the buffers the previous unit used.
   */
  public DecodeStatus atBoundary() {
    if (malformed) {
      return DecodeStatus.MALFORMED;
    }
    input.reclaim();
    if (input.available() == 0) {
      return ended ? DecodeStatus.END : DecodeStatus.NEED_MORE;
    }
    return null;
  }

  /** {@code available} of {@code required} bytes of the unit at {@code at}: NEED_MORE, or TRUNCATED after the end. */
  public DecodeStatus needMore(long at, int required, int available, LengthSource source) {
    if (!ended) {
      return DecodeStatus.NEED_MORE;
    }
    malformed = true;
    report.truncated(Layer.TLS, at, required, available, source);
    return DecodeStatus.MALFORMED;
  }

  /** A length field at stream offset {@code at} above its cap: LIMIT_EXCEEDED, terminal. */
  public DecodeStatus limitExceeded(long at) {
    malformed = true;
    report.invalid(Layer.TLS, Malformation.LIMIT_EXCEEDED, at);
    return DecodeStatus.MALFORMED;
  }

  /** A length field at stream offset {@code at} that no unit of the format can have: BAD_LENGTH_FIELD, terminal. */
  public DecodeStatus badLength(long at) {
    malformed = true;
    report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, at);
    return DecodeStatus.MALFORMED;
  }

  /** Releases all buffered bytes and starts a new stream at offset 0. */
  public void reset() {
    input.clear();
    report.clear();
    ended = false;
    malformed = false;
  }

  /** Releases all buffered bytes. */
  public void release() {
    input.clear();
  }
}
