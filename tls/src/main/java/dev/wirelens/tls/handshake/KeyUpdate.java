package dev.wirelens.tls.handshake;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * The body of a KeyUpdate message (msg_type 24; RFC 8446 §4.6.3), always encrypted:
 *
 * <pre>
 * enum { update_not_requested(0), update_requested(1), (255) } KeyUpdateRequest;
 * struct { KeyUpdateRequest request_update; } KeyUpdate;      // exactly 1 byte
 * </pre>
 *
 * An empty body is TRUNCATED, a longer one BAD_LENGTH_FIELD at offset + 1. Other request values pass through.
 *
 * <p>Lifetime: borrows the wrapped buffer. Allocation: none. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * if (keyUpdate.wrap(m.buffer(), m.bodyOffset(), m.length())) rekey(direction, keyUpdate.isUpdateRequested());
 * }</pre>
 */
public final class KeyUpdate {
  /** request_update 0: update_not_requested. */
  public static final int UPDATE_NOT_REQUESTED = 0;
  /** request_update 1: update_requested. */
  public static final int UPDATE_REQUESTED = 1;

  private final MalformationReport report = new MalformationReport();
  private int requestUpdate = -1;

  /** Creates an empty view. */
  public KeyUpdate() {}

  /** Wraps a KeyUpdate body; false with {@link #report()} unless it is exactly 1 byte. */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    report.clear();
    requestUpdate = -1;
    if (length < 1) {
      return report.truncated(Layer.TLS, offset, 1, 0, LengthSource.HEADER_MINIMUM);
    }
    if (length > 1) {
      return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, offset + 1);
    }
    requestUpdate = buf.getUnsignedByte(offset);
    return true;
  }

  /** The malformation of the last wrap, or NONE. */
  public MalformationReport report() {
    return report;
  }

  /** Byte 0: request_update; -1 before a successful wrap. */
  public int requestUpdate() {
    return requestUpdate;
  }

  /** True if request_update is update_requested (1): the peer must answer with its own KeyUpdate. */
  public boolean isUpdateRequested() {
    return requestUpdate == UPDATE_REQUESTED;
  }
}
