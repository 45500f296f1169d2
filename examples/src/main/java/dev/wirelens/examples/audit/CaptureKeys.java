package dev.wirelens.examples.audit;

import dev.wirelens.Limits;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.pcapng.DecryptionSecret;
import dev.wirelens.tls.KeyLog;
import dev.wirelens.tls.TlsKeySource;
import dev.wirelens.tls.TlsSecrets;
import java.util.List;

/**
 * Internal: the audit's key source. The user's keys first, then the TLS key logs of the pcapng Decryption Secrets
 * Blocks the capture reader has met so far (parsed as they appear; a block after the packets it would decrypt is
 * too late in a single pass). Not thread safe.
 */
final class CaptureKeys implements TlsKeySource {
  private final TlsKeySource user;
  private final Limits limits;
  private final KeyLog fromCapture = KeyLog.empty();
  private CaptureReader reader;
  private int blocksRead;

  CaptureKeys(TlsKeySource user, Limits limits) {
    this.user = user == null ? TlsKeySource.NONE : user;
    this.limits = limits;
  }

  /** Secrets blocks of {@code r} are used from now on. */
  void reading(CaptureReader r) {
    reader = r;
    blocksRead = 0;
  }

  @Override
  public TlsSecrets secretsFor(byte[] clientRandom) {
    TlsSecrets s = user.secretsFor(clientRandom);
    if (s != null) {
      return s;
    }
    if (reader != null) {
      List<DecryptionSecret> blocks = reader.decryptionSecrets();
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
