package dev.wirelens.tls.handshake;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * The body of a ServerKeyExchange message (msg_type 12) for the ECDHE key exchanges (RFC 8422 §5.4; RFC 5246
 * §7.4.3 for the signature), and for finite-field DHE (RFC 5246 §7.4.3):
 *
 * <pre>
 * ECDHE (wrap):                                   DHE (wrapDhe):
 *   ECCurveType curve_type;        // u8, 3       opaque dh_p&lt;1..2^16-1&gt;;
 *   NamedCurve namedcurve;         // u16         opaque dh_g&lt;1..2^16-1&gt;;
 *   opaque point&lt;1..2^8-1&gt;;                opaque dh_Ys&lt;1..2^16-1&gt;;
 * then, in both, the signature:
 *   SignatureAndHashAlgorithm algorithm;   // u16, TLS 1.2 only
 *   opaque signature&lt;0..2^16-1&gt;;
 * </pre>
 *
 * Which form applies follows from the cipher suite, which the caller knows. A signature is recognised with an
 * algorithm (TLS 1.2: 4 + length bytes fill the rest), without one (TLS 1.0/1.1: 2 + length), or is absent
 * (anonymous suites: nothing left); anything else is BAD_LENGTH_FIELD at the signature. For curve types other than
 * named_curve (3) the parameters are not parsed: {@link #namedCurve()} is -1 and wrap succeeds. Lengths running past
 * the body are BAD_LENGTH_FIELD at their field; missing fixed fields TRUNCATED.
 *
 * <p>Lifetime: borrows the wrapped buffer. Allocation: none, except slices. Thread safety: this class is not thread
 * safe.
 *
 * <pre>{@code
 * if (ske.wrap(m.buffer(), m.bodyOffset(), m.length()) && ske.namedCurve() >= 0) {
 *   group = ske.namedCurve();
 * }
 * }</pre>
 */
public final class ServerKeyExchange {
  /** ECCurveType 3: named_curve (RFC 8422 §5.4). */
  public static final int NAMED_CURVE = 3;

  private final MalformationReport report = new MalformationReport();
  private ByteBuf buf;
  private boolean dhe;
  private int curveType;
  private int namedCurve;
  private int publicOffset;
  private int publicLength;
  private int primeLength;
  private int signatureAlgorithm;
  private int signatureOffset;
  private int signatureLength;

  /** Creates an empty view. */
  public ServerKeyExchange() {}

  /** Wraps an ECDHE ServerKeyExchange body; false with {@link #report()} if malformed. */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    report.clear();
    this.buf = null;
    int end = offset + length;
    if (length < 1) {
      return report.truncated(Layer.TLS, offset, 1, 0, LengthSource.HEADER_MINIMUM);
    }
    int type = buf.getUnsignedByte(offset);
    if (type != NAMED_CURVE) {
      set(buf, false, type, -1, offset + 1, 0, 0);
      signatureAlgorithm = -1;
      signatureLength = -1;
      signatureOffset = end; // an empty signature inside this body, not where the previous wrap left it
      return true;
    }
    if (length < 4) {
      return report.truncated(Layer.TLS, offset, 4, length, LengthSource.HEADER_MINIMUM);
    }
    int pointLength = buf.getUnsignedByte(offset + 3);
    if (offset + 4 + pointLength > end) {
      return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, offset + 3);
    }
    set(buf, false, type, buf.getUnsignedShort(offset + 1), offset + 4, pointLength, 0);
    return signature(offset + 4 + pointLength, end);
  }

  /** Wraps a DHE ServerKeyExchange body (dh_p, dh_g, dh_Ys, signature); false with {@link #report()}. */
  public boolean wrapDhe(ByteBuf buf, int offset, int length) {
    report.clear();
    this.buf = null;
    int end = offset + length;
    int p = offset;
    int prime = 0;
    int ysOffset = 0;
    int ysLength = 0;
    for (int i = 0; i < 3; i++) {
      if (end - p < 2) {
        return report.truncated(Layer.TLS, p, 2, end - p, LengthSource.OPTION_LENGTH);
      }
      int len = buf.getUnsignedShort(p);
      if (p + 2 + len > end) {
        return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, p);
      }
      if (i == 0) {
        prime = len;
      } else if (i == 2) {
        ysOffset = p + 2;
        ysLength = len;
      }
      p += 2 + len;
    }
    set(buf, true, -1, -1, ysOffset, ysLength, prime);
    return signature(p, end);
  }

  private void set(ByteBuf buf, boolean dhe, int curveType, int namedCurve, int publicOffset, int publicLength,
      int primeLength) {
    this.buf = buf;
    this.dhe = dhe;
    this.curveType = curveType;
    this.namedCurve = namedCurve;
    this.publicOffset = publicOffset;
    this.publicLength = publicLength;
    this.primeLength = primeLength;
  }

  private boolean signature(int p, int end) {
    int rest = end - p;
    signatureAlgorithm = -1;
    signatureLength = -1;
    signatureOffset = p;
    if (rest == 0) {
      return true;
    }
    if (rest >= 4 && 4 + buf.getUnsignedShort(p + 2) == rest) {
      signatureAlgorithm = buf.getUnsignedShort(p);
      signatureOffset = p + 4;
      signatureLength = rest - 4;
      return true;
    }
    if (rest >= 2 && 2 + buf.getUnsignedShort(p) == rest) {
      signatureOffset = p + 2;
      signatureLength = rest - 2;
      return true;
    }
    buf = null;
    return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, p);
  }

  /** The malformation of the last wrap, or NONE. */
  public MalformationReport report() {
    return report;
  }

  /** True if wrapped as DHE. */
  public boolean isDhe() {
    return dhe;
  }

  /** ECDHE byte 0: curve_type (3 named_curve); -1 for DHE. */
  public int curveType() {
    return curveType;
  }

  /** ECDHE bytes 1-2: namedcurve (a NamedGroup, e.g. 0x001d x25519); -1 for other curve types and DHE. */
  public int namedCurve() {
    return namedCurve;
  }

  /** Length of the server's public value: the ECDHE point, or DHE dh_Ys. */
  public int publicLength() {
    return publicLength;
  }

  /** The server's public value as a non-retained slice. */
  public ByteBuf publicValue() {
    return buf.slice(publicOffset, publicLength);
  }

  /** DHE: length of dh_p in bytes (the group size, e.g. 256 for 2048-bit); 0 for ECDHE. */
  public int primeLength() {
    return primeLength;
  }

  /** TLS 1.2: the SignatureAndHashAlgorithm (e.g. 0x0401 rsa_pkcs1_sha256); -1 when absent. */
  public int signatureAlgorithm() {
    return signatureAlgorithm;
  }

  /** Length of the signature; -1 when there is none. */
  public int signatureLength() {
    return signatureLength;
  }

  /** The signature as a non-retained slice (empty when there is none). */
  public ByteBuf signature() {
    return signatureLength < 0 ? buf.slice(signatureOffset, 0) : buf.slice(signatureOffset, signatureLength);
  }
}
