package dev.wirelens.tls.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wirelens.tls.handshake.ClientHello;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * JA4 against the vectors of FoxIO's specification (technical_details/JA4.md, BSD-3-Clause) and against JA4 values
 * published by suricata-verify and Arkime for corpus ClientHellos (fingerprint/ja4-expected.tsv). tshark 4.0.17 has
 * no JA4 field, so there is no tshark oracle for JA4.
 */
class Ja4Test {
  // JA4.md "Raw Output", JA4_ro: the lists in ClientHello order, GREASE already removed
  private static final int[] SPEC_CIPHERS = hex("1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,"
      + "002f,0035");
  private static final int[] SPEC_EXTENSIONS = hex("001b,0000,0033,0010,4469,0017,002d,000d,0005,0023,0012,002b,"
      + "ff01,000b,000a,0015");
  private static final int[] SPEC_SIGS = hex("0403,0804,0401,0503,0805,0501,0806,0601");
  private static final byte[] H2 = "h2".getBytes(StandardCharsets.US_ASCII);

  @Test
  void specExampleGivesSpecFingerprintAndRawForm() {
    Ja4 ja4 = Ja4.of(Ja4.TCP, 0x0303, new int[] {0x0304, 0x0303}, SPEC_CIPHERS, SPEC_EXTENSIONS, H2, SPEC_SIGS);
    assertThat(ja4.fingerprint()).isEqualTo("t13d1516h2_8daaf6152771_e5627efa2ab1");
    assertThat(ja4.a()).isEqualTo("t13d1516h2");
    assertThat(ja4.b()).isEqualTo("8daaf6152771");
    assertThat(ja4.c()).isEqualTo("e5627efa2ab1");
    assertThat(ja4.raw()).isEqualTo("t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,"
        + "cca8,cca9_0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,0804,0401,0503,0805,"
        + "0501,0806,0601");
    assertThat(ja4.toString()).isEqualTo(ja4.fingerprint());
  }

  @Test
  void greaseAnywhereChangesNothing() {
    Ja4 ja4 = Ja4.of(Ja4.TCP, 0x0303, new int[] {0x7a7a, 0x0304, 0x0303}, insert(SPEC_CIPHERS, 0x0a0a),
        insert(SPEC_EXTENSIONS, 0x1a1a), H2, insert(SPEC_SIGS, 0x2a2a));
    assertThat(ja4.fingerprint()).isEqualTo("t13d1516h2_8daaf6152771_e5627efa2ab1");
  }

  @Test
  void withoutSignatureAlgorithmsTheExtensionListIsHashedAlone() {
    Ja4 ja4 = Ja4.of(Ja4.TCP, 0x0303, new int[] {0x0304}, SPEC_CIPHERS, SPEC_EXTENSIONS, H2, new int[0]);
    assertThat(ja4.c()).isEqualTo("6d807ffa2a79"); // JA4.md "Extension hash"
  }

  @ParameterizedTest
  @CsvSource({
      "ab, ab", // JA4.md "ALPN Extension Value": 0xAB
      "abcd, ad", // 0xAB 0xCD
      "30ab, 3b", // 0x30 0xAB
      "3031abcd, 3d", // 0x30 0x31 0xAB 0xCD
      "30abcd31, 01", // 0x30 0xAB 0xCD 0x31
      "687474702f312e31, h1", // http/1.1
      "6832, h2",
      "78, xx", // a single character is first and last
  })
  void alpnCodeIsFirstAndLastCharacterOrHex(String alpnHex, String expected) {
    byte[] alpn = dev.wirelens.testkit.Hex.decode(alpnHex);
    Ja4 ja4 = Ja4.of(Ja4.TCP, 0x0303, null, SPEC_CIPHERS, SPEC_EXTENSIONS, alpn, SPEC_SIGS);
    assertThat(ja4.a()).isEqualTo("t12d1516" + expected);
  }

  @Test
  void noAlpnOrAnEmptyFirstValueIs00() {
    assertThat(Ja4.of(Ja4.TCP, 0x0303, null, SPEC_CIPHERS, SPEC_EXTENSIONS, null, SPEC_SIGS).a())
        .isEqualTo("t12d151600");
    assertThat(Ja4.of(Ja4.TCP, 0x0303, null, SPEC_CIPHERS, SPEC_EXTENSIONS, new byte[0], SPEC_SIGS).a())
        .isEqualTo("t12d151600");
  }

  @Test
  void versionComesFromSupportedVersionsElseLegacyVersion() {
    int[] noSni = new int[] {0x000a};
    assertThat(Ja4.of('t', 0x0303, new int[] {0x0303, 0x0304}, SPEC_CIPHERS, noSni, null, SPEC_SIGS).a())
        .startsWith("t13i");
    assertThat(Ja4.of('t', 0x0304, new int[] {0x0a0a}, SPEC_CIPHERS, noSni, null, SPEC_SIGS).a())
        .as("only GREASE: legacy_version").startsWith("t13i");
    assertThat(Ja4.of('t', 0x0301, null, SPEC_CIPHERS, noSni, null, SPEC_SIGS).a()).startsWith("t10i");
    assertThat(Ja4.of('t', 0x0300, null, SPEC_CIPHERS, noSni, null, SPEC_SIGS).a()).startsWith("ts3");
    assertThat(Ja4.of('t', 0x0002, null, SPEC_CIPHERS, noSni, null, SPEC_SIGS).a()).startsWith("ts2");
    assertThat(Ja4.of('t', 0x7f17, null, SPEC_CIPHERS, noSni, null, SPEC_SIGS).a()).startsWith("t00");
    assertThat(Ja4.of('d', 0xfefd, new int[] {0xfefd, 0xfefc}, SPEC_CIPHERS, noSni, null, SPEC_SIGS).a())
        .startsWith("dd3i");
    assertThat(Ja4.of('q', 0x0303, new int[] {0x0304}, SPEC_CIPHERS, noSni, null, SPEC_SIGS).a()).startsWith("q13i");
  }

  @Test
  void countsStopAt99AndEmptyListsHashToZeros() {
    int[] many = new int[120];
    for (int i = 0; i < many.length; i++) {
      many[i] = 0xc000 + i;
    }
    Ja4 ja4 = Ja4.of('t', 0x0303, null, many, many, null, new int[0]);
    assertThat(ja4.a()).isEqualTo("t12i999900");
    Ja4 empty = Ja4.of('t', 0x0303, null, new int[0], new int[] {0x0000, 0x0010}, H2, SPEC_SIGS);
    assertThat(empty.fingerprint()).isEqualTo("t12d0002h2_000000000000_000000000000");
  }

  @Test
  void otherTransportsAreMisuse() {
    assertThatThrownBy(() -> Ja4.of('x', 0x0303, null, SPEC_CIPHERS, SPEC_EXTENSIONS, H2, SPEC_SIGS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Ja4.of(new ClientHello())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void corpusClientHellosGiveThePublishedJa4() throws IOException {
    int checked = 0;
    for (String l : RecordedClientHellos.text("fingerprint/ja4-expected.tsv").split("\n")) {
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] f = l.split("\t");
      RecordedClientHellos.Line hello = RecordedClientHellos.find(f[0], Integer.parseInt(f[1]));
      assertThat(ja4Of(hello.handshake()).fingerprint()).as(f[0]).isEqualTo(f[2]);
      checked++;
    }
    assertThat(checked).isEqualTo(2);
  }

  @Test
  void everyRecordedClientHelloHasAWellFormedJa4() throws IOException {
    for (RecordedClientHellos.Line line : RecordedClientHellos.all()) {
      String ja4 = ja4Of(line.handshake()).fingerprint();
      assertThat(ja4).as(line.toString()).matches("t(1[0-3]|s3|s2|00)[di]\\d{4}[0-9a-zA-Z]{2}_[0-9a-f]{12}_[0-9a-f]{12}");
    }
  }

  private static Ja4 ja4Of(byte[] handshake) {
    ByteBuf buf = Unpooled.wrappedBuffer(handshake);
    try {
      ClientHello hello = new ClientHello();
      assertThat(hello.wrap(buf, 4, handshake.length - 4)).as(hello.report().toString()).isTrue();
      return Ja4.of(hello);
    } finally {
      buf.release();
    }
  }

  private static int[] hex(String list) {
    return Arrays.stream(list.split(",")).mapToInt(s -> Integer.parseInt(s, 16)).toArray();
  }

  private static int[] insert(int[] values, int grease) {
    int[] out = new int[values.length + 1];
    out[0] = grease;
    System.arraycopy(values, 0, out, 1, values.length);
    return out;
  }
}
