package dev.wirelens.pcapng;

import io.netty.buffer.ByteBuf;

/** Byte-order-aware absolute reads; never {@code order()}. */
final class Bytes {
  private Bytes() {}

  static int u16(ByteBuf b, int i, boolean le) {
    return le ? b.getUnsignedShortLE(i) : b.getUnsignedShort(i);
  }

  static long u32(ByteBuf b, int i, boolean le) {
    return le ? b.getUnsignedIntLE(i) : b.getUnsignedInt(i);
  }

  static int i32(ByteBuf b, int i, boolean le) {
    return le ? b.getIntLE(i) : b.getInt(i);
  }

  static long i64(ByteBuf b, int i, boolean le) {
    return le ? b.getLongLE(i) : b.getLong(i);
  }

  /** A u64 stored as two u32 halves, high first (pcapng timestamps). */
  static long hiLo(ByteBuf b, int i, boolean le) {
    return (u32(b, i, le) << 32) | u32(b, i + 4, le);
  }

  static int pad4(int n) {
    return (n + 3) & ~3;
  }
}
