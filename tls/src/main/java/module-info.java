/**
 * Wirelens TLS (to come, issues 4 and 5): the TLS record reader, handshake messages, certificate summaries,
 * fingerprints, key-log parsing and record decryption. Empty for now; it builds so that the module layout is fixed.
 */
module dev.wirelens.tls {
  requires transitive dev.wirelens.core;
}
