package dev.wirelens.websocket;

import dev.wirelens.websocket.internal.HttpHead;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The WebSocket opening handshake (RFC 6455 §4) of one connection: the client's HTTP/1.1 Upgrade request and the
 * server's response, as plain values.
 *
 * <pre>
 *   GET /chat HTTP/1.1                                HTTP/1.1 101 Switching Protocols
 *   Host: server.example.com                          Upgrade: websocket
 *   Upgrade: websocket                                Connection: Upgrade
 *   Connection: Upgrade                               Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=
 *   Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==       Sec-WebSocket-Protocol: chat
 *   Sec-WebSocket-Protocol: chat, superchat           Sec-WebSocket-Extensions: permessage-deflate
 *   Sec-WebSocket-Version: 13
 * </pre>
 *
 * <p>The heads are read by a bounded parser of our own into netty-codec-http's {@link HttpHeaders}, {@link
 * HttpMethod}, {@link HttpVersion} and {@link HttpResponseStatus} (netty's {@code HttpRequestDecoder} needs a
 * channel, which dissectors never depend on, and throws on bad input): heads longer than 16 KiB are not a
 * handshake. {@link #acceptValid()} checks Sec-WebSocket-Accept against the key as RFC 6455 §4.2.2 defines it
 * (base64 of the SHA-1 of the key and the GUID {@code 258EAFA5-E914-47DA-95CA-C5AB0DC85B11}).
 *
 * <p>Lifetime: plain values, no buffers kept. Allocation: the strings and lists. Thread safety: not thread safe
 * while the dissector fills it; effectively immutable afterwards.
 *
 * <pre>{@code
 * WebSocketHandshake h = dissector.session().handshake();
 * if (h.status() == 101 && h.acceptValid()) System.out.println(h.path() + " " + h.subprotocol());
 * }</pre>
 */
public final class WebSocketHandshake {
  /** The GUID of RFC 6455 §1.3 appended to the key before hashing. */
  public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private String method;
  private String path;
  private String httpVersion;
  private String host;
  private String key;
  private String version;
  private String origin;
  private final List<String> offeredProtocols = new ArrayList<>();
  private final List<String> offeredExtensions = new ArrayList<>();
  private int status = -1;
  private String reasonPhrase;
  private String accept;
  private String subprotocol;
  private final List<String> extensions = new ArrayList<>();
  private boolean perMessageDeflate;
  private boolean serverNoContextTakeover;
  private boolean clientNoContextTakeover;
  private int serverMaxWindowBits = 15;
  private int clientMaxWindowBits = 15;
  private boolean unknownExtension;

  WebSocketHandshake() {}

  /**
   * True when the readable bytes of {@code clientStream} start with a complete HTTP GET request head that asks for
   * {@code Upgrade: websocket}; false when they do not, or not yet (an incomplete head). Does not move indices.
   */
  public static boolean isUpgradeRequest(ByteBuf clientStream) {
    if (!startsWithGet(clientStream)) {
      return false;
    }
    int length = HttpHead.headLength(clientStream);
    if (length < 0) {
      return false;
    }
    HttpHeaders h = HttpHead.parse(clientStream, clientStream.readerIndex(), length).headers();
    return h.containsValue(HttpHeaderNames.UPGRADE, "websocket", true);
  }

  static boolean startsWithGet(ByteBuf buf) {
    int r = buf.readerIndex();
    int n = Math.min(4, buf.readableBytes());
    for (int i = 0; i < n; i++) {
      if (buf.getByte(r + i) != "GET ".charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** The Sec-WebSocket-Accept value a server must answer {@code key} with (RFC 6455 §4.2.2 step 5.4). */
  public static String acceptFor(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      byte[] digest = sha1.digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every Java platform", e);
    }
  }

  /** Reads the request; returns false (nothing recorded) unless it is a GET with {@code Upgrade: websocket}. */
  boolean readRequest(HttpHead head) {
    String[] parts = head.startLine().split(" ");
    if (parts.length != 3) {
      return false;
    }
    HttpHeaders h = head.headers();
    if (!HttpMethod.GET.equals(HttpMethod.valueOf(parts[0]))
        || !h.containsValue(HttpHeaderNames.UPGRADE, "websocket", true)) {
      return false;
    }
    method = parts[0];
    path = parts[1];
    httpVersion = versionText(parts[2]);
    host = h.get(HttpHeaderNames.HOST);
    key = h.get(HttpHeaderNames.SEC_WEBSOCKET_KEY);
    version = h.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
    origin = h.get(HttpHeaderNames.ORIGIN);
    for (String v : h.getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)) {
      splitList(v, offeredProtocols);
    }
    for (String v : h.getAll(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS)) {
      splitList(v, offeredExtensions);
    }
    return true;
  }

  /** Reads the response status line and headers; returns the status, -1 if the status line is not HTTP. */
  int readResponse(HttpHead head) {
    String line = head.startLine();
    String[] parts = line.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/") || versionText(parts[0]) == null) {
      return -1;
    }
    try {
      status = HttpResponseStatus.parseLine(parts[1]).code();
    } catch (IllegalArgumentException e) {
      return -1;
    }
    reasonPhrase = parts.length > 2 ? parts[2] : "";
    HttpHeaders h = head.headers();
    accept = h.get(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT);
    subprotocol = h.get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
    for (String v : h.getAll(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS)) {
      splitList(v, extensions);
    }
    if (status == 101) {
      negotiate(extensions);
    }
    return status;
  }

  /** Applies a negotiated Sec-WebSocket-Extensions list (the server's answer). */
  void negotiate(List<String> accepted) {
    for (String ext : accepted) {
      String[] params = ext.split(";");
      if (params[0].isBlank()) {
        continue;
      }
      if (!params[0].trim().equalsIgnoreCase("permessage-deflate")) {
        unknownExtension = true;
        continue;
      }
      perMessageDeflate = true;
      for (int i = 1; i < params.length; i++) {
        String p = params[i].trim();
        int eq = p.indexOf('=');
        String name = (eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
        String value = eq < 0 ? null : p.substring(eq + 1).trim().replace("\"", "");
        switch (name) {
          case "server_no_context_takeover": serverNoContextTakeover = true; break;
          case "client_no_context_takeover": clientNoContextTakeover = true; break;
          case "server_max_window_bits": serverMaxWindowBits = bits(value); break;
          case "client_max_window_bits": clientMaxWindowBits = bits(value); break;
          default: break;
        }
      }
    }
  }

  private static int bits(String value) {
    try {
      return value == null ? 15 : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return 15;
    }
  }

  private static String versionText(String text) {
    try {
      return HttpVersion.valueOf(text).text();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static void splitList(String value, List<String> into) {
    for (String item : value.split(",")) {
      String t = item.trim();
      if (!t.isEmpty()) {
        into.add(t);
      }
    }
  }

  /** Request line: the method ({@code GET}), or null when no upgrade request was seen. */
  public String method() {
    return method;
  }

  /** Request line: the request-target as sent ({@code /chat?room=1}), or null. */
  public String path() {
    return path;
  }

  /** Request line: the HTTP version ({@code HTTP/1.1}), or null. */
  public String httpVersion() {
    return httpVersion;
  }

  /** Request header {@code Host}, or null. */
  public String host() {
    return host;
  }

  /** Request header {@code Sec-WebSocket-Key}, or null. */
  public String key() {
    return key;
  }

  /** Request header {@code Sec-WebSocket-Version} ({@code 13}), or null. */
  public String version() {
    return version;
  }

  /** Request header {@code Origin}, or null. */
  public String origin() {
    return origin;
  }

  /** Request header(s) {@code Sec-WebSocket-Protocol}: the subprotocols offered, in order. */
  public List<String> offeredProtocols() {
    return offeredProtocols;
  }

  /** Request header(s) {@code Sec-WebSocket-Extensions}: the extensions offered, each with its parameters. */
  public List<String> offeredExtensions() {
    return offeredExtensions;
  }

  /** Response status code (101 when the upgrade was accepted), or -1 when no response was seen. */
  public int status() {
    return status;
  }

  /** Response reason phrase, or null. */
  public String reasonPhrase() {
    return reasonPhrase;
  }

  /** Response header {@code Sec-WebSocket-Accept}, or null. */
  public String accept() {
    return accept;
  }

  /** True when {@link #accept()} equals {@link #acceptFor(String) acceptFor}({@link #key()}). */
  public boolean acceptValid() {
    return key != null && accept != null && accept.equals(acceptFor(key));
  }

  /** Response header {@code Sec-WebSocket-Protocol}: the subprotocol chosen, or null. */
  public String subprotocol() {
    return subprotocol;
  }

  /** Response header(s) {@code Sec-WebSocket-Extensions}: the extensions in use, each with its parameters. */
  public List<String> extensions() {
    return extensions;
  }

  /** True when the server accepted permessage-deflate (RFC 7692). */
  public boolean perMessageDeflate() {
    return perMessageDeflate;
  }

  /** permessage-deflate {@code server_no_context_takeover}: the server resets its window after each message. */
  public boolean serverNoContextTakeover() {
    return serverNoContextTakeover;
  }

  /** permessage-deflate {@code client_no_context_takeover}: the client resets its window after each message. */
  public boolean clientNoContextTakeover() {
    return clientNoContextTakeover;
  }

  /** permessage-deflate {@code server_max_window_bits} (8-15, 15 when absent). */
  public int serverMaxWindowBits() {
    return serverMaxWindowBits;
  }

  /** permessage-deflate {@code client_max_window_bits} (8-15, 15 when absent or given without a value). */
  public int clientMaxWindowBits() {
    return clientMaxWindowBits;
  }

  /** True when the server accepted an extension other than permessage-deflate (RSV bits are then not judged). */
  public boolean unknownExtension() {
    return unknownExtension;
  }
}
