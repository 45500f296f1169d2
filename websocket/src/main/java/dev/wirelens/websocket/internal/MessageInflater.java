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
 * at {@code maxRatio} inflated bytes per compressed byte: a decompression bomb is reported ({@link
 * Result#LIMIT_EXCEEDED}) and the rest of the message is not inflated. Output goes to a {@link Sink} in chunks of a
 * fixed 8 KiB array, never accumulated.
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
    /** The inflated size or ratio went past the limit. */
    LIMIT_EXCEEDED
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
    compressed += length;
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
    try {
      while (true) {
        int n = inflater.inflate(out);
        if (n > 0) {
          long before = inflated;
          inflated += n;
          boolean ratio = inflated > RATIO_FLOOR && inflated > maxRatio * Math.max(1, compressed);
          if (inflated > maxInflated || ratio) {
            if (!ratio && maxInflated > before) {
              // exactly the first maxInflated bytes, so that what the sink gets does not depend on input chunking
              sink.accept(out, 0, (int) (maxInflated - before));
            }
            messageFailed = true;
            return Result.LIMIT_EXCEEDED;
          }
          sink.accept(out, 0, n);
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
    } catch (DataFormatException e) {
      return fail();
    }
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
