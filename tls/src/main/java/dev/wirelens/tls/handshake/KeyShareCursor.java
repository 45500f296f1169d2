package dev.wirelens.tls.handshake;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.tls.ExtensionTypes;
import io.netty.buffer.ByteBuf;

/**
 * Walks the entries of a ClientHello key_share extension (RFC 8446 §4.2.8):
 *
 * <pre>
 * struct { NamedGroup group; opaque key_exchange&lt;1..2^16-1&gt;; } KeyShareEntry;   // u16 group, u16 length
 * struct { KeyShareEntry client_shares&lt;0..2^16-1&gt;; } KeyShareClientHello;     // u16 length
 * </pre>
 *
 * {@code wrap} checks the list length (equal to the rest of the data, else BAD_LENGTH_FIELD at it; TRUNCATED when
 * missing); {@link #next()} stops at an entry running past the list (TRUNCATED for a cut header, BAD_LENGTH_FIELD at
 * its key_exchange length). Groups pass through as ints, GREASE included. The ServerHello and HelloRetryRequest
 * forms hold one group: use {@link TlsExtensionCursor#keyShareGroup()}.
 *
 * <p>Lifetime: borrows the wrapped buffer. Allocation: none, except {@link #keyExchange()}'s slice. Thread safety:
 * this class is not thread safe.
 *
 * <pre>{@code
 * if (extensions.seek(ExtensionTypes.KEY_SHARE) && extensions.keyShares(shares)) {
 *   while (shares.next()) use(shares.group(), shares.keyExchangeLength());
 * }
 * }</pre>
 */
public final class KeyShareCursor {
  private final MalformationReport report = new MalformationReport();
  private ByteBuf buf;
  private int position;
  private int end;
  private int group = -1;
  private int keyOffset;
  private int keyLength;
  private boolean done = true;

  /** Creates an empty cursor. */
  public KeyShareCursor() {}

  /** Wraps the {@code length} bytes of a KeyShareClientHello at {@code offset}. */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    report.clear();
    clear();
    this.buf = buf;
    if (length < 2) {
      return report.truncated(Layer.TLS, offset, 2, length, LengthSource.OPTION_LENGTH);
    }
    if (buf.getUnsignedShort(offset) != length - 2) {
      return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, offset);
    }
    position = offset + 2;
    end = offset + length;
    done = false;
    return true;
  }

  void clear() {
    done = true;
    group = -1;
  }

  /** Advances to the next entry; false at the end or at a bad entry ({@link #report()}). */
  public boolean next() {
    if (done || position >= end) {
      clear();
      return false;
    }
    int p = position;
    if (end - p < 4) {
      clear();
      return report.truncated(Layer.TLS, p, 4, end - p, LengthSource.OPTION_LENGTH);
    }
    int len = buf.getUnsignedShort(p + 2);
    if (p + 4 + len > end) {
      clear();
      return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, p + 2);
    }
    group = buf.getUnsignedShort(p);
    keyOffset = p + 4;
    keyLength = len;
    position = p + 4 + len;
    return true;
  }

  /** The malformation of the last wrap or of the entry that stopped the walk, or NONE. */
  public MalformationReport report() {
    return report;
  }

  /** Entry bytes 0-1: group (NamedGroup) of the current entry; -1 when none. */
  public int group() {
    return group;
  }

  /** Entry bytes 2-3: length of the current entry's key_exchange. */
  public int keyExchangeLength() {
    return keyLength;
  }

  /** Absolute offset of the current entry's key_exchange. */
  public int keyExchangeOffset() {
    return keyOffset;
  }

  /** The current entry's key_exchange as a non-retained slice. */
  public ByteBuf keyExchange() {
    return buf.slice(keyOffset, keyLength);
  }
}
