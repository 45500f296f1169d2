/**
 * WebSocket (RFC 6455) dissection: the HTTP/1.1 Upgrade ({@link dev.wirelens.websocket.WebSocketHandshake}), the
 * frame pull reader ({@link dev.wirelens.websocket.WebSocketFrameReader}, {@link
 * dev.wirelens.websocket.WebSocketFrame}), unmasking ({@link dev.wirelens.websocket.WebSocketUnmasker}), and the
 * connection dissector ({@link dev.wirelens.websocket.WebSocketConnectionDissector}) that joins messages, inflates
 * permessage-deflate (RFC 7692), pairs pings with pongs and reports rule violations in a {@link
 * dev.wirelens.websocket.WebSocketSession}.
 */
package dev.wirelens.websocket;
