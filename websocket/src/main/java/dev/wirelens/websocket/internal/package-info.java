/**
 * Internal: not exported; no compatibility promise. The UTF-8 validator, the permessage-deflate decompressor and the
 * bounded HTTP head parser behind {@code dev.wirelens.websocket}.
 */
package dev.wirelens.websocket.internal;
