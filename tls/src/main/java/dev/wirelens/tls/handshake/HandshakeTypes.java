package dev.wirelens.tls.handshake;

/**
 * HandshakeType values (IANA "TLS HandshakeType" registry; RFC 8446 §4, RFC 5246 §7.4). An open set: values not
 * listed pass through as ints.
 *
 * <p>Thread safety: constants only.
 */
public final class HandshakeTypes {
  /** 0: hello_request (TLS 1.2 and earlier). */
  public static final int HELLO_REQUEST = 0;
  /** 1: client_hello. */
  public static final int CLIENT_HELLO = 1;
  /** 2: server_hello (also HelloRetryRequest in TLS 1.3). */
  public static final int SERVER_HELLO = 2;
  /** 3: hello_verify_request (DTLS). */
  public static final int HELLO_VERIFY_REQUEST = 3;
  /** 4: new_session_ticket. */
  public static final int NEW_SESSION_TICKET = 4;
  /** 5: end_of_early_data. */
  public static final int END_OF_EARLY_DATA = 5;
  /** 6: hello_retry_request (reserved, never sent: RFC 8446 uses server_hello). */
  public static final int HELLO_RETRY_REQUEST = 6;
  /** 8: encrypted_extensions. */
  public static final int ENCRYPTED_EXTENSIONS = 8;
  /** 11: certificate. */
  public static final int CERTIFICATE = 11;
  /** 12: server_key_exchange. */
  public static final int SERVER_KEY_EXCHANGE = 12;
  /** 13: certificate_request. */
  public static final int CERTIFICATE_REQUEST = 13;
  /** 14: server_hello_done. */
  public static final int SERVER_HELLO_DONE = 14;
  /** 15: certificate_verify. */
  public static final int CERTIFICATE_VERIFY = 15;
  /** 16: client_key_exchange. */
  public static final int CLIENT_KEY_EXCHANGE = 16;
  /** 20: finished. */
  public static final int FINISHED = 20;
  /** 21: certificate_url (RFC 6066). */
  public static final int CERTIFICATE_URL = 21;
  /** 22: certificate_status (RFC 6066). */
  public static final int CERTIFICATE_STATUS = 22;
  /** 24: key_update. */
  public static final int KEY_UPDATE = 24;
  /** 25: compressed_certificate (RFC 8879). */
  public static final int COMPRESSED_CERTIFICATE = 25;
  /** 254: message_hash (a transcript construct, never on the wire). */
  public static final int MESSAGE_HASH = 254;

  private HandshakeTypes() {}
}
