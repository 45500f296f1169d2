package dev.wirelens.tls.handshake;

import dev.wirelens.Layer;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * The body of a end_of_early_data (msg_type 5; RFC 8446 §4.5: {@code struct {} EndOfEarlyData;}, encrypted under the handshake keys): always empty. A non-empty body is BAD_LENGTH_FIELD at its first byte (the message header's length
 * announced bytes the structure does not have).
 *
 * <p>Lifetime: keeps no reference. Allocation: none. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * boolean ok = endOfEarlyData.wrap(m.buffer(), m.bodyOffset(), m.length());
 * }</pre>
 */
public final class EndOfEarlyData {
  private final MalformationReport report = new MalformationReport();

  /** Creates an empty view. */
  public EndOfEarlyData() {}

  /** Checks that the body of {@code length} bytes at {@code offset} is empty; false with {@link #report()} if not. */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    report.clear();
    return length == 0 || report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, offset);
  }

  /** The malformation of the last wrap, or NONE. */
  public MalformationReport report() {
    return report;
  }
}
