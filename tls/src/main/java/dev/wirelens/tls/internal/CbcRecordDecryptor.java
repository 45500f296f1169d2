package dev.wirelens.tls.internal;

import io.netty.buffer.ByteBuf;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Record protection by a block cipher in CBC mode with HMAC (TLS 1.0-1.2), and the NULL cipher with HMAC. Internal:
 * not exported; no compatibility promise.
 *
 * <pre>
 * MAC-then-encrypt (RFC 5246 §6.2.3.2):
 *   fragment = IV (TLS 1.1+, block length; TLS 1.0: the last ciphertext block of the previous record)
 *              || CBC(content || MAC || padding || padding_length)
 *   MAC = HMAC(MAC_write_key, seq_num(8) || type(1) || version(2) || length(2) || content)
 * encrypt-then-MAC (RFC 7366 §3):
 *   fragment = IV || CBC(content || padding || padding_length) || MAC
 *   MAC = HMAC(MAC_write_key, seq_num || type || version || length(IV + ciphertext) || IV || ciphertext)
 * NULL: fragment = content || MAC
 * </pre>
 * Every padding byte must equal padding_length, and the MAC must match; otherwise the record fails. The checks are
 * not constant time: this is a passive reader, there is no oracle to protect.
 *
 * <p>Allocation: cipher, MAC and scratch arrays are kept; per record, what {@link Cipher#init} allocates. Heap
 * buffers are used in place; memory without an array goes through reused scratch arrays.
 *
 * <p>Thread safety: not thread safe.
 */
final class CbcRecordDecryptor implements RecordDecryptor {
  private final int version;
  private final boolean encryptThenMac;
  private final boolean explicitIv;
  private final int blockLength;
  private final int macLength;
  private final Mac mac;
  private final Cipher cipher;
  private final SecretKeySpec key;
  private final byte[] iv;
  private final byte[] macHeader = new byte[13];
  private final byte[] expectedMac;
  private final byte[] receivedMac;
  private final byte[] explicitIvScratch;
  private final Scratch scratch = new Scratch();
  private long sequenceNumber;
  private int innerContentType = -1;

  CbcRecordDecryptor(CipherSuite suite, int version, byte[] macKey, byte[] key, byte[] iv, boolean encryptThenMac) {
    this.version = version;
    this.blockLength = suite.blockLength();
    this.encryptThenMac = encryptThenMac && blockLength > 0; // RFC 7366 §3: not for stream (NULL) ciphers
    this.explicitIv = version >= 0x0302;
    this.macLength = suite.macLength();
    this.mac = KeyDerivation.mac(suite.macAlgorithm(), macKey);
    this.expectedMac = new byte[macLength];
    this.receivedMac = new byte[macLength];
    this.iv = iv.clone();
    this.explicitIvScratch = new byte[Math.max(blockLength, 1)];
    try {
      switch (suite.bulk()) {
        case AES_CBC:
          cipher = Cipher.getInstance("AES/CBC/NoPadding");
          this.key = new SecretKeySpec(key, "AES");
          break;
        case DES_EDE_CBC:
          cipher = Cipher.getInstance("DESede/CBC/NoPadding");
          this.key = new SecretKeySpec(key, "DESede");
          break;
        default:
          cipher = null;
          this.key = null;
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks a cipher TLS needs", e);
    }
  }

  @Override
  public boolean decrypt(int contentType, int legacyVersion, ByteBuf fragment, ByteBuf out) {
    int start = fragment.readerIndex();
    int length = fragment.readableBytes();
    if (cipher == null) {
      return decryptNull(contentType, legacyVersion, fragment, start, length, out);
    }
    int ivLength = explicitIv ? blockLength : 0;
    int writerIndex = out.writerIndex();
    int plainLength;
    int cipherEnd;
    if (encryptThenMac) {
      int protectedLength = length - macLength; // IV + ciphertext
      int cipherLength = protectedLength - ivLength;
      if (cipherLength < blockLength || cipherLength % blockLength != 0) {
        return false;
      }
      computeMac(contentType, legacyVersion, protectedLength, fragment, start, protectedLength);
      if (!macMatches(fragment, start + protectedLength)) {
        return false;
      }
      if (!decryptCbc(fragment, start, ivLength, cipherLength, out, writerIndex)) {
        return false;
      }
      int content = unpaddedLength(out, writerIndex, cipherLength);
      if (content < 0) {
        return false;
      }
      plainLength = content;
      cipherEnd = start + protectedLength;
    } else {
      int cipherLength = length - ivLength;
      if (cipherLength < Math.max(blockLength, macLength + 1) || cipherLength % blockLength != 0) {
        return false;
      }
      if (!decryptCbc(fragment, start, ivLength, cipherLength, out, writerIndex)) {
        return false;
      }
      int unpadded = unpaddedLength(out, writerIndex, cipherLength);
      plainLength = unpadded - macLength;
      if (unpadded < 0 || plainLength < 0) {
        return false;
      }
      computeMac(contentType, legacyVersion, plainLength, out, writerIndex, plainLength);
      if (!macMatches(out, writerIndex + plainLength)) {
        return false;
      }
      cipherEnd = start + length;
    }
    if (!explicitIv) {
      fragment.getBytes(cipherEnd - blockLength, iv); // TLS 1.0: the next record's IV (RFC 2246 §6.2.3.2)
    }
    out.writerIndex(writerIndex + plainLength);
    innerContentType = contentType;
    sequenceNumber++;
    return true;
  }

  private boolean decryptNull(int contentType, int version, ByteBuf fragment, int start, int length, ByteBuf out) {
    int content = length - macLength;
    if (content < 0) {
      return false;
    }
    computeMac(contentType, version, content, fragment, start, content);
    if (!macMatches(fragment, start + content)) {
      return false;
    }
    out.writeBytes(fragment, start, content);
    innerContentType = contentType;
    sequenceNumber++;
    return true;
  }

  /** CBC-decrypts {@code cipherLength} bytes after the explicit IV (if any) into {@code out} at {@code outIndex}. */
  private boolean decryptCbc(ByteBuf fragment, int start, int ivLength, int cipherLength, ByteBuf out,
      int outIndex) {
    byte[] recordIv = iv;
    if (ivLength > 0) {
      recordIv = explicitIvScratch;
      fragment.getBytes(start, recordIv, 0, ivLength);
    }
    out.ensureWritable(cipherLength);
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(recordIv, 0, blockLength));
      // through arrays (Scratch): the JDK's ByteBuffer path allocates for memory without an array
      scratch.doFinal(cipher, fragment, start + ivLength, cipherLength, out, outIndex, cipherLength);
      return true;
    } catch (ShortBufferException e) {
      throw new IllegalStateException(e); // cannot happen: ensureWritable above
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * The length before the padding of the {@code length} decrypted bytes at {@code index}, or -1 when the padding
   * is not {@code padding_length + 1} bytes all equal to {@code padding_length} (RFC 5246 §6.2.3.2).
   */
  private static int unpaddedLength(ByteBuf out, int index, int length) {
    int padding = out.getByte(index + length - 1) & 0xff;
    if (padding + 1 > length) {
      return -1;
    }
    for (int i = index + length - 1 - padding; i < index + length - 1; i++) {
      if ((out.getByte(i) & 0xff) != padding) {
        return -1;
      }
    }
    return length - padding - 1;
  }

  private void computeMac(int type, int version, int lengthField, ByteBuf data, int index, int length) {
    long seq = sequenceNumber;
    for (int i = 7; i >= 0; i--) {
      macHeader[i] = (byte) seq;
      seq >>>= 8;
    }
    macHeader[8] = (byte) type;
    macHeader[9] = (byte) (version >>> 8);
    macHeader[10] = (byte) version;
    macHeader[11] = (byte) (lengthField >>> 8);
    macHeader[12] = (byte) lengthField;
    mac.update(macHeader);
    if (data.hasArray()) {
      mac.update(data.array(), data.arrayOffset() + index, length);
    } else {
      mac.update(scratch.copyIn(data, index, length), 0, length);
    }
    try {
      mac.doFinal(expectedMac, 0);
    } catch (ShortBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private boolean macMatches(ByteBuf buf, int index) {
    buf.getBytes(index, receivedMac);
    return java.util.Arrays.equals(expectedMac, receivedMac);
  }

  @Override
  public int innerContentType() {
    return innerContentType;
  }

  @Override
  public long sequenceNumber() {
    return sequenceNumber;
  }

  @Override
  public String toString() {
    return "CbcRecordDecryptor[version=0x" + Integer.toHexString(version) + ", etm=" + encryptThenMac + "]";
  }
}
