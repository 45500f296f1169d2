/**
 * Wirelens pcapng: pcap and pcapng readers and writers, block views, decryption-secrets blocks.
 * Exports {@code dev.wirelens.pcapng} only; {@code dev.wirelens.pcapng.internal} is not exported.
 */
module dev.wirelens.pcapng {
  requires transitive dev.wirelens.core;

  exports dev.wirelens.pcapng;
}
