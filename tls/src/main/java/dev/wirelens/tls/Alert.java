package dev.wirelens.tls;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * An alert (RFC 8446 §6, RFC 5246 §7.2): the plaintext fragment of a record of content type 21 (or, in TLS 1.3, the
 * decrypted inner plaintext of type 21).
 *
 * <pre>
 * struct {
 *     AlertLevel level;                 // u8: 1 warning, 2 fatal (TLS 1.3 ignores it)
 *     AlertDescription description;     // u8: 0 close_notify, 40 handshake_failure, ...
 * } Alert;
 * </pre>
 *
 * {@link #wrap(ByteBuf, int, int)} reads the first alert of a fragment: fewer than 2 bytes is TRUNCATED
 * (HEADER_MINIMUM). A fragment of another length than 2 is not an error here (several alerts may share a record),
 * but an alert record whose fragment is longer than 2 bytes in a connection that has switched to encryption is almost
 * surely encrypted: {@link #isPlausiblePlaintext(int)} helps the session dissector say "encrypted alert". Level and
 * description pass through as ints; their names are in the names tables.
 *
 * <p>Lifetime: keeps no reference after wrap. Allocation: none. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * if (record.contentType() == ContentTypes.ALERT
 *     && alert.wrap(record.buffer(), record.fragmentOffset(), record.length())) {
 *   log(alert.level(), alert.description());
 * }
 * }</pre>
 */
public final class Alert {
  private final MalformationReport report = new MalformationReport();
  private int level = -1;
  private int description = -1;

  /** Creates an empty view. */
  public Alert() {}

  /** Reads the alert at {@code offset}; false (TRUNCATED) when fewer than 2 bytes are given. */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    report.clear();
    level = -1;
    description = -1;
    if (length < 2) {
      return report.truncated(Layer.TLS, offset, 2, length, LengthSource.HEADER_MINIMUM);
    }
    level = buf.getUnsignedByte(offset);
    description = buf.getUnsignedByte(offset + 1);
    return true;
  }

  /**
   * True if a fragment of {@code fragmentLength} bytes holding this alert looks like plaintext: exactly 2 bytes and a
   * level of 1 or 2. An encrypted alert (after ChangeCipherSpec, or any TLS 1.3 alert record of type 23) fails this.
   */
  public boolean isPlausiblePlaintext(int fragmentLength) {
    return fragmentLength == 2 && (level == AlertLevels.WARNING || level == AlertLevels.FATAL);
  }

  /** The malformation of the last wrap, or NONE. */
  public MalformationReport report() {
    return report;
  }

  /** Byte 0: level (1 warning, 2 fatal); -1 before a successful wrap. */
  public int level() {
    return level;
  }

  /** Byte 1: description (0 close_notify, ...); -1 before a successful wrap. */
  public int description() {
    return description;
  }
}
