package dev.wirelens.benchmarks.websocket;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.benchmarks.AbstractMicrobenchmark;
import dev.wirelens.websocket.WebSocketFrame;
import dev.wirelens.websocket.WebSocketFrameReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One WebSocket frame per operation, read and unmasked, beside Netty's {@link WebSocket08FrameDecoder} on the same
 * bytes (Netty's own benchmark grid of payload sizes, plus 125 B, 16 KiB and 64 KiB; masked as a client sends,
 * unmasked as a server sends; heap and direct input).
 *
 * <ul>
 *   <li>{@code harness}: the {@code retainedDuplicate()} of the input that every other path feeds; subtract its
 *       B/op from theirs.</li>
 *   <li>{@code wirelensView}: {@code feed} + {@code next()}, header fields and the part's length read: the view
 *       path, gate 0 B/op beyond the harness.</li>
 *   <li>{@code wirelensSlice}: the same, plus {@code payload()}, the part as a slice of the input (one slice
 *       object, no copy, no unmasking).</li>
 *   <li>{@code wirelensUnmaskTo}: the same, then {@code unmaskTo} a reused buffer (the unmasked bytes are copied,
 *       as Netty's decoder always does): gate 0 B/op.</li>
 *   <li>{@code floorCopy}: no decoding at all, just {@code writeBytes} of the frame's payload bytes (still masked)
 *       from the input into the same reused buffer: the least any decoder that hands out the unmasked payload in
 *       a buffer of its own must do, measured in the same run as the others.</li>
 *   <li>{@code netty}: {@code EmbeddedChannel.writeInbound} through a {@code WebSocket08FrameDecoder}, then {@code
 *       readInbound} and release of its {@code WebSocketFrame} (the decoder copies the payload into a new buffer
 *       from the channel's allocator and unmasks it there). Netty's decoder needs a channel, hence the
 *       benchmarks-only netty-transport dependency.</li>
 * </ul>
 *
 * <p>Input: {@code readOnly=true} feeds a read-only view of a heap (or direct) buffer: no backing array is
 * exposed, so Wirelens copies the payload in bulk and unmasks the copy in place, exactly Netty's shape (Netty's
 * decoder always copies into a new buffer from the channel's allocator, then unmasks that in place).
 * {@code readOnly=false} feeds the buffer itself, as the capture reader's buffers are (heap: Wirelens unmasks in one
 * pass from the captured bytes to the output; Netty does the same copy-then-unmask as before).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.wirelens.benchmarks.websocket.WebSocketFrameReaderBenchmark -f 1 -wi 2 -i 3}.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-da", "-dsa", "-Dio.netty.leakDetection.level=disabled",
    "-Dio.netty.leakDetectionLevel=disabled", "-Xms512m", "-Xmx512m"})
public class WebSocketFrameReaderBenchmark extends AbstractMicrobenchmark {
  @Param({"0", "2", "4", "8", "32", "100", "125", "1000", "3000", "16384", "65536"})
  public int payload;

  @Param({"true", "false"})
  public boolean masked;

  @Param({"false", "true"})
  public boolean direct;

  @Param({"true", "false"})
  public boolean readOnly;

  private ByteBuf input;
  private int headerLength;
  private ByteBuf out;
  private WebSocketFrameReader reader;
  private EmbeddedChannel channel;

  @Setup(Level.Trial)
  public void setUp() {
    byte[] data = new byte[payload];
    new Random(payload).nextBytes(data);
    ByteBuf frame = direct ? Unpooled.directBuffer(payload + 14) : Unpooled.buffer(payload + 14);
    frame.writeByte(0x82);
    int mask = masked ? 0x80 : 0;
    if (payload < 126) {
      frame.writeByte(mask | payload);
    } else if (payload <= 0xFFFF) {
      frame.writeByte(mask | 126).writeShort(payload);
    } else {
      frame.writeByte(mask | 127).writeLong(payload);
    }
    byte[] key = {0x37, (byte) 0xfa, 0x21, 0x3d};
    if (masked) {
      frame.writeBytes(key);
    }
    headerLength = frame.writerIndex();
    for (int i = 0; i < payload; i++) {
      frame.writeByte(masked ? data[i] ^ key[i & 3] : data[i]);
    }
    input = Unpooled.unreleasableBuffer(readOnly ? frame.asReadOnly() : frame);
    out = direct ? Unpooled.directBuffer(Math.max(1, payload)) : Unpooled.buffer(Math.max(1, payload));
    reader = new WebSocketFrameReader(Limits.defaults());
    channel = new EmbeddedChannel(new WebSocket08FrameDecoder(WebSocketDecoderConfig.newBuilder()
        .expectMaskedFrames(masked).allowMaskMismatch(true).allowExtensions(true).maxFramePayloadLength(1 << 20)
        .build()));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    reader.close();
    channel.finishAndReleaseAll();
    out.release();
  }

  /** The harness alone: the {@code retainedDuplicate()} every path feeds (its bytes are in every path's B/op). */
  @Benchmark
  public int harness() {
    ByteBuf b = input.retainedDuplicate();
    int n = b.readableBytes();
    b.release();
    return n;
  }

  @Benchmark
  public int wirelensView() {
    reader.feed(input.retainedDuplicate());
    if (reader.next() != DecodeStatus.FRAME) {
      throw new IllegalStateException();
    }
    WebSocketFrame f = reader.frame();
    int n = f.payloadPartLength() + f.opcode() + f.maskingKey();
    reader.next();
    return n;
  }

  @Benchmark
  public int wirelensSlice() {
    reader.feed(input.retainedDuplicate());
    if (reader.next() != DecodeStatus.FRAME) {
      throw new IllegalStateException();
    }
    WebSocketFrame f = reader.frame();
    int n = f.payload().readableBytes() + f.opcode();
    reader.next();
    return n;
  }

  @Benchmark
  public int wirelensUnmaskTo() {
    reader.feed(input.retainedDuplicate());
    if (reader.next() != DecodeStatus.FRAME) {
      throw new IllegalStateException();
    }
    out.clear();
    reader.frame().unmaskTo(out);
    reader.next();
    return out.writerIndex();
  }

  /** The bandwidth floor: the payload's bytes written once into the reused output buffer, nothing decoded. */
  @Benchmark
  public int floorCopy() {
    out.clear();
    out.writeBytes(input, headerLength, payload);
    return out.writerIndex();
  }

  @Benchmark
  public int netty() {
    channel.writeInbound(input.retainedDuplicate());
    io.netty.handler.codec.http.websocketx.WebSocketFrame f = channel.readInbound();
    int n = f.content().readableBytes();
    f.release();
    return n;
  }

  public static void main(String[] args) throws Exception {
    run(WebSocketFrameReaderBenchmark.class, args);
  }
}
