package dev.wirelens.websocket.internal;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;

/**
 * A bounded parser of an HTTP/1.1 message head (RFC 9112 §2.1: start-line, header fields, empty line) into a start
 * line and netty-codec-http {@link HttpHeaders}.
 *
 * <pre>
 *   HTTP-message = start-line CRLF *( field-line CRLF ) CRLF [ message-body ]
 *   field-line   = field-name ":" OWS field-value OWS
 * </pre>
 *
 * <p>Why not netty's {@code HttpRequestDecoder}: it is a {@code ChannelHandler} whose line and header parsers are
 * private, so it needs a channel (which dissectors never depend on), it copies into its own buffers, and it throws
 * on bad input. This parser reads the bytes in place, stops at {@link #MAX_HEAD_LENGTH}, tolerates a bare LF as
 * RFC 9112 §2.2 allows, and never throws; the codec's header, method, version and status types hold the result.
 * Obsolete line folding is not unfolded (a continuation line is ignored).
 *
 * <p>Internal: not exported; no compatibility promise. Not thread safe; allocates the strings and headers.
 */
public final class HttpHead {
  /** Largest message head accepted: 16 KiB (more than any WebSocket handshake needs). */
  public static final int MAX_HEAD_LENGTH = 16 * 1024;
  /** {@link #headLength} result: the head is not complete yet. */
  public static final int INCOMPLETE = -1;
  /** {@link #headLength} result: no empty line within {@link #MAX_HEAD_LENGTH}. */
  public static final int TOO_LONG = -2;

  private final String startLine;
  private final HttpHeaders headers;

  private HttpHead(String startLine, HttpHeaders headers) {
    this.startLine = startLine;
    this.headers = headers;
  }

  /** The first line, without its line end. */
  public String startLine() {
    return startLine;
  }

  /** The header fields, names case-insensitive, values trimmed. */
  public HttpHeaders headers() {
    return headers;
  }

  /**
   * Length of the head at the start of the readable bytes of {@code buf}, including the empty line; {@link
   * #INCOMPLETE} or {@link #TOO_LONG}.
   */
  public static int headLength(ByteBuf buf) {
    int start = buf.readerIndex();
    int limit = Math.min(buf.readableBytes(), MAX_HEAD_LENGTH);
    for (int i = 0; i < limit; i++) {
      if (buf.getByte(start + i) != '\n') {
        continue;
      }
      if (i + 1 < limit && buf.getByte(start + i + 1) == '\n') {
        return i + 2;
      }
      if (i + 2 < limit && buf.getByte(start + i + 1) == '\r' && buf.getByte(start + i + 2) == '\n') {
        return i + 3;
      }
    }
    return buf.readableBytes() >= MAX_HEAD_LENGTH ? TOO_LONG : INCOMPLETE;
  }

  /** Parses {@code length} bytes (a complete head as measured by {@link #headLength}) from {@code index}. */
  public static HttpHead parse(ByteBuf buf, int index, int length) {
    String text = buf.toString(index, length, StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\r?\n");
    HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      int colon = line.indexOf(':');
      if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        continue;
      }
      headers.add(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
    }
    return new HttpHead(lines.length == 0 ? "" : lines[0], headers);
  }
}
