package dev.wirelens.tcp;

/**
 * Which way a TCP byte stream flows within a {@link TcpConnection}: from the client (the side that sent the SYN, see
 * {@link TcpConnection}) to the server, or back.
 *
 * <p>Thread safety: immutable.
 */
public enum Direction {
  /** Bytes sent by the client. */
  CLIENT_TO_SERVER,
  /** Bytes sent by the server. */
  SERVER_TO_CLIENT;

  /** The other direction. */
  public Direction opposite() {
    return this == CLIENT_TO_SERVER ? SERVER_TO_CLIENT : CLIENT_TO_SERVER;
  }
}
