package dev.wirelens.tls.handshake;

import dev.wirelens.MalformationReport;
import dev.wirelens.tls.ExtensionTypes;
import io.netty.buffer.ByteBuf;

/**
 * The body of an EncryptedExtensions message (msg_type 8; RFC 8446 §4.3.1), readable once the TLS 1.3 handshake is
 * decrypted. It carries the server's answers that are not needed to establish keys: ALPN, server_name
 * acknowledgement, max_fragment_length, early_data acceptance.
 *
 * <pre>
 * struct { Extension extensions&lt;0..2^16-1&gt;; } EncryptedExtensions;   // u16 length
 * </pre>
 *
 * A missing length is TRUNCATED, a length that does not fill the body BAD_LENGTH_FIELD at it; extensions are walked
 * once in wrap.
 *
 * <p>Lifetime: borrows the wrapped buffer. Allocation: none. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * if (ee.wrap(m.buffer(), m.bodyOffset(), m.length())
 *     && ee.extensions(cursor).seek(ExtensionTypes.APPLICATION_LAYER_PROTOCOL_NEGOTIATION)) {
 *   cursor.names(names);
 * }
 * }</pre>
 */
public final class EncryptedExtensions {
  private final MalformationReport report = new MalformationReport();
  private final ExtensionBlock extensionBlock = new ExtensionBlock();
  private ByteBuf buf;
  private int extensionsOffset;
  private int extensionsLength;

  /** Creates an empty view. */
  public EncryptedExtensions() {}

  /** Wraps an EncryptedExtensions body; false with {@link #report()} if malformed. */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    report.clear();
    this.buf = null;
    if (!extensionBlock.check(buf, offset, offset + length, report)) {
      return false;
    }
    this.buf = buf;
    this.extensionsOffset = offset + 2;
    this.extensionsLength = extensionBlock.length();
    return true;
  }

  /** The malformation of the last wrap, or NONE. */
  public MalformationReport report() {
    return report;
  }

  /** Bytes of the extensions block without its length. */
  public int extensionsLength() {
    return extensionsLength;
  }

  /** Starts {@code cursor} over the extensions. */
  public TlsExtensionCursor extensions(TlsExtensionCursor cursor) {
    cursor.wrap(buf, extensionsOffset, extensionsLength);
    return cursor;
  }
}
