package dev.wirelens.testkit;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A digest of the events a reader or listener produced, to compare two runs over the same input (whole vs in
 * pieces): every event is hashed (SHA-256) and the first {@value #KEPT_CHARS} characters are kept as text so that
 * an {@code assertEquals} failure shows where the runs part. Bytes are hashed, not kept.
 *
 * <p>Not thread safe.
 */
public final class EventDigest {
  /** Characters of event text kept for failure messages. */
  public static final int KEPT_CHARS = 4096;

  private final MessageDigest sha;
  private final StringBuilder text = new StringBuilder();
  private long events;

  /** An empty digest. */
  public EventDigest() {
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Adds one event made of {@code parts} (their {@code toString()}). Returns this. */
  public EventDigest add(Object... parts) {
    StringBuilder e = new StringBuilder();
    for (Object p : parts) {
      e.append(p).append(' ');
    }
    e.append('\n');
    byte[] b = e.toString().getBytes(StandardCharsets.UTF_8);
    sha.update(b);
    if (text.length() < KEPT_CHARS) {
      text.append(e, 0, Math.min(e.length(), KEPT_CHARS - text.length()));
    }
    events++;
    return this;
  }

  /** Adds the readable bytes of {@code buf} (indices not moved) as part of the current event stream. */
  public EventDigest bytes(ByteBuf buf) {
    return bytes(buf, buf.readerIndex(), buf.readableBytes());
  }

  /** Adds {@code length} bytes of {@code buf} at absolute {@code index} (indices not moved). */
  public EventDigest bytes(ByteBuf buf, int index, int length) {
    byte[] b = new byte[length];
    buf.getBytes(index, b);
    sha.update(b);
    add("bytes", length);
    return this;
  }

  /** Events added so far. */
  public long events() {
    return events;
  }

  /** The hash of everything added so far, as hex (a copy of the running state; adding may go on). */
  public String hash() {
    try {
      return HexFormat.of().formatHex(((MessageDigest) sha.clone()).digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EventDigest && ((EventDigest) o).events == events && ((EventDigest) o).hash().equals(hash());
  }

  @Override
  public int hashCode() {
    return hash().hashCode();
  }

  /** Event count, hash and the kept event text. */
  @Override
  public String toString() {
    return events + " events, sha256 " + hash() + "\n" + text;
  }
}
