/**
 * TCP: the views {@link dev.wirelens.tcp.TcpSegment} and {@link dev.wirelens.tcp.TcpOptionCursor}, the reusable
 * 5-tuple {@link dev.wirelens.tcp.FlowKey}, and connection tracking with stream reassembly:
 * {@link dev.wirelens.tcp.TcpReassembler} pushes each connection's byte streams to a
 * {@link dev.wirelens.tcp.TcpStreamListener}, describing the connection with a {@link dev.wirelens.tcp.TcpConnection},
 * whose {@link dev.wirelens.tcp.TcpAnalysis} per direction counts Wireshark's {@code tcp.analysis.*} flags
 * (retransmissions, out-of-order and lost segments, duplicate ACKs, zero windows, keep-alives, ...).
 *
 * <p>Views are reusable flyweights that borrow the buffer they wrap; nothing here is thread safe.
 */
package dev.wirelens.tcp;
