package dev.wirelens.pcapng;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Deterministic captures written by {@link PcapWriter} and {@link PcapngWriter}. {@link #main} stores them in
 * src/test/resources/vectors/written/, where record-expectations.sh records what tshark reads from them;
 * {@code WriterTest} checks that the writers still produce exactly these bytes and that our reader agrees with
 * tshark on them.
 */
final class WrittenSamples {
  static final long T0 = 1_700_000_000_123_456_789L;
  static final String KEY_LOG = "CLIENT_RANDOM 0102030405060708091011121314151617181920212223242526272829303132 "
      + "a1a2a3a4a5a6a7a8a9b0b1b2b3b4b5b6b7b8b9c0c1c2c3c4c5c6c7c8c9d0d1d2d3d4d5d6d7d8d9e0e1e2e3e4e5e6e7e8e9f0f1f2"
      + "f3f4f5f6f7f8\n";

  private WrittenSamples() {}

  /** A frame of {@code n} bytes: an Ethernet header (broadcast, EtherType 0x88b5 local experimental) + counter. */
  static ByteBuf frame(int n, int seed) {
    ByteBuf b = Unpooled.buffer(n);
    for (int i = 0; i < n; i++) {
      int v;
      if (i < 6) {
        v = 0xff;
      } else if (i < 12) {
        v = 0x02 + (i == 11 ? seed : 0);
      } else if (i == 12) {
        v = 0x88;
      } else if (i == 13) {
        v = 0xb5;
      } else {
        v = (i * 7 + seed) & 0xff;
      }
      b.writeByte(v);
    }
    return b;
  }

  /** pcapng: SHB with all four string options, three interfaces (ns, µs, 2^-8 s), EPBs with flags/comments, DSB. */
  static byte[] pcapng(boolean littleEndian) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PcapngWriter w = new PcapngWriter(out, littleEndian)) {
      w.writeSectionHeader("Wirelens writer sample", "test hardware", "test os", "wirelens-pcapng tests");
      int eth = w.writeInterface(1, 262144, 9, "eth0", "first interface");
      int raw = w.writeInterface(1, 65535, 6, "eth1", null);
      int coarse = w.writeInterface(1, 0, 0x88, null, "2^-8 s ticks");
      w.writeDecryptionSecrets(DecryptionSecretsTypes.TLS_KEY_LOG, KEY_LOG.getBytes(StandardCharsets.US_ASCII));
      writePacket(w, eth, T0, 60, 1, 1, "first packet");
      writePacket(w, raw, T0 + 1_000_000_000L + 1_000, 61, 2, 2, null);
      writePacket(w, coarse, T0 + 2_000_000_000L, 62, 3, -1, "ticks, and a comment\nwith two lines");
      writePacket(w, eth, T0 + 3_000_000_001L, 1514, 4, -1, null);
      ByteBuf f = frame(63, 5);
      try {
        w.writeEnhancedPacket(eth, T0 + 4_000_000_000L, f.slice(0, 40), 63, -1, "snapped to 40 of 63");
      } finally {
        f.release();
      }
    }
    return out.toByteArray();
  }

  private static void writePacket(PcapngWriter w, int itf, long t, int n, int seed, long flags, String comment) {
    ByteBuf f = frame(n, seed);
    try {
      w.writeEnhancedPacket(itf, t, f, n, flags, comment);
    } finally {
      f.release();
    }
  }

  /** Classic pcap, Ethernet, snaplen 65535. */
  static byte[] pcap(boolean nanosecond, boolean littleEndian) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PcapWriter w = new PcapWriter(out, 1, 65535, nanosecond, littleEndian)) {
      for (int i = 0; i < 4; i++) {
        ByteBuf f = frame(60 + i * 100, i);
        try {
          w.writeRecord(T0 + i * 1_000_000_007L, f, 60 + i * 100 + (i == 3 ? 5 : 0));
        } finally {
          f.release();
        }
      }
    }
    return out.toByteArray();
  }

  static final Path DIR = Paths.get("src/test/resources/vectors/written");

  /** Writes the samples into the test resources (run from the pcapng module directory). */
  public static void main(String[] args) throws IOException {
    Files.createDirectories(DIR);
    Files.write(DIR.resolve("written-le.pcapng"), pcapng(true));
    Files.write(DIR.resolve("written-be.pcapng"), pcapng(false));
    Files.write(DIR.resolve("written-us-le.pcap"), pcap(false, true));
    Files.write(DIR.resolve("written-ns-be.pcap"), pcap(true, false));
  }
}
