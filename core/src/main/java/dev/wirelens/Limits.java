package dev.wirelens;

import java.time.Duration;
import java.util.Objects;

/**
 * Every cap on memory and work that a Wirelens reader, dissector or reassembler honours, in one immutable object.
 *
 * <p>Each cap has a safe default, chosen so that a hostile or endless capture cannot exhaust a default 1 GiB heap.
 * Exceeding a cap is reported ({@link Malformation#LIMIT_EXCEEDED}, an event or a counter, as the component
 * documents) and the component goes on with the rest of its input; it never ends in an {@link OutOfMemoryError}.
 *
 * <p>Allocation: build once, share freely. Thread safety: immutable, safe to share between threads.
 *
 * <pre>{@code
 * Limits limits = Limits.builder().maxBufferedBytesPerFlow(1 << 20).build();
 * }</pre>
 */
public final class Limits {
  /** Default {@link #maxCaptureBlockLength()}: 16 MiB, well above any real snaplen (Wireshark's is 256 KiB). */
  public static final int DEFAULT_MAX_CAPTURE_BLOCK_LENGTH = 16 << 20;
  /** Default {@link #maxBufferedBytesPerFlow()}: 4 MiB. */
  public static final int DEFAULT_MAX_BUFFERED_BYTES_PER_FLOW = 4 << 20;
  /** Default {@link #maxBufferedBytesTotal()}: 256 MiB. */
  public static final long DEFAULT_MAX_BUFFERED_BYTES_TOTAL = 256L << 20;
  /**
   * Default {@link #maxFlows()}: 100,000 flows. A connection tracked by the audit costs about 1.4 KiB (SYN only) to
   * 4 KiB (data both ways, its dissectors) of heap, measured; with the former default of 1,000,000 a flood of a
   * million SYNs exhausted a 1 GiB heap (issue 8). Raise it with the heap for busy links.
   */
  public static final int DEFAULT_MAX_FLOWS = 100_000;
  /** Default {@link #idleTimeout()}: 10 minutes of capture time. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);
  /** Default {@link #maxFragmentedDatagrams()}: 4,096 IP datagrams being reassembled at once. */
  public static final int DEFAULT_MAX_FRAGMENTED_DATAGRAMS = 4096;
  /** Default {@link #maxIpv6ExtensionHeaders()}: 16 headers in one chain. */
  public static final int DEFAULT_MAX_IPV6_EXTENSION_HEADERS = 16;
  /** Default {@link #maxTlsRecordLength()}: 2^14 + 256, the TLSCiphertext limit of RFC 8446 §5.2. */
  public static final int DEFAULT_MAX_TLS_RECORD_LENGTH = (1 << 14) + 256;
  /** Default {@link #maxTlsHandshakeMessageLength()}: 256 KiB (large certificate chains fit). */
  public static final int DEFAULT_MAX_TLS_HANDSHAKE_MESSAGE_LENGTH = 256 << 10;
  /** Default {@link #maxWebSocketFrameLength()}: 16 MiB of payload announced by one frame. */
  public static final long DEFAULT_MAX_WEBSOCKET_FRAME_LENGTH = 16L << 20;
  /** Default {@link #maxWebSocketMessageLength()}: 16 MiB of one reassembled message. */
  public static final long DEFAULT_MAX_WEBSOCKET_MESSAGE_LENGTH = 16L << 20;
  /** Default {@link #maxInflatedLength()}: 16 MiB inflated from one permessage-deflate message. */
  public static final long DEFAULT_MAX_INFLATED_LENGTH = 16L << 20;
  /** Default {@link #maxInflationRatio()}: 100 inflated bytes per compressed byte. */
  public static final int DEFAULT_MAX_INFLATION_RATIO = 100;
  /** Default {@link #maxKeyLogLines()}: 1,000,000 lines of an NSS key log. */
  public static final int DEFAULT_MAX_KEY_LOG_LINES = 1_000_000;
  /**
   * Default {@link #maxCaptureInflationRatio()}: 250 decompressed bytes per gzip byte. Real captures compress far less
   * (a few times for TLS, some tens for repetitive plaintext); deflate's own maximum is about 1,032.
   */
  public static final int DEFAULT_MAX_CAPTURE_INFLATION_RATIO = 250;
  /**
   * Decompressed bytes of a gzip-compressed capture always allowed before {@link #maxCaptureInflationRatio()} is
   * applied: 64 MiB, so that a small, very compressible capture is read whole.
   */
  public static final long CAPTURE_INFLATION_ALLOWANCE = 64L << 20;

  private static final Limits DEFAULTS = builder().build();

  private final int maxCaptureBlockLength;
  private final int maxBufferedBytesPerFlow;
  private final long maxBufferedBytesTotal;
  private final int maxFlows;
  private final Duration idleTimeout;
  private final int maxFragmentedDatagrams;
  private final int maxIpv6ExtensionHeaders;
  private final int maxTlsRecordLength;
  private final int maxTlsHandshakeMessageLength;
  private final long maxWebSocketFrameLength;
  private final long maxWebSocketMessageLength;
  private final long maxInflatedLength;
  private final int maxInflationRatio;
  private final int maxKeyLogLines;
  private final int maxCaptureInflationRatio;

  private Limits(Builder b) {
    this.maxCaptureBlockLength = b.maxCaptureBlockLength;
    this.maxBufferedBytesPerFlow = b.maxBufferedBytesPerFlow;
    this.maxBufferedBytesTotal = b.maxBufferedBytesTotal;
    this.maxFlows = b.maxFlows;
    this.idleTimeout = b.idleTimeout;
    this.maxFragmentedDatagrams = b.maxFragmentedDatagrams;
    this.maxIpv6ExtensionHeaders = b.maxIpv6ExtensionHeaders;
    this.maxTlsRecordLength = b.maxTlsRecordLength;
    this.maxTlsHandshakeMessageLength = b.maxTlsHandshakeMessageLength;
    this.maxWebSocketFrameLength = b.maxWebSocketFrameLength;
    this.maxWebSocketMessageLength = b.maxWebSocketMessageLength;
    this.maxInflatedLength = b.maxInflatedLength;
    this.maxInflationRatio = b.maxInflationRatio;
    this.maxKeyLogLines = b.maxKeyLogLines;
    this.maxCaptureInflationRatio = b.maxCaptureInflationRatio;
  }

  /** The limits with every default. */
  public static Limits defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these limits. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxCaptureBlockLength = maxCaptureBlockLength;
    b.maxBufferedBytesPerFlow = maxBufferedBytesPerFlow;
    b.maxBufferedBytesTotal = maxBufferedBytesTotal;
    b.maxFlows = maxFlows;
    b.idleTimeout = idleTimeout;
    b.maxFragmentedDatagrams = maxFragmentedDatagrams;
    b.maxIpv6ExtensionHeaders = maxIpv6ExtensionHeaders;
    b.maxTlsRecordLength = maxTlsRecordLength;
    b.maxTlsHandshakeMessageLength = maxTlsHandshakeMessageLength;
    b.maxWebSocketFrameLength = maxWebSocketFrameLength;
    b.maxWebSocketMessageLength = maxWebSocketMessageLength;
    b.maxInflatedLength = maxInflatedLength;
    b.maxInflationRatio = maxInflationRatio;
    b.maxKeyLogLines = maxKeyLogLines;
    b.maxCaptureInflationRatio = maxCaptureInflationRatio;
    return b;
  }

  /** Largest pcap record or pcapng block, in bytes, that a capture reader buffers. */
  public int maxCaptureBlockLength() {
    return maxCaptureBlockLength;
  }

  /** Largest number of out-of-order bytes held for one TCP flow direction. */
  public int maxBufferedBytesPerFlow() {
    return maxBufferedBytesPerFlow;
  }

  /** Largest number of bytes held by one reassembler across all flows (TCP out-of-order data and IP fragments). */
  public long maxBufferedBytesTotal() {
    return maxBufferedBytesTotal;
  }

  /** Largest number of flows one reassembler tracks at once. */
  public int maxFlows() {
    return maxFlows;
  }

  /** Capture time after which a flow without packets is closed. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** Largest number of IP datagrams whose fragments are held at once. */
  public int maxFragmentedDatagrams() {
    return maxFragmentedDatagrams;
  }

  /** Largest number of IPv6 extension headers walked in one packet. */
  public int maxIpv6ExtensionHeaders() {
    return maxIpv6ExtensionHeaders;
  }

  /** Largest TLS record length field accepted. */
  public int maxTlsRecordLength() {
    return maxTlsRecordLength;
  }

  /** Largest TLS handshake message length accepted (and buffered across records). */
  public int maxTlsHandshakeMessageLength() {
    return maxTlsHandshakeMessageLength;
  }

  /** Largest WebSocket frame payload length accepted. */
  public long maxWebSocketFrameLength() {
    return maxWebSocketFrameLength;
  }

  /** Largest reassembled WebSocket message accepted. */
  public long maxWebSocketMessageLength() {
    return maxWebSocketMessageLength;
  }

  /** Largest inflated size of one permessage-deflate message. */
  public long maxInflatedLength() {
    return maxInflatedLength;
  }

  /** Largest ratio of inflated to compressed bytes of one permessage-deflate message. */
  public int maxInflationRatio() {
    return maxInflationRatio;
  }

  /** Largest number of lines read from one key log. */
  public int maxKeyLogLines() {
    return maxKeyLogLines;
  }

  /**
   * Largest ratio of decompressed to compressed bytes of a gzip-compressed capture (a decompression bomb's defence):
   * reading stops with {@link Malformation#LIMIT_EXCEEDED} once the decompressed bytes exceed this many times the
   * compressed bytes read plus {@link #CAPTURE_INFLATION_ALLOWANCE}.
   */
  public int maxCaptureInflationRatio() {
    return maxCaptureInflationRatio;
  }

  @Override
  public String toString() {
    return "Limits{maxCaptureBlockLength=" + maxCaptureBlockLength
        + ", maxBufferedBytesPerFlow=" + maxBufferedBytesPerFlow
        + ", maxBufferedBytesTotal=" + maxBufferedBytesTotal
        + ", maxFlows=" + maxFlows
        + ", idleTimeout=" + idleTimeout
        + ", maxFragmentedDatagrams=" + maxFragmentedDatagrams
        + ", maxIpv6ExtensionHeaders=" + maxIpv6ExtensionHeaders
        + ", maxTlsRecordLength=" + maxTlsRecordLength
        + ", maxTlsHandshakeMessageLength=" + maxTlsHandshakeMessageLength
        + ", maxWebSocketFrameLength=" + maxWebSocketFrameLength
        + ", maxWebSocketMessageLength=" + maxWebSocketMessageLength
        + ", maxInflatedLength=" + maxInflatedLength
        + ", maxInflationRatio=" + maxInflationRatio
        + ", maxKeyLogLines=" + maxKeyLogLines
        + ", maxCaptureInflationRatio=" + maxCaptureInflationRatio + '}';
  }

  /**
   * Builds a {@link Limits}. Every setter rejects values below 1 with {@link IllegalArgumentException}.
   *
   * <p>Thread safety: this class is not thread safe.
   */
  public static final class Builder {
    private int maxCaptureBlockLength = DEFAULT_MAX_CAPTURE_BLOCK_LENGTH;
    private int maxBufferedBytesPerFlow = DEFAULT_MAX_BUFFERED_BYTES_PER_FLOW;
    private long maxBufferedBytesTotal = DEFAULT_MAX_BUFFERED_BYTES_TOTAL;
    private int maxFlows = DEFAULT_MAX_FLOWS;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private int maxFragmentedDatagrams = DEFAULT_MAX_FRAGMENTED_DATAGRAMS;
    private int maxIpv6ExtensionHeaders = DEFAULT_MAX_IPV6_EXTENSION_HEADERS;
    private int maxTlsRecordLength = DEFAULT_MAX_TLS_RECORD_LENGTH;
    private int maxTlsHandshakeMessageLength = DEFAULT_MAX_TLS_HANDSHAKE_MESSAGE_LENGTH;
    private long maxWebSocketFrameLength = DEFAULT_MAX_WEBSOCKET_FRAME_LENGTH;
    private long maxWebSocketMessageLength = DEFAULT_MAX_WEBSOCKET_MESSAGE_LENGTH;
    private long maxInflatedLength = DEFAULT_MAX_INFLATED_LENGTH;
    private int maxInflationRatio = DEFAULT_MAX_INFLATION_RATIO;
    private int maxKeyLogLines = DEFAULT_MAX_KEY_LOG_LINES;
    private int maxCaptureInflationRatio = DEFAULT_MAX_CAPTURE_INFLATION_RATIO;

    private Builder() {}

    private static long positive(String name, long value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be at least 1: " + value);
      }
      return value;
    }

    /** Sets {@link Limits#maxCaptureBlockLength()}; at least 64 bytes. */
    public Builder maxCaptureBlockLength(int bytes) {
      if (bytes < 64) {
        throw new IllegalArgumentException("maxCaptureBlockLength must be at least 64: " + bytes);
      }
      this.maxCaptureBlockLength = bytes;
      return this;
    }

    /** Sets {@link Limits#maxBufferedBytesPerFlow()}. */
    public Builder maxBufferedBytesPerFlow(int bytes) {
      this.maxBufferedBytesPerFlow = (int) positive("maxBufferedBytesPerFlow", bytes);
      return this;
    }

    /** Sets {@link Limits#maxBufferedBytesTotal()}. */
    public Builder maxBufferedBytesTotal(long bytes) {
      this.maxBufferedBytesTotal = positive("maxBufferedBytesTotal", bytes);
      return this;
    }

    /** Sets {@link Limits#maxFlows()}. */
    public Builder maxFlows(int flows) {
      this.maxFlows = (int) positive("maxFlows", flows);
      return this;
    }

    /** Sets {@link Limits#idleTimeout()}; must be positive. */
    public Builder idleTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("idleTimeout must be positive: " + timeout);
      }
      this.idleTimeout = timeout;
      return this;
    }

    /** Sets {@link Limits#maxFragmentedDatagrams()}. */
    public Builder maxFragmentedDatagrams(int datagrams) {
      this.maxFragmentedDatagrams = (int) positive("maxFragmentedDatagrams", datagrams);
      return this;
    }

    /** Sets {@link Limits#maxIpv6ExtensionHeaders()}. */
    public Builder maxIpv6ExtensionHeaders(int headers) {
      this.maxIpv6ExtensionHeaders = (int) positive("maxIpv6ExtensionHeaders", headers);
      return this;
    }

    /** Sets {@link Limits#maxTlsRecordLength()}. */
    public Builder maxTlsRecordLength(int bytes) {
      this.maxTlsRecordLength = (int) positive("maxTlsRecordLength", bytes);
      return this;
    }

    /** Sets {@link Limits#maxTlsHandshakeMessageLength()}. */
    public Builder maxTlsHandshakeMessageLength(int bytes) {
      this.maxTlsHandshakeMessageLength = (int) positive("maxTlsHandshakeMessageLength", bytes);
      return this;
    }

    /** Sets {@link Limits#maxWebSocketFrameLength()}. */
    public Builder maxWebSocketFrameLength(long bytes) {
      this.maxWebSocketFrameLength = positive("maxWebSocketFrameLength", bytes);
      return this;
    }

    /** Sets {@link Limits#maxWebSocketMessageLength()}. */
    public Builder maxWebSocketMessageLength(long bytes) {
      this.maxWebSocketMessageLength = positive("maxWebSocketMessageLength", bytes);
      return this;
    }

    /** Sets {@link Limits#maxInflatedLength()}. */
    public Builder maxInflatedLength(long bytes) {
      this.maxInflatedLength = positive("maxInflatedLength", bytes);
      return this;
    }

    /** Sets {@link Limits#maxInflationRatio()}. */
    public Builder maxInflationRatio(int ratio) {
      this.maxInflationRatio = (int) positive("maxInflationRatio", ratio);
      return this;
    }

    /** Sets {@link Limits#maxKeyLogLines()}. */
    public Builder maxKeyLogLines(int lines) {
      this.maxKeyLogLines = (int) positive("maxKeyLogLines", lines);
      return this;
    }

    /** Sets {@link Limits#maxCaptureInflationRatio()}. */
    public Builder maxCaptureInflationRatio(int ratio) {
      this.maxCaptureInflationRatio = (int) positive("maxCaptureInflationRatio", ratio);
      return this;
    }

    /** Returns the immutable limits. */
    public Limits build() {
      return new Limits(this);
    }
  }
}
