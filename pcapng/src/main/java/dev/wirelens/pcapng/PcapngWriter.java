package dev.wirelens.pcapng;

import dev.wirelens.pcapng.internal.Timestamps;
import io.netty.buffer.ByteBuf;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes pcapng (draft-ietf-opsawg-pcapng) in either byte order: Section Header Blocks with opt_comment,
 * shb_hardware, shb_os and shb_userappl; Interface Description Blocks with link type, snaplen, if_name,
 * if_description and if_tsresol; Enhanced Packet Blocks with epb_flags and opt_comment; Simple Packet Blocks;
 * Decryption Secrets Blocks. Every block is written whole, with 32-bit padding, options closed by opt_endofopt.
 *
 * <p>Grammar: {@code writeSectionHeader (writeInterface | writeEnhancedPacket | writeSimplePacket |
 * writeDecryptionSecrets | writeSectionHeader)* close}; a packet names an interface of the current section.
 * Misuse throws {@link IllegalStateException}/{@link IllegalArgumentException}; I/O errors become
 * {@link UncheckedIOException}.
 *
 * <p>Lifetime: packet data is read (not retained, indices untouched) during the call. Allocation: one
 * {@link ByteBuffer} per block; not meant for hot paths. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * try (PcapngWriter w = new PcapngWriter(out, true)) {
 *   w.writeSectionHeader("test capture", null, null, "wirelens");
 *   int eth = w.writeInterface(1, 262144, 9, "eth0", null);
 *   w.writeEnhancedPacket(eth, 1_700_000_000_123_456_789L, frame, frame.readableBytes(), -1, null);
 * }
 * }</pre>
 */
public final class PcapngWriter implements AutoCloseable {
  private final OutputStream out;
  private final ByteOrder order;
  private final List<Integer> tsresols = new ArrayList<>();
  private final List<Long> snapLengths = new ArrayList<>();
  private boolean inSection;
  private boolean closed;

  /** A writer to {@code out} (closed by {@link #close()}); {@code littleEndian} picks the sections' byte order. */
  public PcapngWriter(OutputStream out, boolean littleEndian) {
    this.out = Objects.requireNonNull(out, "out");
    this.order = littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
  }

  /** A little-endian writer to a new file (replaced if it exists). */
  public static PcapngWriter create(Path file) {
    try {
      return new PcapngWriter(new BufferedOutputStream(Files.newOutputStream(file)), true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a section (SHB, version 1.0, section length -1); each string option is written when not null. */
  public void writeSectionHeader(String comment, String hardware, String os, String userAppl) {
    Options o = new Options()
        .string(PcapngOptionCodes.COMMENT, comment)
        .string(PcapngOptionCodes.SHB_HARDWARE, hardware)
        .string(PcapngOptionCodes.SHB_OS, os)
        .string(PcapngOptionCodes.SHB_USERAPPL, userAppl);
    ByteBuffer b = block(PcapngBlockTypes.SECTION_HEADER, 16, o);
    b.putInt(SectionHeaderBlock.BYTE_ORDER_MAGIC).putShort((short) 1).putShort((short) 0).putLong(-1L);
    finish(b, o);
    inSection = true;
    tsresols.clear();
    snapLengths.clear();
  }

  /**
   * Declares the next interface of the section and returns its id. {@code tsresol} is the if_tsresol byte (6 = µs,
   * 9 = ns, {@code 0x80 | n} = 2^-n), or -1 to write no option (the default, µs); {@code name} and
   * {@code description} are written when not null.
   */
  public int writeInterface(int linkType, long snapLength, int tsresol, String name, String description) {
    requireSection();
    if (linkType < 0 || linkType > 0xFFFF || snapLength < 0 || snapLength > 0xFFFFFFFFL || tsresol > 0xFF) {
      throw new IllegalArgumentException("linkType, snapLength or tsresol out of range");
    }
    Options o = new Options()
        .string(PcapngOptionCodes.IF_NAME, name)
        .string(PcapngOptionCodes.IF_DESCRIPTION, description);
    if (tsresol >= 0) {
      o.bytes(PcapngOptionCodes.IF_TSRESOL, new byte[] {(byte) tsresol});
    }
    ByteBuffer b = block(PcapngBlockTypes.INTERFACE_DESCRIPTION, 8, o);
    b.putShort((short) linkType).putShort((short) 0).putInt((int) snapLength);
    finish(b, o);
    tsresols.add(tsresol < 0 ? 6 : tsresol);
    snapLengths.add(snapLength);
    return tsresols.size() - 1;
  }

  /**
   * Writes an EPB with the readable bytes of {@code data}. {@code flags} is written as epb_flags unless negative;
   * {@code comment} as opt_comment unless null. The timestamp is rounded down to the interface's resolution.
   */
  public void writeEnhancedPacket(int interfaceId, long timestampNanos, ByteBuf data, long originalLength,
      long flags, String comment) {
    requireSection();
    if (interfaceId < 0 || interfaceId >= tsresols.size()) {
      throw new IllegalArgumentException("no interface " + interfaceId + " in this section");
    }
    int n = data.readableBytes();
    Options o = new Options().string(PcapngOptionCodes.COMMENT, comment);
    if (flags >= 0) {
      ByteBuffer f = ByteBuffer.allocate(4).order(order).putInt((int) flags);
      o.bytes(PcapngOptionCodes.EPB_FLAGS, f.array());
    }
    long ts = Timestamps.fromEpochNanos(timestampNanos, tsresols.get(interfaceId));
    ByteBuffer b = block(PcapngBlockTypes.ENHANCED_PACKET, 20 + Bytes.pad4(n), o);
    b.putInt(interfaceId).putInt((int) (ts >>> 32)).putInt((int) ts).putInt(n).putInt((int) originalLength);
    putData(b, data, n);
    finish(b, o);
  }

  /** Writes an SPB (interface 0 of the section) with the readable bytes of {@code data}. */
  public void writeSimplePacket(ByteBuf data, long originalLength) {
    requireSection();
    if (tsresols.isEmpty()) {
      throw new IllegalStateException("a Simple Packet Block needs interface 0");
    }
    int n = data.readableBytes();
    Options none = new Options();
    ByteBuffer b = block(PcapngBlockTypes.SIMPLE_PACKET, 4 + Bytes.pad4(n), none);
    b.putInt((int) originalLength);
    putData(b, data, n);
    b.putInt(b.capacity());
    write(b);
  }

  /** Writes a DSB holding {@code secrets} of {@code secretsType} ({@link DecryptionSecretsTypes}). */
  public void writeDecryptionSecrets(long secretsType, byte[] secrets) {
    requireSection();
    Options none = new Options();
    ByteBuffer b = block(PcapngBlockTypes.DECRYPTION_SECRETS, 8 + Bytes.pad4(secrets.length), none);
    b.putInt((int) secretsType).putInt(secrets.length).put(secrets);
    b.position(b.position() + Bytes.pad4(secrets.length) - secrets.length);
    b.putInt(b.capacity());
    write(b);
  }

  private static void putData(ByteBuffer b, ByteBuf data, int n) {
    data.getBytes(data.readerIndex(), b.array(), b.position(), n);
    b.position(b.position() + Bytes.pad4(n));
  }

  private void requireSection() {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    if (!inSection) {
      throw new IllegalStateException("write a Section Header Block first");
    }
  }

  /** A buffer for the whole block, with type and length written. */
  private ByteBuffer block(int type, int fixedBody, Options o) {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    int total = 8 + fixedBody + o.length() + 4;
    ByteBuffer b = ByteBuffer.allocate(total).order(order);
    b.putInt(type).putInt(total);
    return b;
  }

  private void finish(ByteBuffer b, Options o) {
    o.writeTo(b);
    b.putInt(b.capacity());
    write(b);
  }

  private void write(ByteBuffer b) {
    try {
      out.write(b.array(), 0, b.capacity());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Flushes the stream. */
  public void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Flushes and closes the stream. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Collected options of one block. */
  private static final class Options {
    private final List<Integer> codes = new ArrayList<>();
    private final List<byte[]> values = new ArrayList<>();

    Options string(int code, String value) {
      return value == null ? this : bytes(code, value.getBytes(StandardCharsets.UTF_8));
    }

    Options bytes(int code, byte[] value) {
      if (value.length > 0xFFFF) {
        throw new IllegalArgumentException("option value longer than 65535 bytes");
      }
      codes.add(code);
      values.add(value);
      return this;
    }

    int length() {
      if (codes.isEmpty()) {
        return 0;
      }
      int n = 4;
      for (byte[] v : values) {
        n += 4 + Bytes.pad4(v.length);
      }
      return n;
    }

    void writeTo(ByteBuffer b) {
      if (codes.isEmpty()) {
        return;
      }
      for (int i = 0; i < codes.size(); i++) {
        byte[] v = values.get(i);
        b.putShort((short) (int) codes.get(i)).putShort((short) v.length).put(v);
        b.position(b.position() + Bytes.pad4(v.length) - v.length);
      }
      b.putInt(0);
    }
  }
}
