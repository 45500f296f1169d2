package dev.wirelens.tls.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirelens.testkit.Hex;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** HKDF-Expand against RFC 5869 Appendix A (SHA-256 cases A.1-A.3: PRK, info, L -> OKM). */
class KeyDerivationTest {
  @ParameterizedTest(name = "RFC 5869 {0}")
  @CsvSource({
      "A.1, 077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5, f0f1f2f3f4f5f6f7f8f9, 42, "
          + "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
      "A.2, 06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244, "
          + "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
          + "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff, 82, "
          + "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09"
          + "da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87",
      "A.3, 19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04, '', 42, "
          + "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
  })
  void hkdfExpandMatchesRfc5869(String name, String prk, String info, int length, String okm) {
    assertThat(KeyDerivation.hkdfExpand("SHA-256", Hex.decode(prk), Hex.decode(info), length))
        .isEqualTo(Hex.decode(okm));
  }
}
