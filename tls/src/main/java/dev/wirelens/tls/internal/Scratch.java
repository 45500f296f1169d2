package dev.wirelens.tls.internal;

import io.netty.buffer.ByteBuf;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;

/**
 * The two reused byte arrays a record decryptor needs when a ByteBuf has no backing array (direct or composite
 * memory): one for the input copy, one for the output. Each grows to the largest length asked for and is reused;
 * the content is valid until the next call for the same array.
 *
 * <p>{@link #doFinal} runs a JCA cipher over ByteBufs through arrays: heap buffers in place, other memory through the
 * scratch arrays (the JDK's ByteBuffer path allocates per call for memory without an array).
 *
 * <p>Allocation: an array only when a longer one is needed. Thread safety: not thread safe; one per decryptor.
 */
final class Scratch {
  private byte[] in = new byte[0];
  private byte[] out = new byte[0];

  /** The {@code length} bytes of {@code buf} at {@code index}, copied into the reused input array. */
  byte[] copyIn(ByteBuf buf, int index, int length) {
    if (in.length < length) {
      in = new byte[length];
    }
    buf.getBytes(index, in, 0, length);
    return in;
  }

  /**
   * {@code cipher.doFinal} over the {@code length} bytes of {@code in} at {@code index}, the result written to
   * {@code out} at {@code outIndex} (which must be writable there); when {@code out} has no array only the first
   * {@code plainLength} result bytes are copied to it.
   *
   * @throws GeneralSecurityException as {@link Cipher#doFinal(byte[], int, int, byte[], int)} throws it
   */
  void doFinal(Cipher cipher, ByteBuf in, int index, int length, ByteBuf out, int outIndex, int plainLength)
      throws GeneralSecurityException {
    byte[] src;
    int srcOffset;
    if (in.hasArray()) {
      src = in.array();
      srcOffset = in.arrayOffset() + index;
    } else {
      src = copyIn(in, index, length);
      srcOffset = 0;
    }
    if (out.hasArray()) {
      cipher.doFinal(src, srcOffset, length, out.array(), out.arrayOffset() + outIndex);
    } else {
      byte[] plain = out(length);
      cipher.doFinal(src, srcOffset, length, plain, 0);
      out.setBytes(outIndex, plain, 0, plainLength);
    }
  }

  /** The reused output array, at least {@code length} bytes long. */
  byte[] out(int length) {
    if (out.length < length) {
      out = new byte[length];
    }
    return out;
  }
}
