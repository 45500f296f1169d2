package dev.wirelens.tcp;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A listener that copies every event: per connection and direction the bytes, and a log of every event in order. */
final class StreamRecorder implements TcpStreamListener {
  /** Everything one connection received. */
  static final class Conn {
    final TcpConnection connection;
    final ByteArrayOutputStream[] bytes = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
    /** Both directions in delivery order, gaps as PcapPlusPlus writes them: "[N bytes missing]". */
    final ByteArrayOutputStream interleaved = new ByteArrayOutputStream();
    final List<String> events = new ArrayList<>();
    /** Per direction, each delivery and each gap marker as a string of ISO-8859-1 characters. */
    final List<List<String>> chunks = List.of(new ArrayList<>(), new ArrayList<>());
    final long[] expectedOffset = new long[2];
    CloseReason closed;
    int fins;

    Conn(TcpConnection connection) {
      this.connection = connection;
    }

    byte[] bytes(Direction d) {
      return bytes[d.ordinal()].toByteArray();
    }
  }

  final List<Conn> connections = new ArrayList<>();
  /** When set, onData consumes only as much as this says (and is called with the rest again). */
  java.util.function.IntUnaryOperator consume;

  Conn of(TcpConnection c) {
    for (int i = connections.size() - 1; i >= 0; i--) {
      if (connections.get(i).connection == c) {
        return connections.get(i);
      }
    }
    throw new AssertionError("event for a connection that was never opened: " + c);
  }

  @Override
  public void onOpen(TcpConnection connection) {
    Conn c = new Conn(connection);
    connections.add(c);
    c.events.add("open");
  }

  @Override
  public int onData(TcpConnection connection, Direction direction, long streamOffset, ByteBuf data) {
    Conn c = of(connection);
    if (c.closed != null) {
      throw new AssertionError("data after close");
    }
    if (streamOffset != c.expectedOffset[direction.ordinal()]) {
      throw new AssertionError("data at " + streamOffset + ", expected " + c.expectedOffset[direction.ordinal()]);
    }
    int n = data.readableBytes();
    int take = consume == null ? n : Math.max(0, Math.min(n, consume.applyAsInt(n)));
    byte[] b = new byte[take];
    data.getBytes(data.readerIndex(), b);
    c.bytes[direction.ordinal()].writeBytes(b);
    c.interleaved.writeBytes(b);
    c.chunks.get(direction.ordinal()).add(new String(b, StandardCharsets.ISO_8859_1));
    c.expectedOffset[direction.ordinal()] += take;
    c.events.add("data " + direction + " " + streamOffset + " " + take);
    return take;
  }

  @Override
  public void onGap(TcpConnection connection, Direction direction, long streamOffset, long length, GapReason why) {
    Conn c = of(connection);
    c.expectedOffset[direction.ordinal()] = streamOffset + length;
    c.interleaved.writeBytes(("[" + length + " bytes missing]").getBytes(StandardCharsets.US_ASCII));
    c.chunks.get(direction.ordinal()).add("[" + length + " bytes missing]");
    c.events.add("gap " + direction + " " + streamOffset + " " + length + " " + why);
  }

  @Override
  public void onFin(TcpConnection connection, Direction direction) {
    Conn c = of(connection);
    c.fins++;
    c.events.add("fin " + direction);
  }

  @Override
  public void onClose(TcpConnection connection, CloseReason why) {
    Conn c = of(connection);
    if (c.closed != null) {
      throw new AssertionError("closed twice");
    }
    c.closed = why;
    c.events.add("close " + why);
  }

  List<String> gaps(Conn c) {
    List<String> g = new ArrayList<>();
    for (String e : c.events) {
      if (e.startsWith("gap")) {
        g.add(e);
      }
    }
    return g;
  }
}
