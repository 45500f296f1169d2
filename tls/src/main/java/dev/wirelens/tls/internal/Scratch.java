package dev.wirelens.tls.internal;

import io.netty.buffer.ByteBuf;

/**
 * The two reused byte arrays a record decryptor needs when a ByteBuf has no backing array (direct or composite
 * memory): one for the input copy, one for the output. Each grows to the largest length asked for and is reused;
 * the content is valid until the next call for the same array.
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

  /** The reused output array, at least {@code length} bytes long. */
  byte[] out(int length) {
    if (out.length < length) {
      out = new byte[length];
    }
    return out;
  }
}
