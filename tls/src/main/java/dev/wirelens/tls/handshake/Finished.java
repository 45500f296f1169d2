package dev.wirelens.tls.handshake;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * The body of a Finished message (msg_type 20; RFC 8446 §4.4.4, RFC 5246 §7.4.9): {@code opaque
 * verify_data[Hash.length]} in TLS 1.3 (32 or 48 bytes), {@code verify_data[12]} in TLS 1.2 with the usual suites.
 * The whole body is verify_data; its length depends on the cipher suite, so any non-empty body wraps (an empty one is
 * TRUNCATED). Checking verify_data needs the keys and is not done here.
 *
 * <p>Lifetime: borrows the wrapped buffer. Allocation: none, except {@link #verifyData()}'s slice. Thread safety:
 * this class is not thread safe.
 *
 * <pre>{@code
 * if (finished.wrap(m.buffer(), m.bodyOffset(), m.length())) seenFinished = true;
 * }</pre>
 */
public final class Finished {
  private final MalformationReport report = new MalformationReport();
  private ByteBuf buf;
  private int offset;
  private int length;

  /** Creates an empty view. */
  public Finished() {}

  /** Wraps a Finished body; false (TRUNCATED) when empty. */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    report.clear();
    this.buf = null;
    if (length < 1) {
      return report.truncated(Layer.TLS, offset, 1, 0, LengthSource.HEADER_MINIMUM);
    }
    this.buf = buf;
    this.offset = offset;
    this.length = length;
    return true;
  }

  /** The malformation of the last wrap, or NONE. */
  public MalformationReport report() {
    return report;
  }

  /** Length of verify_data (the body length). */
  public int verifyDataLength() {
    return length;
  }

  /** verify_data as a non-retained slice. */
  public ByteBuf verifyData() {
    return buf.slice(offset, length);
  }
}
