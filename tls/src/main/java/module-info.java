/**
 * Wirelens TLS: the TLS record reader, handshake messages, certificate summaries, fingerprints, key-log parsing and
 * record decryption (issues 4 and 5).
 */
module dev.wirelens.tls {
  requires transitive dev.wirelens.core;
  requires org.bouncycastle.provider;

  exports dev.wirelens.tls;
  exports dev.wirelens.tls.fingerprint;
  exports dev.wirelens.tls.handshake;
  exports dev.wirelens.tls.x509;
}
