package dev.wirelens.tls.handshake;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * The body of a Certificate handshake message (msg_type 11) in either of its two forms:
 *
 * <pre>
 * TLS 1.2 and earlier (RFC 5246 §7.4.2):           TLS 1.3 (RFC 8446 §4.4.2):
 *   opaque ASN.1Cert&lt;1..2^24-1&gt;;                 struct {
 *   struct {                                          opaque cert_data&lt;1..2^24-1&gt;;       // u24 length
 *     ASN.1Cert certificate_list&lt;0..2^24-1&gt;;        Extension extensions&lt;0..2^16-1&gt;;  // u16 length
 *   } Certificate;                                  } CertificateEntry;
 *                                                   struct {
 *                                                     opaque certificate_request_context&lt;0..2^8-1&gt;;
 *                                                     CertificateEntry certificate_list&lt;0..2^24-1&gt;;
 *                                                   } Certificate;
 * </pre>
 *
 * The form cannot be told from the bytes alone, so the caller who knows the negotiated version picks
 * {@link #wrap(ByteBuf, int, int)} (TLS 1.2 and earlier) or {@link #wrapTls13(ByteBuf, int, int)}. Both validate
 * the whole list once (BAD_LENGTH_FIELD at a length field that runs past its container or leaves bytes over,
 * TRUNCATED when a length field itself is cut); then {@link #entries(CertificateEntryCursor)} walks the entries
 * without failing, each DER certificate a slice (raw_public_key certificates, RFC 7250, come the same way).
 *
 * <p>Lifetime: borrows the wrapped buffer. Allocation: none, except slices. Thread safety: this class is not thread
 * safe.
 *
 * <pre>{@code
 * if (certificate.wrap(m.buffer(), m.bodyOffset(), m.length())) {
 *   CertificateEntryCursor entries = certificate.entries(new CertificateEntryCursor());
 *   while (entries.next()) summaries.add(summarise(entries.certData()));
 * }
 * }</pre>
 */
public final class Certificate {
  private final MalformationReport report = new MalformationReport();
  private ByteBuf buf;
  private boolean tls13;
  private int contextOffset;
  private int contextLength;
  private int listOffset;
  private int listLength;
  private int count;

  /** Creates an empty view. */
  public Certificate() {}

  /** Wraps a TLS 1.2-and-earlier Certificate body; false with {@link #report()} if malformed. */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    return wrap(buf, offset, length, false);
  }

  /** Wraps a TLS 1.3 Certificate body (context and per-entry extensions); false with {@link #report()}. */
  public boolean wrapTls13(ByteBuf buf, int offset, int length) {
    return wrap(buf, offset, length, true);
  }

  private boolean wrap(ByteBuf buf, int offset, int length, boolean tls13) {
    report.clear();
    this.buf = null;
    count = 0;
    int end = offset + length;
    int p = offset;
    int ctxLength = 0;
    if (tls13) {
      if (length < 1) {
        return report.truncated(Layer.TLS, p, 1, 0, LengthSource.HEADER_MINIMUM);
      }
      ctxLength = buf.getUnsignedByte(p);
      if (p + 1 + ctxLength > end) {
        return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, p);
      }
      p += 1 + ctxLength;
    }
    if (end - p < 3) {
      return report.truncated(Layer.TLS, p, 3, end - p, LengthSource.OPTION_LENGTH);
    }
    int list = buf.getUnsignedMedium(p);
    if (p + 3 + list != end) {
      return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, p);
    }
    int listStart = p + 3;
    int n = 0;
    for (int q = listStart; q < end; n++) {
      if (end - q < 3) {
        return report.truncated(Layer.TLS, q, 3, end - q, LengthSource.OPTION_LENGTH);
      }
      int certLength = buf.getUnsignedMedium(q);
      if (q + 3 + certLength > end) {
        return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, q);
      }
      q += 3 + certLength;
      if (tls13) {
        if (end - q < 2) {
          return report.truncated(Layer.TLS, q, 2, end - q, LengthSource.OPTION_LENGTH);
        }
        int extLength = buf.getUnsignedShort(q);
        if (q + 2 + extLength > end) {
          return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, q);
        }
        q += 2 + extLength;
      }
    }
    this.buf = buf;
    this.tls13 = tls13;
    this.contextOffset = offset + 1;
    this.contextLength = ctxLength;
    this.listOffset = listStart;
    this.listLength = list;
    this.count = n;
    return true;
  }

  /** The malformation of the last wrap, or NONE. */
  public MalformationReport report() {
    return report;
  }

  /** True if wrapped in the TLS 1.3 form. */
  public boolean isTls13() {
    return tls13;
  }

  /** TLS 1.3: length of certificate_request_context (empty in a server's Certificate); 0 for TLS 1.2. */
  public int certificateRequestContextLength() {
    return contextLength;
  }

  /** TLS 1.3: certificate_request_context as a non-retained slice (empty for TLS 1.2). */
  public ByteBuf certificateRequestContext() {
    return buf.slice(contextOffset, contextLength);
  }

  /** Length of certificate_list in bytes (the u24 length field). */
  public int certificateListLength() {
    return listLength;
  }

  /** Number of certificates (entries) in the list. */
  public int certificateCount() {
    return count;
  }

  /** Starts {@code cursor} over the entries, in the order sent (the sender's own certificate first). */
  public CertificateEntryCursor entries(CertificateEntryCursor cursor) {
    cursor.wrap(buf, listOffset, listLength, tls13);
    return cursor;
  }
}
