package dev.wirelens.tls.handshake;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * The body of a CertificateRequest message (msg_type 13), the server asking for a client certificate:
 *
 * <pre>
 * TLS 1.2 (RFC 5246 §7.4.4):                                   TLS 1.3 (RFC 8446 §4.3.2):
 *   ClientCertificateType certificate_types&lt;1..2^8-1&gt;;      opaque certificate_request_context&lt;0..2^8-1&gt;;
 *   SignatureAndHashAlgorithm                                    Extension extensions&lt;2..2^16-1&gt;;
 *     supported_signature_algorithms&lt;2^16-1&gt;;   // u16 length      // signature_algorithms, certificate_authorities
 *   DistinguishedName certificate_authorities&lt;0..2^16-1&gt;;
 * </pre>
 *
 * {@link #wrap(ByteBuf, int, int)} reads the TLS 1.2 form (TLS 1.0/1.1 lack supported_signature_algorithms: use
 * {@link #wrapTls11(ByteBuf, int, int)}), {@link #wrapTls13(ByteBuf, int, int)} the TLS 1.3 form. Length fields that
 * run past the body or leave bytes over are BAD_LENGTH_FIELD at the field, missing ones TRUNCATED.
 *
 * <p>Lifetime: borrows the wrapped buffer. Allocation: none. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * if (request.wrap(m.buffer(), m.bodyOffset(), m.length())) {
 *   request.signatureAlgorithms(list);
 * }
 * }</pre>
 */
public final class CertificateRequest {
  private final MalformationReport report = new MalformationReport();
  private final ExtensionBlock extensionBlock = new ExtensionBlock();
  private ByteBuf buf;
  private boolean tls13;
  private int typesOffset;
  private int typesLength;
  private int algorithmsOffset = -1;
  private int algorithmsLength;
  private int authoritiesLength;
  private int contextLength;
  private int extensionsOffset;
  private int extensionsLength;

  /** Creates an empty view. */
  public CertificateRequest() {}

  /** Wraps a TLS 1.2 CertificateRequest body; false with {@link #report()} if malformed. */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    return wrap12(buf, offset, length, true);
  }

  /** Wraps a TLS 1.0/1.1 CertificateRequest body (no signature algorithms); false with {@link #report()}. */
  public boolean wrapTls11(ByteBuf buf, int offset, int length) {
    return wrap12(buf, offset, length, false);
  }

  private boolean wrap12(ByteBuf buf, int offset, int length, boolean withAlgorithms) {
    report.clear();
    this.buf = null;
    int end = offset + length;
    if (length < 1) {
      return report.truncated(Layer.TLS, offset, 1, 0, LengthSource.HEADER_MINIMUM);
    }
    int types = buf.getUnsignedByte(offset);
    int p = offset + 1 + types;
    if (p > end) {
      return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, offset);
    }
    int algOffset = -1;
    int algLength = 0;
    if (withAlgorithms) {
      if (end - p < 2) {
        return report.truncated(Layer.TLS, p, 2, end - p, LengthSource.OPTION_LENGTH);
      }
      algLength = buf.getUnsignedShort(p);
      if ((algLength & 1) != 0 || p + 2 + algLength > end) {
        return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, p);
      }
      algOffset = p;
      p += 2 + algLength;
    }
    if (end - p < 2) {
      return report.truncated(Layer.TLS, p, 2, end - p, LengthSource.OPTION_LENGTH);
    }
    int cas = buf.getUnsignedShort(p);
    if (p + 2 + cas != end) {
      return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, p);
    }
    this.buf = buf;
    this.tls13 = false;
    this.typesOffset = offset + 1;
    this.typesLength = types;
    this.algorithmsOffset = algOffset;
    this.algorithmsLength = algLength;
    this.authoritiesLength = cas;
    this.contextLength = 0;
    this.extensionsLength = 0;
    return true;
  }

  /** Wraps a TLS 1.3 CertificateRequest body; false with {@link #report()} if malformed. */
  public boolean wrapTls13(ByteBuf buf, int offset, int length) {
    report.clear();
    this.buf = null;
    int end = offset + length;
    if (length < 1) {
      return report.truncated(Layer.TLS, offset, 1, 0, LengthSource.HEADER_MINIMUM);
    }
    int ctx = buf.getUnsignedByte(offset);
    int p = offset + 1 + ctx;
    if (p > end) {
      return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, offset);
    }
    if (!extensionBlock.check(buf, p, end, report)) {
      return false;
    }
    int ext = extensionBlock.length();
    this.buf = buf;
    this.tls13 = true;
    this.contextLength = ctx;
    this.extensionsOffset = p + 2;
    this.extensionsLength = ext;
    this.typesLength = 0;
    this.algorithmsOffset = -1;
    this.algorithmsLength = 0;
    this.authoritiesLength = 0;
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

  /** TLS 1.2: number of certificate_types. */
  public int certificateTypeCount() {
    return typesLength;
  }

  /** TLS 1.2: certificate type {@code i} (1 rsa_sign, 64 ecdsa_sign, ...). */
  public int certificateType(int i) {
    if (i < 0 || i >= typesLength) {
      throw new IndexOutOfBoundsException(i);
    }
    return buf.getUnsignedByte(typesOffset + i);
  }

  /**
   * TLS 1.2: wraps {@code list} over supported_signature_algorithms; false (empty list) for TLS 1.0/1.1 and 1.3
   * (in TLS 1.3 they are the signature_algorithms extension).
   */
  public boolean signatureAlgorithms(TlsValueList list) {
    if (algorithmsOffset < 0) {
      list.clear();
      return false;
    }
    return list.wrapU16Values(buf, algorithmsOffset, 2 + algorithmsLength);
  }

  /** TLS 1.2: bytes of certificate_authorities (the DistinguishedName list) without its length. */
  public int certificateAuthoritiesLength() {
    return authoritiesLength;
  }

  /** TLS 1.3: length of certificate_request_context. */
  public int certificateRequestContextLength() {
    return contextLength;
  }

  /** TLS 1.3: bytes of the extensions block without its length. */
  public int extensionsLength() {
    return extensionsLength;
  }

  /** TLS 1.3: starts {@code cursor} over the extensions (an empty walk for TLS 1.2). */
  public TlsExtensionCursor extensions(TlsExtensionCursor cursor) {
    cursor.wrap(buf, extensionsOffset, extensionsLength);
    return cursor;
  }
}
