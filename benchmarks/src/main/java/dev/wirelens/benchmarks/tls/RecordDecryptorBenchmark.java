package dev.wirelens.benchmarks.tls;

import dev.wirelens.benchmarks.AbstractMicrobenchmark;
import dev.wirelens.tls.internal.KeyDerivation;
import dev.wirelens.tls.internal.RecordDecryptor;
import dev.wirelens.tls.internal.RecordDecryptors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.reflect.Field;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * TLS 1.3 record decryption of full-size records (16 KiB of application data + inner type + 16-byte tag, RFC 8446
 * §5.2) through {@link RecordDecryptor}, beside the least the JDK can do for the same record: {@link Cipher} init,
 * additional data and {@code doFinal} on plain byte arrays with the nonce computed the same way (the limit).
 *
 * <p>Input: 64 consecutive records (sequence numbers 0..63) encrypted once in setup with a random traffic secret,
 * cycled; when the cycle restarts, the decryptor's sequence number is set back to 0 by reflection (benchmark only,
 * so that no decryptor is built inside the measurement). The output buffer is cleared and reused.
 *
 * <p>Gate: {@code decrypt} at least 0.8x of {@code jdkCipherLimit}; {@code gc.alloc.rate.norm} what the JDK's
 * {@code Cipher.init} allocates and nothing more.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RecordDecryptorBenchmark extends AbstractMicrobenchmark {
  static final int PLAINTEXT = 16384;
  static final int RECORDS = 64;

  /** The records and both decryptors. */
  @State(Scope.Thread)
  public static class Records {
    /** TLS 1.3 cipher suite: TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256. */
    @Param({"0x1301", "0x1302", "0x1303"})
    public String suite;

    /** Where the ciphertext and the output live for the RecordDecryptor: heap or direct buffers. */
    @Param({"heap", "direct"})
    public String memory;

    byte[][] records = new byte[RECORDS][];
    ByteBuf[] fragments = new ByteBuf[RECORDS];
    ByteBuf out;
    RecordDecryptor decryptor;
    Field sequence;
    int next;

    Cipher jdk;
    SecretKeySpec key;
    byte[] iv;
    boolean gcm;
    final byte[] nonce = new byte[12];
    final byte[] aad = new byte[5];
    final byte[] plain = new byte[PLAINTEXT + 1 + 16];
    int jdkNext;

    /** Derives keys, encrypts the records, builds the decryptor. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
      int id = Integer.decode(suite);
      String hash = id == 0x1302 ? "SHA-384" : "SHA-256";
      int keyLength = id == 0x1301 ? 16 : 32;
      gcm = id != 0x1303;
      SplittableRandom random = new SplittableRandom(20261128);
      byte[] secret = new byte[id == 0x1302 ? 48 : 32];
      random.nextBytes(secret);
      key = new SecretKeySpec(KeyDerivation.hkdfExpandLabel(hash, secret, "key", new byte[0], keyLength),
          gcm ? "AES" : "ChaCha20");
      iv = KeyDerivation.hkdfExpandLabel(hash, secret, "iv", new byte[0], 12);
      jdk = Cipher.getInstance(gcm ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305");
      Cipher encrypt = Cipher.getInstance(gcm ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305");
      byte[] inner = new byte[PLAINTEXT + 1];
      for (int seq = 0; seq < RECORDS; seq++) {
        random.nextBytes(inner);
        inner[PLAINTEXT] = 23; // TLSInnerPlaintext: content || type, no padding
        nonce(seq);
        header(inner.length + 16);
        encrypt.init(Cipher.ENCRYPT_MODE, key, gcm ? new GCMParameterSpec(128, nonce) : new IvParameterSpec(nonce));
        encrypt.updateAAD(aad);
        records[seq] = encrypt.doFinal(inner);
        ByteBuf f = "direct".equals(memory) ? Unpooled.directBuffer(records[seq].length) : Unpooled.buffer();
        fragments[seq] = Unpooled.unreleasableBuffer(f.writeBytes(records[seq]));
      }
      out = "direct".equals(memory) ? Unpooled.directBuffer(PLAINTEXT + 64) : Unpooled.buffer(PLAINTEXT + 64);
      decryptor = RecordDecryptors.tls13(id, secret);
      sequence = decryptor.getClass().getDeclaredField("sequenceNumber");
      sequence.setAccessible(true);
    }

    void nonce(long seq) {
      System.arraycopy(iv, 0, nonce, 0, 12);
      for (int i = 11; i >= 4; i--) {
        nonce[i] ^= (byte) seq;
        seq >>>= 8;
      }
    }

    void header(int length) {
      aad[0] = 23;
      aad[1] = 3;
      aad[2] = 3;
      aad[3] = (byte) (length >>> 8);
      aad[4] = (byte) length;
    }
  }

  /** One record through the RecordDecryptor into the reused output buffer; returns the plaintext length. */
  @Benchmark
  public int decrypt(Records r) throws Exception {
    if (r.next == RECORDS) {
      r.next = 0;
      r.sequence.setLong(r.decryptor, 0L);
    }
    ByteBuf fragment = r.fragments[r.next++];
    r.out.clear();
    if (!r.decryptor.decrypt(23, 0x0303, fragment, r.out)) {
      throw new IllegalStateException("record did not decrypt");
    }
    return r.out.readableBytes();
  }

  /** The limit: the JDK Cipher on the same record as a byte array, into a reused byte array. */
  @Benchmark
  public int jdkCipherLimit(Records r) throws Exception {
    if (r.jdkNext == RECORDS) {
      r.jdkNext = 0;
    }
    int seq = r.jdkNext++;
    byte[] record = r.records[seq];
    r.nonce(seq);
    r.header(record.length);
    r.jdk.init(Cipher.DECRYPT_MODE, r.key, r.gcm ? new GCMParameterSpec(128, r.nonce) : new IvParameterSpec(r.nonce));
    r.jdk.updateAAD(r.aad);
    return r.jdk.doFinal(record, 0, record.length, r.plain, 0);
  }

  /** Runs this class's benchmarks (JMH options allowed). */
  public static void main(String[] args) throws Exception {
    run(RecordDecryptorBenchmark.class, args);
  }
}
