package dev.wirelens.tls.handshake;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * The body of a NewSessionTicket message (msg_type 4) in either of its forms:
 *
 * <pre>
 * TLS 1.2 (RFC 5077 §3.3):                       TLS 1.3 (RFC 8446 §4.6.1):
 *   uint32 ticket_lifetime_hint;                   uint32 ticket_lifetime;
 *   opaque ticket&lt;0..2^16-1&gt;;                 uint32 ticket_age_add;
 *                                                  opaque ticket_nonce&lt;0..255&gt;;
 *                                                  opaque ticket&lt;1..2^16-1&gt;;
 *                                                  Extension extensions&lt;0..2^16-2&gt;;   // early_data
 * </pre>
 *
 * The caller picks the form by the negotiated version: {@link #wrap(ByteBuf, int, int)} for TLS 1.2,
 * {@link #wrapTls13(ByteBuf, int, int)} for TLS 1.3. Fixed fields cut short are TRUNCATED; a vector that runs past
 * the body, or bytes left over, are BAD_LENGTH_FIELD at the length field; extensions are walked once.
 *
 * <p>Lifetime: borrows the wrapped buffer. Allocation: none, except slices. Thread safety: this class is not thread
 * safe.
 *
 * <pre>{@code
 * if (ticket.wrapTls13(m.buffer(), m.bodyOffset(), m.length())) log(ticket.ticketLifetime(), ticket.ticketLength());
 * }</pre>
 */
public final class NewSessionTicket {
  private final MalformationReport report = new MalformationReport();
  private final ExtensionBlock extensionBlock = new ExtensionBlock();
  private ByteBuf buf;
  private boolean tls13;
  private long lifetime;
  private long ageAdd;
  private int nonceOffset;
  private int nonceLength;
  private int ticketOffset;
  private int ticketLength;
  private int extensionsOffset;
  private int extensionsLength;

  /** Creates an empty view. */
  public NewSessionTicket() {}

  /** Wraps a TLS 1.2 (RFC 5077) NewSessionTicket body; false with {@link #report()} if malformed. */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    report.clear();
    this.buf = null;
    if (length < 6) {
      return report.truncated(Layer.TLS, offset, 6, length, LengthSource.HEADER_MINIMUM);
    }
    int t = buf.getUnsignedShort(offset + 4);
    if (6 + t != length) {
      return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, offset + 4);
    }
    this.buf = buf;
    this.tls13 = false;
    this.lifetime = buf.getUnsignedInt(offset);
    this.ageAdd = -1;
    this.nonceOffset = offset + 4;
    this.nonceLength = 0;
    this.ticketOffset = offset + 6;
    this.ticketLength = t;
    this.extensionsOffset = offset + length;
    this.extensionsLength = 0;
    return true;
  }

  /** Wraps a TLS 1.3 NewSessionTicket body; false with {@link #report()} if malformed. */
  public boolean wrapTls13(ByteBuf buf, int offset, int length) {
    report.clear();
    this.buf = null;
    int end = offset + length;
    if (length < 9) {
      return report.truncated(Layer.TLS, offset, 9, length, LengthSource.HEADER_MINIMUM);
    }
    int p = offset + 8;
    int nonce = buf.getUnsignedByte(p);
    if (p + 1 + nonce > end) {
      return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, p);
    }
    int nOffset = p + 1;
    p = nOffset + nonce;
    if (end - p < 2) {
      return report.truncated(Layer.TLS, p, 2, end - p, LengthSource.OPTION_LENGTH);
    }
    int t = buf.getUnsignedShort(p);
    if (p + 2 + t > end) {
      return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, p);
    }
    int tOffset = p + 2;
    p = tOffset + t;
    if (!extensionBlock.check(buf, p, end, report)) {
      return false;
    }
    int ext = extensionBlock.length();
    this.buf = buf;
    this.tls13 = true;
    this.lifetime = buf.getUnsignedInt(offset);
    this.ageAdd = buf.getUnsignedInt(offset + 4);
    this.nonceOffset = nOffset;
    this.nonceLength = nonce;
    this.ticketOffset = tOffset;
    this.ticketLength = t;
    this.extensionsOffset = p + 2;
    this.extensionsLength = ext;
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

  /** Bytes 0-3: ticket_lifetime (TLS 1.3) or ticket_lifetime_hint (TLS 1.2), in seconds. */
  public long ticketLifetime() {
    return lifetime;
  }

  /** TLS 1.3 bytes 4-7: ticket_age_add; -1 for TLS 1.2. */
  public long ticketAgeAdd() {
    return ageAdd;
  }

  /** TLS 1.3: length of ticket_nonce; 0 for TLS 1.2. */
  public int ticketNonceLength() {
    return nonceLength;
  }

  /** TLS 1.3: ticket_nonce as a non-retained slice. */
  public ByteBuf ticketNonce() {
    return buf.slice(nonceOffset, nonceLength);
  }

  /** Length of the ticket. */
  public int ticketLength() {
    return ticketLength;
  }

  /** The ticket as a non-retained slice. */
  public ByteBuf ticket() {
    return buf.slice(ticketOffset, ticketLength);
  }

  /** TLS 1.3: bytes of the extensions block without its length; 0 for TLS 1.2. */
  public int extensionsLength() {
    return extensionsLength;
  }

  /** TLS 1.3: starts {@code cursor} over the extensions (early_data carries max_early_data_size). */
  public TlsExtensionCursor extensions(TlsExtensionCursor cursor) {
    cursor.wrap(buf, extensionsOffset, extensionsLength);
    return cursor;
  }
}
