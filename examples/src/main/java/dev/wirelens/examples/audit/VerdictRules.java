package dev.wirelens.examples.audit;

import dev.wirelens.tcp.Direction;
import dev.wirelens.tcp.TcpHandshake;
import dev.wirelens.tls.TlsAlert;
import dev.wirelens.tls.TlsSession;
import dev.wirelens.tls.TlsVersions;
import dev.wirelens.tls.x509.CertificateSummary;
import dev.wirelens.websocket.WebSocketSession;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Internal: {@link AuditPolicy}'s rules applied to one report; the reasons are the policy's documented sentences. */
final class VerdictRules {
  private VerdictRules() {}

  static Verdict judge(ConnectionReport r, String stormReason, AuditPolicy p) {
    String c = "connection " + r.id() + ": ";
    List<String> reasons = new ArrayList<>();
    boolean encrypted = true;
    if (p.watches(r.server().port())) {
      int before = reasons.size();
      encryption(r, c, p, reasons);
      encrypted = reasons.size() == before;
    }
    int before = reasons.size();
    stability(r, c, stormReason, p, reasons);
    boolean stable = reasons.size() == before;
    return new Verdict(encrypted, stable, reasons);
  }

  private static void encryption(ConnectionReport r, String c, AuditPolicy p, List<String> reasons) {
    TlsSession tls = r.tls();
    if (r.plaintextPayload() || (tls != null && tls.plaintextApplicationData())) {
      reasons.add(c + "plaintext application data on port " + r.server().port());
    }
    if (tls == null) {
      return;
    }
    int v = tls.version();
    if (v >= 0 && v < p.minimumTlsVersion()) {
      reasons.add(c + tls.versionName() + " below the minimum " + TlsVersions.nameOf(p.minimumTlsVersion()));
    }
    if (tls.certificates().isEmpty()) {
      return;
    }
    CertificateSummary leaf = tls.certificates().get(0);
    if (leaf.isMalformed()) {
      reasons.add(c + "server certificate cannot be read (" + leaf.problem() + ")");
      return;
    }
    String sni = tls.sni();
    if (sni != null && !leaf.matchesHostName(sni)) {
      reasons.add(c + "certificate for " + certificateName(leaf) + " does not name " + sni);
    }
    Instant at = r.start();
    if (leaf.notAfter() != null && at.isAfter(leaf.notAfter())) {
      reasons.add(c + "certificate expired at capture time");
    } else if (leaf.notBefore() != null && at.isBefore(leaf.notBefore())) {
      reasons.add(c + "certificate not yet valid at capture time");
    }
  }

  /** The name a certificate is for: its first DNS name, else its subject's common name, else its subject. */
  private static String certificateName(CertificateSummary leaf) {
    if (!leaf.dnsNames().isEmpty()) {
      return leaf.dnsNames().get(0);
    }
    return leaf.subjectCommonName() != null ? leaf.subjectCommonName() : leaf.subject();
  }

  private static void stability(ConnectionReport r, String c, String storm, AuditPolicy p, List<String> reasons) {
    if (r.handshake() == TcpHandshake.SYN_ONLY) {
      reasons.add(c + "SYN not answered");
    } else if (r.handshake() == TcpHandshake.SYN_SYNACK) {
      reasons.add(c + "TCP handshake not completed (no ACK of the SYN-ACK)");
    }
    if ("rst".equals(r.close())) {
      reasons.add(c + "reset by " + side(r.closedBy()));
    }
    TlsSession tls = r.tls();
    if (tls != null) {
      for (TlsAlert a : tls.alerts()) {
        if (a.level() == 2) {
          reasons.add(c + "fatal TLS alert " + (a.name() != null ? a.name() : String.valueOf(a.description()))
              + " from " + side(a.from()));
          break;
        }
      }
    }
    WebSocketSession ws = r.webSocket();
    if (ws != null && !ws.isWebSocket() && ws.upgradeStatus() >= 0) {
      reasons.add(c + "WebSocket upgrade refused (HTTP " + ws.upgradeStatus() + ")");
    }
    if (ws != null && ws.isWebSocket()) {
      if (ws.closeAbnormal()) {
        reasons.add(c + "WebSocket ended without a close frame (" + WebSocketSession.ABNORMAL_CLOSURE + ")");
      } else if (ws.isClosed() && ws.closeCode() != null && !p.normalCloseCodes().contains(ws.closeCode())) {
        reasons.add(c + "WebSocket closed with code " + ws.closeCode()
            + (ws.closeInitiator() == null ? "" : " by " + side(ws.closeInitiator())));
      }
      long unanswered = ws.unansweredPings();
      if (unanswered > 0) {
        reasons.add(c + unanswered + (unanswered == 1 ? " ping" : " pings") + " unanswered");
      }
      long timeout = p.pingAnswerTimeout().toNanos();
      if (ws.pingRttMaxNanos() > timeout) {
        reasons.add(c + "a pong came after " + seconds(ws.pingRttMaxNanos()) + ", later than the "
            + seconds(timeout) + " ping timeout");
      }
    }
    long packets = r.packets(Direction.CLIENT_TO_SERVER) + r.packets(Direction.SERVER_TO_CLIENT);
    long retransmitted = r.retransmissions(Direction.CLIENT_TO_SERVER) + r.retransmissions(Direction.SERVER_TO_CLIENT);
    if (packets >= p.minPacketsForRetransmissionShare() && packets > 0
        && (double) retransmitted / packets > p.maxRetransmissionShare()) {
      reasons.add(c + retransmitted + " of " + packets + " packets retransmitted (" + percent((double) retransmitted
          / packets) + ", more than " + percent(p.maxRetransmissionShare()) + ")");
    }
    if (storm != null) {
      reasons.add(storm);
    }
  }

  private static String side(Direction d) {
    return d == null ? "unknown" : d == Direction.CLIENT_TO_SERVER ? "client" : "server";
  }

  private static String seconds(long nanos) {
    return BigDecimal.valueOf(nanos, 9).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString()
        + " s";
  }

  private static String percent(double share) {
    return BigDecimal.valueOf(share * 100).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString()
        + "%";
  }
}
