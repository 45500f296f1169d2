package dev.wirelens.tls.internal;

import io.netty.buffer.ByteBuf;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.CCMBlockCipher;
import org.bouncycastle.crypto.modes.CCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Record protection by an AEAD: TLS 1.3 (all suites) and the TLS 1.2 GCM, CCM and ChaCha20-Poly1305 suites.
 * Internal: not exported; no compatibility promise.
 *
 * <pre>
 * TLS 1.3 (RFC 8446 §5.2-§5.3):
 *   nonce = iv XOR (64-bit sequence number, left-padded with zeros to iv length)
 *   additional_data = opaque_type(1) || legacy_record_version(2) || length(2)    (the record header)
 *   fragment = AEAD(TLSInnerPlaintext = content || ContentType type || zeros[padding])
 * TLS 1.2 GCM / CCM (RFC 5288 §3, RFC 6655 §3):
 *   fragment = nonce_explicit(8) || ciphertext || tag;  nonce = salt(4, client/server_write_IV) || nonce_explicit
 * TLS 1.2 ChaCha20-Poly1305 (RFC 7905 §2): fragment = ciphertext || tag;  nonce = iv(12) XOR sequence number
 * TLS 1.2 additional_data = seq_num(8) || type(1) || version(2) || plaintext length(2)   (RFC 5246 §6.2.3.3)
 * </pre>
 *
 * <p>GCM and ChaCha20-Poly1305 use the JDK's {@link Cipher} (AES-NI where present) directly on the arrays behind heap
 * buffers, decrypting into the output buffer's own memory; CCM uses BouncyCastle's {@link CCMBlockCipher} (the JDK
 * has none).
 *
 * <p>Allocation: the cipher, key, nonce and additional-data arrays are kept; per record only what
 * {@link Cipher#init} allocates itself (about 1 KiB for AES-GCM, 2.3 KiB for ChaCha20-Poly1305 on JDK 17, the same
 * as a bare {@code Cipher} call). Memory without a backing array (direct, composite, read-only buffers) and CCM go
 * through reused scratch arrays.
 *
 * <p>Thread safety: not thread safe.
 */
final class AeadRecordDecryptor implements RecordDecryptor {
  /** How the nonce and additional data are built. */
  enum Layout {
    TLS13,
    TLS12_EXPLICIT_NONCE,
    TLS12_XOR_NONCE
  }

  private final Layout layout;
  private final int tagLength;
  private final byte[] iv;
  private final byte[] nonce;
  private final byte[] aad;
  private final int aadLength;
  private final int explicitNonceLength;
  private final Cipher cipher;
  private final SecretKeySpec key;
  private final boolean gcm;
  private final CCMModeCipher ccm;
  private final KeyParameter ccmKey;
  private final Scratch scratch = new Scratch();
  private long sequenceNumber;
  private int innerContentType = -1;

  AeadRecordDecryptor(CipherSuite suite, Layout layout, byte[] key, byte[] iv) {
    this.layout = layout;
    this.tagLength = suite.tagLength();
    this.iv = iv.clone();
    this.nonce = new byte[12];
    this.aadLength = layout == Layout.TLS13 ? 5 : 13;
    this.aad = new byte[aadLength];
    this.explicitNonceLength = layout == Layout.TLS12_EXPLICIT_NONCE ? 8 : 0;
    try {
      switch (suite.bulk()) {
        case AES_GCM:
          cipher = Cipher.getInstance("AES/GCM/NoPadding");
          this.key = new SecretKeySpec(key, "AES");
          gcm = true;
          ccm = null;
          ccmKey = null;
          break;
        case CHACHA20_POLY1305:
          cipher = Cipher.getInstance("ChaCha20-Poly1305");
          this.key = new SecretKeySpec(key, "ChaCha20");
          gcm = false;
          ccm = null;
          ccmKey = null;
          break;
        case AES_CCM:
          cipher = null;
          this.key = null;
          gcm = false;
          ccm = CCMBlockCipher.newInstance(AESEngine.newInstance());
          ccmKey = new KeyParameter(key);
          break;
        default:
          throw new IllegalArgumentException("not an AEAD suite: " + suite.bulk());
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks a cipher TLS needs", e);
    }
  }

  @Override
  public boolean decrypt(int contentType, int legacyVersion, ByteBuf fragment, ByteBuf out) {
    int length = fragment.readableBytes();
    int cipherLength = length - explicitNonceLength; // ciphertext and tag
    int plainLength = cipherLength - tagLength;
    if (plainLength < (layout == Layout.TLS13 ? 1 : 0)) {
      return false; // too short to hold a tag (and, in TLS 1.3, the inner content type)
    }
    buildNonce(fragment);
    buildAad(contentType, legacyVersion, length, plainLength);
    int writerIndex = out.writerIndex();
    if (!open(fragment, fragment.readerIndex() + explicitNonceLength, cipherLength, out, writerIndex)) {
      return false;
    }
    if (layout == Layout.TLS13) {
      // TLSInnerPlaintext: content || type || zeros; the type is the last non-zero byte (RFC 8446 §5.2)
      int i = writerIndex + plainLength - 1;
      while (i >= writerIndex && out.getByte(i) == 0) {
        i--;
      }
      if (i < writerIndex) {
        return false; // all zeros: no content type (unexpected_message in RFC 8446 §5.4)
      }
      innerContentType = out.getByte(i) & 0xff;
      out.writerIndex(i);
    } else {
      innerContentType = contentType;
      out.writerIndex(writerIndex + plainLength);
    }
    sequenceNumber++;
    return true;
  }

  private void buildNonce(ByteBuf fragment) {
    if (layout == Layout.TLS12_EXPLICIT_NONCE) {
      System.arraycopy(iv, 0, nonce, 0, 4);
      fragment.getBytes(fragment.readerIndex(), nonce, 4, 8);
    } else {
      System.arraycopy(iv, 0, nonce, 0, 12);
      long seq = sequenceNumber;
      for (int i = 11; i >= 4; i--) {
        nonce[i] ^= (byte) seq;
        seq >>>= 8;
      }
    }
  }

  private void buildAad(int contentType, int version, int recordLength, int plainLength) {
    int p = 0;
    if (layout != Layout.TLS13) {
      long seq = sequenceNumber;
      for (int i = 7; i >= 0; i--) {
        aad[i] = (byte) seq;
        seq >>>= 8;
      }
      p = 8;
    }
    int length = layout == Layout.TLS13 ? recordLength : plainLength;
    aad[p] = (byte) contentType;
    aad[p + 1] = (byte) (version >>> 8);
    aad[p + 2] = (byte) version;
    aad[p + 3] = (byte) (length >>> 8);
    aad[p + 4] = (byte) length;
  }

  /** Decrypts and authenticates {@code length} bytes at {@code index} into {@code out} at {@code outIndex}. */
  private boolean open(ByteBuf fragment, int index, int length, ByteBuf out, int outIndex) {
    int plainLength = length - tagLength;
    out.ensureWritable(length); // the JDK asks for room for the tag too
    if (ccm != null) {
      return openCcm(fragment, index, length, out, outIndex, plainLength);
    }
    try {
      cipher.init(Cipher.DECRYPT_MODE, key,
          gcm ? new GCMParameterSpec(tagLength * 8, nonce) : new IvParameterSpec(nonce));
      cipher.updateAAD(aad, 0, aadLength);
      // Arrays, not ByteBuffers: for direct buffers the JDK's ByteBuffer path allocates per call (ChaCha20-Poly1305
      // copies the whole record into new arrays), so memory without an array is copied through reused scratch
      // arrays instead (two copies of at most 16 KiB, cheap beside the cipher).
      scratch.doFinal(cipher, fragment, index, length, out, outIndex, plainLength);
      return true;
    } catch (GeneralSecurityException | IllegalStateException e) {
      return false; // AEADBadTagException: wrong key or damaged record
    }
  }

  private boolean openCcm(ByteBuf fragment, int index, int length, ByteBuf out, int outIndex, int plainLength) {
    byte[] in = scratch.copyIn(fragment, index, length);
    byte[] plain = scratch.out(length);
    try {
      ccm.init(false, new AEADParameters(ccmKey, tagLength * 8, nonce.clone(), Arrays.copyOf(aad, aadLength)));
      int n = ccm.processBytes(in, 0, length, plain, 0);
      ccm.doFinal(plain, n);
    } catch (InvalidCipherTextException | RuntimeException e) {
      return false;
    }
    out.setBytes(outIndex, plain, 0, plainLength);
    return true;
  }

  @Override
  public int innerContentType() {
    return innerContentType;
  }

  @Override
  public long sequenceNumber() {
    return sequenceNumber;
  }
}
