package dev.wirelens.examples.cli;

import dev.wirelens.examples.audit.ConnectionReport;
import dev.wirelens.examples.audit.Endpoint;
import dev.wirelens.examples.audit.Verdict;
import dev.wirelens.tcp.Direction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;

/**
 * Internal: one {@link ConnectionReport} as design.md's JSON object (one line of {@code audit --json}): {@code id},
 * {@code client}, {@code server}, {@code start}, {@code end}, {@code duration_ms}, {@code tcp} (handshake, close,
 * closed_by, packets, bytes, gaps, retransmissions, out_of_order, zero_windows, duplicate_acks), {@code tls}
 * ({@link TlsReportJson}), {@code websocket} ({@link WebSocketReportJson}), {@code limits} (only when the connection
 * hit a cap: {@link ConnectionReport#limits()}) and {@code verdict}. Each line is flushed
 * when written.
 */
final class AuditJson {
  private final Writer out;
  private final JsonLineWriter g;

  AuditJson(Writer out) {
    this.out = out;
    g = JsonLineWriter.compact(out);
  }

  /** Duration in milliseconds with nanosecond precision, e.g. 4.464238. */
  static BigDecimal durationMillis(ConnectionReport r) {
    return BigDecimal.valueOf(r.endNanos() - r.startNanos(), 6);
  }

  /** Writes {@code r} as one line. */
  void write(ConnectionReport r) {
    g.writeStartObject();
    g.writeNumberField("id", r.id());
    endpoint("client", r.client());
    endpoint("server", r.server());
    g.writeStringField("start", IsoTimestamps.isoNanos(r.startNanos()));
    g.writeStringField("end", IsoTimestamps.isoNanos(r.endNanos()));
    g.writeFieldName("duration_ms");
    g.writeNumber(durationMillis(r));
    g.writeObjectFieldStart("tcp");
    g.writeStringField("handshake", r.handshake().jsonName());
    g.writeStringField("close", r.close());
    if (r.closedBy() == null) {
      g.writeNullField("closed_by");
    } else {
      g.writeStringField("closed_by", r.closedBy() == Direction.CLIENT_TO_SERVER ? "client" : "server");
    }
    pair("packets", r.packets(Direction.CLIENT_TO_SERVER), r.packets(Direction.SERVER_TO_CLIENT));
    pair("bytes", r.bytes(Direction.CLIENT_TO_SERVER), r.bytes(Direction.SERVER_TO_CLIENT));
    g.writeObjectFieldStart("gaps");
    for (Direction d : Direction.values()) {
      g.writeObjectFieldStart(d == Direction.CLIENT_TO_SERVER ? "client" : "server");
      g.writeNumberField("count", r.gapCount(d));
      g.writeNumberField("bytes", r.gapBytes(d));
      g.writeEndObject();
    }
    g.writeEndObject();
    pair("retransmissions", r.retransmissions(Direction.CLIENT_TO_SERVER), r.retransmissions(Direction.SERVER_TO_CLIENT));
    pair("out_of_order", r.outOfOrder(Direction.CLIENT_TO_SERVER), r.outOfOrder(Direction.SERVER_TO_CLIENT));
    pair("zero_windows", r.zeroWindows(Direction.CLIENT_TO_SERVER), r.zeroWindows(Direction.SERVER_TO_CLIENT));
    pair("duplicate_acks", r.duplicateAcks(Direction.CLIENT_TO_SERVER), r.duplicateAcks(Direction.SERVER_TO_CLIENT));
    g.writeEndObject();
    TlsReportJson.write(g, r.tls());
    WebSocketReportJson.write(g, r.webSocket());
    if (!r.limits().isEmpty()) {
      g.writeObjectFieldStart("limits");
      for (java.util.Map.Entry<String, Long> e : r.limits().entrySet()) {
        g.writeNumberField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
    }
    verdict(r.verdict());
    g.writeEndObject();
    g.writeRaw('\n');
    try {
      g.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void verdict(Verdict v) {
    g.writeObjectFieldStart("verdict");
    g.writeBooleanField("encrypted", v.encrypted());
    g.writeBooleanField("stable", v.stable());
    g.writeArrayFieldStart("reasons");
    for (String reason : v.reasons()) {
      g.writeString(reason);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private void endpoint(String field, Endpoint e) {
    g.writeObjectFieldStart(field);
    g.writeStringField("ip", e.ip());
    g.writeNumberField("port", e.port());
    g.writeEndObject();
  }

  /** {@code "field": {"client": n, "server": n}} (values passed, not method references: each is a class at start-up). */
  private void pair(String field, long client, long server) {
    g.writeObjectFieldStart(field);
    g.writeNumberField("client", client);
    g.writeNumberField("server", server);
    g.writeEndObject();
  }

  /** Flushes the writer. */
  void end() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
