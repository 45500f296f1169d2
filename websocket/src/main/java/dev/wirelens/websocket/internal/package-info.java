/**
 * Internal: not exported; no compatibility promise. The UTF-8 validator, the permessage-deflate decompressor, the
 * bounded HTTP head parser and the copy-or-keep rule for held bytes behind {@code dev.wirelens.websocket}.
 */
package dev.wirelens.websocket.internal;
