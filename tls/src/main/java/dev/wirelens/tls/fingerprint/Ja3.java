package dev.wirelens.tls.fingerprint;

import dev.wirelens.tls.handshake.ClientHello;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The JA3 fingerprint of a ClientHello (Salesforce, https://github.com/salesforce/ja3, BSD-3-Clause): the decimal
 * fields
 * <pre>
 * SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats
 * 771,4865-4866-4867-49195,0-23-65281-10-11-35-16-5-13-18-51-45-43-27-21,29-23-24,0
 * </pre>
 * where SSLVersion is the ClientHello's {@code legacy_version}, each list is in ClientHello order joined with
 * {@code -} (empty when absent), Ciphers are {@code cipher_suites}, Extensions the extension types, EllipticCurves
 * the {@code supported_groups} and EllipticCurvePointFormats the {@code ec_point_formats}; GREASE values (RFC 8701)
 * are left out of every list. The hash is the lower-case hex MD5 of that string. This is what tshark calls
 * {@code tls.handshake.ja3_full} and {@code tls.handshake.ja3}.
 *
 * <p>Lifetime: immutable, holds no buffer. Allocation: the strings and a few small arrays; not a hot path (once per
 * connection). Thread safety: immutable.
 *
 * <pre>{@code
 * if (hello.wrap(m.buffer(), m.bodyOffset(), m.length())) {
 *   Ja3 ja3 = Ja3.of(hello);
 *   report.ja3(ja3.hash());
 * }
 * }</pre>
 */
public final class Ja3 {
  private final String fullString;
  private final String hash;

  private Ja3(String fullString) {
    this.fullString = fullString;
    this.hash = md5Hex(fullString);
  }

  /**
   * The JA3 of a successfully wrapped ClientHello view; the view is only read during the call.
   *
   * @throws IllegalArgumentException if the view is not wrapped (misuse)
   */
  public static Ja3 of(ClientHello hello) {
    Hello h = Hello.of(hello);
    return of(h.legacyVersion, h.cipherSuites, h.extensionTypes, h.supportedGroups, h.ecPointFormats);
  }

  /**
   * The JA3 of ClientHello fields given one by one, in ClientHello order; GREASE values are removed here.
   *
   * @param legacyVersion the ClientHello's legacy_version, e.g. 0x0303
   * @param cipherSuites cipher_suites
   * @param extensionTypes the extension types
   * @param supportedGroups the supported_groups values (empty if the extension is absent)
   * @param ecPointFormats the ec_point_formats values (empty if the extension is absent)
   * @return the fingerprint
   */
  public static Ja3 of(int legacyVersion, int[] cipherSuites, int[] extensionTypes, int[] supportedGroups,
      int[] ecPointFormats) {
    StringBuilder sb = new StringBuilder(256);
    sb.append(legacyVersion).append(',');
    join(sb, Hello.withoutGrease(cipherSuites));
    sb.append(',');
    join(sb, Hello.withoutGrease(extensionTypes));
    sb.append(',');
    join(sb, Hello.withoutGrease(supportedGroups));
    sb.append(',');
    join(sb, ecPointFormats);
    return new Ja3(sb.toString());
  }

  /** The JA3 string before hashing (tshark's {@code tls.handshake.ja3_full}). */
  public String fullString() {
    return fullString;
  }

  /** The lower-case hex MD5 of {@link #fullString()} (tshark's {@code tls.handshake.ja3}). */
  public String hash() {
    return hash;
  }

  /** The hash. */
  @Override
  public String toString() {
    return hash;
  }

  private static void join(StringBuilder sb, int[] values) {
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        sb.append('-');
      }
      sb.append(values[i]);
    }
  }

  private static String md5Hex(String s) {
    try {
      // MD5 is what JA3 is defined with; it names a client, it protects nothing
      return ByteBufUtil.hexDump(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has MD5", e);
    }
  }
}
