package dev.wirelens.examples.cli;

import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.GapReason;
import dev.wirelens.tcp.TcpConnection;
import dev.wirelens.tcp.TcpStreamListener;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Internal: the {@link TcpStreamListener} of {@code wirelens flows}. It writes each direction's delivered bytes
 * straight to {@code DIR/<id>-client.bin} or {@code DIR/<id>-server.bin} (nothing is buffered here: a write goes
 * to the file channel during {@code onData}), skips gaps, and hands each connection to the {@link FlowIndexWriter}
 * when it closes.
 *
 * <p>Open files are bounded: at most {@code maxOpenFiles} channels are open at once, kept in least-recently-written
 * order; writing to a file whose channel was closed to make room reopens it in append mode. A connection's two
 * channels are closed when it closes. Per open connection (at most {@code Limits.maxFlows()}, as in the
 * reassembler) this class keeps its endpoints, counters and up to {@link #MAX_LISTED_GAPS} gaps per direction,
 * {@link #MAX_LISTED_GAPS_OPEN} over all open connections.
 *
 * <p>An I/O error while writing becomes a {@link WriteFailure} (unchecked, so it passes through the reassembler).
 */
final class FlowFileWriter implements TcpStreamListener {
  /** Gaps listed per direction in index.json; more are counted but not listed ({@code list_truncated}). */
  static final int MAX_LISTED_GAPS = 1000;
  /**
   * Gaps held for listing over all open connections at once (32 bytes each); beyond it, new gaps are counted but
   * not listed, so many connections full of holes cannot grow the heap past a few megabytes.
   */
  static final int MAX_LISTED_GAPS_OPEN = 100_000;

  /** A write to a flow file or the index failed: names the file; the cause is the I/O error. */
  static final class WriteFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Path file;

    WriteFailure(Path file, IOException cause) {
      super(cause);
      this.file = file;
    }
  }

  /** One direction of a connection: its file and counters. */
  static final class Side {
    final Path path;
    final String fileName;
    long written;
    long packets;
    boolean fin;
    long gapCount;
    long gapBytes;
    /** Listed gaps as (stream offset, file offset, length, GapReason ordinal) quadruples. */
    long[] gaps = new long[0];
    int listedGaps;

    Side(Path dir, String fileName) {
      this.path = dir.resolve(fileName);
      this.fileName = fileName;
    }

    /** Counts a gap; lists it if this side and the whole writer still may ({@code budget}); returns if listed. */
    boolean gap(long offset, long length, GapReason why, boolean budget) {
      gapCount++;
      gapBytes += length;
      // Only a prefix is listed: once a gap is left out, later ones are too.
      if (budget && listedGaps < MAX_LISTED_GAPS && listedGaps == gapCount - 1) {
        if (4 * listedGaps == gaps.length) {
          gaps = Arrays.copyOf(gaps, Math.max(16, gaps.length * 2));
        }
        gaps[4 * listedGaps] = offset;
        gaps[4 * listedGaps + 1] = written;
        gaps[4 * listedGaps + 2] = length;
        gaps[4 * listedGaps + 3] = why.ordinal();
        listedGaps++;
        return true;
      }
      return false;
    }
  }

  /** What index.json says of one connection; filled when it opens and when it closes. */
  static final class Flow {
    final long id;
    final int ipVersion;
    final String clientIp;
    final int clientPort;
    final String serverIp;
    final int serverPort;
    final long startNanos;
    final Side toServer;
    final Side toClient;
    long endNanos;
    String handshake;
    String close;
    String closeReason;
    String closedBy;
    /** The connection's TLS summary (flows with TLS dissection), or null. */
    dev.wirelens.tls.TlsSession tls;
    /** The decrypted-data files (client, server) once a byte was decrypted, else null. */
    String[] tlsFiles;
    /** Decrypted bytes written per direction. */
    final long[] tlsWritten = new long[2];

    Flow(TcpConnection c, Path dir) {
      this.id = c.id();
      this.ipVersion = c.ipVersion();
      this.clientIp = c.clientAddressAsString();
      this.clientPort = c.clientPort();
      this.serverIp = c.serverAddressAsString();
      this.serverPort = c.serverPort();
      this.startNanos = c.firstTimestampNanos();
      this.toServer = new Side(dir, c.id() + "-client.bin");
      this.toClient = new Side(dir, c.id() + "-server.bin");
    }

    Side side(Direction d) {
      return d == Direction.CLIENT_TO_SERVER ? toServer : toClient;
    }
  }

  private final Path dir;
  private final FlowIndexWriter index;
  private final int maxOpenFiles;
  private final Map<Long, Flow> open = new java.util.HashMap<>();
  /** Open channels, least recently written first. */
  private final LinkedHashMap<Side, FileChannel> channels = new LinkedHashMap<>(16, 0.75f, true);
  private long bytesWritten;
  private int listedGapsOpen;

  FlowFileWriter(Path dir, FlowIndexWriter index, int maxOpenFiles) {
    if (maxOpenFiles < 1) {
      throw new IllegalArgumentException("maxOpenFiles must be at least 1: " + maxOpenFiles);
    }
    this.dir = dir;
    this.index = index;
    this.maxOpenFiles = maxOpenFiles;
  }

  /** The name index.json uses for a gap reason: the enum's name in lower case. */
  static String gapReasonName(int ordinal) {
    return GapReason.values()[ordinal].name().toLowerCase(Locale.ROOT);
  }

  /** The open connection {@code id}, or null. */
  Flow flow(long id) {
    return open.get(id);
  }

  /** Stream bytes written to all files so far. */
  long bytesWritten() {
    return bytesWritten;
  }

  /** Open channels now (at most maxOpenFiles). */
  int openFiles() {
    return channels.size();
  }

  @Override
  public void onOpen(TcpConnection connection) {
    Flow flow = new Flow(connection, dir);
    open.put(connection.id(), flow);
    // Both files exist from the start, empty until bytes arrive, so index.json never names a missing file.
    create(flow.toServer);
    create(flow.toClient);
  }

  @Override
  public int onData(TcpConnection connection, Direction direction, long streamOffset, ByteBuf data) {
    Side side = open.get(connection.id()).side(direction);
    FileChannel ch = channel(side);
    int index = data.readerIndex();
    int left = data.readableBytes();
    try {
      while (left > 0) {
        int n = data.getBytes(index, ch, left);
        index += n;
        left -= n;
      }
    } catch (IOException e) {
      throw new WriteFailure(side.path, e);
    }
    side.written += data.readableBytes();
    bytesWritten += data.readableBytes();
    return data.readableBytes();
  }

  @Override
  public void onGap(TcpConnection connection, Direction direction, long streamOffset, long length, GapReason why) {
    if (open.get(connection.id()).side(direction).gap(streamOffset, length, why,
        listedGapsOpen < MAX_LISTED_GAPS_OPEN)) {
      listedGapsOpen++;
    }
  }

  @Override
  public void onFin(TcpConnection connection, Direction direction) {
    open.get(connection.id()).side(direction).fin = true;
  }

  @Override
  public void onClose(TcpConnection connection, CloseReason why) {
    Flow flow = open.remove(connection.id());
    listedGapsOpen -= flow.toServer.listedGaps + flow.toClient.listedGaps;
    release(flow.toServer);
    release(flow.toClient);
    flow.endNanos = connection.lastTimestampNanos();
    flow.handshake = connection.handshake().jsonName();
    boolean rst = connection.isRstSeen(Direction.CLIENT_TO_SERVER) || connection.isRstSeen(Direction.SERVER_TO_CLIENT);
    boolean fin = connection.isFinSeen(Direction.CLIENT_TO_SERVER) || connection.isFinSeen(Direction.SERVER_TO_CLIENT);
    flow.close = rst ? "rst" : fin ? "fin" : "open";
    flow.closeReason = why.name().toLowerCase(Locale.ROOT);
    Direction by = connection.closedBy();
    flow.closedBy = by == null ? null : by == Direction.CLIENT_TO_SERVER ? "client" : "server";
    flow.toServer.packets = connection.packets(Direction.CLIENT_TO_SERVER);
    flow.toClient.packets = connection.packets(Direction.SERVER_TO_CLIENT);
    try {
      index.connection(flow);
    } catch (IOException e) {
      throw new WriteFailure(index.file(), e);
    }
  }

  private void create(Side side) {
    try {
      FileChannel ch = FileChannel.open(side.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
      remember(side, ch);
    } catch (IOException e) {
      throw new WriteFailure(side.path, e);
    }
  }

  /** The side's open channel, reopened for appending if it was closed to make room. */
  private FileChannel channel(Side side) {
    FileChannel ch = channels.get(side); // also marks it most recently used
    if (ch != null) {
      return ch;
    }
    try {
      ch = FileChannel.open(side.path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new WriteFailure(side.path, e);
    }
    remember(side, ch);
    return ch;
  }

  private void remember(Side side, FileChannel ch) {
    while (channels.size() >= maxOpenFiles) {
      Iterator<Map.Entry<Side, FileChannel>> eldest = channels.entrySet().iterator();
      Map.Entry<Side, FileChannel> e = eldest.next();
      eldest.remove();
      closeChannel(e.getKey(), e.getValue());
    }
    channels.put(side, ch);
  }

  private void release(Side side) {
    FileChannel ch = channels.remove(side);
    if (ch != null) {
      closeChannel(side, ch);
    }
  }

  private static void closeChannel(Side side, FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      throw new WriteFailure(side.path, e);
    }
  }

  /** Closes every channel still open (after a failure; normally the reassembler's close closed them). */
  void closeAll() {
    for (FileChannel ch : channels.values()) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // already failing: the first error is the one reported
      }
    }
    channels.clear();
    open.clear();
  }
}
