package dev.wirelens.tcp;

import dev.wirelens.packet.PacketDissector;
import dev.wirelens.testkit.BufferShape;
import dev.wirelens.testkit.PacketBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Builds and feeds packets of one TCP connection between a client and a server (IPv4 over Ethernet). */
final class Traffic {
  static final int SYN = PacketBuilder.SYN, ACK = PacketBuilder.ACK, FIN = PacketBuilder.FIN,
      RST = PacketBuilder.RST, PSH = PacketBuilder.PSH;

  final TcpReassembler reassembler;
  final PacketDissector dissector = new PacketDissector();
  String client = "10.0.0.1";
  String server = "10.0.0.2";
  int clientPort = 40000;
  int serverPort = 80;
  long time = 1_000_000_000L;

  Traffic(TcpReassembler reassembler) {
    this.reassembler = reassembler;
  }

  /** A frame from the client (toServer) or the server. */
  byte[] frame(boolean toServer, long seq, long ack, int flags, int window, byte[] payload) {
    PacketBuilder b = PacketBuilder.ethernet();
    if (toServer) {
      b.ipv4(client, server).tcp(clientPort, serverPort);
    } else {
      b.ipv4(server, client).tcp(serverPort, clientPort);
    }
    return b.seq(seq & 0xffffffffL).ack(ack & 0xffffffffL).flags(flags).window(window).payload(payload).build();
  }

  boolean feed(byte[] frame) {
    return feed(frame, frame.length);
  }

  /** Feeds the first {@code captured} bytes of {@code frame} (a snap length cut), one millisecond after the last. */
  boolean feed(byte[] frame, int captured) {
    return feed(Unpooled.wrappedBuffer(frame, 0, captured));
  }

  /** Feeds {@code frame} in the given buffer shape. */
  boolean feed(byte[] frame, BufferShape shape) {
    return feed(shape.wrap(frame));
  }

  private boolean feed(ByteBuf buf) {
    try {
      dissector.dissect(buf, 1);
      time += 1_000_000L;
      return reassembler.onPacket(dissector, time);
    } finally {
      buf.release();
    }
  }

  boolean send(boolean toServer, long seq, long ack, int flags, byte[] payload) {
    return feed(frame(toServer, seq, ack, flags, 65535, payload));
  }

  boolean send(boolean toServer, long seq, long ack, int flags) {
    return send(toServer, seq, ack, flags, new byte[0]);
  }

  /** SYN, SYN-ACK, ACK with client ISN {@code c} and server ISN {@code s}. */
  void handshake(long c, long s) {
    send(true, c, 0, SYN);
    send(false, s, c + 1, SYN | ACK);
    send(true, c + 1, s + 1, ACK);
  }
}
