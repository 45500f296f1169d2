package dev.wirelens.examples.cli;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.pcapng.CaptureFormat;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.pcapng.DecryptionSecret;
import dev.wirelens.tls.KeyLog;
import java.nio.file.Path;
import java.util.List;

/**
 * Internal: the TLS secrets of one {@code audit} or {@code flows} run, shared by every connection: the
 * {@code --keylog} file, and the key logs of pcapng decryption-secrets blocks. A block that comes before the
 * packets it unlocks is taken while reading ({@link #track}); for a file, {@link #prescan} reads the blocks of the
 * whole file first (a second pass over the input), so a block after the packets works too. Keys are looked up when
 * a connection's ServerHello is read, so both ways see every block read by then.
 */
final class TlsKeys {
  private final KeyLog keys = KeyLog.empty();
  private int secretsSeen;

  /** The key source for the TLS dissectors. */
  KeyLog keyLog() {
    return keys;
  }

  /** Adds the secrets of {@code log} (the {@code --keylog} file, checked by {@link KeyLogFile}). */
  void add(KeyLog log) {
    keys.addAll(log);
  }

  /** Number of key log lines that were not understood (comments and unknown labels are not counted). */
  long problems() {
    return keys.problemCount();
  }

  /**
   * Reads the decryption-secrets blocks of the pcapng file {@code file} (a pass that dissects nothing); nothing for a
   * named pipe or {@code /dev/fd/N}, which can be read once (its blocks are taken as they are read, {@link #track}).
   */
  void prescan(Path file) {
    if (!java.nio.file.Files.isRegularFile(file)) {
      return;
    }
    try (CaptureReader r = CaptureReader.open(file)) {
      DecodeStatus s = r.next();
      if (r.format() != CaptureFormat.PCAPNG) {
        return;
      }
      while (s != DecodeStatus.END && s != DecodeStatus.MALFORMED) {
        s = r.next();
      }
      take(r.decryptionSecrets());
    } catch (RuntimeException e) {
      // the real pass reports an unreadable input
    }
  }

  /** Takes the blocks {@code r} read since the last call (cheap when there is none). */
  void track(CaptureReader r) {
    List<DecryptionSecret> all = r.decryptionSecrets();
    if (all.size() > secretsSeen) {
      take(all.subList(secretsSeen, all.size()));
      secretsSeen = all.size();
    }
  }

  private void take(List<DecryptionSecret> secrets) {
    for (DecryptionSecret d : secrets) {
      if (d.isTlsKeyLog()) {
        keys.addText(d.dataAsString(), Limits.defaults());
      }
    }
  }
}
