package dev.wirelens.pcapng.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Internal: not exported; no compatibility promise. Reads a capture file by mapping it into memory in windows of
 * {@link #WINDOW} bytes, instead of copying it into a buffer with {@code read} (for a capture read once from the page
 * cache, a kernel copy of every byte).
 *
 * <p>Each window starts at the first byte the reader has not consumed yet, so a block or record that straddles two
 * windows is simply mapped again as part of the next one: no bytes are copied, and the accumulator adopts the new
 * window in place of the old one ({@link ByteAccumulator#replace}). A window is at least {@link #WINDOW} bytes and at
 * least what the reader asked for (a block is at most {@code Limits.maxCaptureBlockLength()}).
 *
 * <p>Unmapping: a window is read through Netty's read-only direct buffer; once its reference count is 0 (the
 * accumulator let go of it, and so did everyone who retained a frame of it, on any thread) it is unmapped when the
 * next window is mapped or at {@link #close()}, not when the garbage collector finds the mapping unreachable: in a small, quiet heap
 * that could keep the whole file mapped and resident. A window still retained at {@link #close()} is left to the
 * collector (the mapping's own cleaner), never unmapped under its holder.
 *
 * <p>File size: read again before every window, so a file that grows while it is read (a capture being written) is
 * read to its current end, like a {@code read} loop. A file truncated while a window of it is mapped cannot be read
 * safely through the mapping: the bytes past the new end raise {@code SIGBUS}, which the JVM reports as an
 * {@link InternalError} ("a fault occurred in an unsafe memory access operation") in the reading thread (in compiled
 * code possibly a little later than the faulting read, which then reads a meaningless value). {@link #shrank()} tells
 * that case from a real internal error: the file is now shorter than what was mapped of it. Such a file should not be
 * shrunk while it is read (rotate captures by renaming, as tcpdump {@code -C} does). After {@link #close()}, a window
 * still retained (a frame kept by a dissector, read when the connections close at the end) can fault too: the size is
 * then asked of the file's path, and believed only while the path still names the same file (its
 * {@link BasicFileAttributes#fileKey()}, the device and inode), so a capture rotated by renaming is not mistaken for
 * a truncated one.
 *
 * <p>Not thread safe (the windows' reference counts may drop on any thread).
 */
public final class MappedSource implements AutoCloseable {
  /** Bytes mapped at a time: 8 MiB (resident while read; 128 map/unmap pairs per GiB). */
  public static final int WINDOW = 8 << 20;

  private final FileChannel channel;
  private final int window;
  /** The file's path and identity, to know its size after {@link #close()}; null when unknown. */
  private final Path path;
  private final Object fileKey;
  private final List<Window> mapped = new ArrayList<>(4);
  /** File offset just past the last byte mapped so far; volatile: {@link #shrank()} may be asked on any thread. */
  private volatile long mappedEnd;

  private static final class Window {
    final ByteBuf buffer;
    final MappedByteBuffer mapping;

    Window(ByteBuf buffer, MappedByteBuffer mapping) {
      this.buffer = buffer;
      this.mapping = mapping;
    }
  }

  private MappedSource(FileChannel channel, int window, Path path) {
    this.channel = channel;
    this.window = window;
    this.path = path;
    this.fileKey = path == null ? null : fileKey(path);
  }

  private static Object fileKey(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** A source over {@code channel}, or null when this JVM cannot read a mapping through Netty or unmap it at once. */
  public static MappedSource of(FileChannel channel) {
    return of(channel, WINDOW);
  }

  /** The same with windows of {@code window} bytes at least (tests use small ones, to straddle many). */
  public static MappedSource of(FileChannel channel, int window) {
    return of(channel, window, null);
  }

  /**
   * The same for the file at {@code path} (opened as {@code channel}), whose size {@link #shrank()} can then still
   * tell after {@link #close()}.
   */
  public static MappedSource of(FileChannel channel, int window, Path path) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be positive: " + window);
    }
    return PlatformDependent.hasUnsafe() && PlatformDependent.canReliabilyFreeDirectBuffers()
        ? new MappedSource(channel, window, path) : null;
  }

  /**
   * Maps the window that starts at the accumulator's first pending byte and holds its pending bytes and at least
   * {@code max} more (as many as the file has), and hands it to {@code acc} in place of its current buffer. Returns
   * the number of new bytes, or -1 at the end of the file.
   */
  public int read(ByteAccumulator acc, int max) throws IOException {
    raisePendingFaults(); // before the channel's code: see raisePendingFaults
    long start = acc.position();
    int pending = acc.readable();
    long size = channel.size();
    long want = Math.max(window, (long) pending + max);
    long length = Math.min(size - start, Math.min(want, Integer.MAX_VALUE - 8));
    if (length <= pending) {
      return -1;
    }
    MappedByteBuffer m = channel.map(FileChannel.MapMode.READ_ONLY, start, length);
    ByteBuf buffer;
    try {
      buffer = Unpooled.wrappedBuffer(m); // read-only, read through Unsafe; its release does not unmap
    } catch (RuntimeException | Error e) {
      PlatformDependent.freeDirectBuffer(m);
      throw e;
    }
    mapped.add(new Window(buffer, m));
    mappedEnd = Math.max(mappedEnd, start + length);
    acc.replace(buffer); // releases the previous window
    unmapReleased();
    return (int) length - pending;
  }

  /**
   * True when the file is now shorter than the bytes mapped from it (it was truncated while it was read): a mapped
   * byte past its new end faults when read. Safe on any thread (asks the file system for the size); false when the
   * size cannot be known (closed, an I/O error): then a fault is not explained by truncation.
   */
  public boolean shrank() {
    long size = size();
    return size >= 0 && size < mappedEnd;
  }

  /**
   * The file's current size, or -1 when it cannot be known (an I/O error; after {@link #close()}: no path, or the path
   * no longer names the file that was mapped).
   */
  public long size() {
    try {
      raisePendingFaults(); // before the channel's code: see raisePendingFaults
    } catch (InternalError sameLoss) {
      // a vanished byte read earlier: what the size is asked to explain
    }
    if (channel.isOpen()) {
      try {
        return channel.size();
      } catch (IOException e) {
        if (channel.isOpen()) {
          return -1;
        } // closed meanwhile (on another thread): ask the path
      }
    }
    if (fileKey == null) {
      return -1;
    }
    try {
      BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
      return fileKey.equals(a.fileKey()) ? a.size() : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * Raises on the calling thread an {@link InternalError} for a vanished mapped byte it read in compiled code that the
   * JVM has not raised yet (it raises such a fault at the thread's next entry into its runtime, not at the read);
   * returns at once when there is none. Called before the file channel's code: raised inside it, between the
   * channel's registration of the calling thread and its removal, the fault leaves the thread registered, and
   * closing the channel then waits for it forever (seen: a test hung in {@code FileChannelImpl.implCloseChannel}).
   * How: a runtime call compiled code cannot avoid, a two-level array of non-constant size (about 0.1 µs); measured
   * on JDK 17, a native call such as {@code Thread.yield} or {@code Thread.holdsLock} does not raise it once compiled.
   */
  public static void raisePendingFaults() {
    fence = new int[fenceSize][fenceSize];
  }

  /** Not a constant, so that the compiler cannot expand the allocation in place of the runtime call. */
  private static int fenceSize = 1;
  /** Where the fence's array goes, so that it is not optimised away. */
  @SuppressWarnings("unused")
  private static Object fence;

  /** Windows mapped and not unmapped yet (held by the accumulator or by someone who retained a frame). */
  public int mappedWindows() {
    return mapped.size();
  }

  /** Unmaps the windows no one holds any more. */
  private void unmapReleased() {
    for (Iterator<Window> it = mapped.iterator(); it.hasNext(); ) {
      Window w = it.next();
      if (w.buffer.refCnt() == 0) { // never rises again: nothing can read it any more
        it.remove();
        PlatformDependent.freeDirectBuffer(w.mapping);
      }
    }
  }

  /** Closes the file, unmapping the windows no one holds (call after the accumulator released its buffer). */
  @Override
  public void close() throws IOException {
    try {
      raisePendingFaults(); // before the channel's code: see raisePendingFaults
    } catch (InternalError lateLoss) {
      // bytes that vanished after the reader's last check: its callers explain such faults where they read
    }
    unmapReleased();
    mapped.clear(); // windows still retained: unmapped by the collector once unreachable
    channel.close();
  }
}
