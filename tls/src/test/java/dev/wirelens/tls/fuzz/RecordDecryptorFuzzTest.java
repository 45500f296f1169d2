package dev.wirelens.tls.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wirelens.tls.TlsVersions;
import dev.wirelens.tls.internal.RecordDecryptor;
import dev.wirelens.tls.internal.RecordDecryptors;
import dev.wirelens.testkit.FuzzInput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;

/**
 * Fuzz target for the record decryptors ({@link RecordDecryptors}): arbitrary records (content type, version,
 * ciphertext) under fixed keys of seven suites (TLS 1.3 AES-128-GCM, ChaCha20-Poly1305, AES-128-CCM; TLS 1.2
 * AES-128-GCM, ChaCha20-Poly1305, AES-256-CBC-SHA384 MAC-then-encrypt, AES-128-CBC-SHA256 encrypt-then-MAC). The keys
 * are those of our recorded captures (examples/src/test/resources/captures/tls/NAME.keys, the server's first
 * protected key), so the seeds (each capture's server records after the key change) decrypt and the mutations
 * explore the failure paths. Checks: no exception; the ciphertext buffer (exact, read-only) is neither modified nor
 * read outside; a failed record leaves the output and the sequence number as they were; a decrypted record advances
 * the sequence number by one and yields no more plaintext than ciphertext; nothing leaks.
 *
 * <p>Input: byte 0 chooses the suite (mod 7); then records {@code [type][version u16][length u16][fragment]}, the
 * last one cut short where the input ends.
 */
class RecordDecryptorFuzzTest {
  private static final HexFormat HEX = HexFormat.of();

  /** name, suite, 1.3: server handshake traffic secret | 1.2: master secret, client random, server random, ETM. */
  static final String[][] SUITES = {
    {"tls13-aes128gcm", "1301", "4cb328a7479fc41996d6ba0c54ea6cb2a584b647bc13bde41378f111d9f33708"},
    {"tls13-chacha20-v6", "1303", "ecb0e090bab63c5350d0c7e3c7da6046e8c5b24bcafe41492b631adbe897ef64"},
    {"tls13-aes128ccm", "1304", "758af4b14d8c6a46d9697000db7eaee242cce28b0baf36b09c477a2ca7176b8c"},
    {"tls12-ecdhe-rsa-aes128gcm", "c02f",
        "3bb1760ade3ac4682a78bfc87bad2566607ca2fe476f7848fc15194744e041cf8c377170a6de3804dbb13046ccd364f8",
        "28c81ef5d6365a7df311f36773b56a456fe095aa0541f868376e6f6298438bbf",
        "3f66568dde09928b0fdf3d9a25fca5f655b934807d8f0039444f574e47524401", "false"},
    {"tls12-ecdhe-ecdsa-chacha20", "cca9",
        "ee5b0cff9d0c08321c9f54afcb799a967da4862cf242db57344351d338e091bd07d706f2679603a7749eeb0e6353f1fa",
        "0cb0c503db7e9d6f5fec4d9255d731886cd511229e4afc0cb50b29c8e4bc0ddc",
        "8ffe3d7d9f88be87455f606cfc66b5b2e651767b205eaf9f444f574e47524401", "false"},
    {"tls12-ecdhe-rsa-aes256-cbc-sha384-noetm", "c028",
        "5b790721136042ccffe137031bc5738fec46b8a54782ce747f98f6fdcee62814b49116ba3e3ca23233a7a1d9da9135b8",
        "bffdb08d14d958675b29fd5cd62050f582212df59b36bfcd14b8dd84c0352f00",
        "259ef8f3f6645ed000c328a69b9ae1e38f9b69b1a9201818444f574e47524401", "false"},
    {"tls12-rsa-aes128-cbc-sha256", "003c",
        "2d7b4ce96dc4d406f4399f93ba06821148882249da34145446c064cf2dd22fecdf524bbdec1aa95ac5cd821a2cdfd474",
        "2d5336da1e24820222406a48401973566f0a29b2a60c45290ed5b6384782c951",
        "4ab336b4bf6c8b0665c3f4f9fe3e466dbc8810039b302768444f574e47524401", "true"},
  };

  static RecordDecryptor decryptor(int selector) {
    String[] s = SUITES[selector];
    int suite = Integer.parseInt(s[1], 16);
    if (s.length == 3) {
      return RecordDecryptors.tls13(suite, HEX.parseHex(s[2]));
    }
    return RecordDecryptors.tls12(suite, TlsVersions.TLS_1_2, HEX.parseHex(s[2]), HEX.parseHex(s[3]),
        HEX.parseHex(s[4]), false, Boolean.parseBoolean(s[5]));
  }

  @org.junit.jupiter.api.Test
  void everySeedsFirstRecordDecryptsUnderItsKey() throws Exception {
    // the seeds are worth something only if they reach the success path: each capture's first protected record
    for (int i = 0; i < SUITES.length; i++) {
      String name = "RecordDecryptorFuzzTestInputs/decryptionLeavesInputUntouchedAndFailsCleanly/" + SUITES[i][0]
          + "-server";
      byte[] seed;
      try (java.io.InputStream in = getClass().getResourceAsStream(name)) {
        seed = in.readAllBytes();
      }
      assertThat(seed[0]).isEqualTo((byte) i);
      int length = ((seed[4] & 0xff) << 8) | (seed[5] & 0xff);
      ByteBuf fragment = Unpooled.wrappedBuffer(seed, 6, length);
      ByteBuf out = Unpooled.buffer();
      try {
        assertThat(decryptor(i).decrypt(seed[1] & 0xff, ((seed[2] & 0xff) << 8) | (seed[3] & 0xff), fragment, out))
            .as(SUITES[i][0]).isTrue();
      } finally {
        fragment.release();
        out.release();
      }
    }
  }

  @FuzzTest(maxDuration = "2m")
  void decryptionLeavesInputUntouchedAndFailsCleanly(byte[] input) {
    if (input.length == 0) {
      return;
    }
    RecordDecryptor d = decryptor((input[0] & 0xff) % SUITES.length);
    assertThat(d).isNotNull();
    ByteBuf out = Unpooled.buffer(256);
    try {
      int p = 1;
      while (p + 5 <= input.length) {
        int type = input[p] & 0xff;
        int version = ((input[p + 1] & 0xff) << 8) | (input[p + 2] & 0xff);
        int length = Math.min(((input[p + 3] & 0xff) << 8) | (input[p + 4] & 0xff), input.length - p - 5);
        byte[] original = java.util.Arrays.copyOfRange(input, p + 5, p + 5 + length);
        ByteBuf fragment = FuzzInput.exact(input, p + 5, length).asReadOnly();
        try {
          long seq = d.sequenceNumber();
          int before = out.writerIndex();
          boolean ok = d.decrypt(type, version, fragment, out);
          assertThat(fragment.readerIndex()).isZero();
          assertThat(fragment.writerIndex()).isEqualTo(length);
          byte[] after = new byte[length];
          fragment.getBytes(0, after);
          assertThat(after).as("ciphertext untouched").isEqualTo(original);
          if (ok) {
            assertThat(d.sequenceNumber()).isEqualTo(seq + 1);
            assertThat(out.writerIndex() - before).isBetween(0, length);
          } else {
            assertThat(d.sequenceNumber()).as("sequence number after a failed record").isEqualTo(seq);
            assertThat(out.writerIndex()).as("output after a failed record").isEqualTo(before);
          }
        } finally {
          fragment.release();
        }
        assertThat(fragment.refCnt()).isZero();
        p += 5 + length;
        out.clear();
      }
    } finally {
      out.release();
    }
  }
}
