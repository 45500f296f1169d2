/**
 * Wirelens WebSocket (to come, issue 6): HTTP/1.1 Upgrade recognition, the WebSocket frame reader, message
 * reassembly and permessage-deflate. Empty for now; it builds so that the module layout is fixed.
 */
module dev.wirelens.websocket {
  requires transitive dev.wirelens.core;
}
