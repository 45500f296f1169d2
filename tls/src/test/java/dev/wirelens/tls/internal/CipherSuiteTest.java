package dev.wirelens.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The suite table against the IANA "TLS Cipher Suites" registry names (the name states cipher, key and hashes). */
class CipherSuiteTest {
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      // id, IANA name, bulk, key bytes, tag bytes, mac, prf hash
      "0x1301, TLS_AES_128_GCM_SHA256, AES_GCM, 16, 16, , SHA-256",
      "0x1302, TLS_AES_256_GCM_SHA384, AES_GCM, 32, 16, , SHA-384",
      "0x1303, TLS_CHACHA20_POLY1305_SHA256, CHACHA20_POLY1305, 32, 16, , SHA-256",
      "0x1304, TLS_AES_128_CCM_SHA256, AES_CCM, 16, 16, , SHA-256",
      "0x1305, TLS_AES_128_CCM_8_SHA256, AES_CCM, 16, 8, , SHA-256",
      "0x009C, TLS_RSA_WITH_AES_128_GCM_SHA256, AES_GCM, 16, 16, , SHA-256",
      "0x009F, TLS_DHE_RSA_WITH_AES_256_GCM_SHA384, AES_GCM, 32, 16, , SHA-384",
      "0x00A9, TLS_PSK_WITH_AES_256_GCM_SHA384, AES_GCM, 32, 16, , SHA-384",
      "0xC02B, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, AES_GCM, 16, 16, , SHA-256",
      "0xC030, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, AES_GCM, 32, 16, , SHA-384",
      "0xCCA8, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, CHACHA20_POLY1305, 32, 16, , SHA-256",
      "0xCCAE, TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256, CHACHA20_POLY1305, 32, 16, , SHA-256",
      "0xC09C, TLS_RSA_WITH_AES_128_CCM, AES_CCM, 16, 16, , SHA-256",
      "0xC0A1, TLS_RSA_WITH_AES_256_CCM_8, AES_CCM, 32, 8, , SHA-256",
      "0xC0A5, TLS_PSK_WITH_AES_256_CCM, AES_CCM, 32, 16, , SHA-256",
      "0xC0AA, TLS_PSK_DHE_WITH_AES_128_CCM_8, AES_CCM, 16, 8, , SHA-256",
      "0xC0AD, TLS_ECDHE_ECDSA_WITH_AES_256_CCM, AES_CCM, 32, 16, , SHA-256",
      "0xC0AE, TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, AES_CCM, 16, 8, , SHA-256",
      "0xC0AF, TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8, AES_CCM, 32, 8, , SHA-256",
      "0x002F, TLS_RSA_WITH_AES_128_CBC_SHA, AES_CBC, 16, 0, HmacSHA1, SHA-256",
      "0xC014, TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, AES_CBC, 32, 0, HmacSHA1, SHA-256",
      "0x003D, TLS_RSA_WITH_AES_256_CBC_SHA256, AES_CBC, 32, 0, HmacSHA256, SHA-256",
      "0xC027, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, AES_CBC, 16, 0, HmacSHA256, SHA-256",
      "0xC028, TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384, AES_CBC, 32, 0, HmacSHA384, SHA-384",
      "0x000A, TLS_RSA_WITH_3DES_EDE_CBC_SHA, DES_EDE_CBC, 24, 0, HmacSHA1, SHA-256",
      "0xC012, TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA, DES_EDE_CBC, 24, 0, HmacSHA1, SHA-256",
      "0x0001, TLS_RSA_WITH_NULL_MD5, NULL, 0, 0, HmacMD5, SHA-256",
      "0x003B, TLS_RSA_WITH_NULL_SHA256, NULL, 0, 0, HmacSHA256, SHA-256",
      "0xC010, TLS_ECDHE_RSA_WITH_NULL_SHA, NULL, 0, 0, HmacSHA1, SHA-256",
  })
  void tableMatchesTheRegistryName(String id, String name, CipherSuite.Bulk bulk, int key, int tag, String mac,
      String prf) {
    CipherSuite s = CipherSuite.of(Integer.decode(id));
    assertThat(s).as(name).isNotNull();
    assertThat(s.bulk()).isEqualTo(bulk);
    assertThat(s.keyLength()).isEqualTo(key);
    assertThat(s.tagLength()).isEqualTo(tag);
    assertThat(s.macAlgorithm()).isEqualTo(mac);
    assertThat(s.prfHash()).isEqualTo(prf);
  }
}
