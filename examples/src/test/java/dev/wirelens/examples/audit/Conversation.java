package dev.wirelens.examples.audit;

import dev.wirelens.link.LinkTypes;
import dev.wirelens.pcapng.PcapngWriter;
import dev.wirelens.testkit.PacketBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Test helper: writes TCP connections packet by packet (Ethernet, IPv4, TCP built by the testkit's PacketBuilder) into
 * a pcapng capture held in memory, tracking sequence numbers, so a test states what happened on the wire and audits
 * the bytes with {@link Audit#run(ByteBuf)}.
 */
final class Conversation {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PcapngWriter writer = new PcapngWriter(bytes, true);
  private final int interfaceId;

  Conversation() {
    writer.writeSectionHeader("built by Conversation (wirelens tests)", null, null, null);
    interfaceId = writer.writeInterface(LinkTypes.ETHERNET, 65535, 9, "test", null);
  }

  /** One TCP connection between two endpoints; times are nanoseconds since the epoch. */
  final class Tcp {
    private final String clientIp;
    private final int clientPort;
    private final String serverIp;
    private final int serverPort;
    private long clientSeq = 1000;
    private long serverSeq = 5000;

    Tcp(String clientIp, int clientPort, String serverIp, int serverPort) {
      this.clientIp = clientIp;
      this.clientPort = clientPort;
      this.serverIp = serverIp;
      this.serverPort = serverPort;
    }

    /** SYN, SYN-ACK, ACK at {@code t}, {@code t+1ms}, {@code t+2ms}. */
    Tcp handshake(long t) {
      client(t, PacketBuilder.SYN, new byte[0]);
      clientSeq++;
      server(t + 1_000_000, PacketBuilder.SYN | PacketBuilder.ACK, new byte[0]);
      serverSeq++;
      client(t + 2_000_000, PacketBuilder.ACK, new byte[0]);
      return this;
    }

    /** A SYN and its SYN-ACK, {@code t} and {@code t+1ms}, and no last ACK. */
    Tcp synAndSynAck(long t) {
      client(t, PacketBuilder.SYN, new byte[0]);
      clientSeq++;
      server(t + 1_000_000, PacketBuilder.SYN | PacketBuilder.ACK, new byte[0]);
      serverSeq++;
      return this;
    }

    /** Only a SYN from the client at {@code t}. */
    Tcp syn(long t) {
      client(t, PacketBuilder.SYN, new byte[0]);
      return this;
    }

    /** The client sends {@code data} at {@code t}. */
    Tcp clientSends(long t, byte[] data) {
      client(t, PacketBuilder.ACK | PacketBuilder.PSH, data);
      clientSeq += data.length;
      return this;
    }

    /** The client sends its last {@code data} again at {@code t}, with the same sequence number: a retransmission. */
    Tcp clientResends(long t, byte[] data) {
      clientSeq -= data.length;
      return clientSends(t, data);
    }

    /** The server sends {@code data} at {@code t}. */
    Tcp serverSends(long t, byte[] data) {
      server(t, PacketBuilder.ACK | PacketBuilder.PSH, data);
      serverSeq += data.length;
      return this;
    }

    Tcp clientSends(long t, String ascii) {
      return clientSends(t, ascii.getBytes(StandardCharsets.US_ASCII));
    }

    Tcp serverSends(long t, String ascii) {
      return serverSends(t, ascii.getBytes(StandardCharsets.US_ASCII));
    }

    /** FIN from the client, FIN-ACK from the server, last ACK. */
    Tcp closeByClient(long t) {
      client(t, PacketBuilder.FIN | PacketBuilder.ACK, new byte[0]);
      clientSeq++;
      server(t + 1_000_000, PacketBuilder.FIN | PacketBuilder.ACK, new byte[0]);
      serverSeq++;
      client(t + 2_000_000, PacketBuilder.ACK, new byte[0]);
      return this;
    }

    /** An RST from the server. */
    Tcp resetByServer(long t) {
      server(t, PacketBuilder.RST | PacketBuilder.ACK, new byte[0]);
      return this;
    }

    private void client(long t, int flags, byte[] payload) {
      write(t, PacketBuilder.ethernet().ipv4(clientIp, serverIp).tcp(clientPort, serverPort).seq(clientSeq)
          .ack((flags & PacketBuilder.ACK) != 0 ? serverSeq : 0).flags(flags).window(65535).payload(payload)
          .build());
    }

    private void server(long t, int flags, byte[] payload) {
      write(t, PacketBuilder.ethernet().ipv4(serverIp, clientIp).tcp(serverPort, clientPort).seq(serverSeq)
          .ack(clientSeq).flags(flags).window(65535).payload(payload).build());
    }
  }

  Tcp tcp(String clientIp, int clientPort, String serverIp, int serverPort) {
    return new Tcp(clientIp, clientPort, serverIp, serverPort);
  }

  private void write(long t, byte[] frame) {
    ByteBuf b = Unpooled.wrappedBuffer(frame);
    writer.writeEnhancedPacket(interfaceId, t, b, frame.length, -1, null);
  }

  /** The capture so far, as a buffer the caller hands to {@link Audit#run(ByteBuf)} (which releases it). */
  ByteBuf capture() {
    writer.flush();
    return Unpooled.wrappedBuffer(bytes.toByteArray());
  }

  /** Seconds as capture-time nanoseconds from a fixed day (2026-11-28T00:00:00Z). */
  static long at(double seconds) {
    return 1_795_824_000_000_000_000L + (long) (seconds * 1e9);
  }
}
