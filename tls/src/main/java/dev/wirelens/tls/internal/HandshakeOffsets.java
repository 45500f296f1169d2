package dev.wirelens.tls.internal;

/**
 * Where the bytes of one direction's handshake stream came from in that direction's TCP stream. A
 * {@code HandshakeReader} reports offsets in the handshake stream (the concatenation of the handshake fragments fed
 * to it); a connection dissector reports offsets in the TCP stream, where each fragment sits after its record's
 * 5-byte header, records of other types sit in between, and a decrypted fragment has no bytes of its own (its
 * plaintext is not on the wire): each of its bytes maps to the stream offset of the record that carried it.
 *
 * <p>Only the fragments that hold the first {@link #WINDOW} bytes of the pending (not yet framed) message are kept:
 * the reader reports an offset there only (its header, LIMIT_EXCEEDED at header + 1, TRUNCATED at the header), and
 * the next message starts after every byte fed so far, since the pending one is not complete. So at most
 * {@code WINDOW} fragments are kept after {@link #framedUpTo(long)}, plus the one fed next.
 *
 * <p>Allocation: none after construction. Thread safety: not thread safe. Internal: not exported; no compatibility
 * promise.
 */
public final class HandshakeOffsets {
  /** The bytes of a handshake message header (RFC 8446 §4: msg_type 1, length 3): where offsets are reported. */
  public static final int WINDOW = 4;
  /** Fragments kept: WINDOW after a prune, one more fed before the next; the rest is slack. */
  private static final int KEPT = 8;

  private final long[] start = new long[KEPT];
  private final long[] length = new long[KEPT];
  private final long[] streamAt = new long[KEPT];
  private final boolean[] onWire = new boolean[KEPT];
  private int count;

  /**
   * Records a fragment of {@code length} bytes fed to the handshake reader at handshake-stream offset
   * {@code handshakeOffset}: its first byte is at TCP stream offset {@code streamOffset} and the rest follow it when
   * {@code onWire}; otherwise (decrypted) all of them map to {@code streamOffset}, the record's offset.
   */
  public void fed(long handshakeOffset, int length, long streamOffset, boolean onWire) {
    if (length <= 0) {
      return;
    }
    if (count == KEPT) {
      drop(0); // not reached when framedUpTo follows every feed; the oldest is the one least likely asked for
    }
    start[count] = handshakeOffset;
    this.length[count] = length;
    streamAt[count] = streamOffset;
    this.onWire[count] = onWire;
    count++;
  }

  /** The TCP stream offset of the byte at handshake-stream offset {@code handshakeOffset}, or -1 when not kept. */
  public long streamOffset(long handshakeOffset) {
    for (int i = 0; i < count; i++) {
      long k = handshakeOffset - start[i];
      if (k >= 0 && k < length[i]) {
        return onWire[i] ? streamAt[i] + k : streamAt[i];
      }
    }
    return -1;
  }

  /**
   * The handshake reader framed every message before handshake-stream offset {@code pending}: forgets the fragments
   * that hold none of the bytes {@code pending .. pending + WINDOW - 1}.
   */
  public void framedUpTo(long pending) {
    for (int i = count - 1; i >= 0; i--) {
      if (start[i] + length[i] <= pending || start[i] >= pending + WINDOW) {
        drop(i);
      }
    }
  }

  /** Forgets everything (the handshake reader was reset: its offsets start again at 0). */
  public void reset() {
    count = 0;
  }

  private void drop(int i) {
    int tail = count - i - 1;
    System.arraycopy(start, i + 1, start, i, tail);
    System.arraycopy(length, i + 1, length, i, tail);
    System.arraycopy(streamAt, i + 1, streamAt, i, tail);
    System.arraycopy(onWire, i + 1, onWire, i, tail);
    count--;
  }
}
