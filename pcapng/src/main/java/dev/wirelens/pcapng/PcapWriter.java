package dev.wirelens.pcapng;

import io.netty.buffer.ByteBuf;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes classic pcap files (draft-ietf-opsawg-pcap): the 24-byte file header (version 2.4, magic for µs or ns,
 * either byte order), then one 16-byte record header plus data per packet. See {@link PcapReader} for the layout.
 *
 * <p>Grammar: {@code new (writeRecord)* close}. I/O errors become {@link UncheckedIOException}.
 *
 * <p>Lifetime: packet data is read (not retained, indices untouched) during the call. Allocation: a small header
 * array per record. Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * try (PcapWriter w = new PcapWriter(out, 1, 262144, true, true)) {
 *   w.writeRecord(1_700_000_000_123_456_789L, frame, frame.readableBytes());
 * }
 * }</pre>
 */
public final class PcapWriter implements AutoCloseable {
  private final OutputStream out;
  private final ByteOrder order;
  private final boolean nanosecond;
  private boolean closed;

  /**
   * Writes the file header to {@code out} (closed by {@link #close()}). {@code linkTypeField} is the whole 32-bit
   * field (link type, plus FCS bits if wanted).
   */
  public PcapWriter(OutputStream out, int linkTypeField, long snapLength, boolean nanosecond, boolean littleEndian) {
    this.out = Objects.requireNonNull(out, "out");
    this.order = littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    this.nanosecond = nanosecond;
    ByteBuffer h = ByteBuffer.allocate(PcapReader.HEADER_LENGTH).order(order);
    h.putInt(nanosecond ? PcapReader.MAGIC_NANOSECONDS : PcapReader.MAGIC_MICROSECONDS)
        .putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt((int) snapLength).putInt(linkTypeField);
    write(h.array());
  }

  /** A little-endian microsecond writer to a new file (replaced if it exists), snaplen 262144. */
  public static PcapWriter create(Path file, int linkType) {
    try {
      return new PcapWriter(new BufferedOutputStream(Files.newOutputStream(file)), linkType, 262144, false, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes one record with the readable bytes of {@code data}; the timestamp is rounded down to µs or ns. */
  public void writeRecord(long timestampNanos, ByteBuf data, long originalLength) {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    if (timestampNanos < 0) {
      throw new IllegalArgumentException("timestamps before 1970 cannot be written: " + timestampNanos);
    }
    int n = data.readableBytes();
    long seconds = timestampNanos / 1_000_000_000L;
    long fraction = timestampNanos % 1_000_000_000L;
    ByteBuffer h = ByteBuffer.allocate(PcapReader.RECORD_HEADER_LENGTH + n).order(order);
    h.putInt((int) seconds).putInt((int) (nanosecond ? fraction : fraction / 1000)).putInt(n)
        .putInt((int) originalLength);
    data.getBytes(data.readerIndex(), h.array(), PcapReader.RECORD_HEADER_LENGTH, n);
    write(h.array());
  }

  private void write(byte[] bytes) {
    try {
      out.write(bytes);
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
}
