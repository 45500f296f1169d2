package dev.wirelens.testkit;

import java.io.IOException;
import java.io.InputStream;

/**
 * An {@link InputStream} over a byte array whose reads never cross a cut point, as a pipe delivers a capture in
 * arbitrary pieces: a reader must give the same result as over the whole input. Counts reads and records
 * {@link #close()}; reading after close throws {@link IOException}.
 *
 * <p>Not thread safe.
 */
public final class ShortReadInputStream extends InputStream {
  private final byte[] bytes;
  private final int[] cuts;
  private int position;
  private int nextCut;
  private int reads;
  private boolean closed;

  /** A stream of {@code bytes} whose reads stop at each of {@code cuts} (ascending positions). */
  public ShortReadInputStream(byte[] bytes, int[] cuts) {
    this.bytes = bytes;
    this.cuts = cuts.clone();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("read after close");
    }
    if (off < 0 || len < 0 || len > b.length - off) {
      throw new IndexOutOfBoundsException();
    }
    if (len == 0) {
      return 0;
    }
    if (position >= bytes.length) {
      return -1;
    }
    while (nextCut < cuts.length && cuts[nextCut] <= position) {
      nextCut++;
    }
    int end = nextCut < cuts.length ? cuts[nextCut] : bytes.length;
    int n = Math.min(len, end - position);
    System.arraycopy(bytes, position, b, off, n);
    position += n;
    reads++;
    return n;
  }

  @Override
  public int available() {
    return 0; // like a pipe: nothing promised
  }

  @Override
  public void close() {
    closed = true;
  }

  /** True once {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  /** Reads that returned bytes. */
  public int reads() {
    return reads;
  }
}
