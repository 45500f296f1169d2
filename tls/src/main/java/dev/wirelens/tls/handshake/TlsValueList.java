package dev.wirelens.tls.handshake;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.tls.ExtensionTypes;
import io.netty.buffer.ByteBuf;

/**
 * A TLS vector of fixed-width values with its length prefix (RFC 8446 §3.4), random access:
 *
 * <pre>
 * NamedGroup named_group_list&lt;2..2^16-1&gt;;               // u16 length, u16 values: supported_groups
 * SignatureScheme supported_signature_algorithms&lt;2..2^16-2&gt;; // u16 length, u16 values
 * ProtocolVersion versions&lt;2..254&gt;;                    // u8 length, u16 values: ClientHello supported_versions
 * ECPointFormat ec_point_format_list&lt;1..2^8-1&gt;;         // u8 length, u8 values
 * PskKeyExchangeMode ke_modes&lt;1..255&gt;;                  // u8 length, u8 values
 * </pre>
 *
 * {@code wrap…} checks that the length prefix fits and equals the rest of the given bytes (BAD_LENGTH_FIELD at the
 * prefix otherwise, TRUNCATED when the prefix itself is missing) and that it is a multiple of the value width
 * (BAD_LENGTH_FIELD). Empty lists are accepted (the RFC minimums are policy, not framing). Values pass through as
 * ints, GREASE included ({@link Grease#isGrease(int)}).
 *
 * <p>Lifetime: borrows the wrapped buffer. Allocation: none. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * if (extensions.seek(ExtensionTypes.SUPPORTED_GROUPS) && extensions.values(groups)) {
 *   for (int i = 0; i < groups.count(); i++) use(groups.value(i));
 * }
 * }</pre>
 */
public final class TlsValueList {
  private final MalformationReport report = new MalformationReport();
  private ByteBuf buf;
  private int valuesOffset;
  private int count;
  private int width;

  /** Creates an empty list. */
  public TlsValueList() {}

  /** Wraps a vector with a u16 length and u16 values (supported_groups, signature_algorithms, cipher suites). */
  public boolean wrapU16Values(ByteBuf buf, int offset, int length) {
    return wrap(buf, offset, length, 2, 2);
  }

  /** Wraps a vector with a u8 length and u16 values (supported_versions in a ClientHello). */
  public boolean wrapU8LengthU16Values(ByteBuf buf, int offset, int length) {
    return wrap(buf, offset, length, 1, 2);
  }

  /** Wraps a vector with a u8 length and u8 values (ec_point_formats, psk_key_exchange_modes, compression). */
  public boolean wrapU8Values(ByteBuf buf, int offset, int length) {
    return wrap(buf, offset, length, 1, 1);
  }

  private boolean wrap(ByteBuf buf, int offset, int length, int prefixBytes, int width) {
    report.clear();
    clear();
    if (length < prefixBytes) {
      return report.truncated(Layer.TLS, offset, prefixBytes, length, LengthSource.OPTION_LENGTH);
    }
    int len = prefixBytes == 2 ? buf.getUnsignedShort(offset) : buf.getUnsignedByte(offset);
    if (len != length - prefixBytes || len % width != 0) {
      return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, offset);
    }
    this.buf = buf;
    this.valuesOffset = offset + prefixBytes;
    this.width = width;
    this.count = len / width;
    return true;
  }

  void clear() {
    buf = null;
    count = 0;
  }

  /** The malformation of the last wrap, or NONE. */
  public MalformationReport report() {
    return report;
  }

  /** Number of values (0 after a failed wrap). */
  public int count() {
    return count;
  }

  /** Value {@code i} (0-based, below {@link #count()}), widened to an unsigned int. */
  public int value(int i) {
    if (i < 0 || i >= count) {
      throw new IndexOutOfBoundsException(i);
    }
    // bounds: checked in wrap()
    int o = valuesOffset + i * width;
    return width == 2 ? buf.getUnsignedShort(o) : buf.getUnsignedByte(o);
  }

  /** True if some value equals {@code v}. */
  public boolean contains(int v) {
    for (int i = 0; i < count; i++) {
      if (value(i) == v) {
        return true;
      }
    }
    return false;
  }

  /** Absolute offset of the first value. */
  public int valuesOffset() {
    return valuesOffset;
  }

  /** Bytes per value: 1 or 2. */
  public int width() {
    return width;
  }
}
