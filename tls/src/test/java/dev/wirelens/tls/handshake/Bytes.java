package dev.wirelens.tls.handshake;

import dev.wirelens.testkit.Hex;
import java.io.ByteArrayOutputStream;

/** A tiny builder of TLS presentation-language structures for hand-built test messages (RFC 8446 §3). */
final class Bytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static Bytes of() {
    return new Bytes();
  }

  Bytes hex(String hex) {
    byte[] b = Hex.decode(hex);
    out.write(b, 0, b.length);
    return this;
  }

  Bytes u8(int v) {
    out.write(v);
    return this;
  }

  Bytes u16(int v) {
    return u8(v >>> 8).u8(v & 0xff);
  }

  Bytes u24(int v) {
    return u8(v >>> 16).u16(v & 0xffff);
  }

  Bytes raw(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  Bytes ascii(String s) {
    return raw(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  /** A vector with a 1-byte length. */
  Bytes vec8(Bytes body) {
    return u8(body.size()).raw(body.bytes());
  }

  /** A vector with a 2-byte length. */
  Bytes vec16(Bytes body) {
    return u16(body.size()).raw(body.bytes());
  }

  /** A vector with a 3-byte length. */
  Bytes vec24(Bytes body) {
    return u24(body.size()).raw(body.bytes());
  }

  /** An extension: type, then its data as a 2-byte-length vector. */
  Bytes ext(int type, Bytes data) {
    return u16(type).vec16(data);
  }

  int size() {
    return out.size();
  }

  byte[] bytes() {
    return out.toByteArray();
  }
}
