package dev.wirelens.websocket;

/**
 * The protocol rules whose violations {@link WebSocketConnectionDissector} reports as {@link WebSocketViolation}s:
 * the stream is still dissected, the rule-breaking frame is shown. {@link #ruleName()} is the {@code rule} string of
 * the audit JSON. A rule that comes from a cap names exactly one {@code Limits} accessor in its Javadoc.
 *
 * <p>Thread safety: immutable.
 */
public enum WebSocketRule {
  /** RFC 6455 §5.1: "a client MUST mask all frames that it sends to the server". */
  UNMASKED_CLIENT_FRAME("unmasked_client_frame"),
  /** RFC 6455 §5.1: "A server MUST NOT mask any frames that it sends to the client". */
  MASKED_SERVER_FRAME("masked_server_frame"),
  /** RFC 6455 §5.5: "Control frames themselves MUST NOT be fragmented". */
  FRAGMENTED_CONTROL_FRAME("fragmented_control_frame"),
  /** RFC 6455 §5.5: "All control frames MUST have a payload length of 125 bytes or less". */
  OVERSIZED_CONTROL_FRAME("oversized_control_frame"),
  /** RFC 6455 §5.2: opcodes 0x3-0x7 and 0xB-0xF are reserved; receiving one fails the connection. */
  RESERVED_OPCODE("reserved_opcode"),
  /**
   * RFC 6455 §5.2: RSV1-3 "MUST be 0 unless an extension is negotiated that defines meanings"; RFC 7692 §6: RSV1
   * only on the first frame of a data message under permessage-deflate.
   */
  RESERVED_BITS_SET("reserved_bits_set"),
  /** RFC 6455 §5.2: "the minimal number of bytes MUST be used to encode the length". */
  NON_MINIMAL_LENGTH("non_minimal_length"),
  /** RFC 6455 §5.4: a continuation frame with no fragmented message in progress. */
  CONTINUATION_WITHOUT_START("continuation_without_start"),
  /** RFC 6455 §5.4: a new text or binary frame while a fragmented message is unfinished (no interleaving). */
  DATA_MESSAGE_INSIDE_FRAGMENTED_MESSAGE("data_message_inside_fragmented_message"),
  /** RFC 6455 §5.5.1: after sending a Close frame, an endpoint "MUST NOT send any more data frames". */
  DATA_AFTER_CLOSE("data_after_close"),
  /** RFC 6455 §5.6, §8.1: text messages and close reasons are UTF-8 (checked across fragments). */
  INVALID_UTF8("invalid_utf8"),
  /** RFC 6455 §7.4: a close status code outside the ranges an endpoint may send. */
  INVALID_CLOSE_CODE("invalid_close_code"),
  /** RFC 6455 §5.5.1: a close body of one byte (a code is two bytes). */
  INVALID_CLOSE_PAYLOAD("invalid_close_payload"),
  /** RFC 7692 §7.2.2: a compressed message that does not inflate. */
  INVALID_DEFLATE_DATA("invalid_deflate_data"),
  /**
   * {@code Limits.maxInflatedLength()}: a compressed message (RFC 7692) that inflates to more bytes than the limit, a
   * decompression bomb; the rest of the message is not inflated.
   */
  INFLATED_MESSAGE_TOO_LONG("inflated_message_too_long"),
  /**
   * {@code Limits.maxInflationRatio()}: a compressed message whose inflated bytes, past 1 MiB, outgrow the ratio
   * times the compressed bytes read, a decompression bomb; the rest of the message is not inflated. When both this
   * and {@link #INFLATED_MESSAGE_TOO_LONG} would stop the message at the same byte, that one is reported.
   */
  INFLATION_RATIO_EXCEEDED("inflation_ratio_exceeded"),
  /** {@code Limits.maxWebSocketMessageLength()}: a message longer than the limit. */
  MESSAGE_TOO_LONG("message_too_long"),
  /**
   * {@code Limits.maxWebSocketFrameLength()}: a frame announcing a longer payload (RFC 6455 §10.4 lets an endpoint
   * cap it); the frame stream is not framed any further, nothing after it is dissected.
   */
  FRAME_TOO_LONG("frame_too_long"),
  /**
   * The frame stream cannot be framed any further: a 64-bit length with the top bit set (RFC 6455 §5.2), or the
   * stream ended inside a frame; nothing after it is dissected.
   */
  MALFORMED_FRAME("malformed_frame");

  private final String ruleName;

  WebSocketRule(String ruleName) {
    this.ruleName = ruleName;
  }

  /** The snake_case name used in the audit JSON ({@code "unmasked_client_frame"}). */
  public String ruleName() {
    return ruleName;
  }
}
