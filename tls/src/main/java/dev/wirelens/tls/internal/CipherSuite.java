package dev.wirelens.tls.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * What decryption needs to know about a cipher suite (the key exchange does not matter once a key log gives the
 * secrets): the bulk cipher and its key and IV lengths, the record MAC, and the hash of the PRF or HKDF. Internal:
 * not exported; no compatibility promise.
 *
 * <p>Names: none here; a suite's IANA name is {@link dev.wirelens.tls.CipherSuites#nameOf(int)}, and
 * CipherSuiteNamesTest checks that every entry's parameters are the ones its name states.
 *
 * <p>Sources: the IANA "TLS Cipher Suites" registry; RFC 5246 Appendix C (key and IV sizes), RFC 5288 (GCM),
 * RFC 6655 (CCM), RFC 7905 (ChaCha20-Poly1305), RFC 8446 Appendix B.4 (TLS 1.3 suites).
 *
 * <p>Thread safety: immutable.
 */
public final class CipherSuite {
  /** The bulk cipher family, which decides the record layout. */
  public enum Bulk {
    /** AES-GCM: TLS 1.2 4-byte salt and 8-byte explicit nonce (RFC 5288); TLS 1.3 iv XOR seq. */
    AES_GCM,
    /** AES-CCM with a 16- or 8-byte tag: nonce layout as GCM (RFC 6655). */
    AES_CCM,
    /** ChaCha20-Poly1305: 12-byte iv XOR seq (RFC 7905, RFC 8446). */
    CHACHA20_POLY1305,
    /** AES-CBC with HMAC (RFC 5246 §6.2.3.2). */
    AES_CBC,
    /** 3DES-EDE-CBC with HMAC. */
    DES_EDE_CBC,
    /** No encryption, HMAC only (RFC 5246 NULL suites). */
    NULL
  }

  private static final Map<Integer, CipherSuite> TABLE = new HashMap<>();

  private final int id;
  private final Bulk bulk;
  private final int keyLength;
  private final int tagLength;
  private final String macAlgorithm;
  private final int macLength;
  private final String prfHash;

  private CipherSuite(int id, Bulk bulk, int keyLength, int tagLength, String macAlgorithm, int macLength,
      String prfHash) {
    this.id = id;
    this.bulk = bulk;
    this.keyLength = keyLength;
    this.tagLength = tagLength;
    this.macAlgorithm = macAlgorithm;
    this.macLength = macLength;
    this.prfHash = prfHash;
  }

  /** The suite with IANA id {@code id}, or {@code null} when decryption does not support it. */
  public static CipherSuite of(int id) {
    return TABLE.get(id);
  }

  /** The IANA cipher suite id. */
  public int id() {
    return id;
  }

  /** The bulk cipher family. */
  public Bulk bulk() {
    return bulk;
  }

  /** The encryption key length in bytes (0 for NULL). */
  public int keyLength() {
    return keyLength;
  }

  /** The AEAD tag length in bytes (0 for CBC and NULL). */
  public int tagLength() {
    return tagLength;
  }

  /** The JCA name of the record MAC ({@code HmacSHA1}...), {@code null} for AEAD suites. */
  public String macAlgorithm() {
    return macAlgorithm;
  }

  /** The record MAC length in bytes (0 for AEAD suites). */
  public int macLength() {
    return macLength;
  }

  /** The JCA name of the TLS 1.2 PRF / TLS 1.3 HKDF hash: {@code SHA-256} or {@code SHA-384}. */
  public String prfHash() {
    return prfHash;
  }

  /** True for TLS 1.3 suites (0x1301..0x1305). */
  public boolean isTls13() {
    return (id & 0xff00) == 0x1300;
  }

  /** The length of the TLS 1.2 fixed IV in the key block (RFC 5246 §6.3, RFC 5288 §3, RFC 7905 §2). */
  public int fixedIvLength() {
    switch (bulk) {
      case AES_GCM:
      case AES_CCM:
        return 4;
      case CHACHA20_POLY1305:
        return 12;
      case AES_CBC:
        return 16;
      case DES_EDE_CBC:
        return 8;
      default:
        return 0;
    }
  }

  /** The cipher block length (CBC), 0 otherwise. */
  public int blockLength() {
    return bulk == Bulk.AES_CBC ? 16 : bulk == Bulk.DES_EDE_CBC ? 8 : 0;
  }

  private static void aead(int id, Bulk bulk, int keyLength, int tagLength, String prfHash) {
    TABLE.put(id, new CipherSuite(id, bulk, keyLength, tagLength, null, 0, prfHash));
  }

  private static void mac(int id, Bulk bulk, int keyLength, String mac, String prfHash) {
    int macLength = switch (mac) {
      case "HmacMD5" -> 16;
      case "HmacSHA1" -> 20;
      case "HmacSHA256" -> 32;
      case "HmacSHA384" -> 48;
      default -> throw new IllegalArgumentException(mac);
    };
    TABLE.put(id, new CipherSuite(id, bulk, keyLength, 0, mac, macLength, prfHash));
  }

  static {
    String s256 = "SHA-256";
    String s384 = "SHA-384";
    // TLS 1.3 (RFC 8446 Appendix B.4)
    aead(0x1301, Bulk.AES_GCM, 16, 16, s256);
    aead(0x1302, Bulk.AES_GCM, 32, 16, s384);
    aead(0x1303, Bulk.CHACHA20_POLY1305, 32, 16, s256);
    aead(0x1304, Bulk.AES_CCM, 16, 16, s256);
    aead(0x1305, Bulk.AES_CCM, 16, 8, s256);
    // AES-GCM, RFC 5288 and RFC 5487 (PSK): 0x009C..0x00AD alternate AES-128 (SHA-256) and AES-256 (SHA-384)
    for (int id = 0x009C; id <= 0x00AD; id++) {
      boolean aes128 = (id & 1) == 0;
      aead(id, Bulk.AES_GCM, aes128 ? 16 : 32, 16, aes128 ? s256 : s384);
    }
    // ECDHE/ECDH AES-GCM, RFC 5289: 0xC02B..0xC032, odd = AES-128
    for (int id = 0xC02B; id <= 0xC032; id++) {
      boolean aes128 = (id & 1) == 1;
      aead(id, Bulk.AES_GCM, aes128 ? 16 : 32, 16, aes128 ? s256 : s384);
    }
    aead(0xD001, Bulk.AES_GCM, 16, 16, s256); // ECDHE_PSK, RFC 8442
    aead(0xD002, Bulk.AES_GCM, 32, 16, s384);
    aead(0xD003, Bulk.AES_CCM, 16, 8, s256);
    aead(0xD005, Bulk.AES_CCM, 16, 16, s256);
    // ChaCha20-Poly1305, RFC 7905: 0xCCA8..0xCCAE
    for (int id = 0xCCA8; id <= 0xCCAE; id++) {
      aead(id, Bulk.CHACHA20_POLY1305, 32, 16, s256);
    }
    // AES-CCM, RFC 6655 (0xC09C..0xC0AB: groups of four, CCM then CCM_8 alternating) and RFC 7251 (ECDHE_ECDSA:
    // 0xC0AC/0xC0AD CCM, 0xC0AE/0xC0AF CCM_8); AES-128 at even ids
    for (int id = 0xC09C; id <= 0xC0AF; id++) {
      int k = id - 0xC09C;
      boolean ccm8 = id >= 0xC0AC ? id >= 0xC0AE : ((k >> 2) & 1) == 1;
      aead(id, Bulk.AES_CCM, (k & 1) == 0 ? 16 : 32, ccm8 ? 8 : 16, s256);
    }
    // CBC with HMAC-SHA1 (RFC 5246, RFC 3268, RFC 4492, RFC 4279); PRF SHA-256 under TLS 1.2
    int[] aes128Sha = {0x002F, 0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0xC004, 0xC009, 0xC00E, 0xC013, 0xC018,
        0x008C, 0x0090, 0x0094, 0xC035};
    int[] aes256Sha = {0x0035, 0x0036, 0x0037, 0x0038, 0x0039, 0x003A, 0xC005, 0xC00A, 0xC00F, 0xC014, 0xC019,
        0x008D, 0x0091, 0x0095, 0xC036};
    int[] desSha = {0x000A, 0x000D, 0x0010, 0x0013, 0x0016, 0x001B, 0xC003, 0xC008, 0xC00D, 0xC012, 0xC017,
        0x008B, 0x008F, 0x0093, 0xC034};
    for (int id : aes128Sha) {
      mac(id, Bulk.AES_CBC, 16, "HmacSHA1", s256);
    }
    for (int id : aes256Sha) {
      mac(id, Bulk.AES_CBC, 32, "HmacSHA1", s256);
    }
    for (int id : desSha) {
      mac(id, Bulk.DES_EDE_CBC, 24, "HmacSHA1", s256);
    }
    // CBC with HMAC-SHA256 / SHA-384 (RFC 5246, RFC 5289, RFC 5487)
    int[] aes128Sha256 = {0x003C, 0x003E, 0x003F, 0x0040, 0x0067, 0x006C, 0xC023, 0xC025, 0xC027, 0xC029,
        0x00AE, 0x00B2, 0x00B6, 0xC037};
    int[] aes256Sha256 = {0x003D, 0x0068, 0x0069, 0x006A, 0x006B, 0x006D};
    int[] aes256Sha384 = {0xC024, 0xC026, 0xC028, 0xC02A, 0x00AF, 0x00B3, 0x00B7, 0xC038};
    for (int id : aes128Sha256) {
      mac(id, Bulk.AES_CBC, 16, "HmacSHA256", s256);
    }
    for (int id : aes256Sha256) {
      mac(id, Bulk.AES_CBC, 32, "HmacSHA256", s256);
    }
    for (int id : aes256Sha384) {
      mac(id, Bulk.AES_CBC, 32, "HmacSHA384", s384);
    }
    // NULL encryption (RFC 5246, RFC 4492, RFC 4785, RFC 5487)
    mac(0x0001, Bulk.NULL, 0, "HmacMD5", s256);
    mac(0x0002, Bulk.NULL, 0, "HmacSHA1", s256);
    mac(0x003B, Bulk.NULL, 0, "HmacSHA256", s256);
    for (int id : new int[] {0xC001, 0xC006, 0xC00B, 0xC010, 0xC015, 0x002C, 0x002D, 0x002E, 0xC039}) {
      mac(id, Bulk.NULL, 0, "HmacSHA1", s256);
    }
    for (int id : new int[] {0x00B0, 0x00B4, 0x00B8, 0xC03A}) {
      mac(id, Bulk.NULL, 0, "HmacSHA256", s256);
    }
    for (int id : new int[] {0x00B1, 0x00B5, 0x00B9, 0xC03B}) {
      mac(id, Bulk.NULL, 0, "HmacSHA384", s384);
    }
  }
}
