package dev.wirelens.websocket.internal;

import dev.wirelens.tcp.TcpReassembler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * The rule for bytes a WebSocket reader keeps between calls: fed buffers are usually slices of a capture reader's
 * large read chunks, so a remainder kept as a retained slice would keep a whole chunk alive for a few bytes. A kept
 * piece is replaced by a heap copy of exactly its bytes when it is at most {@link TcpReassembler#COPY_AT_MOST} bytes
 * or less than 1/{@link TcpReassembler#COPY_WHEN_PARENT_RATIO} of the buffer it would keep alive (the root under
 * slices and views); otherwise the slice is kept (copying would gain little). The same rule as the TCP reassembler's
 * held segments and the TLS readers' queues.
 *
 * <p>Internal: not exported; no compatibility promise. Stateless; allocates the copies (and, when a composite is
 * rebuilt, its pieces' list and a new composite header).
 */
public final class HeldBytes {
  /**
   * Most pieces a kept composite may have after {@link #compact}: beyond it the bytes are copied into one buffer,
   * so that compacting stays proportional to a bounded number of pieces however small the fed buffers are.
   */
  public static final int MAX_COMPONENTS = 32;

  private HeldBytes() {}

  /** The buffer that a retained slice or view of {@code b} keeps alive: {@code b} with every wrapper taken off. */
  public static ByteBuf root(ByteBuf b) {
    ByteBuf root = b;
    while (root.unwrap() != null) {
      root = root.unwrap();
    }
    return root;
  }

  /** True when keeping {@code n} readable bytes of {@code b} as a slice would pin much more than them. */
  public static boolean pinsMuchMore(ByteBuf b, int n) {
    int capacity = root(b).capacity();
    if (capacity <= n) {
      return false; // a buffer of exactly these bytes (an earlier copy): nothing to gain
    }
    return n <= TcpReassembler.COPY_AT_MOST || (long) n * TcpReassembler.COPY_WHEN_PARENT_RATIO < capacity;
  }

  /**
   * What to keep in place of {@code in}'s readable bytes: {@code in} itself when no piece of it pins much more, else
   * a buffer with the same readable bytes whose pinning pieces are copies ({@code in} is then released). A
   * {@link CompositeByteBuf} is looked at piece by piece, so bytes copied once are not copied again while they wait.
   * Takes over {@code in}'s reference; the result carries one.
   */
  public static ByteBuf compact(ByteBuf in, ByteBufAllocator alloc) {
    int n = in.readableBytes();
    if (n == 0) {
      return in;
    }
    if (!(in instanceof CompositeByteBuf)) {
      if (!pinsMuchMore(in, n)) {
        return in;
      }
      ByteBuf copy = copy(in, alloc);
      in.release();
      return copy;
    }
    CompositeByteBuf c = (CompositeByteBuf) in;
    if (c.numComponents() > MAX_COMPONENTS) {
      ByteBuf copy = copy(in, alloc); // many small pieces: one copy of the bytes, so the scans below stay short
      in.release();
      return copy;
    }
    if (!anyPins(c)) {
      return in;
    }
    List<ByteBuf> pieces = c.decompose(c.readerIndex(), n); // slices, not retained
    if (pieces.size() == 1) {
      ByteBuf copy = copy(pieces.get(0), alloc);
      in.release();
      return copy;
    }
    CompositeByteBuf out = alloc.compositeBuffer(Integer.MAX_VALUE);
    try {
      for (ByteBuf p : pieces) {
        out.addComponent(true, pinsMuchMore(p, p.readableBytes()) ? copy(p, alloc) : p.retain());
      }
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
    in.release();
    return out;
  }

  /** Whether the readable part of any component of {@code c} pins much more than its bytes; allocates nothing. */
  private static boolean anyPins(CompositeByteBuf c) {
    int r = c.readerIndex();
    int w = c.writerIndex();
    int count = c.numComponents();
    for (int i = c.toComponentIndex(r); i < count; i++) {
      int from = Math.max(c.toByteIndex(i), r);
      int to = Math.min(i + 1 < count ? c.toByteIndex(i + 1) : w, w);
      if (to > from && pinsMuchMore(c.internalComponent(i), to - from)) {
        return true;
      }
    }
    return false;
  }

  private static ByteBuf copy(ByteBuf b, ByteBufAllocator alloc) {
    int n = b.readableBytes();
    ByteBuf copy = alloc.heapBuffer(n, n);
    copy.writeBytes(b, b.readerIndex(), n);
    return copy;
  }

  /**
   * Bytes {@code in} keeps alive: the capacity of each distinct root buffer under it (each piece's, for a
   * composite); 0 for {@code null}.
   */
  public static long retainedCapacity(ByteBuf in) {
    if (in == null || in.refCnt() == 0) {
      return 0;
    }
    if (!(in instanceof CompositeByteBuf)) {
      return root(in).capacity();
    }
    CompositeByteBuf c = (CompositeByteBuf) in;
    IdentityHashMap<ByteBuf, Boolean> roots = new IdentityHashMap<>();
    long sum = 0;
    for (int i = 0; i < c.numComponents(); i++) {
      ByteBuf root = root(c.component(i));
      if (roots.put(root, Boolean.TRUE) == null) {
        sum += root.capacity();
      }
    }
    return sum;
  }
}
