package dev.wirelens.examples.audit;

import dev.wirelens.Limits;
import dev.wirelens.tcp.CloseReason;
import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.TcpConnection;
import dev.wirelens.tls.DecryptionProblem;
import dev.wirelens.tls.TlsLimit;
import dev.wirelens.tls.TlsSession;
import dev.wirelens.websocket.WebSocketSession;
import dev.wirelens.websocket.WebSocketViolation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Internal: the names under which the audit reports a cap that was hit ({@link ConnectionReport#limits()},
 * {@link AuditSummary#limits()}): each hit names exactly one cap, the one to raise, by its {@link Limits} accessor
 * (or, for a fixed cap that is not in {@code Limits}, {@code Class.NAME} of its constant). Not thread safe.
 */
final class LimitsHit {
  /** {@link Limits#maxFlows()}: a connection evicted from the full flow table. */
  static final String MAX_FLOWS = "maxFlows";
  /**
   * {@link Limits#maxBufferedBytesPerFlow()}: a hole given up as a gap because holding what follows would pass the
   * per-flow cap ({@code GapReason.FLOW_BUFFER_LIMIT}); also the cap of a stream held for late keys when it is
   * below {@link HeldStream#MAX_HELD_BYTES}.
   */
  static final String MAX_BUFFERED_PER_FLOW = "maxBufferedBytesPerFlow";
  /**
   * {@link Limits#maxBufferedBytesTotal()}: a hole given up as a gap because holding what follows would pass the
   * reassembler's total cap ({@code GapReason.TOTAL_BUFFER_LIMIT}); an IP datagram dropped for the same cap
   * ({@code FragmentEvent.TOTAL_BUFFER_LIMIT}); a stream held for late keys that passed the audit's shared budget
   * for them (a quarter of this cap, {@link CaptureKeys}).
   */
  static final String MAX_BUFFERED_TOTAL = "maxBufferedBytesTotal";
  /**
   * {@link HeldStream#MAX_HELD_BYTES}: a TLS connection of a live pcapng input stopped holding its stream for keys a
   * later Decryption Secrets Block might bring ({@link CaptureKeys}) at this fixed cap, and a block brought them: it
   * stays undecrypted. A held stream stopped by {@link #MAX_BUFFERED_PER_FLOW} (when lower) or
   * {@link #MAX_BUFFERED_TOTAL} (the shared budget) is reported under that name. Not reported when no block brings
   * the keys (a pipe without secrets is not a limit hit).
   */
  static final String MAX_HELD_BYTES = "HeldStream.MAX_HELD_BYTES";
  /**
   * {@code TlsConnectionDissector.maxHeldForServerHello(limits)} (two records of {@link Limits#maxTlsRecordLength()}, at
   * most {@link Limits#maxBufferedBytesPerFlow()}): the client sent more before the ServerHello was read, so its
   * records were read before their keys could be known ({@link DecryptionProblem#LIMIT_EXCEEDED}).
   */
  static final String MAX_HELD_FOR_SERVER_HELLO = "TlsConnectionDissector.maxHeldForServerHello";
  /** {@link Limits#maxTlsRecordLength()}: a direction stopped at a record header ({@link TlsLimit#RECORD_LENGTH}). */
  static final String MAX_TLS_RECORD = "maxTlsRecordLength";
  /**
   * {@link Limits#maxTlsHandshakeMessageLength()}: a direction stopped at a handshake message header
   * ({@link TlsLimit#HANDSHAKE_MESSAGE_LENGTH}).
   */
  static final String MAX_TLS_HANDSHAKE = "maxTlsHandshakeMessageLength";
  /** {@link Limits#maxWebSocketFrameLength()}. */
  static final String MAX_WEBSOCKET_FRAME = "maxWebSocketFrameLength";
  /** {@link Limits#maxWebSocketMessageLength()}. */
  static final String MAX_WEBSOCKET_MESSAGE = "maxWebSocketMessageLength";
  /** {@link Limits#maxInflatedLength()}: a permessage-deflate message inflated past it (a decompression bomb). */
  static final String MAX_INFLATED_LENGTH = "maxInflatedLength";
  /** {@link Limits#maxInflationRatio()}: a permessage-deflate message inflated past the ratio (a decompression bomb). */
  static final String MAX_INFLATION_RATIO = "maxInflationRatio";
  /** {@link Limits#maxIpv6ExtensionHeaders()}: packets whose chain was not walked to its end. */
  static final String MAX_IPV6_EXTENSION_HEADERS = "maxIpv6ExtensionHeaders";
  /** {@code PacketDissector.MAX_VLAN_TAGS}: packets with a deeper VLAN stack. */
  static final String MAX_VLAN_TAGS = "PacketDissector.MAX_VLAN_TAGS";
  /** {@link Limits#maxFragmentedDatagrams()}: IP datagrams in progress dropped ({@code FragmentEvent.DATAGRAM_LIMIT}). */
  static final String MAX_FRAGMENTED_DATAGRAMS = "maxFragmentedDatagrams";
  /** {@link Limits#maxCaptureBlockLength()}: a pcap record or pcapng block refused; the input ends there. */
  static final String MAX_CAPTURE_BLOCK = "maxCaptureBlockLength";
  /** {@link Limits#maxCaptureInflationRatio()}: a gzip bomb cut; the input ends there. */
  static final String MAX_CAPTURE_INFLATION = "maxCaptureInflationRatio";

  private LimitsHit() {}

  /** The caps one connection hit, with how often; empty (and shared) when none. */
  static Map<String, Long> of(TcpConnection c, TlsSession tls, WebSocketSession ws) {
    return of(c, tls, ws, 0, 0, null);
  }

  /**
   * Same, with the gaps the reassembler made for {@link Limits#maxBufferedBytesPerFlow()} and
   * {@link Limits#maxBufferedBytesTotal()}, and the cap that cost a connection its late keys (the name
   * {@link HeldStream#add} gave when it stopped holding, for keys that then came), or null.
   */
  static Map<String, Long> of(TcpConnection c, TlsSession tls, WebSocketSession ws, long flowBufferLimitGaps,
      long totalBufferLimitGaps, String lateKeysLost) {
    Map<String, Long> hit = null;
    if (lateKeysLost != null) {
      hit = add(hit, lateKeysLost, 1);
    }
    if (c.closeReason() == CloseReason.EVICTED) {
      hit = add(hit, MAX_FLOWS, 1);
    }
    if (flowBufferLimitGaps > 0) {
      hit = add(hit, MAX_BUFFERED_PER_FLOW, flowBufferLimitGaps);
    }
    if (totalBufferLimitGaps > 0) {
      hit = add(hit, MAX_BUFFERED_TOTAL, totalBufferLimitGaps);
    }
    if (tls != null) {
      for (Direction d : Direction.values()) {
        TlsLimit cap = tls.limitExceeded(d); // the cap behind a LIMIT_EXCEEDED malformation, else NONE
        if (cap == TlsLimit.RECORD_LENGTH) {
          hit = add(hit, MAX_TLS_RECORD, 1);
        } else if (cap == TlsLimit.HANDSHAKE_MESSAGE_LENGTH) {
          hit = add(hit, MAX_TLS_HANDSHAKE, 1);
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
          case INFLATED_MESSAGE_TOO_LONG:
            hit = add(hit, MAX_INFLATED_LENGTH, 1);
            break;
          case INFLATION_RATIO_EXCEEDED:
            hit = add(hit, MAX_INFLATION_RATIO, 1);
            break;
          default:
            break;
        }
      }
    }
    return hit == null ? Collections.emptyMap() : Collections.unmodifiableMap(hit);
  }

  private static Map<String, Long> add(Map<String, Long> hit, String name, long n) {
    Map<String, Long> m = hit == null ? new LinkedHashMap<>() : hit;
    m.merge(name, n, Long::sum);
    return m;
  }
}
