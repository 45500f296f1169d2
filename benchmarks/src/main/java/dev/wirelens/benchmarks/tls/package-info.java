/** Benchmarks of the TLS record reader and handshake views, beside Netty's {@code SslHandler} record peek. */
package dev.wirelens.benchmarks.tls;
