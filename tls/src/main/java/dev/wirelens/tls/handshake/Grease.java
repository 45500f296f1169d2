package dev.wirelens.tls.handshake;

/**
 * GREASE values (RFC 8701 §2): the reserved 16-bit values {@code 0x0A0A, 0x1A1A, ..., 0xFAFA} a client sends in
 * cipher suites, extension types, named groups, signature algorithms and versions so that servers keep tolerating
 * unknown values; and the reserved 8-bit PskKeyExchangeModes values 0x0B, 0x2A, 0x49, 0x68, 0x87, 0xA6, 0xC5 and
 * 0xE4 (RFC 8701 §2). Fingerprints (JA3, JA4) leave them out.
 *
 * <p>Allocation: none. Thread safety: stateless.
 *
 * <pre>{@code
 * for (int i = 0; i < hello.cipherSuiteCount(); i++) {
 *   if (!Grease.isGrease(hello.cipherSuite(i))) suites.add(hello.cipherSuite(i));
 * }
 * }</pre>
 */
public final class Grease {
  private Grease() {}

  /** True for a 16-bit GREASE value: both bytes equal and of the form 0x?A. */
  public static boolean isGrease(int value) {
    return (value & 0xffff0000) == 0 && (value & 0x0f0f) == 0x0a0a && (value >>> 8) == (value & 0xff);
  }

  /** True for an 8-bit GREASE value of PskKeyExchangeModes (RFC 8701 §2): 0x0B, 0x2A, 0x49, ..., 0xE4. */
  public static boolean isGreasePskMode(int value) {
    return value >= 0x0b && value <= 0xe4 && (value - 0x0b) % 0x1f == 0;
  }
}
