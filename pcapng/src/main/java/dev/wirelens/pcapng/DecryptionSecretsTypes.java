package dev.wirelens.pcapng;

/**
 * Secrets Type codes of the Decryption Secrets Block (draft-ietf-opsawg-pcapng §4.7). Open set: unknown codes pass
 * through {@link DecryptionSecretsBlock#secretsType()} as values.
 *
 * <p>Thread safety: constants only.
 */
public final class DecryptionSecretsTypes {
  /** {@code 0x544c534b} ("TLSK"): an NSS key log file (SSLKEYLOGFILE format), UTF-8 lines. */
  public static final long TLS_KEY_LOG = 0x544c534bL;
  /** {@code 0x5353484b} ("SSHK"): SSH key log. */
  public static final long SSH_KEY_LOG = 0x5353484bL;
  /** {@code 0x57474b4c} ("WGKL"): WireGuard key log. */
  public static final long WIREGUARD_KEY_LOG = 0x57474b4cL;
  /** {@code 0x5a4e574b} ("ZNWK"): Zigbee NWK key. */
  public static final long ZIGBEE_NWK_KEY = 0x5a4e574bL;
  /** {@code 0x5a415053} ("ZAPS"): Zigbee APS key. */
  public static final long ZIGBEE_APS_KEY = 0x5a415053L;

  private DecryptionSecretsTypes() {}

  /** A short name ("TLS key log", ...) or {@code 0x…} for unknown types. */
  public static String nameOf(long secretsType) {
    if (secretsType == TLS_KEY_LOG) {
      return "TLS key log";
    } else if (secretsType == SSH_KEY_LOG) {
      return "SSH key log";
    } else if (secretsType == WIREGUARD_KEY_LOG) {
      return "WireGuard key log";
    } else if (secretsType == ZIGBEE_NWK_KEY) {
      return "Zigbee NWK key";
    } else if (secretsType == ZIGBEE_APS_KEY) {
      return "Zigbee APS key";
    }
    return String.format("0x%08x", secretsType);
  }
}
