package dev.wirelens.examples.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.link.LinkTypes;
import dev.wirelens.pcapng.PcapngWriter;
import dev.wirelens.tcp.Direction;
import dev.wirelens.testkit.PacketBuilder;
import dev.wirelens.websocket.WebSocketOpcodes;
import dev.wirelens.websocket.WebSocketSession;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The unit-test example of issue 7 in its other form: the code under test is a Netty WebSocket server, and the test
 * records its traffic with a pcapng writer placed first in the server's own pipeline (every byte read and written,
 * as TCP segments between 10.0.0.2:40000 and 10.0.0.1:8084), no capture tool, no root. A JDK WebSocket client
 * (java.net.http) sends three text messages, a ping and a close 1000 "done"; the audit of the recording is asserted
 * against what the two peers did: the Upgrade, frames per opcode and side, messages, the ping's answer, the close.
 * (Plain WebSocket: the JDK writes no TLS key log, so frames inside TLS could not be shown; JdkTlsOnLoopbackTest
 * covers the TLS facts.)
 */
class NettyPipelineRecordingTest {
  private static final int MESSAGES = 3;

  @Test
  @Timeout(30)
  void aNettyServerRecordingItsOwnPipelineIsAuditedAsItsClientSpokeToIt() throws Exception {
    PcapngRecorder recorder = new PcapngRecorder();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline().addLast(recorder, new HttpServerCodec(), new HttpObjectAggregator(65536),
                  new WebSocketServerProtocolHandler("/agent"), new Echo());
            }
          }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
      int port = ((InetSocketAddress) server.localAddress()).getPort();

      Client client = new Client();
      WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/agent"), client).get(10, TimeUnit.SECONDS);
      for (int i = 0; i < MESSAGES; i++) {
        ws.sendText("message " + i, true).get(10, TimeUnit.SECONDS);
        assertThat(client.texts.poll(10, TimeUnit.SECONDS)).isEqualTo("message " + i);
      }
      ws.sendPing(ByteBuffer.wrap("p".getBytes(StandardCharsets.US_ASCII))).get(10, TimeUnit.SECONDS);
      assertThat(client.pong.await(10, TimeUnit.SECONDS)).isTrue();
      ws.sendClose(1000, "done").get(10, TimeUnit.SECONDS);
      assertThat(client.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000); // the server's answer
      assertThat(recorder.closed.await(10, TimeUnit.SECONDS)).isTrue();
      server.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    List<ConnectionReport> reports = Audit.builder().policy(AuditPolicy.builder().watchedPorts(443).build()).build()
        .run(recorder.capture());
    assertThat(reports).hasSize(1);
    ConnectionReport r = reports.get(0);
    assertThat(r.handshake().jsonName()).isEqualTo("complete");
    assertThat(r.close()).isEqualTo("fin");
    assertThat(r.tls()).isNull();
    WebSocketSession w = r.webSocket();
    assertThat(w.path()).isEqualTo("/agent");
    assertThat(w.upgradeStatus()).isEqualTo(101);
    assertThat(w.acceptValid()).isTrue();
    assertThat(w.frames(Direction.CLIENT_TO_SERVER, WebSocketOpcodes.TEXT)).isEqualTo(MESSAGES);
    assertThat(w.frames(Direction.SERVER_TO_CLIENT, WebSocketOpcodes.TEXT)).isEqualTo(MESSAGES);
    assertThat(w.frames(Direction.CLIENT_TO_SERVER, WebSocketOpcodes.PING)).isEqualTo(1);
    assertThat(w.frames(Direction.SERVER_TO_CLIENT, WebSocketOpcodes.PONG)).isEqualTo(1);
    assertThat(w.frames(Direction.CLIENT_TO_SERVER, WebSocketOpcodes.CLOSE)).isEqualTo(1);
    assertThat(w.frames(Direction.SERVER_TO_CLIENT, WebSocketOpcodes.CLOSE)).isEqualTo(1);
    assertThat(w.messages(Direction.CLIENT_TO_SERVER)).isEqualTo(MESSAGES);
    assertThat(w.messages(Direction.SERVER_TO_CLIENT)).isEqualTo(MESSAGES);
    assertThat(w.pingRttCount()).isEqualTo(1);
    assertThat(w.closeCode()).isEqualTo(1000);
    assertThat(w.closeReason()).isEqualTo("done");
    assertThat(w.closeInitiator()).isEqualTo(Direction.CLIENT_TO_SERVER);
    assertThat(w.violations()).isEmpty();
    assertThat(r.verdict()).isEqualTo(new Verdict(true, true, List.of()));
    // with every port watched (the default), the same connection is plaintext
    assertThat(Audit.builder().build().run(recorder.capture()).get(0).verdict()).isEqualTo(new Verdict(false, true,
        List.of("connection 0: plaintext application data on port 8084")));
  }

  /** The server's application: echoes each text message. */
  private static final class Echo extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
      ctx.writeAndFlush(new TextWebSocketFrame(frame.text()));
    }
  }

  /** The JDK client's listener: texts received, the pong, the server's close code. */
  private static final class Client implements WebSocket.Listener {
    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final CountDownLatch pong = new CountDownLatch(1);
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        texts.add(text.toString());
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
      pong.countDown();
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }
  }

  /**
   * First in the server's pipeline: every byte read (the client's) and written (the server's) becomes a TCP segment
   * of an Ethernet/IPv4 capture written by PcapngWriter; the handshake when the channel becomes active, the server's
   * FIN when it closes and the client's when the channel is gone. Sharable: one connection in this test.
   */
  @io.netty.channel.ChannelHandler.Sharable
  private static final class PcapngRecorder extends ChannelDuplexHandler {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PcapngWriter writer = new PcapngWriter(bytes, true);
    private final long[] seq = {1000, 5000};
    private final long epochNanos = System.currentTimeMillis() * 1_000_000L;
    private final long startNanos = System.nanoTime();
    private boolean serverFin;
    final CountDownLatch closed = new CountDownLatch(1);

    PcapngRecorder() {
      writer.writeSectionHeader("recorded in a Netty pipeline (NettyPipelineRecordingTest)", null, null, null);
      writer.writeInterface(LinkTypes.ETHERNET, 65535, 9, "pipeline", null);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      synchronized (this) {
        packet(Direction.CLIENT_TO_SERVER, PacketBuilder.SYN, new byte[0]);
        seq[0]++;
        packet(Direction.SERVER_TO_CLIENT, PacketBuilder.SYN | PacketBuilder.ACK, new byte[0]);
        seq[1]++;
        packet(Direction.CLIENT_TO_SERVER, PacketBuilder.ACK, new byte[0]);
      }
      super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      if (msg instanceof ByteBuf b) {
        segment(Direction.CLIENT_TO_SERVER, ByteBufUtil.getBytes(b));
      }
      super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
      if (msg instanceof ByteBuf b) {
        segment(Direction.SERVER_TO_CLIENT, ByteBufUtil.getBytes(b));
      }
      super.write(ctx, msg, promise);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
      fin(Direction.SERVER_TO_CLIENT);
      super.close(ctx, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      fin(Direction.SERVER_TO_CLIENT); // when the client closed first
      fin(Direction.CLIENT_TO_SERVER);
      closed.countDown();
      super.channelInactive(ctx);
    }

    private synchronized void segment(Direction d, byte[] payload) {
      if (payload.length > 0) {
        packet(d, PacketBuilder.ACK | PacketBuilder.PSH, payload);
        seq[d.ordinal()] += payload.length;
      }
    }

    private synchronized void fin(Direction d) {
      if (d == Direction.SERVER_TO_CLIENT) {
        if (serverFin) {
          return;
        }
        serverFin = true;
      }
      packet(d, PacketBuilder.FIN | PacketBuilder.ACK, new byte[0]);
      seq[d.ordinal()]++;
    }

    private void packet(Direction d, int flags, byte[] payload) {
      boolean up = d == Direction.CLIENT_TO_SERVER;
      byte[] frame = PacketBuilder.ethernet().ipv4(up ? "10.0.0.2" : "10.0.0.1", up ? "10.0.0.1" : "10.0.0.2")
          .tcp(up ? 40000 : 8084, up ? 8084 : 40000).seq(seq[up ? 0 : 1])
          .ack((flags & PacketBuilder.ACK) != 0 ? seq[up ? 1 : 0] : 0).flags(flags).window(65535)
          .payload(payload).build();
      long now = epochNanos + (System.nanoTime() - startNanos);
      writer.writeEnhancedPacket(0, now, Unpooled.wrappedBuffer(frame), frame.length, -1, null);
    }

    synchronized ByteBuf capture() {
      writer.flush();
      return Unpooled.wrappedBuffer(bytes.toByteArray());
    }
  }
}
