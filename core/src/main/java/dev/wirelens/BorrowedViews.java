package dev.wirelens;

import io.netty.buffer.ByteBuf;

/**
 * The stale-view debug mode: catches a listener that keeps a buffer it was lent for one callback and reads it after
 * the callback returned.
 *
 * <p>The rule it checks (design.md, "ByteBuf lifetime"): a {@code ByteBuf} handed to a callback
 * ({@link dev.wirelens.tcp.TcpStreamListener#onData}, {@link dev.wirelens.tcp.StreamDissector#onData}, a WebSocket
 * message listener, ...) is valid during the call only, because it is a reused view over a buffer that moves on (the
 * capture reader's next frame, the reassembler's next segment, the decryptor's next record). A listener that keeps
 * bytes takes {@code retainedSlice()} / {@code retainedDuplicate()} (and releases them later) or copies them; keeping
 * the argument itself, a plain {@code slice()} or {@code duplicate()} of it, or the argument after {@code retain()},
 * is a bug that usually goes unseen: the bytes read later are silently those of another packet.
 *
 * <p>When the mode is on, the code that calls a listener {@link #lend lends} it a fresh view instead of its own
 * buffer and {@link #revoke revokes} the view when the callback returns. The view reads and writes through to the
 * lent buffer during the call (same indices, same bytes, its own reader and writer index); {@code retainedSlice()},
 * {@code readRetainedSlice()}, {@code retainedDuplicate()} and {@code copy()} give buffers that stay valid. After the
 * call, any access to the view's bytes, or to a plain slice or duplicate of it, throws an
 * {@link IllegalStateException} whose message starts with {@value #RULE} and names the callback. A pull reader's
 * borrowed result can use the same loan: {@code WebSocketFrame.payload()} is revoked when its reader moves on.
 *
 * <p>Where it is applied: {@code TcpStreamListener.onData} (the reassembler), {@code StreamDissector.onData} of the
 * TLS dissector's inner dissector (decrypted bytes), {@code WebSocketMessageListener.onMessageData} and
 * {@code WebSocketFrame.payload()}. Code that passes its own argument on to another callback (a listener calling a
 * dissector) needs no loan of its own: the argument is already lent.
 *
 * <p>On when the system property {@code wirelens.debug.views} is {@code true}; when the property is absent, on
 * exactly when assertions are enabled for this class ({@code java -ea}, as every Wirelens test runs). Off, {@link
 * #lend} returns its argument and {@link #revoke} does nothing: {@link #ENABLED} is a {@code static final} constant,
 * so the JIT removes both.
 *
 * <pre>{@code
 * ByteBuf lent = BorrowedViews.lend(data, "StreamDissector.onData");
 * try {
 *   consumed = inner.onData(direction, ts, lent);
 * } finally {
 *   BorrowedViews.revoke(lent, data);
 * }
 * }</pre>
 *
 * <p>Allocation: off, none; on, one small view per callback. Thread safety: stateless; a lent view is as
 * single-threaded as the buffer it was lent from.
 */
public final class BorrowedViews {
  /** The start of the message of the exception thrown for a view used after its callback returned. */
  public static final String RULE = "view used after its callback returned";

  /** True when lent views are checked: {@code -Dwirelens.debug.views=true}, or by default with {@code -ea}. */
  public static final boolean ENABLED = enabled();

  private BorrowedViews() {}

  private static boolean enabled() {
    String property = System.getProperty("wirelens.debug.views");
    if (property != null) {
      return Boolean.parseBoolean(property);
    }
    return BorrowedViews.class.desiredAssertionStatus();
  }

  /**
   * The buffer to hand to {@code callback} for {@code data}'s bytes: {@code data} itself when the mode is off,
   * otherwise a view of it that {@link #revoke} ends. {@code callback} names the callback in the error message.
   */
  public static ByteBuf lend(ByteBuf data, String callback) {
    if (!ENABLED) {
      return data;
    }
    return new RevocableView(data, callback);
  }

  /**
   * Ends the loan of {@code lent} (a result of {@link #lend}; {@code data} is what was lent, passed so that off
   * and on read the same at the call site): from now on the view's bytes cannot be read. Does nothing when the
   * mode is off.
   */
  public static void revoke(ByteBuf lent, ByteBuf data) {
    if (ENABLED && lent != data && lent instanceof RevocableView) {
      ((RevocableView) lent).revoke();
    }
  }
}
