package dev.wirelens.examples.audit;

import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.TcpAnalysis;
import dev.wirelens.tcp.TcpConnection;
import dev.wirelens.tcp.TcpHandshake;
import dev.wirelens.tls.TlsSession;
import dev.wirelens.websocket.WebSocketSession;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;

/**
 * What the audit says of one TCP connection, as plain Java values: every field of design.md's
 * {@code audit --json} object ({@code id}, {@code client}, {@code server}, {@code start}, {@code end},
 * {@code duration_ms}, {@code tcp.*}, {@code tls}, {@code websocket}, {@code verdict}). Per-direction facts take
 * a {@link Direction}: {@code CLIENT_TO_SERVER} is what the client sent.
 *
 * <p>The client is the side that sent the SYN; without a SYN in the capture, the side that sent the first packet,
 * unless that is a well-known server port (design.md). TCP counts are those of tshark's
 * {@code tcp.analysis.*} flags and include the stray packets up to one second of capture time after the close
 * (the last ACK, an RST after the FINs).
 *
 * <p>Lifetime: a snapshot taken when the connection closed (or the capture ended); later traffic does not change
 * it. {@link #tls()} and {@link #webSocket()} are the final sessions of the connection's dissectors.
 *
 * <p>Allocation: one report per connection, made when it is delivered; {@link #start()}, {@link #end()} and
 * {@link #duration()} allocate on each call.
 *
 * <p>Thread safety: immutable once delivered.
 *
 * <pre>{@code
 * for (ConnectionReport r : Audit.builder().build().run(capture)) {
 *   System.out.println(r.id() + " " + r.server() + " " + r.verdict());
 * }
 * }</pre>
 */
public final class ConnectionReport {
  private final long id;
  private final Endpoint client;
  private final Endpoint server;
  private final long startNanos;
  private final long endNanos;
  private final TcpHandshake handshake;
  private final String close;
  private final Direction closedBy;
  private final CloseReason closeReason;
  private final long[] packets = new long[2];
  private final long[] bytes = new long[2];
  private final long[] gapCount = new long[2];
  private final long[] gapBytes = new long[2];
  private final long[] retransmissions = new long[2];
  private final long[] outOfOrder = new long[2];
  private final long[] zeroWindows = new long[2];
  private final long[] duplicateAcks = new long[2];
  private final TlsSession tls;
  private final WebSocketSession webSocket;
  private final boolean plaintextPayload;
  private final Map<String, Long> limits;
  private Verdict verdict;

  ConnectionReport(TcpConnection c, TlsSession tls, WebSocketSession webSocket, boolean plaintextPayload) {
    this(c, tls, webSocket, plaintextPayload, Collections.emptyMap());
  }

  ConnectionReport(TcpConnection c, TlsSession tls, WebSocketSession webSocket, boolean plaintextPayload,
      Map<String, Long> limits) {
    id = c.id();
    client = new Endpoint(c.clientAddressAsString(), c.clientPort());
    server = new Endpoint(c.serverAddressAsString(), c.serverPort());
    startNanos = c.firstTimestampNanos();
    endNanos = c.lastTimestampNanos();
    handshake = c.handshake();
    boolean rst = c.isRstSeen(Direction.CLIENT_TO_SERVER) || c.isRstSeen(Direction.SERVER_TO_CLIENT);
    boolean fin = c.isFinSeen(Direction.CLIENT_TO_SERVER) || c.isFinSeen(Direction.SERVER_TO_CLIENT);
    close = rst ? "rst" : fin ? "fin" : "open";
    closedBy = c.closedBy();
    closeReason = c.closeReason();
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
    this.tls = tls;
    this.webSocket = webSocket;
    this.plaintextPayload = plaintextPayload;
    this.limits = limits;
  }

  void verdict(Verdict v) {
    verdict = v;
  }

  /** {@code id}: 0-based, in order of each connection's first packet. */
  public long id() {
    return id;
  }

  /** {@code client}: the side that opened the connection (see the class comment). */
  public Endpoint client() {
    return client;
  }

  /** {@code server}: the other side. */
  public Endpoint server() {
    return server;
  }

  /** {@code start}: capture time of the first packet. */
  public Instant start() {
    return Instant.ofEpochSecond(0, startNanos);
  }

  /** {@code end}: capture time of the last packet. */
  public Instant end() {
    return Instant.ofEpochSecond(0, endNanos);
  }

  /** {@link #start()} in nanoseconds since the epoch. */
  public long startNanos() {
    return startNanos;
  }

  /** {@link #end()} in nanoseconds since the epoch. */
  public long endNanos() {
    return endNanos;
  }

  /** {@code duration_ms}: end minus start. */
  public Duration duration() {
    return Duration.ofNanos(endNanos - startNanos);
  }

  /** {@code tcp.handshake}: complete, SYN and SYN-ACK, SYN only, or missing (capture began mid-connection). */
  public TcpHandshake handshake() {
    return handshake;
  }

  /** {@code tcp.close}: "rst" when an RST was seen (it wins), else "fin" when a FIN was, else "open". */
  public String close() {
    return close;
  }

  /** {@code tcp.closed_by}: who sent the first RST, else the first FIN; null when neither. */
  public Direction closedBy() {
    return closedBy;
  }

  /** Why the reassembler closed the connection (FIN, RST, idle timeout, eviction, port reuse), or null at the end of the capture. */
  public CloseReason closeReason() {
    return closeReason;
  }

  /** {@code tcp.packets}: packets sent in {@code d}. */
  public long packets(Direction d) {
    return packets[d.ordinal()];
  }

  /** {@code tcp.bytes}: unique payload bytes delivered in order in {@code d}, gaps excluded. */
  public long bytes(Direction d) {
    return bytes[d.ordinal()];
  }

  /** {@code tcp.gaps.*.count}: gaps (bytes never captured) in {@code d}. */
  public long gapCount(Direction d) {
    return gapCount[d.ordinal()];
  }

  /** {@code tcp.gaps.*.bytes}: bytes never captured in {@code d}. */
  public long gapBytes(Direction d) {
    return gapBytes[d.ordinal()];
  }

  /** {@code tcp.retransmissions} ({@code tcp.analysis.retransmission} and its fast and spurious kinds) in {@code d}. */
  public long retransmissions(Direction d) {
    return retransmissions[d.ordinal()];
  }

  /** {@code tcp.out_of_order} ({@code tcp.analysis.out_of_order}) in {@code d}. */
  public long outOfOrder(Direction d) {
    return outOfOrder[d.ordinal()];
  }

  /** {@code tcp.zero_windows} ({@code tcp.analysis.zero_window}) in {@code d}. */
  public long zeroWindows(Direction d) {
    return zeroWindows[d.ordinal()];
  }

  /** {@code tcp.duplicate_acks} ({@code tcp.analysis.duplicate_ack}) in {@code d}. */
  public long duplicateAcks(Direction d) {
    return duplicateAcks[d.ordinal()];
  }

  /** {@code tls}: the TLS facts when the connection's first bytes were TLS, else null. */
  public TlsSession tls() {
    return tls;
  }

  /**
   * {@code websocket}: the WebSocket facts when the client sent an HTTP Upgrade (in the clear, or inside TLS that
   * was decrypted), else null.
   */
  public WebSocketSession webSocket() {
    return webSocket;
  }

  /** True when the connection carried payload that was not TLS from its first byte. */
  public boolean plaintextPayload() {
    return plaintextPayload;
  }

  /**
   * {@code limits} (written only when not empty): the caps this connection hit, with how often. Each key is exactly
   * one {@link dev.wirelens.Limits} accessor name, the setting to raise: {@code "maxFlows"} (evicted from the full
   * flow table); {@code "maxBufferedBytesPerFlow"}, {@code "maxBufferedBytesTotal"} (holes given up as gaps to stay
   * within that TCP buffer cap; also a TLS stream held for keys a later pcapng Decryption Secrets Block brought, which
   * passed that cap and stayed undecrypted); {@code "maxTlsHandshakeMessageLength"}, {@code "maxTlsRecordLength"} (a
   * direction's TLS parsing stopped); {@code "maxWebSocketFrameLength"}, {@code "maxWebSocketMessageLength"},
   * {@code "maxInflatedLength"}, {@code "maxInflationRatio"} (WebSocket violations of those caps). A fixed cap that is
   * not in {@code Limits} is named {@code Class.NAME} ({@code "HeldStream.MAX_HELD_BYTES"},
   * {@code "TlsConnectionDissector.maxHeldForServerHello"}). Unmodifiable, in the order first hit.
   */
  public Map<String, Long> limits() {
    return limits;
  }

  /** {@code verdict}: the judgement under the audit's policy. */
  public Verdict verdict() {
    return verdict;
  }

  @Override
  public String toString() {
    return "ConnectionReport{id=" + id + ", " + client + " -> " + server + ", handshake=" + handshake.jsonName()
        + ", close=" + close + ", tls=" + (tls == null ? "none" : tls.versionName()) + ", websocket="
        + (webSocket != null) + ", " + verdict + "}";
  }
}
