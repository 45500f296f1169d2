/**
 * Wirelens WebSocket: HTTP/1.1 Upgrade recognition, the WebSocket frame reader, unmasking, message reassembly,
 * permessage-deflate and the connection dissector (issue 6). Uses netty-codec-http for its header, method, version
 * and status types only (no channel).
 */
module dev.wirelens.websocket {
  requires transitive dev.wirelens.core;
  requires io.netty.codec.http;

  exports dev.wirelens.websocket;
}
