package dev.wirelens.benchmarks.generator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A minimal little-endian capture file writer for the generator: classic pcap (microsecond magic) or pcapng (one
 * section, one Ethernet interface with microsecond resolution, Enhanced Packet Blocks). It is written here rather
 * than taken from the pcapng module so the benchmarks' input does not depend on the code they measure.
 *
 * <pre>
 * pcap:   global header (24) | record header (16: ts_sec, ts_usec, incl_len, orig_len) frame ...
 * pcapng: SHB | IDB | EPB (28 + frame padded to 4 + 4) ...           (draft-ietf-opsawg-pcapng)
 * </pre>
 *
 * <p>Thread safety: not thread safe.
 */
public final class CaptureFileWriter implements AutoCloseable {
  /** Which file format to write. */
  public enum Format {
    /** Classic libpcap format. */
    PCAP(".pcap"),
    /** pcapng. */
    PCAPNG(".pcapng");

    private final String extension;

    Format(String extension) {
      this.extension = extension;
    }

    /** File name extension, with its dot. */
    public String extension() {
      return extension;
    }
  }

  private static final int LINKTYPE_ETHERNET = 1;
  private static final int SNAPLEN = 262144;

  private final Format format;
  private final FileChannel channel;
  private final ByteBuffer buf = ByteBuffer.allocateDirect(8 << 20).order(ByteOrder.LITTLE_ENDIAN);
  private long written;

  /** Creates (or truncates) {@code file} and writes the file header. */
  public CaptureFileWriter(Path file, Format format) throws IOException {
    this.format = format;
    this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
    if (format == Format.PCAP) {
      buf.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(SNAPLEN)
          .putInt(LINKTYPE_ETHERNET);
    } else {
      byte[] app = "wirelens-benchmarks SyntheticCapture".getBytes(StandardCharsets.US_ASCII);
      int appPadded = (app.length + 3) & ~3;
      int shbLength = 28 + 4 + appPadded + 4;
      buf.putInt(0x0A0D0D0A).putInt(shbLength).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0)
          .putLong(-1L);
      buf.putShort((short) 4).putShort((short) app.length).put(app);
      pad(app.length);
      buf.putInt(0).putInt(shbLength);
      byte[] name = "bench0".getBytes(StandardCharsets.US_ASCII);
      int idbLength = 20 + 4 + ((name.length + 3) & ~3) + 4 + 4 + 4;
      buf.putInt(1).putInt(idbLength).putShort((short) LINKTYPE_ETHERNET).putShort((short) 0).putInt(SNAPLEN);
      buf.putShort((short) 2).putShort((short) name.length).put(name);
      pad(name.length);
      buf.putShort((short) 9).putShort((short) 1).put((byte) 6).put((byte) 0).put((byte) 0).put((byte) 0);
      buf.putInt(0).putInt(idbLength);
    }
  }

  private void pad(int length) {
    for (int i = length; (i & 3) != 0; i++) {
      buf.put((byte) 0);
    }
  }

  /** Appends one frame captured whole at {@code micros} since the epoch. */
  public void write(long micros, byte[] frame, int length) throws IOException {
    if (buf.remaining() < length + 64) {
      flush();
    }
    if (format == Format.PCAP) {
      buf.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000)).putInt(length).putInt(length);
      buf.put(frame, 0, length);
    } else {
      int padded = (length + 3) & ~3;
      int total = 32 + padded;
      buf.putInt(6).putInt(total).putInt(0).putInt((int) (micros >>> 32)).putInt((int) micros).putInt(length)
          .putInt(length);
      buf.put(frame, 0, length);
      pad(length);
      buf.putInt(total);
    }
  }

  /** Bytes written to the file so far, buffered ones included. */
  public long size() {
    return written + buf.position();
  }

  private void flush() throws IOException {
    buf.flip();
    while (buf.hasRemaining()) {
      written += channel.write(buf);
    }
    buf.clear();
  }

  @Override
  public void close() throws IOException {
    try {
      flush();
    } finally {
      channel.close();
    }
  }
}
