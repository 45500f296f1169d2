package dev.wirelens.pcapng;

import java.io.IOException;

/**
 * A capture file read through mapped memory ({@link CaptureReader#openMapped}) became shorter than the bytes already
 * mapped from it: it was truncated while it was read, so bytes the reader was about to read (or a frame read
 * earlier) vanished. {@link CaptureReader#next()} reports it wrapped in an {@link java.io.UncheckedIOException}, as
 * any read error of its source; frames returned before stay valid as read.
 *
 * <p>Thread safety: immutable.
 */
public final class CaptureFileShrankException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long offset;
  private final long size;

  /**
   * @param offset input offset where reading stood (the record or block being read, or the frame being dissected)
   * @param size the file's size when the shrinking was found
   */
  public CaptureFileShrankException(long offset, long size) {
    super("the capture file shrank while it was read (at byte " + offset + "; " + size + " bytes now)");
    this.offset = offset;
    this.size = size;
  }

  /** Input offset where reading stood when the shrinking was found. */
  public long offset() {
    return offset;
  }

  /** The file's size, in bytes, when the shrinking was found. */
  public long size() {
    return size;
  }
}
