package dev.wirelens.examples.audit;

import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import dev.wirelens.MalformationReport;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.TcpConnection;
import dev.wirelens.tls.DecryptionProblem;
import dev.wirelens.tls.TlsSession;
import dev.wirelens.websocket.WebSocketSession;
import dev.wirelens.websocket.WebSocketViolation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Internal: the names under which the audit reports a cap that was hit ({@link ConnectionReport#limits()},
 * {@link AuditSummary#limits()}): the {@link Limits} accessor of the cap; two names joined by {@code /} where the
 * layer below does not say which of the two it was. Not thread safe.
 */
final class LimitsHit {
  /** {@link Limits#maxFlows()}: a connection evicted from the full flow table. */
  static final String MAX_FLOWS = "maxFlows";
  /** A hole given up as a gap because holding what follows would exceed a TCP buffer cap. */
  static final String MAX_BUFFERED_BYTES = "maxBufferedBytesPerFlow/maxBufferedBytesTotal";
  /**
   * A TLS connection of a live pcapng input had stopped holding its stream for keys a later Decryption Secrets Block
   * might bring (CaptureKeys: its own cap or the shared budget was passed) when a block brought them: it stays
   * undecrypted. Not reported when no block brings them (a pipe without secrets is not a limit hit).
   */
  static final String MAX_HELD_FOR_KEYS = "HeldStream.MAX_HELD_BYTES/maxBufferedBytesPerFlow/maxBufferedBytesTotal"
      + " (held for late keys)";
  /**
   * {@code TlsConnectionDissector.maxHeldForServerHello(limits)} (two records of {@link Limits#maxTlsRecordLength()}, at
   * most {@link Limits#maxBufferedBytesPerFlow()}): the client sent more before the ServerHello was read, so its
   * records were read before their keys could be known ({@link DecryptionProblem#LIMIT_EXCEEDED}).
   */
  static final String MAX_HELD_FOR_SERVER_HELLO = "TlsConnectionDissector.maxHeldForServerHello";
  /** {@link Limits#maxTlsRecordLength()}. */
  static final String MAX_TLS_RECORD = "maxTlsRecordLength";
  /** {@link Limits#maxTlsHandshakeMessageLength()}. */
  static final String MAX_TLS_HANDSHAKE = "maxTlsHandshakeMessageLength";
  /** {@link Limits#maxWebSocketFrameLength()}. */
  static final String MAX_WEBSOCKET_FRAME = "maxWebSocketFrameLength";
  /** {@link Limits#maxWebSocketMessageLength()}. */
  static final String MAX_WEBSOCKET_MESSAGE = "maxWebSocketMessageLength";
  /** {@link Limits#maxInflatedLength()} or {@link Limits#maxInflationRatio()} of permessage-deflate. */
  static final String MAX_INFLATED = "maxInflatedLength/maxInflationRatio";
  /** {@link Limits#maxIpv6ExtensionHeaders()}: packets whose chain was not walked to its end. */
  static final String MAX_IPV6_EXTENSION_HEADERS = "maxIpv6ExtensionHeaders";
  /** {@code PacketDissector.MAX_VLAN_TAGS}: packets with a deeper VLAN stack. */
  static final String MAX_VLAN_TAGS = "PacketDissector.MAX_VLAN_TAGS";
  /** {@link Limits#maxFragmentedDatagrams()} or {@link Limits#maxBufferedBytesTotal()}: IP datagrams dropped. */
  static final String MAX_FRAGMENTED = "maxFragmentedDatagrams/maxBufferedBytesTotal";
  /** {@link Limits#maxCaptureBlockLength()}: a pcap record or pcapng block refused; the input ends there. */
  static final String MAX_CAPTURE_BLOCK = "maxCaptureBlockLength";
  /** {@link Limits#maxCaptureInflationRatio()}: a gzip bomb cut; the input ends there. */
  static final String MAX_CAPTURE_INFLATION = "maxCaptureInflationRatio";

  private LimitsHit() {}

  /** The caps one connection hit, with how often; empty (and shared) when none. */
  static Map<String, Long> of(TcpConnection c, TlsSession tls, WebSocketSession ws, long bufferLimitGaps,
      Limits limits) {
    return of(c, tls, ws, bufferLimitGaps, false, limits);
  }

  /** Same, and whether keys came for a connection that had passed its cap for holding its stream meanwhile. */
  static Map<String, Long> of(TcpConnection c, TlsSession tls, WebSocketSession ws, long bufferLimitGaps,
      boolean lateKeysLost, Limits limits) {
    Map<String, Long> hit = null;
    if (lateKeysLost) {
      hit = add(hit, MAX_HELD_FOR_KEYS, 1);
    }
    if (c.closeReason() == CloseReason.EVICTED) {
      hit = add(hit, MAX_FLOWS, 1);
    }
    if (bufferLimitGaps > 0) {
      hit = add(hit, MAX_BUFFERED_BYTES, bufferLimitGaps);
    }
    if (tls != null) {
      for (Direction d : Direction.values()) {
        MalformationReport m = tls.malformation(d);
        if (m.malformation() == Malformation.LIMIT_EXCEEDED) {
          hit = add(hit, tlsLimit(tls, d, limits), 1);
        }
        if (tls.decryptionProblem(d) == DecryptionProblem.LIMIT_EXCEEDED) {
          hit = add(hit, MAX_HELD_FOR_SERVER_HELLO, 1);
        }
      }
    }
    if (ws != null) {
      for (WebSocketViolation v : ws.violations()) {
        switch (v.rule()) {
          case FRAME_TOO_LONG:
            hit = add(hit, MAX_WEBSOCKET_FRAME, 1);
            break;
          case MESSAGE_TOO_LONG:
            hit = add(hit, MAX_WEBSOCKET_MESSAGE, 1);
            break;
          case INFLATION_LIMIT_EXCEEDED:
            hit = add(hit, MAX_INFLATED, 1);
            break;
          default:
            break;
        }
      }
    }
    return hit == null ? Collections.emptyMap() : Collections.unmodifiableMap(hit);
  }

  /**
   * Which TLS cap stopped a direction. Both give LIMIT_EXCEEDED at layer TLS; a record over a limit at least the
   * protocol's own maximum makes the dissector take the bytes for plaintext (TlsConnectionDissector), a handshake
   * message does not.
   */
  private static String tlsLimit(TlsSession tls, Direction d, Limits limits) {
    if (limits.maxTlsRecordLength() >= Limits.DEFAULT_MAX_TLS_RECORD_LENGTH) {
      return tls.plaintextOffset(d) >= 0 ? MAX_TLS_RECORD : MAX_TLS_HANDSHAKE;
    }
    return MAX_TLS_RECORD + "/" + MAX_TLS_HANDSHAKE;
  }

  private static Map<String, Long> add(Map<String, Long> hit, String name, long n) {
    Map<String, Long> m = hit == null ? new LinkedHashMap<>() : hit;
    m.merge(name, n, Long::sum);
    return m;
  }
}
