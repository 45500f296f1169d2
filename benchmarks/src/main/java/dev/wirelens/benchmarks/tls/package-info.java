/** Benchmarks of the tls module: record decryption beside the JDK {@code Cipher} on plain arrays. */
package dev.wirelens.benchmarks.tls;
