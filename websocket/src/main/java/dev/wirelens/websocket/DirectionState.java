package dev.wirelens.websocket;

import dev.wirelens.BorrowedViews;
import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.Malformation;
import dev.wirelens.tcp.Direction;
import dev.wirelens.websocket.internal.MessageInflater;
import dev.wirelens.websocket.internal.Utf8Validator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;

/** One direction of a WebSocket connection: its frame reader and the message-level rules. Not thread safe. */
final class DirectionState implements AutoCloseable {
  private static final int MAX_OUTSTANDING_PINGS = 64;
  private static final int CONTROL_MAX = 125;

  private final Direction direction;
  private final boolean client;
  private final WebSocketSession session;
  private final Limits limits;
  final WebSocketFrameReader reader;
  private DirectionState peer;
  private WebSocketFrameListener listener;
  private boolean deflate;
  private boolean unknownExtension;
  private MessageInflater inflater;
  private boolean stopped;

  private boolean inMessage;
  private int messageOpcode;
  private boolean messageCompressed;
  private long messageLength;
  private boolean messageFlagged;
  private boolean messageBroken;
  private WebSocketMessageListener messageListener;
  private boolean frameIsMessageData;
  private long currentFrame;
  private long currentTimestamp;
  private final Utf8Validator utf8 = new Utf8Validator();
  private final Utf8Validator reasonUtf8 = new Utf8Validator();
  private byte[] scratch = new byte[256];
  private final byte[] control = new byte[CONTROL_MAX];
  private int controlLength;
  private boolean closeSent;
  private final ArrayDeque<Object[]> pings = new ArrayDeque<>();
  private final MessageInflater.Sink sink = this::inflated;

  DirectionState(Direction direction, WebSocketSession session, Limits limits, ByteBufAllocator alloc) {
    this.direction = direction;
    this.client = direction == Direction.CLIENT_TO_SERVER;
    this.session = session;
    this.limits = limits;
    this.reader = new WebSocketFrameReader(limits, alloc);
  }

  void peer(DirectionState peer) {
    this.peer = peer;
  }

  void listener(WebSocketFrameListener listener) {
    this.listener = listener;
  }

  void messageListener(WebSocketMessageListener listener) {
    this.messageListener = listener;
  }

  void negotiated(WebSocketHandshake h) {
    deflate = h.perMessageDeflate();
    unknownExtension = h.unknownExtension();
    if (deflate) {
      boolean noTakeover = client ? h.clientNoContextTakeover() : h.serverNoContextTakeover();
      inflater = new MessageInflater(noTakeover, limits.maxInflatedLength(), limits.maxInflationRatio());
    }
  }

  boolean closeSent() {
    return closeSent;
  }

  /** Pulls every frame available and applies the rules; the reader was fed by the caller. */
  void drain(long timestampNanos) {
    if (stopped) {
      return;
    }
    currentTimestamp = timestampNanos;
    DecodeStatus s;
    while ((s = reader.next()) == DecodeStatus.FRAME) {
      WebSocketFrame f = reader.frame();
      if (listener != null) {
        listener.onFrame(direction, timestampNanos, f);
      }
      part(f);
    }
    if (s == DecodeStatus.MALFORMED) {
      long index = reader.isInsideFrame() ? reader.frameCount() - 1 : reader.frameCount();
      violation(reader.report().malformation() == Malformation.LIMIT_EXCEEDED
          ? WebSocketRule.FRAME_TOO_LONG : WebSocketRule.MALFORMED_FRAME, index);
      stop();
    }
  }

  /** A gap: the frame boundaries are lost, nothing more of this direction is dissected. */
  void gap() {
    session.gaps[direction.ordinal()]++;
    stop();
  }

  void endOfInput(long timestampNanos) {
    if (!stopped) {
      reader.endOfInput();
      drain(timestampNanos);
    }
  }

  private void stop() {
    stopped = true;
    reader.close();
  }

  private void part(WebSocketFrame f) {
    if (f.isFirstPart()) {
      header(f);
    }
    int n = f.payloadPartLength();
    if (f.isControl()) {
      int take = Math.min(n, CONTROL_MAX - controlLength);
      if (take > 0) {
        copyUnmasked(f, take);
        System.arraycopy(scratch, 0, control, controlLength, take);
        controlLength += take;
      }
    } else if (frameIsMessageData && n > 0) {
      messageLength += n;
      if (!messageFlagged && messageLength > limits.maxWebSocketMessageLength()) {
        violation(WebSocketRule.MESSAGE_TOO_LONG, f.frameIndex());
        messageFlagged = true;
      }
      if (messageCompressed) {
        copyUnmasked(f, n);
        MessageInflater.Result r = inflater.inflate(scratch, 0, n, sink);
        inflateResult(r, f.frameIndex());
      } else {
        boolean text = messageOpcode == WebSocketOpcodes.TEXT && !utf8.isInvalid();
        if (text || messageListener != null) {
          ByteBuf plain;
          if (f.isMasked()) {
            copyUnmasked(f, n);
            plain = Unpooled.wrappedBuffer(scratch, 0, n);
          } else {
            plain = f.payload();
          }
          if (text && !utf8.update(plain, plain.readerIndex(), n)) {
            violation(WebSocketRule.INVALID_UTF8, f.frameIndex());
          }
          if (messageListener != null) {
            messageData(plain);
          }
        }
      }
    }
    if (f.isLastPart()) {
      frameEnd(f);
    }
  }

  private void inflateResult(MessageInflater.Result r, long frameIndex) {
    if (r != MessageInflater.Result.OK) {
      messageBroken = true;
    }
    if (r == MessageInflater.Result.LENGTH_LIMIT_EXCEEDED) {
      violation(WebSocketRule.INFLATED_MESSAGE_TOO_LONG, frameIndex);
    } else if (r == MessageInflater.Result.RATIO_LIMIT_EXCEEDED) {
      violation(WebSocketRule.INFLATION_RATIO_EXCEEDED, frameIndex);
    } else if (r == MessageInflater.Result.INVALID_DATA) {
      violation(WebSocketRule.INVALID_DEFLATE_DATA, frameIndex);
    }
  }

  private void inflated(byte[] bytes, int offset, int length) {
    session.inflatedBytes[direction.ordinal()] += length;
    if (messageOpcode == WebSocketOpcodes.TEXT && !utf8.isInvalid() && !utf8.update(bytes, offset, length)) {
      violation(WebSocketRule.INVALID_UTF8, currentFrame);
    }
    if (messageListener != null) {
      messageData(Unpooled.wrappedBuffer(bytes, offset, length));
    }
  }

  /** Hands message bytes to the listener, lent for the call only (the stale-view check of BorrowedViews). */
  private void messageData(ByteBuf data) {
    ByteBuf lent = BorrowedViews.lend(data, "WebSocketMessageListener.onMessageData");
    try {
      messageListener.onMessageData(direction, currentTimestamp, messageOpcode, lent);
    } finally {
      BorrowedViews.revoke(lent, data);
    }
  }

  /** Copies the current part's first {@code n} payload bytes, unmasked, to the start of {@link #scratch}. */
  private void copyUnmasked(WebSocketFrame f, int n) {
    if (scratch.length < n) {
      scratch = new byte[Math.max(n, scratch.length * 2)];
    }
    f.source().getBytes(f.sourceIndex(), scratch, 0, n);
    if (f.isMasked()) {
      WebSocketUnmasker.unmask(scratch, 0, scratch, 0, n,
          Integer.rotateLeft(f.maskingKey(), (int) (f.payloadPartOffset() & 3) * 8));
    }
  }

  private void header(WebSocketFrame f) {
    long index = f.frameIndex();
    currentFrame = index;
    int op = f.opcode();
    session.frames[direction.ordinal()][op]++;
    if (client && !f.isMasked()) {
      violation(WebSocketRule.UNMASKED_CLIENT_FRAME, index);
    } else if (!client && f.isMasked()) {
      violation(WebSocketRule.MASKED_SERVER_FRAME, index);
    }
    if (f.isNonMinimalLength()) {
      violation(WebSocketRule.NON_MINIMAL_LENGTH, index);
    }
    if (WebSocketOpcodes.isReserved(op)) {
      violation(WebSocketRule.RESERVED_OPCODE, index);
    }
    boolean rsv1Allowed = deflate && (op == WebSocketOpcodes.TEXT || op == WebSocketOpcodes.BINARY);
    if (!unknownExtension && ((f.isRsv1() && !rsv1Allowed) || f.isRsv2() || f.isRsv3())) {
      violation(WebSocketRule.RESERVED_BITS_SET, index);
    }
    if (f.isRsv1() && deflate) {
      session.compressedFrames++;
    }
    if (closeSent) {
      violation(WebSocketRule.DATA_AFTER_CLOSE, index);
    }
    frameIsMessageData = false;
    if (f.isControl()) {
      controlLength = 0;
      if (!f.isFin()) {
        violation(WebSocketRule.FRAGMENTED_CONTROL_FRAME, index);
      }
      if (f.payloadLength() > CONTROL_MAX) {
        violation(WebSocketRule.OVERSIZED_CONTROL_FRAME, index);
      }
    } else if (op == WebSocketOpcodes.CONTINUATION) {
      if (!inMessage) {
        violation(WebSocketRule.CONTINUATION_WITHOUT_START, index);
      } else {
        frameIsMessageData = true;
      }
    } else if (op == WebSocketOpcodes.TEXT || op == WebSocketOpcodes.BINARY) {
      if (inMessage) {
        violation(WebSocketRule.DATA_MESSAGE_INSIDE_FRAGMENTED_MESSAGE, index);
        abandonMessage();
      }
      inMessage = true;
      messageOpcode = op;
      messageCompressed = f.isRsv1() && deflate;
      messageLength = 0;
      messageFlagged = false;
      messageBroken = false;
      utf8.reset();
      if (messageCompressed) {
        inflater.startMessage();
      }
      frameIsMessageData = true;
    }
  }

  private void abandonMessage() {
    if (messageCompressed) {
      inflater.finishMessage((b, o, l) -> { });
    }
    inMessage = false;
    if (messageListener != null) {
      messageListener.onMessageEnd(direction, currentTimestamp, messageOpcode, false);
    }
  }

  private void frameEnd(WebSocketFrame f) {
    if (f.isControl()) {
      if (f.opcode() == WebSocketOpcodes.CLOSE) {
        close(f);
      } else if (f.opcode() == WebSocketOpcodes.PING) {
        if (pings.size() == MAX_OUTSTANDING_PINGS) {
          pings.pollFirst();
          session.unansweredPings++;
        }
        pings.addLast(new Object[] {currentTimestamp, Arrays.copyOf(control, controlLength)});
      } else if (f.opcode() == WebSocketOpcodes.PONG && peer != null) {
        peer.pong(control, controlLength, currentTimestamp);
      }
      return;
    }
    if (frameIsMessageData && f.isFin()) {
      if (messageCompressed) {
        inflateResult(inflater.finishMessage(sink), f.frameIndex());
      }
      if (messageOpcode == WebSocketOpcodes.TEXT && !utf8.isInvalid() && !utf8.isComplete()) {
        violation(WebSocketRule.INVALID_UTF8, f.frameIndex());
      }
      session.messages[direction.ordinal()]++;
      inMessage = false;
      if (messageListener != null) {
        messageListener.onMessageEnd(direction, currentTimestamp, messageOpcode, !messageBroken);
      }
    }
  }

  /** A pong from the peer: pairs it with the oldest outstanding ping of this direction with the same payload. */
  private void pong(byte[] payload, int length, long timestampNanos) {
    byte[] p = Arrays.copyOf(payload, length);
    for (Iterator<Object[]> it = pings.iterator(); it.hasNext(); ) {
      Object[] ping = it.next();
      if (Arrays.equals((byte[]) ping[1], p)) {
        it.remove();
        session.addRtt(timestampNanos - (Long) ping[0]);
        return;
      }
    }
  }

  private void close(WebSocketFrame f) {
    long index = f.frameIndex();
    Integer code = null;
    String reason = "";
    if (f.payloadLength() == 1) {
      violation(WebSocketRule.INVALID_CLOSE_PAYLOAD, index);
    } else if (controlLength >= 2) {
      code = ((control[0] & 0xFF) << 8) | (control[1] & 0xFF);
      if (!validCloseCode(code)) {
        violation(WebSocketRule.INVALID_CLOSE_CODE, index);
      }
      reasonUtf8.reset();
      if (!reasonUtf8.update(control, 2, controlLength - 2) || !reasonUtf8.isComplete()) {
        violation(WebSocketRule.INVALID_UTF8, index);
      }
      reason = new String(control, 2, controlLength - 2, StandardCharsets.UTF_8);
    }
    if (!closeSent && !session.closed) {
      session.closed = true;
      session.closeCode = code;
      session.closeReason = reason;
      session.closeInitiator = direction;
    }
    closeSent = true;
  }

  /**
   * RFC 6455 §7.4.1-7.4.2 and the IANA "WebSocket Close Code Number Registry": 1000-1003 and 1007-1014 are defined
   * for use in a close frame (1004 reserved; 1005, 1006 and 1015 "MUST NOT be set as a status code in a Close
   * control frame"; the rest of 1000-2999 is for future revisions), 3000-4999 for libraries and applications.
   */
  static boolean validCloseCode(int code) {
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
  }

  private void violation(WebSocketRule rule, long frameIndex) {
    session.addViolation(new WebSocketViolation(direction, rule, frameIndex, currentTimestamp));
  }

  long outstandingPings() {
    return pings.size();
  }

  @Override
  public void close() {
    reader.close();
    if (inflater != null) {
      inflater.close();
    }
  }
}
