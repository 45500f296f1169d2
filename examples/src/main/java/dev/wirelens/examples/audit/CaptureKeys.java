package dev.wirelens.examples.audit;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.pcapng.CaptureFormat;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.pcapng.DecryptionSecret;
import dev.wirelens.tls.KeyLog;
import dev.wirelens.tls.TlsKeySource;
import dev.wirelens.tls.TlsSecrets;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Internal: the audit's key source. The user's keys first, then the TLS key logs of the pcapng Decryption Secrets
 * Blocks: those of a whole capture file read in a first pass ({@link #prescan}, made at the first key lookup the
 * user's keys do not answer, so a capture whose handshakes never ask for keys is read once), so a block after the
 * packets it unlocks works too, and those the capture reader meets while reading (a pipe's, taken as they come). Keys are
 * looked up when a connection's ServerHello is read.
 *
 * <p>Late keys on a live input: without a first pass (a pcapng stream, {@link #keysMayComeLater()}), a block may
 * bring a connection's keys after its handshake was read (a tool that writes each secret as it is logged). Such a
 * connection's dissector holds what it was given ({@link HeldStream}) while it {@linkplain #await waits}; when a new
 * block arrives ({@link #newBlocks}) with its keys, it is dissected again from its first byte, with them. What is
 * held counts against {@link HeldStream#MAX_HELD_BYTES} (or {@link Limits#maxBufferedBytesPerFlow()} when lower) per
 * connection and a quarter of {@link Limits#maxBufferedBytesTotal()} in all ({@link #reserve}); a connection over
 * either stops holding and stays undecrypted, as without keys (reported as a limit hit, under the name of the one cap
 * it passed, if its keys do come while it is open). Not thread safe.
 */
final class CaptureKeys implements TlsKeySource {
  private final TlsKeySource user;
  private final Limits limits;
  private final KeyLog fromCapture = KeyLog.empty();
  /** The reader read in line (for its format only: late keys are for a pcapng read without a first pass), or null. */
  private CaptureReader reader;
  /** The blocks met so far, a list that grows as the capture is read; null before {@link #reading}. */
  private List<DecryptionSecret> blocks;
  private int blocksRead;
  private Path toPrescan;
  private boolean prescanned;
  private final Map<ByteBuffer, ConnectionDissector> waiting = new HashMap<>();
  private final long heldBudget;
  private long held;
  private boolean blocksTaken;

  CaptureKeys(TlsKeySource user, Limits limits) {
    this.user = user == null ? TlsKeySource.NONE : user;
    this.limits = limits;
    this.heldBudget = limits.maxBufferedBytesTotal() / 4;
  }

  /**
   * Takes the secrets blocks of the capture file {@code file} (a pass that dissects nothing; errors are left to the
   * real pass), before the first lookup that needs them.
   */
  void prescan(Path file) {
    if (!java.nio.file.Files.isRegularFile(file)) {
      return; // a named pipe or /dev/fd/N can be read once only: its blocks are taken as they are read, as a stream's
    }
    toPrescan = file;
    prescanned = true;
  }

  /**
   * True when keys may arrive after the handshake that needs them: the capture is pcapng (its blocks may carry
   * secrets) read without a first pass.
   */
  boolean keysMayComeLater() {
    return !prescanned && reader != null && reader.format() == CaptureFormat.PCAPNG;
  }

  /** {@code connection} has no keys for {@code clientRandom} yet and holds its stream until a block brings them. */
  ByteBuffer await(byte[] clientRandom, ConnectionDissector connection) {
    ByteBuffer key = ByteBuffer.wrap(clientRandom.clone());
    waiting.put(key, connection);
    return key;
  }

  /** {@code connection}, waiting under {@code key} (null: it was not), stopped waiting (closed, or over its cap). */
  void stopWaiting(ByteBuffer key, ConnectionDissector connection) {
    if (key != null) {
      waiting.remove(key, connection);
    }
  }

  /** Connections waiting for keys. */
  int waiting() {
    return waiting.size();
  }

  /** Takes {@code bytes} from the shared budget of held streams; false when there are not that many left. */
  boolean reserve(long bytes) {
    if (held + bytes > heldBudget) {
      return false;
    }
    held += bytes;
    return true;
  }

  /** The shared budget of held streams: a quarter of {@code Limits.maxBufferedBytesTotal()}. */
  long budget() {
    return heldBudget;
  }

  void unreserve(long bytes) {
    held -= bytes;
  }

  /** Bytes held by waiting connections in all. */
  long held() {
    return held;
  }

  /**
   * Whether Decryption Secrets Blocks came (met by the reader, or taken by a lookup) since the last
   * {@link #takeNewBlocks()} while connections wait for keys; false at once when none waits.
   */
  boolean newBlocks() {
    return !waiting.isEmpty()
        && (blocksTaken || blocks != null && blocks.size() > blocksRead);
  }

  /**
   * Takes the new blocks and dissects again, with their keys, each waiting connection they have keys for. Called
   * between packets, before the next one is dissected.
   */
  void takeNewBlocks() {
    takeBlocks();
    blocksTaken = false;
    List<ConnectionDissector> ready = new ArrayList<>();
    waiting.entrySet().removeIf(e -> {
      if (fromCapture.secretsFor(e.getKey().array().clone()) != null) {
        ready.add(e.getValue());
        return true;
      }
      return false;
    });
    for (ConnectionDissector c : ready) {
      c.keysArrived();
    }
  }

  private void takeBlocks() {
    if (blocks != null) {
      for (; blocksRead < blocks.size(); blocksRead++) {
        DecryptionSecret b = blocks.get(blocksRead);
        if (b.isTlsKeyLog()) {
          fromCapture.addAll(KeyLog.parse(b.data(), limits));
          blocksTaken = true; // a lookup may take a block before newBlocks() sees it
        }
      }
    }
  }

  private void scan(Path file) {
    try (CaptureReader r = CaptureReader.open(file, limits)) {
      DecodeStatus s = r.next();
      if (r.format() != CaptureFormat.PCAPNG) {
        return;
      }
      while (s != DecodeStatus.END && s != DecodeStatus.MALFORMED) {
        s = r.next();
      }
      for (DecryptionSecret b : r.decryptionSecrets()) {
        if (b.isTlsKeyLog()) {
          fromCapture.addAll(KeyLog.parse(b.data(), limits));
        }
      }
    } catch (RuntimeException e) {
      // the real pass reports an unreadable input
    }
  }

  /**
   * The Decryption Secrets Blocks read so far, a list that grows as the capture is read ({@code reader.decryptionSecrets()},
   * or what a reading thread handed over), are used from now on. {@code inLine} is the reader when it is read on
   * this thread (its format tells whether keys may come late), null when a reading thread hands the blocks over
   * (a file, whose blocks the first pass takes: no connection waits for late keys then).
   */
  void reading(CaptureReader inLine, List<DecryptionSecret> blocksSoFar) {
    reader = inLine;
    blocks = blocksSoFar;
    blocksRead = 0;
  }

  @Override
  public TlsSecrets secretsFor(byte[] clientRandom) {
    TlsSecrets s = user.secretsFor(clientRandom);
    if (s != null) {
      return s;
    }
    if (toPrescan != null) {
      Path file = toPrescan;
      toPrescan = null;
      scan(file);
    }
    takeBlocks();
    return fromCapture.size() == 0 ? null : fromCapture.secretsFor(clientRandom);
  }
}
