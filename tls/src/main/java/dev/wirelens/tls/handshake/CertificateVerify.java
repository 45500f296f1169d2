package dev.wirelens.tls.handshake;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * The body of a CertificateVerify message (msg_type 15; RFC 8446 §4.4.3, RFC 5246 §7.4.8):
 *
 * <pre>
 * struct {
 *     SignatureScheme algorithm;             // u16 (absent in TLS 1.0/1.1)
 *     opaque signature&lt;0..2^16-1&gt;;     // u16 length
 * } CertificateVerify;
 * </pre>
 *
 * {@link #wrap(ByteBuf, int, int)} accepts the TLS 1.2/1.3 form (4 + length fill the body) or, failing that, the
 * TLS 1.0/1.1 form (2 + length; {@link #algorithm()} -1); otherwise BAD_LENGTH_FIELD at offset + 2 (TRUNCATED below 2
 * bytes). The signature is not verified.
 *
 * <p>Lifetime: borrows the wrapped buffer. Allocation: none, except {@link #signature()}'s slice. Thread safety: this
 * class is not thread safe.
 *
 * <pre>{@code
 * if (verify.wrap(m.buffer(), m.bodyOffset(), m.length())) scheme = verify.algorithm();
 * }</pre>
 */
public final class CertificateVerify {
  private final MalformationReport report = new MalformationReport();
  private ByteBuf buf;
  private int algorithm = -1;
  private int signatureOffset;
  private int signatureLength;

  /** Creates an empty view. */
  public CertificateVerify() {}

  /** Wraps a CertificateVerify body; false with {@link #report()} if malformed. */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    report.clear();
    this.buf = null;
    algorithm = -1;
    if (length < 2) {
      return report.truncated(Layer.TLS, offset, 2, length, LengthSource.HEADER_MINIMUM);
    }
    if (length >= 4 && 4 + buf.getUnsignedShort(offset + 2) == length) {
      algorithm = buf.getUnsignedShort(offset);
      signatureOffset = offset + 4;
    } else if (2 + buf.getUnsignedShort(offset) == length) {
      signatureOffset = offset + 2;
    } else {
      return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, offset + 2);
    }
    this.buf = buf;
    signatureLength = offset + length - signatureOffset;
    return true;
  }

  /** The malformation of the last wrap, or NONE. */
  public MalformationReport report() {
    return report;
  }

  /** Bytes 0-1: algorithm (SignatureScheme, e.g. 0x0804 rsa_pss_rsae_sha256); -1 in the TLS 1.0/1.1 form. */
  public int algorithm() {
    return algorithm;
  }

  /** Length of the signature. */
  public int signatureLength() {
    return signatureLength;
  }

  /** The signature as a non-retained slice. */
  public ByteBuf signature() {
    return buf.slice(signatureOffset, signatureLength);
  }
}
