package dev.wirelens.tls.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Walks the entries of a {@link Certificate} message's certificate_list: each entry's DER certificate
 * ({@code cert_data}, u24 length) and, in TLS 1.3, its extensions (u16 length). Obtained from
 * {@link Certificate#entries(CertificateEntryCursor)} after a successful wrap, which validated every length, so
 * {@link #next()} never meets a malformation.
 *
 * <p>Lifetime: borrows the Certificate's buffer; {@link #certData()} is a non-retained slice. Allocation: none,
 * except slices. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * while (entries.next()) {
 *   ByteBuf der = entries.certData();
 *   if (entries.extensionsLength() > 0) entries.extensions(extensionCursor);
 * }
 * }</pre>
 */
public final class CertificateEntryCursor {
  private ByteBuf buf;
  private int position;
  private int end;
  private boolean tls13;
  private int index = -1;
  private int certOffset;
  private int certLength;
  private int extOffset;
  private int extLength;

  /** Creates an empty cursor. */
  public CertificateEntryCursor() {}

  void wrap(ByteBuf buf, int offset, int length, boolean tls13) {
    this.buf = buf;
    this.position = offset;
    this.end = offset + length;
    this.tls13 = tls13;
    this.index = -1;
  }

  /** Advances to the next entry; false after the last. */
  public boolean next() {
    if (buf == null || position >= end) {
      return false;
    }
    // bounds: checked in Certificate.wrap()
    int p = position;
    certLength = buf.getUnsignedMedium(p);
    certOffset = p + 3;
    p = certOffset + certLength;
    if (tls13) {
      extLength = buf.getUnsignedShort(p);
      extOffset = p + 2;
      p = extOffset + extLength;
    } else {
      extLength = 0;
      extOffset = p;
    }
    position = p;
    index++;
    return true;
  }

  /** 0-based index of the current entry (0: the end-entity certificate). */
  public int index() {
    return index;
  }

  /** Absolute offset of the current DER certificate. */
  public int certDataOffset() {
    return certOffset;
  }

  /** Length of the current DER certificate (its u24 length field). */
  public int certDataLength() {
    return certLength;
  }

  /** The current DER certificate as a non-retained slice. */
  public ByteBuf certData() {
    return buf.slice(certOffset, certLength);
  }

  /** Copies the current DER certificate into a new array. Allocates. */
  public byte[] certDataToArray() {
    byte[] out = new byte[certLength];
    buf.getBytes(certOffset, out);
    return out;
  }

  /** TLS 1.3: length of the current entry's extensions block (0 for TLS 1.2). */
  public int extensionsLength() {
    return extLength;
  }

  /** TLS 1.3: starts {@code cursor} over the current entry's extensions (status_request, SCTs). */
  public TlsExtensionCursor extensions(TlsExtensionCursor cursor) {
    cursor.wrap(extLength == 0 ? Unpooled.EMPTY_BUFFER : buf, extOffset, extLength);
    return cursor;
  }
}
