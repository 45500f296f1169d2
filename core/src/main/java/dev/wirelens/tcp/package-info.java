/**
 * Transport views for TCP: {@link dev.wirelens.tcp.TcpSegment}, {@link dev.wirelens.tcp.TcpOptionCursor}, and the
 * reusable 5-tuple {@link dev.wirelens.tcp.FlowKey}.
 *
 * <p>Views are reusable flyweights that borrow the buffer they wrap; not thread safe.
 */
package dev.wirelens.tcp;
