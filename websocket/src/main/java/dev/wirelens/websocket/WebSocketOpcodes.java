package dev.wirelens.websocket;

/**
 * WebSocket frame opcodes (RFC 6455 §5.2, §11.8; IANA "WebSocket Opcode Registry"). An open set: a frame carries
 * any 4-bit value and {@link WebSocketFrame#opcode()} passes it through as an {@code int}; the reserved ones are
 * reported as violations, never rejected by the reader.
 *
 * <p>Thread safety: constants only.
 */
public final class WebSocketOpcodes {
  /** 0x0: continuation frame (RFC 6455 §5.4). */
  public static final int CONTINUATION = 0x0;
  /** 0x1: text frame, UTF-8 payload (RFC 6455 §5.6). */
  public static final int TEXT = 0x1;
  /** 0x2: binary frame (RFC 6455 §5.6). */
  public static final int BINARY = 0x2;
  /** 0x8: connection close (RFC 6455 §5.5.1). */
  public static final int CLOSE = 0x8;
  /** 0x9: ping (RFC 6455 §5.5.2). */
  public static final int PING = 0x9;
  /** 0xA: pong (RFC 6455 §5.5.3). */
  public static final int PONG = 0xA;

  private WebSocketOpcodes() {}

  /** True for opcodes 0x8-0xF, the control frames (RFC 6455 §5.5: "the most significant bit of the opcode is 1"). */
  public static boolean isControl(int opcode) {
    return (opcode & 0x8) != 0;
  }

  /** True for the reserved opcodes 0x3-0x7 and 0xB-0xF (RFC 6455 §5.2). */
  public static boolean isReserved(int opcode) {
    return (opcode >= 0x3 && opcode <= 0x7) || opcode >= 0xB;
  }

  /**
   * The name used in the audit JSON: {@code continuation}, {@code text}, {@code binary}, {@code close}, {@code
   * ping}, {@code pong}, else {@code opcode_N} (decimal).
   */
  public static String nameOf(int opcode) {
    switch (opcode) {
      case CONTINUATION: return "continuation";
      case TEXT: return "text";
      case BINARY: return "binary";
      case CLOSE: return "close";
      case PING: return "ping";
      case PONG: return "pong";
      default: return "opcode_" + opcode;
    }
  }
}
