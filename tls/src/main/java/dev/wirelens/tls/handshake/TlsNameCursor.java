package dev.wirelens.tls.handshake;

import dev.wirelens.Layer;
import dev.wirelens.LengthSource;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.tls.ExtensionTypes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * Walks the names of a server_name or ALPN extension:
 *
 * <pre>
 * struct { NameType name_type; opaque HostName&lt;1..2^16-1&gt;; } ServerName;   // RFC 6066 §3: u8 type, u16 length
 * struct { ServerName server_name_list&lt;1..2^16-1&gt;; } ServerNameList;       // u16 length
 * opaque ProtocolName&lt;1..2^8-1&gt;;                                        // RFC 7301 §3.1: u8 length
 * struct { ProtocolName protocol_name_list&lt;2..2^16-1&gt;; } ProtocolNameList; // u16 length
 * </pre>
 *
 * {@code wrap…} checks the list length (it must equal the rest of the data; BAD_LENGTH_FIELD at the list length
 * otherwise, TRUNCATED when it is missing); empty data (a server's empty server_name acknowledgement) is an empty
 * list. {@link #next()} stops at an entry running past the list (BAD_LENGTH_FIELD at its length field, TRUNCATED
 * when its header is cut). name_type passes through (0 = host_name); ALPN entries report -1.
 *
 * <p>Lifetime: borrows the wrapped buffer; {@link #name()} is a non-retained slice. Allocation: none, except
 * {@link #name()}'s slice and {@link #nameAsString()}. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * if (extensions.seek(ExtensionTypes.APPLICATION_LAYER_PROTOCOL_NEGOTIATION) && extensions.names(names)) {
 *   while (names.next()) offered.add(names.nameAsString());
 * }
 * }</pre>
 */
public final class TlsNameCursor {
  /** name_type 0: host_name (RFC 6066 §3). */
  public static final int HOST_NAME = 0;

  private final MalformationReport report = new MalformationReport();
  private ByteBuf buf;
  private boolean serverNames;
  private int position;
  private int end;
  private int nameType = -1;
  private int nameOffset;
  private int nameLength;
  private boolean done = true;

  /** Creates an empty cursor. */
  public TlsNameCursor() {}

  /** Wraps the data of a server_name extension ({@code length} bytes at {@code offset}). */
  public boolean wrapServerNames(ByteBuf buf, int offset, int length) {
    return wrap(buf, offset, length, true);
  }

  /** Wraps the data of an application_layer_protocol_negotiation extension. */
  public boolean wrapProtocolNames(ByteBuf buf, int offset, int length) {
    return wrap(buf, offset, length, false);
  }

  private boolean wrap(ByteBuf buf, int offset, int length, boolean serverNames) {
    report.clear();
    clear();
    this.buf = buf;
    this.serverNames = serverNames;
    if (length == 0) {
      return true;
    }
    if (length < 2) {
      return report.truncated(Layer.TLS, offset, 2, length, LengthSource.OPTION_LENGTH);
    }
    if (buf.getUnsignedShort(offset) != length - 2) {
      return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, offset);
    }
    this.position = offset + 2;
    this.end = offset + length;
    this.done = false;
    return true;
  }

  void clear() {
    done = true;
    nameType = -1;
    nameLength = 0;
  }

  /** Advances to the next name; false at the end or at a bad entry ({@link #report()}). */
  public boolean next() {
    if (done || position >= end) {
      done = true;
      nameType = -1;
      return false;
    }
    int p = position;
    int header = serverNames ? 3 : 1;
    if (end - p < header) {
      done = true;
      nameType = -1;
      return report.truncated(Layer.TLS, p, header, end - p, LengthSource.OPTION_LENGTH);
    }
    int len = serverNames ? buf.getUnsignedShort(p + 1) : buf.getUnsignedByte(p);
    if (p + header + len > end) {
      done = true;
      nameType = -1;
      return report.invalid(Layer.TLS, Malformation.BAD_LENGTH_FIELD, serverNames ? p + 1 : p);
    }
    nameType = serverNames ? buf.getUnsignedByte(p) : -1;
    nameOffset = p + header;
    nameLength = len;
    position = p + header + len;
    return true;
  }

  /** The malformation of the last wrap or of the entry that stopped the walk, or NONE. */
  public MalformationReport report() {
    return report;
  }

  /** server_name: the current entry's name_type (0 host_name); ALPN: -1. */
  public int nameType() {
    return nameType;
  }

  /** Absolute offset of the current name's bytes. */
  public int nameOffset() {
    return nameOffset;
  }

  /** Length of the current name. */
  public int nameLength() {
    return nameLength;
  }

  /** The current name as a non-retained slice. */
  public ByteBuf name() {
    return nameLength == 0 ? Unpooled.EMPTY_BUFFER : buf.slice(nameOffset, nameLength);
  }

  /** The current name decoded byte-for-char (ISO-8859-1, lossless; host names and ALPN ids are ASCII). Allocates. */
  public String nameAsString() {
    return buf.toString(nameOffset, nameLength, StandardCharsets.ISO_8859_1);
  }
}
