package dev.wirelens.tls.fingerprint;

import dev.wirelens.tls.handshake.ClientHello;
import dev.wirelens.tls.handshake.Grease;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The JA4 client fingerprint of a ClientHello, as specified by FoxIO in {@code technical_details/JA4.md} of
 * https://github.com/FoxIO-LLC/ja4 (JA4 is BSD-3-Clause; the other JA4+ methods are not implemented here):
 * <pre>
 * t13d1516h2_8daaf6152771_e5627efa2ab1
 * a: transport (t TCP, q QUIC, d DTLS), version ("13", "12", "11", "10", "s3", "s2", "d1", "d2", "d3", else "00"),
 *    d if a server_name extension is present else i, cipher count and extension count (2 digits, at most 99),
 *    first and last character of the first ALPN value ("00" without one)
 * b: first 12 hex of SHA-256 of the cipher suites as 4-digit lower-case hex, sorted, comma-separated
 * c: first 12 hex of SHA-256 of the extension types sorted without server_name (0000) and ALPN (0010), then
 *    "_" and the signature_algorithms in ClientHello order (no "_" when there are none)
 * </pre>
 * GREASE values (RFC 8701) are left out everywhere. The version is the highest {@code supported_versions} value
 * when that extension is present, else {@code legacy_version}. When the first ALPN value starts or ends with a byte
 * that is not an ASCII letter or digit, the first and last characters of its hex form are used. An empty cipher or
 * extension list gives {@code 000000000000} for b or c.
 *
 * <p>Lifetime: immutable, holds no buffer. Allocation: strings and small arrays; once per connection. Thread safety:
 * immutable.
 *
 * <pre>{@code
 * if (hello.wrap(m.buffer(), m.bodyOffset(), m.length())) {
 *   report.ja4(Ja4.of(hello).fingerprint());
 * }
 * }</pre>
 */
public final class Ja4 {
  /** Transport character for TLS over TCP. */
  public static final char TCP = 't';
  /** Transport character for QUIC. */
  public static final char QUIC = 'q';
  /** Transport character for DTLS. */
  public static final char DTLS = 'd';

  private static final String EMPTY_HASH = "000000000000";

  private final String a;
  private final String b;
  private final String c;
  private final String raw;

  private Ja4(String a, String b, String c, String raw) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.raw = raw;
  }

  /**
   * The JA4 of a successfully wrapped ClientHello view carried over TCP; the view is only read during the call.
   *
   * @throws IllegalArgumentException if the view is not wrapped (misuse)
   */
  public static Ja4 of(ClientHello hello) {
    return of(hello, TCP);
  }

  /**
   * The JA4 of a successfully wrapped ClientHello view carried over {@code transport}. The view reads the TLS layout
   * (as QUIC carries it too); a DTLS ClientHello, which has a cookie field, goes through the field-by-field factory.
   *
   * @param transport {@link #TCP}, {@link #QUIC} or {@link #DTLS}
   * @throws IllegalArgumentException if the view is not wrapped or the transport is another character (misuse)
   */
  public static Ja4 of(ClientHello hello, char transport) {
    Hello h = Hello.of(hello);
    return of(transport, h.legacyVersion, h.supportedVersions, h.cipherSuites, h.extensionTypes, h.firstAlpn,
        h.signatureAlgorithms);
  }

  /**
   * The JA4 of ClientHello fields given one by one, in ClientHello order; GREASE values are removed here.
   *
   * @param transport {@link #TCP}, {@link #QUIC} or {@link #DTLS}
   * @param legacyVersion the ClientHello's legacy_version
   * @param supportedVersions the supported_versions values, or {@code null} when the extension is absent
   * @param cipherSuites cipher_suites
   * @param extensionTypes every extension type (server_name and ALPN included)
   * @param firstAlpn the bytes of the first ALPN protocol name, or {@code null} when there is none
   * @param signatureAlgorithms the signature_algorithms values (empty when the extension is absent)
   * @return the fingerprint
   * @throws IllegalArgumentException for a transport other than t, q or d (misuse)
   */
  public static Ja4 of(char transport, int legacyVersion, int[] supportedVersions, int[] cipherSuites,
      int[] extensionTypes, byte[] firstAlpn, int[] signatureAlgorithms) {
    if (transport != TCP && transport != QUIC && transport != DTLS) {
      throw new IllegalArgumentException("transport must be t, q or d: " + transport);
    }
    int[] ciphers = Hello.withoutGrease(cipherSuites);
    int[] extensions = Hello.withoutGrease(extensionTypes);
    int[] sigs = Hello.withoutGrease(signatureAlgorithms);
    boolean sni = false;
    for (int e : extensions) {
      sni |= e == 0x0000;
    }
    String a = String.valueOf(transport) + versionCode(legacyVersion, supportedVersions) + (sni ? 'd' : 'i')
        + twoDigits(ciphers.length) + twoDigits(extensions.length) + alpnCode(firstAlpn);

    int[] sortedCiphers = ciphers.clone();
    Arrays.sort(sortedCiphers);
    String cipherList = hexList(sortedCiphers);

    int[] sortedExtensions = Arrays.stream(extensions).filter(e -> e != 0x0000 && e != 0x0010).sorted().toArray();
    String extensionList = hexList(sortedExtensions);
    if (sigs.length > 0) {
      extensionList = extensionList + "_" + hexList(sigs);
    }
    String b = sortedCiphers.length == 0 ? EMPTY_HASH : sha256Prefix(cipherList);
    String c = sortedExtensions.length == 0 ? EMPTY_HASH : sha256Prefix(extensionList);
    String raw = a + "_" + cipherList + "_" + extensionList;
    return new Ja4(a, b, c, raw);
  }

  /** The fingerprint {@code a_b_c}, e.g. {@code t13d1516h2_8daaf6152771_e5627efa2ab1}. */
  public String fingerprint() {
    return a + "_" + b + "_" + c;
  }

  /** Part a, unhashed: transport, version, SNI, counts, ALPN, e.g. {@code t13d1516h2}. */
  public String a() {
    return a;
  }

  /** Part b: the truncated hash of the sorted cipher suites. */
  public String b() {
    return b;
  }

  /** Part c: the truncated hash of the sorted extensions and the signature algorithms. */
  public String c() {
    return c;
  }

  /**
   * The raw form JA4_r: part a, then the sorted cipher list and the extension/signature-algorithm list that b and c
   * hash, e.g. {@code t13d1516h2_002f,0035,..._0005,000a,..._0403,0804,...}.
   */
  public String raw() {
    return raw;
  }

  /** The fingerprint. */
  @Override
  public String toString() {
    return fingerprint();
  }

  private static String versionCode(int legacyVersion, int[] supportedVersions) {
    int version = legacyVersion;
    if (supportedVersions != null) {
      // "the highest value in the extension"; DTLS counts down (0xfefc is DTLS 1.3), so highest means lowest there
      int best = -1;
      for (int v : supportedVersions) {
        if (Grease.isGrease(v)) {
          continue;
        }
        if (best < 0 || newer(v, best)) {
          best = v;
        }
      }
      if (best >= 0) {
        version = best;
      }
    }
    switch (version) {
      case 0x0304: return "13";
      case 0x0303: return "12";
      case 0x0302: return "11";
      case 0x0301: return "10";
      case 0x0300: return "s3";
      case 0x0002: return "s2";
      case 0xfeff: return "d1";
      case 0xfefd: return "d2";
      case 0xfefc: return "d3";
      default: return "00";
    }
  }

  private static boolean newer(int v, int than) {
    boolean dtls = v >= 0xfe00 && than >= 0xfe00;
    return dtls ? v < than : v > than;
  }

  private static String twoDigits(int n) {
    int m = Math.min(n, 99);
    return m < 10 ? "0" + m : Integer.toString(m);
  }

  private static String alpnCode(byte[] alpn) {
    if (alpn == null || alpn.length == 0) {
      return "00";
    }
    int first = alpn[0] & 0xff;
    int last = alpn[alpn.length - 1] & 0xff;
    if (isAlnum(first) && isAlnum(last)) {
      return "" + (char) first + (char) last;
    }
    String hex = "0123456789abcdef";
    return "" + hex.charAt(first >>> 4) + hex.charAt(last & 0xf);
  }

  private static boolean isAlnum(int b) {
    return (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z');
  }

  private static String hexList(int[] values) {
    StringBuilder sb = new StringBuilder(values.length * 5);
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      String h = Integer.toHexString(values[i]);
      for (int k = h.length(); k < 4; k++) {
        sb.append('0');
      }
      sb.append(h);
    }
    return sb.toString();
  }

  private static String sha256Prefix(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
      return ByteBufUtil.hexDump(d, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
