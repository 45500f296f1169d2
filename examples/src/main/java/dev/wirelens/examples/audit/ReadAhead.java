package dev.wirelens.examples.audit;

import dev.wirelens.DecodeStatus;
import dev.wirelens.packet.CapturedFrame;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.pcapng.DecryptionSecret;
import io.netty.buffer.ByteBuf;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Internal: reads a capture on a thread of its own, up to {@link #QUEUED} batches of {@link #BATCH} frames ahead
 * of the thread that dissects them ({@link AuditSession#readAhead}): the capture reader's part of the work (the
 * read system call's copy, the record walk) then runs beside the dissection instead of before it. The frames come
 * out in capture order, with everything the dissecting thread used to ask the reader for (link type, timestamp,
 * snap-length flag, record offset), and the Decryption Secrets Blocks read before each batch's first frame, so what
 * the audit computes does not depend on which thread read the bytes.
 *
 * <p>Lifetime: a batch holds a retained duplicate of every read buffer its frames lie in (one per buffer per batch),
 * so the reader's accumulator moves on to a fresh buffer instead of overwriting bytes not dissected yet, and the
 * dissecting thread may move a duplicate's indices (the reassembler does, around a payload) while the reading thread
 * appends to the buffer; {@link Batch#release()} gives them back. {@link #close()} stops the reading thread and releases what it had queued.
 *
 * <p>Thread safety: {@link #take()} and {@link #close()} from one consuming thread; the reader is used by the
 * reading thread only until it posts its last batch (the {@link Batch#end} status), after which the consumer may
 * read its report and close it.
 */
final class ReadAhead implements AutoCloseable {
  /** Frames per batch. */
  static final int BATCH = 256;
  /** Batches read ahead at most (besides the one being filled and the one being dissected). */
  static final int QUEUED = 4;

  /** Frames of the capture, in order; the last batch of a run has {@link #end} set. */
  static final class Batch implements CapturedFrame {
    final ByteBuf[] buffers = new ByteBuf[BATCH];
    final int[] indices = new int[BATCH];
    final int[] lengths = new int[BATCH];
    final int[] linkTypes = new int[BATCH];
    final long[] timestamps = new long[BATCH];
    final long[] recordOffsets = new long[BATCH];
    final boolean[] beyondSnapLength = new boolean[BATCH];
    final List<ByteBuf> retained = new ArrayList<>(4);
    /** Decryption Secrets Blocks read after the previous batch's frames and before this one's; null for none. */
    List<DecryptionSecret> secrets;
    int size;
    /** Set on the last batch: the reader's status after its frames (END, MALFORMED, ...), or null after an error. */
    DecodeStatus end;
    /** Set on the last batch when the reader threw. */
    RuntimeException error;
    boolean last;
    private int current;

    /** Makes frame {@code i} the one {@link CapturedFrame} describes. */
    Batch frame(int i) {
      current = i;
      return this;
    }

    @Override
    public ByteBuf frameBuffer() {
      return buffers[current];
    }

    @Override
    public int frameIndex() {
      return indices[current];
    }

    @Override
    public int capturedLength() {
      return lengths[current];
    }

    @Override
    public int linkType() {
      return linkTypes[current];
    }

    void release() {
      for (ByteBuf b : retained) {
        b.release();
      }
      retained.clear();
      java.util.Arrays.fill(buffers, 0, size, null);
      size = 0;
      secrets = null;
    }
  }

  private final CaptureReader reader;
  private final BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUED);
  /** Batches the consumer is done with, for the reading thread to fill again (no garbage per batch). */
  private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(QUEUED + 2);
  private final Thread thread;
  private volatile boolean stop;
  private boolean ended;

  ReadAhead(CaptureReader reader) {
    this.reader = reader;
    this.thread = new Thread(this::readAll, "wirelens-capture-read-ahead");
    thread.setDaemon(true);
  }

  ReadAhead start() {
    thread.start();
    return this;
  }

  /** The next batch, waiting for it; after the last one (see {@link Batch#last}) must not be called. */
  Batch take() {
    if (ended) {
      throw new IllegalStateException("the last batch was taken");
    }
    boolean interrupted = false;
    try {
      while (true) {
        try {
          Batch b = queue.take();
          ended = b.last;
          return b;
        } catch (InterruptedException e) {
          interrupted = true; // a batch is on its way: the reading thread never stops without posting the last one
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Gives back a batch taken and dissected: releases its buffers and lets the reading thread fill it again. */
  void done(Batch b) {
    b.release();
    if (!b.last) {
      free.offer(b);
    }
  }

  /**
   * Stops the reading thread and waits for it, releasing every batch it had queued; afterwards the reader is free to
   * be closed. Idempotent.
   */
  @Override
  public void close() {
    stop = true;
    while (!ended) {
      done(take());
    }
  }

  private Batch fresh() {
    Batch b = free.poll();
    return b == null ? new Batch() : b;
  }

  private void readAll() {
    Batch batch = fresh();
    int secretsSeen = 0;
    ByteBuf lastBuffer = null;
    ByteBuf lastDuplicate = null;
    long at = 0; // the record offset of the last frame read
    try {
      while (!stop) {
        DecodeStatus status = reader.next();
        List<DecryptionSecret> secrets = reader.decryptionSecrets();
        if (secrets.size() > secretsSeen) {
          if (batch.size > 0) {
            AuditSession.raisePendingFault(); // see below
            post(batch);
            batch = fresh();
            lastBuffer = null;
          }
          batch.secrets = List.copyOf(secrets.subList(secretsSeen, secrets.size()));
          secretsSeen = secrets.size();
        }
        if (status != DecodeStatus.FRAME) {
          batch.end = status;
          break;
        }
        int i = batch.size++;
        ByteBuf buf = reader.frameBuffer();
        if (buf != lastBuffer) {
          // a duplicate, not the buffer itself: the reassembler sets the indices of the buffer it is given around a
          // segment's payload, and this thread's accumulator keeps appending to the buffer by its writer index
          lastDuplicate = buf.retainedDuplicate();
          batch.retained.add(lastDuplicate);
          lastBuffer = buf;
        }
        batch.buffers[i] = lastDuplicate;
        batch.indices[i] = reader.frameIndex();
        batch.lengths[i] = reader.capturedLength();
        batch.linkTypes[i] = reader.linkType();
        batch.timestamps[i] = reader.timestampNanos();
        at = reader.recordOffset();
        batch.recordOffsets[i] = at;
        batch.beyondSnapLength[i] = reader.exceedsSnapLength();
        if (batch.size == BATCH) {
          // a fault of compiled code pending from the reads is raised here, before the batch is posted: raised in
          // post, after the batch was queued, the batch would be posted twice
          AuditSession.raisePendingFault();
          post(batch);
          batch = fresh();
          lastBuffer = null;
        }
      }
      // a fault of compiled code pending from the last read is raised here, where it is explained, not in the last
      // post below, where it would end this thread without the last batch and leave the consumer waiting for it
      AuditSession.raisePendingFault();
    } catch (RuntimeException e) {
      batch.error = e; // also the reader's UncheckedIOException for a mapped file that shrank (CaptureFileShrankException)
    } catch (InternalError e) {
      // a mapped byte that vanished, raised late (compiled code raises it at a safepoint after the read, so maybe
      // here rather than in next()): the reader's read error when the file shrank, else a real internal error
      UncheckedIOException shrank = reader.truncationFault(e, at);
      batch.error = shrank != null ? shrank : new IllegalStateException("the capture reading thread failed: " + e, e);
    } catch (Error e) {
      batch.error = new IllegalStateException("the capture reading thread failed: " + e, e);
    }
    batch.last = true;
    post(batch);
  }

  private void post(Batch b) {
    boolean interrupted = false;
    while (true) {
      try {
        queue.put(b);
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the consumer waits for the last batch: keep posting
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
