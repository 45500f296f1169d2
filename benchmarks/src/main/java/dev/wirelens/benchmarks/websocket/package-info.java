/**
 * Benchmarks of the WebSocket module: frame reading with unmasking beside Netty's {@code WebSocket08FrameDecoder},
 * and unmasking throughput.
 */
package dev.wirelens.benchmarks.websocket;
