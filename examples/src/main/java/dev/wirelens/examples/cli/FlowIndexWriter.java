package dev.wirelens.examples.cli;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Internal: writes {@code index.json} of {@code wirelens flows} as a stream (the schema is in {@link FlowsCommand}):
 * the header when created, one connection object each time a connection closes ({@link #connection}, flushed to the
 * file at once), and the trailer ({@link #finish}) when the input ended, normally or not. Nothing but the JSON
 * generator's small buffer is held in memory.
 */
final class FlowIndexWriter implements Closeable {
  /** Version of the index.json schema; raised when a field changes meaning or disappears. */
  static final int FORMAT_VERSION = 1;

  private final Path file;
  private final OutputStream out;
  private final JsonLineWriter json;
  private long connections;
  private boolean finished;

  /** Creates (or truncates) {@code file} and writes the header naming {@code capture}. */
  FlowIndexWriter(Path file, String capture) throws IOException {
    this.file = file;
    this.out = Files.newOutputStream(file);
    // pretty-printed UTF-8, as Jackson's UTF8JsonGenerator with its DefaultPrettyPrinter wrote it (JsonLineWriter)
    JsonLineWriter g = JsonLineWriter.pretty(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    try {
      g.writeStartObject();
      g.writeStringField("format", "wirelens-flows");
      g.writeNumberField("format_version", FORMAT_VERSION);
      g.writeStringField("capture", capture);
      g.writeArrayFieldStart("connections");
      g.flush();
    } catch (IOException | RuntimeException e) {
      out.close();
      throw e;
    }
    this.json = g;
  }

  /** The index file. */
  Path file() {
    return file;
  }

  /** Connections written so far. */
  long connections() {
    return connections;
  }

  /** Appends one closed connection and flushes it to the file. */
  void connection(FlowFileWriter.Flow flow) throws IOException {
    JsonLineWriter g = json;
    g.writeStartObject();
    g.writeNumberField("id", flow.id);
    endpoint(g, "client", flow.clientIp, flow.clientPort);
    endpoint(g, "server", flow.serverIp, flow.serverPort);
    g.writeNumberField("ip_version", flow.ipVersion);
    g.writeStringField("start", IsoTimestamps.isoNanos(flow.startNanos));
    g.writeStringField("end", IsoTimestamps.isoNanos(flow.endNanos));
    g.writeStringField("handshake", flow.handshake);
    g.writeStringField("close", flow.close);
    g.writeStringField("close_reason", flow.closeReason);
    if (flow.closedBy == null) {
      g.writeNullField("closed_by");
    } else {
      g.writeStringField("closed_by", flow.closedBy);
    }
    g.writeObjectFieldStart("streams");
    stream(g, "client", flow.toServer);
    stream(g, "server", flow.toClient);
    g.writeEndObject();
    tls(g, flow);
    g.writeEndObject();
    g.flush();
    connections++;
  }

  /**
   * {@code "tls"}: null when the connection is not TLS, else {@code {"version", "cipher_suite", "sni", "decrypted",
   * "client": {"file", "bytes"}, "server": {...}}}; file is the decrypted application data ({@code <id>-client.tls.bin})
   * or null when nothing was decrypted.
   */
  private static void tls(JsonLineWriter g, FlowFileWriter.Flow flow) throws IOException {
    dev.wirelens.tls.TlsSession s = flow.tls;
    if (s == null || !s.isTls()) {
      g.writeNullField("tls");
      return;
    }
    g.writeObjectFieldStart("tls");
    nullable(g, "version", s.versionName());
    nullable(g, "cipher_suite", s.cipherSuiteName());
    nullable(g, "sni", s.sni());
    g.writeBooleanField("decrypted", flow.tlsFiles != null);
    for (int i = 0; i < 2; i++) {
      g.writeObjectFieldStart(i == 0 ? "client" : "server");
      nullable(g, "file", flow.tlsFiles == null ? null : flow.tlsFiles[i]);
      g.writeNumberField("bytes", flow.tlsWritten[i]);
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static void nullable(JsonLineWriter g, String field, String value) throws IOException {
    if (value == null) {
      g.writeNullField(field);
    } else {
      g.writeStringField(field, value);
    }
  }

  private static void endpoint(JsonLineWriter g, String name, String ip, int port) throws IOException {
    g.writeObjectFieldStart(name);
    g.writeStringField("ip", ip);
    g.writeNumberField("port", port);
    g.writeEndObject();
  }

  private static void stream(JsonLineWriter g, String name, FlowFileWriter.Side side) throws IOException {
    g.writeObjectFieldStart(name);
    g.writeStringField("file", side.fileName);
    g.writeNumberField("bytes", side.written);
    g.writeNumberField("packets", side.packets);
    g.writeBooleanField("fin", side.fin);
    g.writeObjectFieldStart("gaps");
    g.writeNumberField("count", side.gapCount);
    g.writeNumberField("bytes", side.gapBytes);
    g.writeArrayFieldStart("list");
    for (int i = 0; i < side.listedGaps; i++) {
      g.writeStartObject();
      g.writeNumberField("offset", side.gaps[4 * i]);
      g.writeNumberField("file_offset", side.gaps[4 * i + 1]);
      g.writeNumberField("length", side.gaps[4 * i + 2]);
      g.writeStringField("reason", FlowFileWriter.gapReasonName((int) side.gaps[4 * i + 3]));
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeBooleanField("list_truncated", side.gapCount > side.listedGaps);
    g.writeEndObject();
    g.writeEndObject();
  }

  /**
   * Writes the trailer: {@code complete} (true when the whole input was read) and {@code error} (the problem that
   * ended it, or null), and closes the file. Idempotent.
   */
  void finish(String error) throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    try {
      json.writeEndArray();
      json.writeNumberField("connection_count", connections);
      json.writeBooleanField("complete", error == null);
      if (error == null) {
        json.writeNullField("error");
      } else {
        json.writeStringField("error", error);
      }
      json.writeEndObject();
      json.writeRaw('\n');
    } finally {
      json.close();
      out.close();
    }
  }

  /** Closes the file without a trailer unless {@link #finish} was called (after a write error only). */
  @Override
  public void close() throws IOException {
    if (!finished) {
      finished = true;
      json.close();
      out.close();
    }
  }
}
