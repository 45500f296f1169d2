/**
 * TLS dissection over reassembled TCP streams: records, handshake messages, the per-connection session summary,
 * and decryption with key logs.
 */
package dev.wirelens.tls;
