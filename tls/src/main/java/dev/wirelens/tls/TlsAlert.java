package dev.wirelens.tls;

import dev.wirelens.tcp.Direction;
import java.util.Objects;

/**
 * One TLS alert seen on a connection (RFC 8446 §6, RFC 5246 §7.2): {@code struct { AlertLevel level; AlertDescription
 * description; }}, two bytes. An alert that was encrypted and could not be decrypted has neither level nor
 * description ({@link #isEncrypted()}).
 *
 * <p>Thread safety: immutable.
 */
public final class TlsAlert {
  private final Direction from;
  private final int level;
  private final int description;

  /** An alert sent in direction {@code from}; {@code level} and {@code description} are -1 when encrypted. */
  public TlsAlert(Direction from, int level, int description) {
    this.from = Objects.requireNonNull(from, "from");
    this.level = level;
    this.description = description;
  }

  /** The direction the alert travelled: CLIENT_TO_SERVER means the client sent it. */
  public Direction from() {
    return from;
  }

  /** Byte 0: AlertLevel (1 warning, 2 fatal), or -1 when the alert stayed encrypted. */
  public int level() {
    return level;
  }

  /** "warning", "fatal", null when encrypted, or "level_N" for another value. */
  public String levelName() {
    if (level < 0) {
      return null;
    }
    String name = AlertLevels.nameOf(level);
    return name != null ? name : "level_" + level;
  }

  /** Byte 1: AlertDescription, or -1 when the alert stayed encrypted. */
  public int description() {
    return description;
  }

  /** The IANA name of the description (e.g. "close_notify"), or null when encrypted or unregistered. */
  public String name() {
    return description < 0 ? null : AlertDescriptions.nameOf(description);
  }

  /** True when the alert was encrypted and not decrypted. */
  public boolean isEncrypted() {
    return level < 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TlsAlert && ((TlsAlert) o).from == from && ((TlsAlert) o).level == level
        && ((TlsAlert) o).description == description;
  }

  @Override
  public int hashCode() {
    return Objects.hash(from, level, description);
  }

  @Override
  public String toString() {
    return from + ":" + (isEncrypted() ? "encrypted" : levelName() + ":" + name() + "(" + description + ")");
  }
}
