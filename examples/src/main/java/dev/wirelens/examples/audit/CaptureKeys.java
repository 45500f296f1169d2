package dev.wirelens.examples.audit;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.pcapng.CaptureFormat;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.pcapng.DecryptionSecret;
import dev.wirelens.tls.KeyLog;
import dev.wirelens.tls.TlsKeySource;
import dev.wirelens.tls.TlsSecrets;
import java.nio.file.Path;
import java.util.List;

/**
 * Internal: the audit's key source. The user's keys first, then the TLS key logs of the pcapng Decryption Secrets
 * Blocks: those of a whole capture file read in a first pass ({@link #prescan}, made at the first key lookup the
 * user's keys do not answer, so a capture whose handshakes never ask for keys is read once), so a block after the
 * packets it unlocks works too, and those the capture reader meets while reading (a pipe's, taken as they come). Keys are
 * looked up when a connection's ServerHello is read. Not thread safe.
 */
final class CaptureKeys implements TlsKeySource {
  private final TlsKeySource user;
  private final Limits limits;
  private final KeyLog fromCapture = KeyLog.empty();
  private List<DecryptionSecret> blocks;
  private int blocksRead;
  private Path toPrescan;

  CaptureKeys(TlsKeySource user, Limits limits) {
    this.user = user == null ? TlsKeySource.NONE : user;
    this.limits = limits;
  }

  /**
   * Takes the secrets blocks of the capture file {@code file} (a pass that dissects nothing; errors are left to the
   * real pass), before the first lookup that needs them.
   */
  void prescan(Path file) {
    toPrescan = file;
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
   * or what a reading thread handed over), are used from now on.
   */
  void reading(List<DecryptionSecret> blocksSoFar) {
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
    if (blocks != null) {
      for (; blocksRead < blocks.size(); blocksRead++) {
        DecryptionSecret b = blocks.get(blocksRead);
        if (b.isTlsKeyLog()) {
          fromCapture.addAll(KeyLog.parse(b.data(), limits));
        }
      }
    }
    return fromCapture.size() == 0 ? null : fromCapture.secretsFor(clientRandom);
  }
}
