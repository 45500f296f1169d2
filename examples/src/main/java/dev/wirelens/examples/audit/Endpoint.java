package dev.wirelens.examples.audit;

import java.util.Objects;

/**
 * One side of a TCP connection: design.md's {@code {"ip": "10.0.0.2", "port": 51234}}.
 *
 * <p>Thread safety: immutable.
 */
public final class Endpoint {
  private final String ip;
  private final int port;

  /** An endpoint; {@code ip} in its usual text form (dotted IPv4, RFC 5952 IPv6). */
  public Endpoint(String ip, int port) {
    this.ip = Objects.requireNonNull(ip, "ip");
    this.port = port;
  }

  /** The address as text. */
  public String ip() {
    return ip;
  }

  /** The TCP port (u16 widened). */
  public int port() {
    return port;
  }

  /** {@code ip:port}, an IPv6 address in brackets. */
  @Override
  public String toString() {
    return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Endpoint e && e.port == port && e.ip.equals(ip);
  }

  @Override
  public int hashCode() {
    return ip.hashCode() * 31 + port;
  }
}
