package dev.wirelens.websocket.internal;

import io.netty.buffer.ByteBuf;

/**
 * Incremental UTF-8 validation (RFC 3629 §4, the well-formed byte sequences table), resumable at any byte, so a
 * text message is checked across frame and part boundaries without being buffered (RFC 6455 §8.1).
 *
 * <pre>
 *   UTF8-1 = %x00-7F
 *   UTF8-2 = %xC2-DF UTF8-tail
 *   UTF8-3 = %xE0 %xA0-BF UTF8-tail / %xE1-EC 2( UTF8-tail ) / %xED %x80-9F UTF8-tail / %xEE-EF 2( UTF8-tail )
 *   UTF8-4 = %xF0 %x90-BF 2( UTF8-tail ) / %xF1-F3 3( UTF8-tail ) / %xF4 %x80-8F 2( UTF8-tail )
 * </pre>
 *
 * <p>Internal: not exported; no compatibility promise. Not thread safe; allocates nothing.
 */
public final class Utf8Validator {
  private int need;
  private int lo = 0x80;
  private int hi = 0xBF;
  private boolean invalid;

  /** Starts a new sequence of bytes (a new message). */
  public void reset() {
    need = 0;
    lo = 0x80;
    hi = 0xBF;
    invalid = false;
  }

  /** True once an invalid byte was seen since {@link #reset()}. */
  public boolean isInvalid() {
    return invalid;
  }

  /** True when the bytes so far are valid and end at a character boundary. */
  public boolean isComplete() {
    return !invalid && need == 0;
  }

  /** Checks {@code length} bytes of {@code buf} from {@code index}; returns false once invalid. */
  public boolean update(ByteBuf buf, int index, int length) {
    if (invalid) {
      return false;
    }
    int i = 0;
    while (i < length) {
      if (need == 0) {
        while (i + 8 <= length && (buf.getLong(index + i) & 0x8080808080808080L) == 0) {
          i += 8;
        }
        if (i >= length) {
          break;
        }
      }
      if (!step(buf.getByte(index + i) & 0xFF)) {
        return false;
      }
      i++;
    }
    return true;
  }

  /** Checks {@code length} bytes of {@code bytes} from {@code offset}; returns false once invalid. */
  public boolean update(byte[] bytes, int offset, int length) {
    if (invalid) {
      return false;
    }
    for (int i = offset, end = offset + length; i < end; i++) {
      int b = bytes[i];
      if (b >= 0 && need == 0) {
        continue;
      }
      if (!step(b & 0xFF)) {
        return false;
      }
    }
    return true;
  }

  private boolean step(int b) {
    if (need == 0) {
      if (b < 0x80) {
        return true;
      } else if (b >= 0xC2 && b <= 0xDF) {
        need = 1;
      } else if (b == 0xE0) {
        need = 2;
        lo = 0xA0;
      } else if (b == 0xED) {
        need = 2;
        hi = 0x9F;
      } else if (b >= 0xE1 && b <= 0xEF) {
        need = 2;
      } else if (b == 0xF0) {
        need = 3;
        lo = 0x90;
      } else if (b == 0xF4) {
        need = 3;
        hi = 0x8F;
      } else if (b >= 0xF1 && b <= 0xF3) {
        need = 3;
      } else {
        invalid = true;
        return false;
      }
      return true;
    }
    if (b < lo || b > hi) {
      invalid = true;
      return false;
    }
    lo = 0x80;
    hi = 0xBF;
    need--;
    return true;
  }
}
