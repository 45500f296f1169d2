/** Internal: not exported; no compatibility promise. Record protection (decryption) and key derivation. */
package dev.wirelens.tls.internal;
