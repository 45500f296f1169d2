package dev.wirelens.examples.cli;

import dev.wirelens.tcp.Direction;
import dev.wirelens.websocket.WebSocketOpcodes;
import dev.wirelens.websocket.WebSocketSession;
import dev.wirelens.websocket.WebSocketViolation;
import java.math.BigDecimal;

/**
 * Internal: the audit's {@code websocket} object (design.md, "The wirelens command line") and its table cell.
 *
 * <pre>
 * "websocket": {"path", "host", "subprotocol", "extensions": [...], "accept_valid", "upgrade_status",
 *   "frames": {"client": {"text": n, ...}, "server": {...}}, "messages": {"client": n, "server": n},
 *   "compressed_frames": n, "close": null | {"code", "reason", "initiator", "abnormal"},
 *   "ping_rtt_ms": {"count", "max", "median"}, "violations": [{"from", "rule", "frame"}]}
 * </pre>
 *
 * {@code websocket} is null when the client sent no HTTP Upgrade to WebSocket. A refused upgrade gives the object
 * with its {@code upgrade_status} (not 101) and no frames. Opcodes never seen are omitted from {@code frames};
 * unknown ones appear as {@code opcode_N}. {@code close.abnormal} (an addition) is true when TCP ended without a close
 * frame, reported as code 1006; {@code frame} is the 0-based index of the frame among its sender's frames.
 */
final class WebSocketReportJson {
  private WebSocketReportJson() {}

  /** Writes the {@code "websocket"} field: null or the object. */
  static void write(JsonLineWriter g, WebSocketSession s) {
    if (s == null) {
      g.writeNullField("websocket");
      return;
    }
    g.writeObjectFieldStart("websocket");
    string(g, "path", s.path());
    string(g, "host", s.host());
    string(g, "subprotocol", s.subprotocol());
    g.writeArrayFieldStart("extensions");
    for (String e : s.extensions()) {
      g.writeString(e);
    }
    g.writeEndArray();
    g.writeBooleanField("accept_valid", s.acceptValid());
    if (s.upgradeStatus() < 0) {
      g.writeNullField("upgrade_status");
    } else {
      g.writeNumberField("upgrade_status", s.upgradeStatus());
    }
    g.writeObjectFieldStart("frames");
    for (Direction d : Direction.values()) {
      g.writeObjectFieldStart(side(d));
      for (int op = 0; op < 16; op++) {
        long n = s.frames(d, op);
        if (n > 0) {
          g.writeNumberField(WebSocketOpcodes.nameOf(op), n);
        }
      }
      g.writeEndObject();
    }
    g.writeEndObject();
    g.writeObjectFieldStart("messages");
    g.writeNumberField("client", s.messages(Direction.CLIENT_TO_SERVER));
    g.writeNumberField("server", s.messages(Direction.SERVER_TO_CLIENT));
    g.writeEndObject();
    g.writeNumberField("compressed_frames", s.compressedFrames());
    if (!s.isClosed()) {
      g.writeNullField("close");
    } else {
      g.writeObjectFieldStart("close");
      if (s.closeCode() == null) {
        g.writeNullField("code");
      } else {
        g.writeNumberField("code", s.closeCode());
      }
      g.writeStringField("reason", s.closeReason());
      string(g, "initiator", s.closeInitiator() == null ? null : side(s.closeInitiator()));
      g.writeBooleanField("abnormal", s.closeAbnormal());
      g.writeEndObject();
    }
    g.writeObjectFieldStart("ping_rtt_ms");
    g.writeNumberField("count", s.pingRttCount());
    millis(g, "max", s.pingRttMaxNanos());
    millis(g, "median", s.pingRttMedianNanos());
    g.writeEndObject();
    g.writeArrayFieldStart("violations");
    for (WebSocketViolation v : s.violations()) {
      g.writeStartObject();
      g.writeStringField("from", side(v.from()));
      g.writeStringField("rule", v.rule().ruleName());
      g.writeNumberField("frame", v.frameIndex());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** The table's WebSocket cell: {@code -}, {@code refused 403}, or {@code 12/10 msgs close 1000 by client 0 viol}. */
  static String cell(WebSocketSession s) {
    if (s == null) {
      return "-";
    }
    if (!s.isWebSocket()) {
      return s.upgradeStatus() < 0 ? "no response" : "refused " + s.upgradeStatus();
    }
    String close = !s.isClosed() ? "open"
        : s.closeAbnormal() ? "abnormal" : "close " + (s.closeCode() == null ? "-" : s.closeCode())
            + (s.closeInitiator() == null ? "" : " by " + side(s.closeInitiator()));
    return s.messages(Direction.CLIENT_TO_SERVER) + "/" + s.messages(Direction.SERVER_TO_CLIENT) + " msgs " + close
        + " " + (s.violations().size() + s.droppedViolations()) + " viol";
  }

  private static String side(Direction d) {
    return d == Direction.CLIENT_TO_SERVER ? "client" : "server";
  }

  private static void string(JsonLineWriter g, String field, String value) {
    if (value == null) {
      g.writeNullField(field);
    } else {
      g.writeStringField(field, value);
    }
  }

  private static void millis(JsonLineWriter g, String field, long nanos) {
    if (nanos < 0) {
      g.writeNullField(field);
    } else {
      g.writeFieldName(field);
      g.writeNumber(BigDecimal.valueOf(nanos, 6));
    }
  }
}
