package dev.wirelens.tls;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * The fragment of a change_cipher_spec record (content type 20; RFC 5246 §7.1): one byte of value 1. In TLS 1.3 it
 * is sent only for middlebox compatibility and ignored (RFC 8446 §5, Appendix D.4).
 *
 * <pre>
 * struct { enum { change_cipher_spec(1), (255) } type; } ChangeCipherSpec;
 * </pre>
 *
 * An empty fragment is TRUNCATED; a longer one is BAD_LENGTH_FIELD at offset + 1. A value other than 1 passes
 * through ({@link #type()}), as RFC 8446 §5 lets a receiver decide.
 *
 * <p>Lifetime: keeps no reference. Allocation: none. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * if (record.contentType() == ContentTypes.CHANGE_CIPHER_SPEC
 *     && ccs.wrap(record.buffer(), record.fragmentOffset(), record.length())) {
 *   peerSwitchedKeys = true;
 * }
 * }</pre>
 */
public final class ChangeCipherSpec {
  private final MalformationReport report = new MalformationReport();
  private int type = -1;

  /** Creates an empty view. */
  public ChangeCipherSpec() {}

  /** Reads a change_cipher_spec fragment; false with {@link #report()} unless it is exactly 1 byte. */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    report.clear();
    type = -1;
    if (length < 1) {
      return report.truncated(Layer.TLS, offset, 1, 0, LengthSource.HEADER_MINIMUM);
    }
    if (length > 1) {
      return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, offset + 1);
    }
    type = buf.getUnsignedByte(offset);
    return true;
  }

  /** The malformation of the last wrap, or NONE. */
  public MalformationReport report() {
    return report;
  }

  /** Byte 0: type (1 change_cipher_spec); -1 before a successful wrap. */
  public int type() {
    return type;
  }
}
