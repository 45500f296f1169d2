package dev.wirelens.benchmarks.floor;

import dev.wirelens.benchmarks.FiveTuple;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The floor: the least code that still does the job, written by hand over the same bytes, with no views, no
 * validation beyond what keeps it inside the buffer, and every shortcut the generated capture allows
 * (little-endian files, Ethernet link type, no VLAN tags, no IPv6 extension headers, one pcapng interface). The
 * library's paths are compared with it: they do more (they check every length, report malformations, handle every
 * link type and byte order), so the ratio to the floor is the price of that.
 *
 * <p>It reads through the same Netty {@code ByteBuf} accessors as the library, so the ratio measures the library's
 * own work and not a different way of reading memory. Every method returns a value folded from what it read, for
 * the benchmark to consume.
 *
 * <p>Allocation: none, except {@link #scanPcapFile}'s and {@link #scanPcapngFile}'s file channel. Thread safety:
 * stateless.
 */
public final class FloorWalk {
  private static final int ETHERTYPE_IPV4 = 0x0800;
  private static final int ETHERTYPE_IPV6 = 0x86DD;

  private FloorWalk() {
  }

  /** Walks the records of a little-endian pcap file in {@code buf}, touching each record header. */
  public static long scanPcap(ByteBuf buf) {
    int pos = buf.readerIndex() + 24;
    int end = buf.writerIndex();
    long acc = 0;
    while (pos + 16 <= end) {
      int capLen = buf.getIntLE(pos + 8);
      acc += buf.getIntLE(pos) + buf.getIntLE(pos + 4) + capLen;
      pos += 16 + capLen;
    }
    return acc;
  }

  /** Walks the blocks of a little-endian pcapng file in {@code buf}, touching each Enhanced Packet Block header. */
  public static long scanPcapng(ByteBuf buf) {
    int pos = buf.readerIndex();
    int end = buf.writerIndex();
    long acc = 0;
    while (pos + 12 <= end) {
      int type = buf.getIntLE(pos);
      int total = buf.getIntLE(pos + 4);
      if (type == 6) {
        acc += buf.getIntLE(pos + 12) + buf.getIntLE(pos + 16) + buf.getIntLE(pos + 20);
      }
      pos += total;
    }
    return acc;
  }

  /**
   * Reads a little-endian pcap file through {@code scratch} (a direct buffer, 1 MiB is plenty), touching each
   * record header, as {@link #scanPcap} does in memory.
   */
  public static long scanPcapFile(Path file, ByteBuffer scratch) throws IOException {
    scratch.clear().order(ByteOrder.LITTLE_ENDIAN);
    long acc = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      fill(ch, scratch, 24);
      scratch.position(24);
      while (true) {
        if (scratch.remaining() < 16 && !refill(ch, scratch, 16)) {
          break;
        }
        int pos = scratch.position();
        int capLen = scratch.getInt(pos + 8);
        acc += scratch.getInt(pos) + scratch.getInt(pos + 4) + capLen;
        if (scratch.remaining() < 16 + capLen && !refill(ch, scratch, 16 + capLen)) {
          break;
        }
        scratch.position(scratch.position() + 16 + capLen);
      }
    }
    return acc;
  }

  /** Reads a little-endian pcapng file through {@code scratch}, touching each Enhanced Packet Block header. */
  public static long scanPcapngFile(Path file, ByteBuffer scratch) throws IOException {
    scratch.clear().order(ByteOrder.LITTLE_ENDIAN);
    scratch.flip();
    long acc = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (true) {
        if (scratch.remaining() < 12 && !refill(ch, scratch, 12)) {
          break;
        }
        int pos = scratch.position();
        int type = scratch.getInt(pos);
        int total = scratch.getInt(pos + 4);
        if (scratch.remaining() < total && !refill(ch, scratch, total)) {
          break;
        }
        pos = scratch.position();
        if (type == 6) {
          acc += scratch.getInt(pos + 12) + scratch.getInt(pos + 16) + scratch.getInt(pos + 20);
        }
        scratch.position(pos + total);
      }
    }
    return acc;
  }

  /** Fills an empty buffer with at least {@code need} bytes; leaves it flipped for reading. */
  private static void fill(FileChannel ch, ByteBuffer b, int need) throws IOException {
    b.clear();
    while (b.position() < need && ch.read(b) > 0) {
      // keep reading
    }
    b.flip();
  }

  /** Moves the unread bytes to the front and reads more, until {@code need} are there; false at end of file. */
  private static boolean refill(FileChannel ch, ByteBuffer b, int need) throws IOException {
    b.compact();
    while (b.position() < need) {
      if (ch.read(b) <= 0) {
        b.flip();
        return false;
      }
    }
    b.flip();
    return true;
  }

  /**
   * Streaming decode of a little-endian Ethernet pcap file in {@code buf}: each record header, then the 5-tuple of
   * each frame by {@link #fiveTuple}.
   */
  public static long decodePcap(ByteBuf buf) {
    int pos = buf.readerIndex() + 24;
    int end = buf.writerIndex();
    long acc = 0;
    while (pos + 16 <= end) {
      int capLen = buf.getIntLE(pos + 8);
      acc = FiveTuple.add(acc, fiveTuple(buf, pos + 16, capLen));
      pos += 16 + capLen;
    }
    return acc;
  }

  /** Streaming decode of a little-endian pcapng file in {@code buf} (EPBs only), as {@link #decodePcap}. */
  public static long decodePcapng(ByteBuf buf) {
    int pos = buf.readerIndex();
    int end = buf.writerIndex();
    long acc = 0;
    while (pos + 12 <= end) {
      int type = buf.getIntLE(pos);
      int total = buf.getIntLE(pos + 4);
      if (type == 6) {
        acc = FiveTuple.add(acc, fiveTuple(buf, pos + 28, buf.getIntLE(pos + 20)));
      }
      pos += total;
    }
    return acc;
  }

  /**
   * The 5-tuple of one Ethernet frame at {@code off}, folded by {@link FiveTuple}; 0 if it is not IP. Bounds are
   * checked only as far as needed to stay inside the frame.
   */
  public static long fiveTuple(ByteBuf buf, int off, int len) {
    if (len < 14) {
      return 0;
    }
    int etherType = buf.getUnsignedShort(off + 12);
    int ip = off + 14;
    int ipLen = len - 14;
    if (etherType == ETHERTYPE_IPV4) {
      if (ipLen < 20) {
        return 0;
      }
      int ihl = (buf.getUnsignedByte(ip) & 0x0F) << 2;
      int proto = buf.getUnsignedByte(ip + 9);
      int l4 = ip + ihl;
      int ports = (proto == 6 || proto == 17) && ihl + 4 <= ipLen ? buf.getInt(l4) : 0;
      return FiveTuple.ipv4(buf.getInt(ip + 12), buf.getInt(ip + 16), proto, ports >>> 16, ports & 0xFFFF);
    } else if (etherType == ETHERTYPE_IPV6) {
      if (ipLen < 40) {
        return 0;
      }
      int proto = buf.getUnsignedByte(ip + 6);
      int ports = (proto == 6 || proto == 17) && 44 <= ipLen ? buf.getInt(ip + 40) : 0;
      return FiveTuple.ipv6(buf.getLong(ip + 8), buf.getLong(ip + 16), buf.getLong(ip + 24), buf.getLong(ip + 32),
          proto, ports >>> 16, ports & 0xFFFF);
    }
    return 0;
  }
}
