package dev.wirelens.pcapng;

import java.nio.charset.StandardCharsets;

/**
 * A copy of the secrets of one Decryption Secrets Block, collected by {@link CaptureReader#decryptionSecrets()}.
 *
 * <p>Lifetime: immutable, safe to keep. Allocation: one copy of the data per DSB.
 * Thread safety: immutable.
 *
 * <pre>{@code
 * for (DecryptionSecret s : reader.decryptionSecrets())
 *   if (s.isTlsKeyLog()) keyLog.parse(s.dataAsString());
 * }</pre>
 */
public final class DecryptionSecret {
  private final long secretsType;
  private final byte[] data;
  private final long fileOffset;

  /** Creates a secret; {@code data} is not copied. */
  public DecryptionSecret(long secretsType, byte[] data, long fileOffset) {
    this.secretsType = secretsType;
    this.data = data;
    this.fileOffset = fileOffset;
  }

  /** Secrets Type ({@link DecryptionSecretsTypes}). */
  public long secretsType() {
    return secretsType;
  }

  /** True for {@link DecryptionSecretsTypes#TLS_KEY_LOG}. */
  public boolean isTlsKeyLog() {
    return secretsType == DecryptionSecretsTypes.TLS_KEY_LOG;
  }

  /** A copy of the secrets data. */
  public byte[] data() {
    return data.clone();
  }

  /** The secrets data as UTF-8 text. Allocates. */
  public String dataAsString() {
    return new String(data, StandardCharsets.UTF_8);
  }

  /** Offset of the DSB in the (decompressed) input. */
  public long fileOffset() {
    return fileOffset;
  }
}
