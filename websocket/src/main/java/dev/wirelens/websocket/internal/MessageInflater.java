package dev.wirelens.websocket.internal;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The permessage-deflate decompressor of one direction (RFC 7692 §7.2.2): raw DEFLATE ({@code nowrap}), the
 * payload of each message followed by the four octets {@code 00 00 ff ff} that the sender removed, the window kept
 * between messages unless the sender negotiated "no context takeover" (then reset after each message).
 *
 * <p>Window bits: {@link Inflater} always decodes with a 32 KiB window, which accepts any stream compressed with a
 * smaller one; a negotiated {@code *_max_window_bits} below 15 only constrains the sender, so it is recorded but not
 * needed here.
 *
 * <p>Bounds: the inflated bytes of one message stop at {@code maxInflated}, and, once past {@link #RATIO_FLOOR},
 * at {@code maxRatio} inflated bytes per compressed byte the decoder has consumed: a decompression bomb is reported
 * with the cap it passed ({@link Result#LENGTH_LIMIT_EXCEEDED}, {@link Result#RATIO_LIMIT_EXCEEDED}: the one that
 * is lower where the output passed it; the length cap when they are equal), the sink gets exactly the bytes up to
 * the limit, and the rest of the message is not inflated. Output goes to a {@link Sink} in chunks of a fixed 8 KiB
 * array, never accumulated.
 *
 * <p>Order of problems: the first problem in stream order wins, however the input is chunked. The decoder is never
 * given room for more than one byte past the limit, so it stops there before reading input that lies further on
 * (corrupt data behind a bomb is a limit); the bytes decoded before corrupt data are delivered, then
 * {@link Result#INVALID_DATA}: the count of those bytes is {@link Inflater#getBytesWritten()}, which the JDK
 * specifies as "updated even in the event that a {@code DataFormatException} is thrown to reflect the amount of data
 * consumed and produced before the exception occurred" ({@code Inflater.inflate} Javadoc of JDK 17, the baseline,
 * and later; the bytes produced are in the output array from the offset given). {@code PerMessageDeflateTest} checks that JDK behaviour directly
 * and through this class, so a JDK that broke it would fail the build, not deliver short.
 *
 * <p>Internal: not exported; no compatibility promise. Not thread safe.
 */
public final class MessageInflater implements AutoCloseable {
  /**
   * Inflated bytes per message below which the ratio is not checked (1 MiB): real messages compress extremely well
   * (100 000 repeated characters from 114 bytes in our recorded captures), bombs go far beyond.
   */
  public static final int RATIO_FLOOR = 1 << 20;
  private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

  /** Receives inflated bytes; the array is reused after the call. */
  public interface Sink {
    /** {@code length} inflated bytes of {@code bytes} from {@code offset}. */
    void accept(byte[] bytes, int offset, int length);
  }

  /** Outcome of a call. */
  public enum Result {
    /** All input consumed. */
    OK,
    /** The input is not a valid DEFLATE stream (RFC 1951). */
    INVALID_DATA,
    /** The inflated size of the message went past {@code maxInflated} ({@code Limits.maxInflatedLength()}). */
    LENGTH_LIMIT_EXCEEDED,
    /**
     * The inflated size went past {@code maxRatio} times the compressed bytes consumed, beyond {@link #RATIO_FLOOR}
     * ({@code Limits.maxInflationRatio()}).
     */
    RATIO_LIMIT_EXCEEDED;

    /** True for either limit. */
    public boolean isLimit() {
      return this == LENGTH_LIMIT_EXCEEDED || this == RATIO_LIMIT_EXCEEDED;
    }
  }

  private final Inflater inflater = new Inflater(true);
  private final byte[] out = new byte[8192];
  private final boolean noContextTakeover;
  private final long maxInflated;
  private final long maxRatio;
  private long inflated;
  private long compressed;
  private boolean messageFailed;

  /** A decompressor for a sender that did ({@code false}) or did not ({@code true}) keep its context. */
  public MessageInflater(boolean noContextTakeover, long maxInflated, int maxRatio) {
    this.noContextTakeover = noContextTakeover;
    this.maxInflated = maxInflated;
    this.maxRatio = maxRatio;
  }

  /** Starts a compressed message. */
  public void startMessage() {
    inflated = 0;
    compressed = 0;
    messageFailed = false;
  }

  /** Bytes inflated so far in this message. */
  public long inflatedLength() {
    return inflated;
  }

  /** Inflates compressed payload bytes of the current message. */
  public Result inflate(byte[] in, int offset, int length, Sink sink) {
    if (messageFailed) {
      return Result.OK;
    }
    return run(in, offset, length, sink);
  }

  /** Ends the current message: inflates the removed tail, then resets the window if context is not taken over. */
  public Result finishMessage(Sink sink) {
    Result r = messageFailed ? Result.OK : run(TAIL, 0, TAIL.length, sink);
    if (noContextTakeover || inflater.finished() || messageFailed) {
      // after a BFINAL block or a failed message the window no longer matches the sender's: start afresh
      inflater.reset();
    }
    return r;
  }

  private Result run(byte[] in, int offset, int length, Sink sink) {
    if (inflater.finished()) {
      inflater.reset();
    }
    inflater.setInput(in, offset, length);
    while (true) {
      // the decoder may write at most one byte past what the caps still allow, so that it stops at the cap before
      // reading further input: the first problem in stream order wins, however the input is chunked
      int room = (int) Math.min(out.length, allowed() - inflated + 1);
      long writtenBefore = inflater.getBytesWritten();
      long readBefore = inflater.getBytesRead();
      int n;
      boolean corrupt = false;
      try {
        n = inflater.inflate(out, 0, room);
      } catch (DataFormatException e) {
        // the call's return value is lost with the exception, but getBytesWritten() is specified to count the bytes
        // produced before it (see the class Javadoc): they come first in stream order, so they are delivered
        n = (int) (inflater.getBytesWritten() - writtenBefore);
        corrupt = true;
      }
      compressed += inflater.getBytesRead() - readBefore;
      if (n > 0) {
        long before = inflated;
        inflated += n;
        long byRatio = byRatio();
        long allowed = Math.min(maxInflated, byRatio);
        if (inflated > allowed) {
          if (allowed > before) {
            // exactly the bytes up to the limit, so that what the sink gets does not depend on input chunking
            sink.accept(out, 0, (int) (allowed - before));
          }
          messageFailed = true;
          return maxInflated <= byRatio ? Result.LENGTH_LIMIT_EXCEEDED : Result.RATIO_LIMIT_EXCEEDED;
        }
        sink.accept(out, 0, n);
      }
      if (corrupt) {
        return fail();
      }
      if (n > 0) {
        continue;
      }
      if (inflater.finished()) {
        // a final block ended the stream; what follows in this message starts a new one
        if (inflater.getRemaining() > 0) {
          int rest = inflater.getRemaining();
          inflater.reset();
          inflater.setInput(in, offset + length - rest, rest);
          continue;
        }
        return Result.OK;
      }
      if (inflater.needsInput() || inflater.needsDictionary()) {
        return inflater.needsDictionary() ? fail() : Result.OK;
      }
    }
  }

  /**
   * The inflated length this message may reach with the compressed bytes consumed so far: {@code maxInflated}, and
   * {@code maxRatio} per consumed compressed byte once past {@link #RATIO_FLOOR}. Never below {@link #inflated}
   * while the message has not failed (the consumed count only grows).
   */
  private long allowed() {
    return Math.min(maxInflated, byRatio());
  }

  /** The inflation ratio's share of {@link #allowed()}: {@link #RATIO_FLOOR} at least. */
  private long byRatio() {
    return Math.max(RATIO_FLOOR, maxRatio * Math.max(1, compressed));
  }

  private Result fail() {
    messageFailed = true;
    return Result.INVALID_DATA;
  }

  @Override
  public void close() {
    inflater.end();
  }
}
