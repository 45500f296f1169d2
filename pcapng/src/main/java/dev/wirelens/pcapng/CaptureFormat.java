package dev.wirelens.pcapng;

/**
 * The container format of a capture, detected from its first four bytes (after gzip decompression, if the input
 * starts with the gzip magic {@code 1f 8b}).
 *
 * <p>Thread safety: immutable.
 */
public enum CaptureFormat {
  /** Classic libpcap format: magic {@code a1b2c3d4} (µs) or {@code a1b23c4d} (ns), either byte order. */
  PCAP,
  /** pcapng: a Section Header Block, type {@code 0a0d0d0a}, with byte-order magic {@code 1a2b3c4d}. */
  PCAPNG
}
