package dev.wirelens.tls.handshake;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import io.netty.buffer.ByteBuf;

/**
 * The body of a ClientKeyExchange message (msg_type 16; RFC 5246 §7.4.7, RFC 8422 §5.7): the client's public value,
 * whose length prefix depends on the key exchange:
 *
 * <pre>
 * ECDHE:           opaque point&lt;1..2^8-1&gt;;                  // u8 length
 * RSA, DHE:        opaque exchange_keys&lt;0..2^16-1&gt;;         // u16 length (EncryptedPreMasterSecret, dh_Yc)
 * </pre>
 *
 * {@link #wrap(ByteBuf, int, int)} accepts either: a u8 length that fills the body is the ECDHE form (checked
 * first), a u16 length that fills it the other; neither is BAD_LENGTH_FIELD at offset 0 (an empty body is TRUNCATED).
 * PSK suites prepend a psk_identity and are not told apart here.
 *
 * <p>Lifetime: borrows the wrapped buffer. Allocation: none, except {@link #exchangeKeys()}'s slice. Thread safety:
 * this class is not thread safe.
 *
 * <pre>{@code
 * if (cke.wrap(m.buffer(), m.bodyOffset(), m.length())) log(cke.isEcdhForm(), cke.exchangeKeysLength());
 * }</pre>
 */
public final class ClientKeyExchange {
  private final MalformationReport report = new MalformationReport();
  private ByteBuf buf;
  private boolean ecdh;
  private int keysOffset;
  private int keysLength;

  /** Creates an empty view. */
  public ClientKeyExchange() {}

  /** Wraps a ClientKeyExchange body; false with {@link #report()} if neither form fits. */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    report.clear();
    this.buf = null;
    if (length < 1) {
      return report.truncated(Layer.TLS, offset, 1, 0, LengthSource.HEADER_MINIMUM);
    }
    if (1 + buf.getUnsignedByte(offset) == length) {
      set(buf, true, offset + 1, length - 1);
      return true;
    }
    if (length >= 2 && 2 + buf.getUnsignedShort(offset) == length) {
      set(buf, false, offset + 2, length - 2);
      return true;
    }
    return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, offset);
  }

  private void set(ByteBuf buf, boolean ecdh, int keysOffset, int keysLength) {
    this.buf = buf;
    this.ecdh = ecdh;
    this.keysOffset = keysOffset;
    this.keysLength = keysLength;
  }

  /** The malformation of the last wrap, or NONE. */
  public MalformationReport report() {
    return report;
  }

  /** True for the ECDHE form (u8 length). */
  public boolean isEcdhForm() {
    return ecdh;
  }

  /** Length of the public value (ECDHE point, RSA-encrypted premaster secret, or dh_Yc). */
  public int exchangeKeysLength() {
    return keysLength;
  }

  /** The public value as a non-retained slice. */
  public ByteBuf exchangeKeys() {
    return buf.slice(keysOffset, keysLength);
  }
}
