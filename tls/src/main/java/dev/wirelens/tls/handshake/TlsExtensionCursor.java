package dev.wirelens.tls.handshake;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.tls.ExtensionTypes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Walks a block of TLS extensions (RFC 8446 §4.2, RFC 5246 §7.4.1.4): the bytes after the block's 2-byte length.
 *
 * <pre>
 * struct {
 *     ExtensionType extension_type;              // u16
 *     opaque extension_data&lt;0..2^16-1&gt;;     // u16 length, then data
 * } Extension;
 * </pre>
 *
 * Types pass through as ints ({@link ExtensionTypes} names the registered ones; {@link Grease#isGrease(int)}
 * recognises GREASE). For the current extension the cursor offers the accessors of its data: list views through
 * {@link #values(TlsValueList)} (supported_groups, signature_algorithms, signature_algorithms_cert, client
 * supported_versions, ec_point_formats, psk_key_exchange_modes), {@link #names(TlsNameCursor)} (server_name,
 * application_layer_protocol_negotiation), {@link #keyShares(KeyShareCursor)} (client key_share), and scalar
 * accessors that return -1 when the current extension is of another type or its data does not have the expected
 * shape ({@link #selectedVersion()}, {@link #keyShareGroup()}, {@link #selectedIdentity()},
 * {@link #pskIdentityCount()}, {@link #maxEarlyDataSize()}, {@link #statusType()},
 * {@link #renegotiatedConnectionLength()}, {@link #echClientHelloType()}). Presence-only extensions
 * (extended_master_secret, encrypt_then_mac, early_data in a ClientHello, an empty session_ticket) are recognised by
 * {@link #type()} and {@link #dataLength()}.
 *
 * <p>The walk stops at the end of the block or at a bad extension: fewer than 4 bytes left for a header (TRUNCATED,
 * {@link LengthSource#OPTION_LENGTH}, at the header), or a data length running past the block (BAD_LENGTH_FIELD at
 * the length field); {@link #report()} then says which. Grammar: {@code wrap (next)*}; {@link #seek(int)} restarts.
 *
 * <p>Lifetime: {@code wrap} borrows the buffer; {@link #data()} is a non-retained slice of it. Allocation: none,
 * except the slice of {@link #data()}. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * hello.extensions(cursor);
 * while (cursor.next()) {
 *   if (cursor.type() == ExtensionTypes.SERVER_NAME && cursor.names(names) && names.next()) {
 *     sni = names.nameAsString();
 *   }
 * }
 * }</pre>
 */
public final class TlsExtensionCursor {
  /**
   * 40: key_share in TLS 1.3 drafts up to -22 (now reserved, IANA, so not in {@link ExtensionTypes}); the key-share
   * accessors accept it as {@link ExtensionTypes#KEY_SHARE}. Registered extension types are in {@link ExtensionTypes}.
   */
  public static final int KEY_SHARE_DRAFT = 40;

  private final MalformationReport report = new MalformationReport();
  private ByteBuf buf;
  private int start;
  private int position;
  private int end;
  private int type = -1;
  private int offset;
  private int dataLength;
  private boolean done;

  /** Creates an empty cursor. */
  public TlsExtensionCursor() {}

  /**
   * Starts a walk over the {@code length} bytes of extensions at {@code offset} (after the block's own length
   * field). Always true: problems come from {@link #next()}.
   */
  public boolean wrap(ByteBuf buf, int offset, int length) {
    report.clear();
    this.buf = buf;
    this.start = offset;
    this.position = offset;
    this.end = offset + length;
    this.type = -1;
    this.done = buf == null || length <= 0;
    return true;
  }

  /** Advances to the next extension; false at the end or at a bad extension ({@link #report()}). */
  public boolean next() {
    if (done) {
      type = -1;
      return false;
    }
    int p = position;
    int available = end - p;
    if (available <= 0) {
      done = true;
      type = -1;
      return false;
    }
    if (available < 4) {
      return fail(report.truncated(Layer.TLS, p, 4, available, LengthSource.OPTION_LENGTH));
    }
    int len = buf.getUnsignedShort(p + 2);
    if (4 + len > available) {
      return fail(report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, p + 2));
    }
    type = buf.getUnsignedShort(p);
    offset = p;
    dataLength = len;
    position = p + 4 + len;
    return true;
  }

  /** Restarts the walk and advances to the first extension of {@code type}; false if there is none. */
  public boolean seek(int type) {
    wrap(buf, start, end - start);
    while (next()) {
      if (this.type == type) {
        return true;
      }
    }
    return false;
  }

  private boolean fail(boolean result) {
    done = true;
    type = -1;
    return result;
  }

  /** The malformation that stopped the walk, or NONE. */
  public MalformationReport report() {
    return report;
  }

  /** Bytes 0-1: extension_type of the current extension; -1 before the first or after the last. */
  public int type() {
    return type;
  }

  /** Absolute offset of the current extension's type field. */
  public int offset() {
    return offset;
  }

  /** Bytes 2-3: length of the current extension's data. */
  public int dataLength() {
    return dataLength;
  }

  /** Absolute offset of the current extension's data. */
  public int dataOffset() {
    return offset + 4;
  }

  /** The current extension's data as a non-retained slice. */
  public ByteBuf data() {
    return type < 0 ? Unpooled.EMPTY_BUFFER : buf.slice(offset + 4, dataLength);
  }

  /** The buffer being walked. */
  public ByteBuf buffer() {
    return buf;
  }

  /**
   * Wraps {@code list} over the current extension's data if it is a list of fixed-width values: supported_groups,
   * signature_algorithms and signature_algorithms_cert (u16 length, u16 values), supported_versions in a ClientHello
   * (u8 length, u16 values), ec_point_formats and psk_key_exchange_modes (u8 length, u8 values). False if the type
   * is another (the list is then empty, without malformation) or the data is malformed ({@code list.report()}).
   */
  public boolean values(TlsValueList list) {
    int o = offset + 4;
    switch (type) {
      case ExtensionTypes.SUPPORTED_GROUPS:
      case ExtensionTypes.SIGNATURE_ALGORITHMS:
      case ExtensionTypes.SIGNATURE_ALGORITHMS_CERT:
        return list.wrapU16Values(buf, o, dataLength);
      case ExtensionTypes.SUPPORTED_VERSIONS:
        return list.wrapU8LengthU16Values(buf, o, dataLength);
      case ExtensionTypes.EC_POINT_FORMATS:
      case ExtensionTypes.PSK_KEY_EXCHANGE_MODES:
        return list.wrapU8Values(buf, o, dataLength);
      default:
        list.clear();
        return false;
    }
  }

  /**
   * Wraps {@code names} over the current extension's data if it is server_name (a ServerNameList, RFC 6066 §3; empty
   * data, as a server sends, gives no names) or application_layer_protocol_negotiation (a ProtocolNameList, RFC 7301
   * §3.1). False for another type or when the list's length field is bad ({@code names.report()}).
   */
  public boolean names(TlsNameCursor names) {
    switch (type) {
      case ExtensionTypes.SERVER_NAME:
        return names.wrapServerNames(buf, offset + 4, dataLength);
      case ExtensionTypes.APPLICATION_LAYER_PROTOCOL_NEGOTIATION:
        return names.wrapProtocolNames(buf, offset + 4, dataLength);
      default:
        names.clear();
        return false;
    }
  }

  /**
   * Wraps {@code shares} over the current extension's data if it is key_share in its ClientHello form
   * (KeyShareClientHello: u16 length, then KeyShareEntry values, RFC 8446 §4.2.8). False for another type or a bad
   * list length ({@code shares.report()}).
   */
  public boolean keyShares(KeyShareCursor shares) {
    if (type != ExtensionTypes.KEY_SHARE && type != KEY_SHARE_DRAFT) {
      shares.clear();
      return false;
    }
    return shares.wrap(buf, offset + 4, dataLength);
  }

  /**
   * supported_versions in a ServerHello or HelloRetryRequest: {@code selected_version} (data bytes 0-1, data length
   * exactly 2), else -1.
   */
  public int selectedVersion() {
    return type == ExtensionTypes.SUPPORTED_VERSIONS && dataLength == 2 ? buf.getUnsignedShort(offset + 4) : -1;
  }

  /**
   * key_share in a ServerHello (KeyShareServerHello: the group of its one KeyShareEntry, whose key_exchange length
   * must fill the data) or in a HelloRetryRequest (KeyShareHelloRetryRequest: {@code selected_group}, data length
   * 2): data bytes 0-1; else -1. In a ClientHello use {@link #keyShares(KeyShareCursor)}.
   */
  public int keyShareGroup() {
    if (type != ExtensionTypes.KEY_SHARE && type != KEY_SHARE_DRAFT) {
      return -1;
    }
    int o = offset + 4;
    if (dataLength == 2) {
      return buf.getUnsignedShort(o);
    }
    if (dataLength >= 4 && 4 + buf.getUnsignedShort(o + 2) == dataLength) {
      return buf.getUnsignedShort(o);
    }
    return -1;
  }

  /** key_share in a ServerHello: the length of its key_exchange (data bytes 2-3), else -1. */
  public int keyShareKeyExchangeLength() {
    if (type != ExtensionTypes.KEY_SHARE && type != KEY_SHARE_DRAFT || dataLength < 4) {
      return -1;
    }
    int len = buf.getUnsignedShort(offset + 6);
    return 4 + len == dataLength ? len : -1;
  }

  /** pre_shared_key in a ServerHello: {@code selected_identity} (data bytes 0-1, data length exactly 2), else -1. */
  public int selectedIdentity() {
    return type == ExtensionTypes.PRE_SHARED_KEY && dataLength == 2 ? buf.getUnsignedShort(offset + 4) : -1;
  }

  /**
   * pre_shared_key in a ClientHello (OfferedPsks, RFC 8446 §4.2.11): the number of PskIdentity entries, each
   * {@code opaque identity<1..2^16-1>; uint32 obfuscated_ticket_age}; -1 for another type or when the identities or
   * binders lengths do not add up to the data.
   */
  public int pskIdentityCount() {
    if (type != ExtensionTypes.PRE_SHARED_KEY || dataLength < 2) {
      return -1;
    }
    int p = offset + 4;
    int dataEnd = p + dataLength;
    int identitiesEnd = p + 2 + buf.getUnsignedShort(p);
    if (identitiesEnd + 2 > dataEnd) {
      return -1;
    }
    int count = 0;
    p += 2;
    while (p < identitiesEnd) {
      if (p + 2 > identitiesEnd) {
        return -1;
      }
      p += 2 + buf.getUnsignedShort(p) + 4;
      if (p > identitiesEnd) {
        return -1;
      }
      count++;
    }
    int bindersLength = buf.getUnsignedShort(identitiesEnd);
    return identitiesEnd + 2 + bindersLength == dataEnd ? count : -1;
  }

  /**
   * early_data in a NewSessionTicket: {@code max_early_data_size} (data bytes 0-3, data length exactly 4); else -1
   * (in a ClientHello and EncryptedExtensions the data is empty: test {@link #type()}).
   */
  public long maxEarlyDataSize() {
    return type == ExtensionTypes.EARLY_DATA && dataLength == 4 ? buf.getUnsignedInt(offset + 4) : -1;
  }

  /**
   * status_request in a ClientHello: {@code status_type} (data byte 0; 1 = ocsp, RFC 6066 §8); -1 for another type
   * or empty data (a server's acknowledgement).
   */
  public int statusType() {
    return type == ExtensionTypes.STATUS_REQUEST && dataLength >= 1 ? buf.getUnsignedByte(offset + 4) : -1;
  }

  /**
   * renegotiation_info: the length of {@code renegotiated_connection} (data byte 0, RFC 5746 §3.2; 0 on an initial
   * handshake), -1 for another type or when it does not fill the data.
   */
  public int renegotiatedConnectionLength() {
    if (type != ExtensionTypes.RENEGOTIATION_INFO || dataLength < 1) {
      return -1;
    }
    int len = buf.getUnsignedByte(offset + 4);
    return 1 + len == dataLength ? len : -1;
  }

  /**
   * encrypted_client_hello in a ClientHello: the ECHClientHelloType (data byte 0: 0 outer, 1 inner), -1 for another
   * type or empty data.
   */
  public int echClientHelloType() {
    return type == ExtensionTypes.ENCRYPTED_CLIENT_HELLO && dataLength >= 1 ? buf.getUnsignedByte(offset + 4) : -1;
  }

  /** True if the current extension's type is a GREASE value (RFC 8701). */
  public boolean isGrease() {
    return type >= 0 && Grease.isGrease(type);
  }
}
