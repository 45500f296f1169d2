package dev.wirelens.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.tls.CipherSuites;
import org.junit.jupiter.api.Test;

/**
 * The crypto parameters of every suite decryption supports, against its IANA name in {@link CipherSuites} (the
 * names table generated from the IANA registry and checked against tshark by NameTablesTest): the name states the
 * bulk cipher and key size ({@code AES_128_GCM}, {@code 3DES_EDE_CBC}, ...), the CCM_8 short tag, and the MAC or,
 * for AEAD and TLS 1.3 suites, the PRF hash ({@code _SHA256}, {@code _SHA384}). The internal table keeps ids and
 * parameters only; names live in CipherSuites.
 */
class CipherSuiteNamesTest {
  @Test
  void everySupportedSuiteIsRegisteredAndItsIanaNameStatesItsParameters() {
    int checked = 0;
    for (int id = 0; id <= 0xFFFF; id++) {
      CipherSuite s = CipherSuite.of(id);
      if (s == null) {
        continue;
      }
      String name = CipherSuites.nameOf(id);
      assertThat(name).as("0x%04X has an IANA name", id).isNotNull();
      String cipher = name.contains("_WITH_") ? name.substring(name.indexOf("_WITH_") + 6) : name.substring(4);
      assertThat(s.id()).isEqualTo(id);
      assertThat(s.bulk()).as(name).isEqualTo(expectedBulk(cipher));
      assertThat(s.keyLength()).as(name).isEqualTo(expectedKeyLength(cipher));
      boolean aead = s.bulk() == CipherSuite.Bulk.AES_GCM || s.bulk() == CipherSuite.Bulk.AES_CCM
          || s.bulk() == CipherSuite.Bulk.CHACHA20_POLY1305;
      assertThat(s.tagLength()).as(name).isEqualTo(aead ? (cipher.contains("_CCM_8") ? 8 : 16) : 0);
      assertThat(s.macAlgorithm()).as(name).isEqualTo(aead ? null : expectedMac(cipher));
      assertThat(s.prfHash()).as(name).isEqualTo(name.endsWith("_SHA384") ? "SHA-384" : "SHA-256");
      assertThat(s.isTls13()).as(name).isEqualTo(!name.contains("_WITH_"));
      checked++;
    }
    assertThat(checked).as("suites checked").isGreaterThan(100);
  }

  private static CipherSuite.Bulk expectedBulk(String cipher) {
    if (cipher.contains("_GCM")) {
      return CipherSuite.Bulk.AES_GCM;
    }
    if (cipher.contains("_CCM")) {
      return CipherSuite.Bulk.AES_CCM;
    }
    if (cipher.startsWith("CHACHA20_POLY1305")) {
      return CipherSuite.Bulk.CHACHA20_POLY1305;
    }
    if (cipher.startsWith("3DES_EDE_CBC_")) {
      return CipherSuite.Bulk.DES_EDE_CBC;
    }
    if (cipher.startsWith("AES_") && cipher.contains("_CBC_")) {
      return CipherSuite.Bulk.AES_CBC;
    }
    if (cipher.startsWith("NULL_")) {
      return CipherSuite.Bulk.NULL;
    }
    throw new AssertionError("no rule for " + cipher);
  }

  private static int expectedKeyLength(String cipher) {
    if (cipher.startsWith("AES_128")) {
      return 16;
    }
    if (cipher.startsWith("AES_256") || cipher.startsWith("CHACHA20")) {
      return 32;
    }
    if (cipher.startsWith("3DES_EDE")) {
      return 24;
    }
    return 0;
  }

  private static String expectedMac(String cipher) {
    String mac = cipher.substring(cipher.lastIndexOf('_') + 1);
    switch (mac) {
      case "MD5": return "HmacMD5";
      case "SHA": return "HmacSHA1";
      case "SHA256": return "HmacSHA256";
      case "SHA384": return "HmacSHA384";
      default: throw new AssertionError("no MAC in " + cipher);
    }
  }
}
