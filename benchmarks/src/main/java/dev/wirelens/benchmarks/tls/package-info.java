/**
 * Benchmarks of the tls module: the record reader and handshake views beside Netty's {@code SslHandler} record
 * peek, and record decryption beside the JDK {@code Cipher} on plain arrays.
 */
package dev.wirelens.benchmarks.tls;
