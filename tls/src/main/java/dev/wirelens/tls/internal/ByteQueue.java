package dev.wirelens.tls.internal;

import dev.wirelens.tcp.TcpReassembler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayDeque;

/**
 * The input side of the TLS pull readers: an ordered queue of fed buffers from which length-prefixed units are
 * taken whole. A unit that lies inside one fed buffer is returned as that buffer and an absolute offset into it (no
 * copy, no slice object); a unit spanning several fed buffers is copied into one buffer of exactly its length
 * (callers bound that length by a {@code Limits} cap before calling {@link #take(int)}).
 *
 * <p>Hot cursor: a reader's fast path frames units in the first fed buffer through {@link #hotHead()},
 * {@link #hotIndex()}, {@link #hotLimit()} and {@link #skipHot(int)}, which keep the read position in this object's
 * fields instead of the buffer's reader index (each {@code ByteBuf} index access walks the wrapper chain of a
 * duplicate, slice or read-only view and checks bounds). The buffer's reader index is brought up to date by every
 * other method before it looks at the buffer; owners see no difference, since fed buffers belong to the queue and
 * units are addressed by absolute offsets.
 *
 * <p>Lifetime: {@link #add(ByteBuf)} takes ownership of one reference. The buffer returned by {@link #take(int)} is
 * valid until the next {@link #reclaim()}, {@link #take(int)} or {@link #clear()}; fully consumed fed buffers are
 * released lazily by {@link #reclaim()} so that the last unit stays readable. Allocation: none for a unit inside
 * one fed buffer. Memory: fed buffers are usually slices of a capture reader's large read chunks; between calls the
 * owner calls {@link #compact()}, which copies a remainder that would pin a much larger buffer (the rule of
 * {@link TcpReassembler#COPY_AT_MOST} and {@link TcpReassembler#COPY_WHEN_PARENT_RATIO}), so that what the queue
 * holds is about the bytes it has not yet taken.
 *
 * <p>Thread safety: this class is not thread safe.
 */
public final class ByteQueue {
  private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
  private final ByteBufAllocator allocator;
  private ByteBuf assembly;
  /** Stream offset of the end of the fed bytes. */
  private long fed;
  /** Stream offset of the first byte not yet taken, while {@link #hot} is null. */
  private long position;
  private int takenOffset;
  /** The first fed buffer while the hot cursor is armed (its reader index is then stale), else null. */
  private ByteBuf hot;
  /** While armed: the first byte of {@link #hot} not yet taken (the true reader index). */
  private int hotIndex;
  /** While armed: {@link #hot}'s writer index. */
  private int hotLimit;
  /** While armed: the stream offset of index 0 of {@link #hot}, so that position = hotBase + hotIndex. */
  private long hotBase;

  /** Creates an empty queue that copies spanning units into buffers from {@code allocator}. */
  public ByteQueue(ByteBufAllocator allocator) {
    this.allocator = allocator;
  }

  /** Appends {@code buf}'s readable bytes; takes ownership of one reference. */
  public void add(ByteBuf buf) {
    int n = buf.readableBytes();
    if (n == 0) {
      buf.release();
      return;
    }
    queue.addLast(buf);
    fed += n;
  }

  /** Bytes queued and not yet taken. */
  public int available() {
    return (int) (fed - position());
  }

  /** Stream offset of the first byte not yet taken (bytes taken or skipped since the last {@link #clear()}). */
  public long position() {
    return hot != null ? hotBase + hotIndex : position;
  }

  /** Writes the hot cursor back into the first buffer's reader index and disarms it. */
  private void sync() {
    ByteBuf h = hot;
    if (h != null) {
      position = hotBase + hotIndex;
      hot = null;
      h.readerIndex(hotIndex);
    }
  }

  /** The unsigned byte {@code i} bytes past the first byte not yet taken; {@code i} must be below {@link #available()}. */
  public int getUnsignedByte(int i) {
    sync();
    ByteBuf head = queue.peekFirst();
    if (head != null && i < head.readableBytes()) {
      return head.getUnsignedByte(head.readerIndex() + i); // the common case, without an iterator
    }
    for (ByteBuf b : queue) {
      int r = b.readableBytes();
      if (i < r) {
        return b.getUnsignedByte(b.readerIndex() + i);
      }
      i -= r;
    }
    throw new IndexOutOfBoundsException();
  }

  /** Releases fed buffers that are fully consumed and the assembly buffer of the last spanning unit. */
  public void reclaim() {
    sync();
    if (assembly != null) {
      assembly.release();
      assembly = null;
    }
    ByteBuf head;
    while ((head = queue.peekFirst()) != null && !head.isReadable()) {
      queue.pollFirst().release();
    }
  }

  /**
   * The first fed buffer with unread bytes, whose reader index is the first byte not yet taken, or {@code null} when
   * nothing is queued; for peeking at a header in place. Call after {@link #reclaim()}.
   */
  public ByteBuf head() {
    sync();
    return queue.peekFirst();
  }

  /**
   * Takes the next {@code n} bytes ({@code 0 < n <= available()}) as contiguous bytes of the returned buffer,
   * starting at its absolute offset {@link #takenOffset()}: the fed buffer itself when they lie in one (nothing
   * allocated), else a copy whose readable bytes are exactly those bytes.
   */
  public ByteBuf take(int n) {
    reclaim();
    position += n;
    ByteBuf head = queue.peekFirst();
    if (head.readableBytes() >= n) {
      takenOffset = head.readerIndex();
      head.skipBytes(n);
      return head;
    }
    takenOffset = 0;
    ByteBuf out = allocator.heapBuffer(n, n);
    try {
      while (out.isWritable()) {
        ByteBuf b = queue.peekFirst();
        int k = Math.min(b.readableBytes(), out.writableBytes());
        out.writeBytes(b, b.readerIndex(), k);
        b.skipBytes(k);
        if (!b.isReadable()) {
          queue.pollFirst().release();
        }
      }
      assembly = out;
      out = null;
    } finally {
      if (out != null) {
        out.release();
      }
    }
    return assembly;
  }

  /**
   * Consumes the next {@code n} bytes ({@code 0 <= n <= available()}) without returning them: fed buffers they empty
   * are released at once. Nothing is copied or allocated.
   */
  public void skip(int n) {
    reclaim(); // writes the hot cursor back: the loop below moves the buffers' reader indexes
    position += n; // available() follows: it is fed - position()
    while (n > 0) {
      ByteBuf b = queue.peekFirst();
      int k = Math.min(n, b.readableBytes());
      b.skipBytes(k);
      n -= k;
      if (!b.isReadable()) {
        queue.pollFirst().release();
      }
    }
  }

  /**
   * Counts {@code n} bytes that were never queued (the caller passed over them in its own buffer) as consumed:
   * {@link #position()} moves on and {@link #available()} stays 0. Only when nothing is queued.
   */
  public void skipUnqueued(int n) {
    if (available() != 0) {
      throw new IllegalStateException("bytes are queued");
    }
    sync(); // position() is read from the hot cursor while it is armed
    position += n;
    fed += n; // the stream's end moves with it, so available() = fed - position() stays 0
  }

  /**
   * For a reader's hot path: the first fed buffer, with the hot cursor armed ({@link #hotIndex()} and
   * {@link #hotLimit()} valid), or {@code null} when nothing is queued or the assembly buffer of a previous unit waits
   * to be reclaimed. The buffer may be exhausted ({@code hotIndex() == hotLimit()}).
   */
  public ByteBuf hotHead() {
    ByteBuf h = hot;
    return h != null ? h : arm();
  }

  private ByteBuf arm() {
    if (assembly != null) {
      return null;
    }
    ByteBuf h = queue.peekFirst();
    if (h != null) {
      hotIndex = h.readerIndex();
      hotLimit = h.writerIndex();
      hotBase = position - hotIndex;
      hot = h;
    }
    return h;
  }

  /** After {@link #hotHead()}: the absolute offset in it of the first byte not yet taken. */
  public int hotIndex() {
    return hotIndex;
  }

  /** After {@link #hotHead()}: its writer index. */
  public int hotLimit() {
    return hotLimit;
  }

  /** After {@link #hotHead()}: the stream offset of absolute offset 0 of it (so a unit at index i is at hotBase + i). */
  public long hotBase() {
    return hotBase;
  }

  /** Consumes the next {@code n} bytes of the {@link #hotHead()} buffer, which must hold them (read in place there). */
  public void skipHot(int n) {
    hotIndex += n;
  }

  /** Absolute offset of the bytes of the last {@link #take(int)} in the buffer it returned. */
  public int takenOffset() {
    return takenOffset;
  }

  /**
   * Between units, when the caller holds nothing taken from this queue: releases the assembly buffer of the last
   * spanning unit and fed buffers that are fully consumed, and replaces each fed buffer whose unread bytes are at most
   * {@link TcpReassembler#COPY_AT_MOST} or less than 1/{@link TcpReassembler#COPY_WHEN_PARENT_RATIO} of the buffer
   * they would keep alive (the root under slices and views) by a heap copy of exactly those bytes. Each byte is
   * copied at most once unless most of its copy is consumed later. The last taken unit is invalid afterwards.
   */
  public void compact() {
    reclaim();
    for (int i = queue.size(); i > 0; i--) {
      ByteBuf b = queue.pollFirst();
      int n = b.readableBytes();
      if (n == 0) {
        b.release();
        continue;
      }
      if (pinsMuchMore(b, n)) {
        ByteBuf copy = allocator.heapBuffer(n, n);
        try {
          copy.writeBytes(b, b.readerIndex(), n);
        } catch (RuntimeException e) {
          copy.release();
          queue.addFirst(b);
          throw e;
        }
        b.release();
        b = copy;
      }
      queue.addLast(b);
    }
  }

  private static boolean pinsMuchMore(ByteBuf b, int n) {
    ByteBuf root = b;
    while (root.unwrap() != null) {
      root = root.unwrap();
    }
    int capacity = root.capacity();
    if (capacity <= n) {
      return false; // a buffer of exactly these bytes (an earlier copy, or an assembly): nothing to gain
    }
    return n <= TcpReassembler.COPY_AT_MOST || (long) n * TcpReassembler.COPY_WHEN_PARENT_RATIO < capacity;
  }

  /** Bytes held: the capacity of each distinct buffer kept alive (fed buffers' roots and the assembly buffer). */
  public long retainedCapacity() {
    java.util.IdentityHashMap<ByteBuf, Boolean> roots = new java.util.IdentityHashMap<>();
    long sum = 0;
    if (assembly != null) {
      roots.put(assembly, Boolean.TRUE);
      sum += assembly.capacity();
    }
    for (ByteBuf b : queue) {
      ByteBuf root = b;
      while (root.unwrap() != null) {
        root = root.unwrap();
      }
      if (roots.put(root, Boolean.TRUE) == null) {
        sum += root.capacity();
      }
    }
    return sum;
  }

  /** Releases everything and sets {@link #position()} back to 0. */
  public void clear() {
    hot = null;
    if (assembly != null) {
      assembly.release();
      assembly = null;
    }
    ByteBuf b;
    while ((b = queue.pollFirst()) != null) {
      b.release();
    }
    fed = 0;
    position = 0;
  }
}
