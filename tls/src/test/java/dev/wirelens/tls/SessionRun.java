package dev.wirelens.tls;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.pcapng.DecryptionSecret;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.GapReason;
import dev.wirelens.tcp.StreamDissector;
import dev.wirelens.tcp.TcpConnection;
import dev.wirelens.tcp.TcpReassembler;
import dev.wirelens.tcp.TcpStreamListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test pipeline: CaptureReader -> PacketDissector -> TcpReassembler (IP defragmentation on) -> TLS per connection,
 * with an inner dissector that hashes each direction's decrypted bytes. {@code split} feeds every TCP delivery to the
 * TLS dissector one byte at a time (honouring the consumed-bytes contract).
 */
final class SessionRun {
  /** One connection's outcome. */
  static final class Conn {
    long id;
    String client;
    TlsSession session;
    final Hashing inner = new Hashing();
  }

  /** Inner dissector: length and SHA-256 of what each direction delivered. */
  static final class Hashing implements StreamDissector {
    final MessageDigest[] md = new MessageDigest[2];
    final long[] length = new long[2];
    int gaps;

    Hashing() {
      try {
        md[0] = MessageDigest.getInstance("SHA-256");
        md[1] = MessageDigest.getInstance("SHA-256");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public int onData(Direction d, long ts, ByteBuf data) {
      byte[] b = new byte[data.readableBytes()];
      data.getBytes(data.readerIndex(), b);
      md[d.ordinal()].update(b);
      length[d.ordinal()] += b.length;
      return b.length;
    }

    @Override
    public void onGap(Direction d, long ts, long len) {
      gaps++;
    }

    String digest(Direction d) {
      StringBuilder sb = new StringBuilder();
      try {
        for (byte x : ((MessageDigest) md[d.ordinal()].clone()).digest()) {
          sb.append(String.format("%02x", x & 0xff));
        }
      } catch (CloneNotSupportedException e) {
        throw new IllegalStateException(e);
      }
      return length[d.ordinal()] + ":" + sb;
    }
  }

  /** Keys from the pcapng decryption-secrets blocks of {@code file} (a first pass). */
  static KeyLog secretsBlocks(Path file) {
    StringBuilder text = new StringBuilder();
    try (CaptureReader r = CaptureReader.open(file)) {
      DecodeStatus s;
      while ((s = r.next()) != DecodeStatus.END && s != DecodeStatus.MALFORMED) {
        // read to the end so every block is seen
      }
      for (DecryptionSecret d : r.decryptionSecrets()) {
        if (d.isTlsKeyLog()) {
          text.append(d.dataAsString()).append('\n');
        }
      }
    }
    return KeyLog.parse(text, Limits.defaults());
  }

  static List<Conn> run(Path file, TlsKeySource keys, boolean split) {
    return run(file, keys, split, Limits.defaults());
  }

  static List<Conn> run(Path file, TlsKeySource keys, boolean split, Limits limits) {
    return run(file, keys, split, limits, frame -> true);
  }

  /** As {@link #run(Path, TlsKeySource, boolean)}, dropping the frames (0-based) {@code keep} refuses. */
  static List<Conn> run(Path file, TlsKeySource keys, boolean split, Limits limits,
      java.util.function.IntPredicate keep) {
    return run(file, keys, split, limits, keep, null);
  }

  /** As above, the TLS dissectors allocating from {@code alloc} (null: their default). */
  static List<Conn> run(Path file, TlsKeySource keys, boolean split, Limits limits,
      java.util.function.IntPredicate keep, io.netty.buffer.ByteBufAllocator alloc) {
    List<Conn> out = new ArrayList<>();
    int frame = 0;
    PacketDissector dissector = new PacketDissector();
    TcpReassembler tcp = new TcpReassembler(limits, c -> new PerConnection(c, keys, split, limits, out, alloc)).defragment();
    try (CaptureReader r = CaptureReader.open(file)) {
      DecodeStatus s;
      while ((s = r.next()) != DecodeStatus.END && s != DecodeStatus.MALFORMED) {
        if (s == DecodeStatus.FRAME && keep.test(frame++)) {
          dissector.dissect(r);
          tcp.onPacket(dissector, r.timestampNanos());
        }
      }
    } finally {
      tcp.close();
    }
    out.sort((a, b) -> Long.compare(a.id, b.id));
    return out;
  }

  private static final class PerConnection implements TcpStreamListener {
    final Conn conn = new Conn();
    final TlsConnectionDissector tls;
    final boolean split;
    final List<Conn> out;
    final byte[][] pending = new byte[2][];

    PerConnection(TcpConnection c, TlsKeySource keys, boolean split, Limits limits, List<Conn> out,
        io.netty.buffer.ByteBufAllocator alloc) {
      this.split = split;
      this.out = out;
      conn.id = c.id();
      conn.client = c.clientAddressAsString() + ":" + c.clientPort();
      tls = alloc == null ? new TlsConnectionDissector(limits, keys, conn.inner)
          : new TlsConnectionDissector(limits, keys, conn.inner, alloc);
    }

    @Override
    public int onData(TcpConnection c, Direction d, long offset, ByteBuf data) {
      if (!split) {
        return tls.onData(d, c.lastTimestampNanos(), data);
      }
      // one byte at a time, each call a fresh buffer; bytes the dissector leaves are offered again with the next
      int i = d.ordinal();
      for (int k = 0; k < data.readableBytes(); k++) {
        byte[] left = pending[i] == null ? new byte[0] : pending[i];
        byte[] piece = Arrays.copyOf(left, left.length + 1);
        piece[left.length] = data.getByte(data.readerIndex() + k);
        ByteBuf view = Unpooled.wrappedBuffer(piece);
        try {
          int used = tls.onData(d, c.lastTimestampNanos(), view);
          pending[i] = used >= piece.length ? null : Arrays.copyOfRange(piece, used, piece.length);
        } finally {
          view.release();
        }
      }
      return data.readableBytes();
    }

    @Override
    public void onGap(TcpConnection c, Direction d, long offset, long length, GapReason why) {
      pending[d.ordinal()] = null;
      tls.onGap(d, c.lastTimestampNanos(), length);
    }

    @Override
    public void onFin(TcpConnection c, Direction d) {
      tls.onFin(d, c.lastTimestampNanos());
    }

    @Override
    public void onClose(TcpConnection c, CloseReason why) {
      tls.onClose(why, c.lastTimestampNanos());
      conn.session = tls.session();
      out.add(conn);
    }
  }
}
