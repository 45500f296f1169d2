package dev.wirelens.examples.cli;

import dev.wirelens.Limits;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.GapReason;
import dev.wirelens.tcp.StreamDissector;
import dev.wirelens.tcp.TcpConnection;
import dev.wirelens.tcp.TcpStreamListener;
import dev.wirelens.tls.TlsSession;
import dev.wirelens.tls.TlsTcpListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Internal: {@code flows}' TLS part. Every event goes to the {@link FlowFileWriter} (the raw streams) and to a
 * {@link TlsTcpListener} whose inner dissector appends each direction's decrypted application data to
 * {@code DIR/<id>-client.tls.bin} and {@code DIR/<id>-server.tls.bin}. Both files are created when the first
 * decrypted byte of the connection arrives (a connection that was not decrypted has none); each write opens the
 * file to append and closes it, so the number of open files stays bounded. On close, the connection's TLS facts go
 * to its index.json entry ({@code "tls"}) before the FlowFileWriter writes it.
 */
final class TlsFlowFiles implements TcpStreamListener {
  private final FlowFileWriter files;
  private final Path dir;
  private final TlsTcpListener tls;
  private final java.util.Map<Long, byte[]> leftovers = new java.util.HashMap<>();

  TlsFlowFiles(FlowFileWriter files, Path dir, TlsKeys keys) {
    this.files = files;
    this.dir = dir;
    this.tls = new TlsTcpListener(Limits.defaults(), keys.keyLog(), c -> new DecryptedFiles(files.flow(c.id())),
        null);
  }

  @Override
  public void onOpen(TcpConnection c) {
    files.onOpen(c);
    tls.onOpen(c);
  }

  @Override
  public int onData(TcpConnection c, Direction d, long streamOffset, ByteBuf data) {
    int n = data.readableBytes();
    files.onData(c, d, streamOffset, data);
    // The raw file takes every byte; the TLS dissector may leave a few first bytes undecided (it returns fewer than
    // offered): those are kept here and offered to it again in front of the next bytes.
    long key = c.id() * 2 + d.ordinal();
    byte[] left = leftovers.remove(key);
    ByteBuf in = left == null ? data.retainedSlice()
        : Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(left), data.retainedSlice());
    try {
      int used = tls.onData(c, d, streamOffset, in);
      if (used < in.readableBytes()) {
        byte[] rest = new byte[in.readableBytes() - used];
        in.getBytes(in.readerIndex() + used, rest);
        leftovers.put(key, rest);
      }
    } finally {
      in.release();
    }
    return n;
  }

  @Override
  public void onGap(TcpConnection c, Direction d, long streamOffset, long length, GapReason why) {
    files.onGap(c, d, streamOffset, length, why);
    leftovers.remove(c.id() * 2 + d.ordinal());
    tls.onGap(c, d, streamOffset, length, why);
  }

  @Override
  public void onAnalysis(TcpConnection c, Direction d, int flags) {
    files.onAnalysis(c, d, flags);
  }

  @Override
  public void onFin(TcpConnection c, Direction d) {
    files.onFin(c, d);
    tls.onFin(c, d);
  }

  @Override
  public void onClose(TcpConnection c, CloseReason why) {
    leftovers.remove(c.id() * 2);
    leftovers.remove(c.id() * 2 + 1);
    tls.onClose(c, why);
    TlsSession s = tls.takeSession(c);
    FlowFileWriter.Flow flow = files.flow(c.id());
    if (flow != null) {
      flow.tls = s;
    }
    files.onClose(c, why);
  }

  /** The inner dissector of one connection: appends decrypted bytes to its two .tls.bin files. */
  private final class DecryptedFiles implements StreamDissector {
    private final FlowFileWriter.Flow flow;

    DecryptedFiles(FlowFileWriter.Flow flow) {
      this.flow = flow;
    }

    @Override
    public int onData(Direction d, long ts, ByteBuf data) {
      if (flow == null) {
        return data.readableBytes();
      }
      if (flow.tlsFiles == null) {
        flow.tlsFiles = new String[] {flow.id + "-client.tls.bin", flow.id + "-server.tls.bin"};
        for (String f : flow.tlsFiles) {
          write(dir.resolve(f), null, StandardOpenOption.TRUNCATE_EXISTING);
        }
      }
      int i = d.ordinal();
      write(dir.resolve(flow.tlsFiles[i]), data, StandardOpenOption.APPEND);
      flow.tlsWritten[i] += data.readableBytes();
      return data.readableBytes();
    }

    private void write(Path file, ByteBuf data, StandardOpenOption mode) {
      try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
        if (data != null) {
          data.getBytes(data.readerIndex(), out, data.readableBytes());
        }
      } catch (IOException e) {
        throw new FlowFileWriter.WriteFailure(file, e);
      }
    }
  }
}
