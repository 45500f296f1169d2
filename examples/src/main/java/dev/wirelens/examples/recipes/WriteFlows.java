package dev.wirelens.examples.recipes;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.TcpConnection;
import dev.wirelens.tcp.TcpReassembler;
import dev.wirelens.tcp.TcpStreamListener;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes what each side of each TCP connection sent, reassembled in order (gaps left out), to
 * {@code DIR/<id>-client.bin} and {@code DIR/<id>-server.bin}: the core of {@code wirelens flows}.
 *
 * <pre>
 * java -cp wirelens.jar dev.wirelens.examples.recipes.WriteFlows http.pcap /tmp/flows
 * </pre>
 */
public final class WriteFlows {
  private WriteFlows() {}

  /** {@code args}: the capture and the output directory (created when missing). */
  public static void main(String[] args) throws IOException {
    Path dir = Files.createDirectories(Path.of(args[1]));
    TcpReassembler tcp = new TcpReassembler(Limits.defaults(), connection -> new TcpStreamListener() {
      private final OutputStream[] out = new OutputStream[2];

      @Override
      public int onData(TcpConnection c, Direction d, long streamOffset, ByteBuf data) {
        try {
          if (out[d.ordinal()] == null) {
            String side = d == Direction.CLIENT_TO_SERVER ? "client" : "server";
            out[d.ordinal()] = Files.newOutputStream(dir.resolve(c.id() + "-" + side + ".bin"));
          }
          data.getBytes(data.readerIndex(), out[d.ordinal()], data.readableBytes()); // borrowed: copy out now
          return data.readableBytes();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public void onClose(TcpConnection c, CloseReason why) {
        for (OutputStream o : out) {
          try {
            if (o != null) {
              o.close();
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
    });
    PacketDissector packet = new PacketDissector();
    try (CaptureReader reader = CaptureReader.open(Path.of(args[0]))) {
      while (reader.next() == DecodeStatus.FRAME) {
        packet.dissect(reader);
        tcp.onPacket(packet, reader.timestampNanos());
      }
    } finally {
      tcp.close(); // closes (and so flushes) the connections still open
    }
  }
}
