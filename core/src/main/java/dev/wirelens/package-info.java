/**
 * The shared vocabulary of every Wirelens module: {@link dev.wirelens.DecodeStatus} (what a pull reader found),
 * {@link dev.wirelens.Malformation} with its {@link dev.wirelens.MalformationReport} (why a view or reader stopped,
 * truncation kept apart from invalid content), {@link dev.wirelens.Layer}, and {@link dev.wirelens.Limits} (every cap
 * on memory and work).
 *
 * <p>Contracts that every module keeps: malformed input is data, not an exception; {@code wrap} borrows, {@code
 * feed} transfers one reference, results are valid until the next call; every buffer is bounded by {@code Limits};
 * every component is single-threaded.
 *
 * <p>Stale-view debug mode ({@link dev.wirelens.BorrowedViews}): every {@code ByteBuf} handed to a callback
 * ({@code TcpStreamListener.onData}, {@code StreamDissector.onData}, {@code WebSocketMessageListener.onMessageData})
 * is valid during that call only. With {@code -Dwirelens.debug.views=true}, or by default when assertions are enabled
 * ({@code -ea}; surefire runs every Wirelens test so), the callback gets a view that is revoked when it returns, and
 * any later read of it throws {@link java.lang.IllegalStateException} "view used after its callback returned"
 * naming the callback. {@code -Dwirelens.debug.views=false} turns it off under {@code -ea}; off, it costs nothing
 * (a {@code static final} flag).
 */
package dev.wirelens;
