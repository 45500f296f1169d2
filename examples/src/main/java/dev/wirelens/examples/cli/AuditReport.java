package dev.wirelens.examples.cli;

import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.TcpAnalysis;
import dev.wirelens.tcp.TcpConnection;
import dev.wirelens.tls.TlsSession;

/**
 * Internal: what {@code wirelens audit} says of one TCP connection, copied from its {@link TcpConnection} when the
 * reassembler closes it (the view keeps following stray packets afterwards; the report does not). Index 0 of each
 * pair is the client (the sender of client-to-server segments), 1 the server.
 */
final class AuditReport {
  final long id;
  final String clientIp;
  final int clientPort;
  final String serverIp;
  final int serverPort;
  final long startNanos;
  final long endNanos;
  final String handshake;
  final String close;
  final String closedBy;
  final long[] packets = new long[2];
  final long[] bytes = new long[2];
  final long[] gapCount = new long[2];
  final long[] gapBytes = new long[2];
  final long[] retransmissions = new long[2];
  final long[] outOfOrder = new long[2];
  final long[] zeroWindows = new long[2];
  final long[] duplicateAcks = new long[2];
  /** The connection's TLS summary (null when it was not dissected). */
  final TlsSession tls;
  /** The WebSocket facts (null when the client sent no Upgrade), set when the report is made. */
  dev.wirelens.websocket.WebSocketSession websocket;

  AuditReport(TcpConnection c) {
    this(c, null);
  }

  AuditReport(TcpConnection c, TlsSession tls) {
    this.tls = tls;
    id = c.id();
    clientIp = c.clientAddressAsString();
    clientPort = c.clientPort();
    serverIp = c.serverAddressAsString();
    serverPort = c.serverPort();
    startNanos = c.firstTimestampNanos();
    endNanos = c.lastTimestampNanos();
    handshake = c.handshake().jsonName();
    boolean rst = c.isRstSeen(Direction.CLIENT_TO_SERVER) || c.isRstSeen(Direction.SERVER_TO_CLIENT);
    boolean fin = c.isFinSeen(Direction.CLIENT_TO_SERVER) || c.isFinSeen(Direction.SERVER_TO_CLIENT);
    close = rst ? "rst" : fin ? "fin" : "open";
    Direction by = c.closedBy();
    closedBy = by == null ? null : by == Direction.CLIENT_TO_SERVER ? "client" : "server";
    for (Direction d : Direction.values()) {
      int i = d.ordinal();
      packets[i] = c.packets(d);
      bytes[i] = c.bytes(d);
      gapCount[i] = c.gapCount(d);
      gapBytes[i] = c.gapBytes(d);
      TcpAnalysis a = c.analysis(d);
      retransmissions[i] = a.retransmissions();
      outOfOrder[i] = a.outOfOrder();
      zeroWindows[i] = a.zeroWindows();
      duplicateAcks[i] = a.duplicateAcks();
    }
  }

  /** An empty report of connection {@code id} between 0.0.0.0:0 and 0.0.0.0:0 (for tests of the ordering). */
  AuditReport(long id) {
    this.id = id;
    tls = null;
    clientIp = serverIp = "0.0.0.0";
    clientPort = serverPort = 0;
    startNanos = endNanos = 0;
    handshake = "missing";
    close = "open";
    closedBy = null;
  }

  /** {@code ip:port}, IPv6 addresses in brackets. */
  static String endpoint(String ip, int port) {
    return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
  }
}
