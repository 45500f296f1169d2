package dev.wirelens.tls.handshake;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * Checks the {@code Extension extensions<0..2^16-1>} block that ends a handshake body (ClientHello, ServerHello,
 * EncryptedExtensions, TLS 1.3 CertificateRequest and NewSessionTicket; RFC 8446 §4): a 2-byte length, then
 * extensions that must fill the rest of the body exactly. The block is walked once, so that a view that wrapped it
 * successfully can hand out an extension cursor that never fails.
 *
 * <p>Malformations, in the order checked: fewer than 2 bytes for the length (TRUNCATED,
 * {@link LengthSource#OPTION_LENGTH}, at the length field); a length that does not end at the body's end
 * (BAD_LENGTH_FIELD at the length field); a bad extension inside (the {@link TlsExtensionCursor}'s report).
 *
 * <p>Lifetime: borrows the buffer for the call and, through {@link #rewind()}, until the next check. Allocation:
 * none. Thread safety: not thread safe; one per view.
 */
final class ExtensionBlock {
  private final TlsExtensionCursor cursor = new TlsExtensionCursor();
  private ByteBuf buf;
  private int start;
  private int length;

  /**
   * Checks the block whose 2-byte length is at {@code offset} and which must end at {@code end}.
   *
   * @return true if well formed; false with {@code report} filled otherwise
   */
  boolean check(ByteBuf buf, int offset, int end, MalformationReport report) {
    if (end - offset < 2) {
      return report.truncated(Layer.TLS, offset, 2, end - offset, LengthSource.OPTION_LENGTH);
    }
    int ext = buf.getUnsignedShort(offset);
    if (offset + 2 + ext != end) {
      return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, offset);
    }
    cursor.wrap(buf, offset + 2, ext);
    while (cursor.next()) {
      // walk once so that the views' extensions() never fail
    }
    if (cursor.report().isMalformed()) {
      report.copyFrom(cursor.report());
      return false;
    }
    this.buf = buf;
    this.start = offset + 2;
    this.length = ext;
    return true;
  }

  /** Bytes of the last well-formed block, without its 2-byte length. */
  int length() {
    return length;
  }

  /** The cursor restarted over the last well-formed block. */
  TlsExtensionCursor rewind() {
    cursor.wrap(buf, start, length);
    return cursor;
  }
}
