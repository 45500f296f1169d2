package dev.wirelens.examples.hostile;

import dev.wirelens.link.LinkTypes;
import dev.wirelens.testkit.PacketBuilder;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test helper: writes a classic pcap (little-endian, nanosecond timestamps, Ethernet) straight to a stream, packet
 * by packet, so a capture of a million packets never sits in memory; {@link Tcp} writes one TCP connection (IPv4 or
 * IPv6, built by the testkit's PacketBuilder) tracking sequence numbers. What the test wrote is what it expects.
 */
final class Wire implements AutoCloseable {
  /** 2026-11-28T00:00:00Z in nanoseconds. */
  static final long T0 = 1_795_824_000_000_000_000L;

  /** A frame and its capture time, for {@link #collecting}. */
  record Frame(long t, byte[] bytes) {}

  private final OutputStream out;
  private final java.util.List<Frame> collected;
  private final byte[] header = new byte[16];
  private long frames;
  private long offset;

  private Wire(OutputStream out, java.util.List<Frame> collected) {
    this.out = out;
    this.collected = collected;
  }

  /** Pcap records without the file header (to be appended to one). */
  static Wire raw(OutputStream out) {
    return new Wire(out, null);
  }

  /** Writes nothing: collects the frames into {@code into}, e.g. to write them as pcapng blocks. */
  static Wire collecting(java.util.List<Frame> into) {
    return new Wire(OutputStream.nullOutputStream(), into);
  }

  /** A pcap with {@code snapLength} in its header, written to {@code out}. */
  static Wire pcap(OutputStream out, long snapLength) {
    Wire w = new Wire(out, null);
    byte[] h = new byte[24];
    le32(h, 0, 0xa1b23c4d); // nanosecond magic
    h[4] = 2;
    h[6] = 4;
    le32(h, 16, (int) snapLength);
    le32(h, 20, LinkTypes.ETHERNET);
    w.raw(h);
    return w;
  }

  /** A pcap file at {@code file} with snaplen 262144. */
  static Wire pcap(Path file) {
    try {
      return pcap(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), 262144);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One record holding all of {@code frame}, captured at {@code t}. */
  void frame(long t, byte[] frame) {
    frame(t, frame, frame.length);
  }

  /** One record holding the first {@code length} bytes of {@code frame}. */
  void frame(long t, byte[] frame, int length) {
    if (collected != null) {
      collected.add(new Frame(t, java.util.Arrays.copyOf(frame, length)));
      frames++;
      return;
    }
    le32(header, 0, (int) (t / 1_000_000_000L));
    le32(header, 4, (int) (t % 1_000_000_000L));
    le32(header, 8, length);
    le32(header, 12, length);
    raw(header);
    raw(frame, length);
    frames++;
  }

  /** Bytes as they are (a hand-made record or block). */
  void raw(byte[] bytes) {
    raw(bytes, bytes.length);
  }

  private void raw(byte[] bytes, int length) {
    try {
      out.write(bytes, 0, length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    offset += length;
  }

  /** Records written. */
  long frames() {
    return frames;
  }

  /** Bytes written. */
  long offset() {
    return offset;
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void le32(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
    b[at + 2] = (byte) (v >>> 16);
    b[at + 3] = (byte) (v >>> 24);
  }

  Tcp tcp(String clientIp, int clientPort, String serverIp, int serverPort) {
    return new Tcp(clientIp, clientPort, serverIp, serverPort);
  }

  /**
   * The well-behaved connection placed after the hostile part: handshake at {@code t}, the client sends
   * {@link #NORMAL_REQUEST} (100 bytes), the server 200 bytes, the client closes. Its report must say exactly that.
   */
  Tcp normal(String clientIp, int clientPort, String serverIp, long t) {
    return tcp(clientIp, clientPort, serverIp, 80).handshake(t).clientSends(t + 3_000_000, NORMAL_REQUEST)
        .serverSends(t + 4_000_000, new byte[200]).closeByClient(t + 5_000_000);
  }

  /** 100 bytes of an HTTP request. */
  static final byte[] NORMAL_REQUEST = ("GET /after-the-hostile-part HTTP/1.1\r\nHost: example.test\r\n"
      + "User-Agent: wirelens-test/1.0.0.0.0abc\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

  static {
    if (NORMAL_REQUEST.length != 100) {
      throw new AssertionError("the normal request must be 100 bytes: " + NORMAL_REQUEST.length);
    }
  }

  /** One TCP connection; times are nanoseconds since the epoch. */
  final class Tcp {
    private final String clientIp;
    private final int clientPort;
    private final String serverIp;
    private final int serverPort;
    private final boolean v6;
    long clientSeq = 1000;
    long serverSeq = 5000;

    Tcp(String clientIp, int clientPort, String serverIp, int serverPort) {
      this.clientIp = clientIp;
      this.clientPort = clientPort;
      this.serverIp = serverIp;
      this.serverPort = serverPort;
      this.v6 = clientIp.contains(":");
    }

    /** SYN, SYN-ACK, ACK at {@code t}, {@code t+1ms}, {@code t+2ms}. */
    Tcp handshake(long t) {
      client(t, PacketBuilder.SYN, new byte[0]);
      clientSeq++;
      server(t + 1_000_000, PacketBuilder.SYN | PacketBuilder.ACK, new byte[0]);
      serverSeq++;
      client(t + 2_000_000, PacketBuilder.ACK, new byte[0]);
      return this;
    }

    /** The client sends {@code data} at {@code t}. */
    Tcp clientSends(long t, byte[] data) {
      client(t, PacketBuilder.ACK | PacketBuilder.PSH, data);
      clientSeq += data.length;
      return this;
    }

    /** The server sends {@code data} at {@code t}. */
    Tcp serverSends(long t, byte[] data) {
      server(t, PacketBuilder.ACK | PacketBuilder.PSH, data);
      serverSeq += data.length;
      return this;
    }

    Tcp clientSends(long t, String ascii) {
      return clientSends(t, ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    Tcp serverSends(long t, String ascii) {
      return serverSends(t, ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The client skips {@code missing} bytes (never sent on this capture), then sends {@code data}: a hole. */
    Tcp clientSendsAfterHole(long t, int missing, byte[] data) {
      clientSeq += missing;
      return clientSends(t, data);
    }

    /** FIN from the client, FIN-ACK from the server, last ACK. */
    Tcp closeByClient(long t) {
      client(t, PacketBuilder.FIN | PacketBuilder.ACK, new byte[0]);
      clientSeq++;
      server(t + 1_000_000, PacketBuilder.FIN | PacketBuilder.ACK, new byte[0]);
      serverSeq++;
      client(t + 2_000_000, PacketBuilder.ACK, new byte[0]);
      return this;
    }

    /** The client's frame of {@code flags} and {@code payload} at the current sequence numbers. */
    byte[] clientFrame(int flags, byte[] payload) {
      return ip(PacketBuilder.ethernet(), clientIp, serverIp).tcp(clientPort, serverPort).seq(clientSeq)
          .ack((flags & PacketBuilder.ACK) != 0 ? serverSeq : 0).flags(flags).window(65535).payload(payload)
          .build();
    }

    private void client(long t, int flags, byte[] payload) {
      frame(t, clientFrame(flags, payload));
    }

    private void server(long t, int flags, byte[] payload) {
      frame(t, ip(PacketBuilder.ethernet(), serverIp, clientIp).tcp(serverPort, clientPort).seq(serverSeq)
          .ack(clientSeq).flags(flags).window(65535).payload(payload).build());
    }

    private PacketBuilder ip(PacketBuilder b, String source, String destination) {
      return v6 ? b.ipv6(source, destination) : b.ipv4(source, destination);
    }
  }
}
