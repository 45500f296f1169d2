package dev.wirelens.examples.audit;

import java.time.Duration;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules a {@link Verdict} is judged by, each with a documented default. Build with {@link #builder()};
 * {@link #defaults()} is the policy of {@code wirelens audit}.
 *
 * <p><b>encrypted</b> (checked only for connections whose server port is watched; others are not judged and count
 * as encrypted): the connection carried TLS from its first byte (a connection without any payload is not judged);
 * no plaintext application data appeared; the negotiated version is at least {@link #minimumTlsVersion()}; and the
 * server certificate, when visible (always in TLS 1.2, in TLS 1.3 only when decrypted), names the SNI and was valid
 * at the connection's start.
 *
 * <p><b>stable</b>: the TCP handshake was not left half done (a capture that began mid-connection is not judged);
 * no RST; no fatal TLS alert; an HTTP Upgrade to WebSocket was not refused; a WebSocket connection closed with one of {@link #normalCloseCodes()} or is still open at the end of the
 * capture (no close frame before TCP ended is abnormal, code 1006); no ping unanswered and none answered later than
 * {@link #pingAnswerTimeout()}; retransmitted packets at most {@link #maxRetransmissionShare()} of the connection's
 * packets (once it has {@link #minPacketsForRetransmissionShare()} packets); and no reconnect storm: more than
 * {@link #maxReconnects()} further connections from the same client address to the same server address and port
 * within {@link #reconnectWindow()} mark every connection from the one that exceeded it as unstable.
 *
 * <p>Allocation: none after {@link Builder#build()}. Thread safety: immutable.
 *
 * <pre>{@code
 * AuditPolicy p = AuditPolicy.builder().watchedPorts(8084).minimumTlsVersion(0x0304).build();
 * }</pre>
 */
public final class AuditPolicy {
  /** Default minimum TLS version: TLS 1.2 (0x0303). */
  public static final int DEFAULT_MINIMUM_TLS_VERSION = 0x0303;
  /** Default time a ping may wait for its pong: 5 seconds. */
  public static final Duration DEFAULT_PING_ANSWER_TIMEOUT = Duration.ofSeconds(5);
  /** Default largest share of retransmitted packets: 5 %. */
  public static final double DEFAULT_MAX_RETRANSMISSION_SHARE = 0.05;
  /** Default number of packets before the retransmission share is judged: 20. */
  public static final int DEFAULT_MIN_PACKETS_FOR_RETRANSMISSION_SHARE = 20;
  /** Default reconnects tolerated within the window: 5. */
  public static final int DEFAULT_MAX_RECONNECTS = 5;
  /** Default reconnect window: 60 seconds. */
  public static final Duration DEFAULT_RECONNECT_WINDOW = Duration.ofSeconds(60);
  /** Default normal WebSocket close codes: 1000 (normal closure) and 1001 (going away), RFC 6455 §7.4.1. */
  public static final Set<Integer> DEFAULT_NORMAL_CLOSE_CODES = Set.of(1000, 1001);

  private static final AuditPolicy DEFAULTS = builder().build();

  private final Set<Integer> watchedPorts;
  private final int minimumTlsVersion;
  private final Duration pingAnswerTimeout;
  private final double maxRetransmissionShare;
  private final int minPacketsForRetransmissionShare;
  private final int maxReconnects;
  private final Duration reconnectWindow;
  private final Set<Integer> normalCloseCodes;

  private AuditPolicy(Builder b) {
    watchedPorts = Collections.unmodifiableSet(new TreeSet<>(b.watchedPorts));
    minimumTlsVersion = b.minimumTlsVersion;
    pingAnswerTimeout = b.pingAnswerTimeout;
    maxRetransmissionShare = b.maxRetransmissionShare;
    minPacketsForRetransmissionShare = b.minPacketsForRetransmissionShare;
    maxReconnects = b.maxReconnects;
    reconnectWindow = b.reconnectWindow;
    normalCloseCodes = Collections.unmodifiableSet(new TreeSet<>(b.normalCloseCodes));
  }

  /** The default policy (every default constant of this class; all ports watched). */
  public static AuditPolicy defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.watchedPorts.addAll(watchedPorts);
    b.minimumTlsVersion = minimumTlsVersion;
    b.pingAnswerTimeout = pingAnswerTimeout;
    b.maxRetransmissionShare = maxRetransmissionShare;
    b.minPacketsForRetransmissionShare = minPacketsForRetransmissionShare;
    b.maxReconnects = maxReconnects;
    b.reconnectWindow = reconnectWindow;
    b.normalCloseCodes.clear();
    b.normalCloseCodes.addAll(normalCloseCodes);
    return b;
  }

  /** Server ports whose connections must be encrypted; empty means every port (the default). */
  public Set<Integer> watchedPorts() {
    return watchedPorts;
  }

  /** True when connections to server port {@code port} are judged for encryption. */
  public boolean watches(int port) {
    return watchedPorts.isEmpty() || watchedPorts.contains(port);
  }

  /** The lowest acceptable negotiated TLS version, as its wire value (0x0303 is TLS 1.2). */
  public int minimumTlsVersion() {
    return minimumTlsVersion;
  }

  /** How long a WebSocket ping may wait for its pong. */
  public Duration pingAnswerTimeout() {
    return pingAnswerTimeout;
  }

  /** The largest acceptable share (0 to 1) of retransmitted packets among a connection's packets. */
  public double maxRetransmissionShare() {
    return maxRetransmissionShare;
  }

  /** Connections with fewer packets are not judged by {@link #maxRetransmissionShare()}. */
  public int minPacketsForRetransmissionShare() {
    return minPacketsForRetransmissionShare;
  }

  /** Reconnects (connections after the first) from one client to one server tolerated within the window. */
  public int maxReconnects() {
    return maxReconnects;
  }

  /** The sliding window of capture time over which reconnects are counted. */
  public Duration reconnectWindow() {
    return reconnectWindow;
  }

  /** WebSocket close codes that count as a clean close. */
  public Set<Integer> normalCloseCodes() {
    return normalCloseCodes;
  }

  @Override
  public String toString() {
    return "AuditPolicy{watchedPorts=" + (watchedPorts.isEmpty() ? "all" : watchedPorts) + ", minimumTlsVersion=0x"
        + Integer.toHexString(minimumTlsVersion) + ", pingAnswerTimeout=" + pingAnswerTimeout
        + ", maxRetransmissionShare=" + maxRetransmissionShare + ", maxReconnects=" + maxReconnects + " in "
        + reconnectWindow + ", normalCloseCodes=" + normalCloseCodes + "}";
  }

  /** Builds an {@link AuditPolicy}; starts from the defaults. Not thread safe. */
  public static final class Builder {
    private final Set<Integer> watchedPorts = new TreeSet<>();
    private int minimumTlsVersion = DEFAULT_MINIMUM_TLS_VERSION;
    private Duration pingAnswerTimeout = DEFAULT_PING_ANSWER_TIMEOUT;
    private double maxRetransmissionShare = DEFAULT_MAX_RETRANSMISSION_SHARE;
    private int minPacketsForRetransmissionShare = DEFAULT_MIN_PACKETS_FOR_RETRANSMISSION_SHARE;
    private int maxReconnects = DEFAULT_MAX_RECONNECTS;
    private Duration reconnectWindow = DEFAULT_RECONNECT_WINDOW;
    private final Set<Integer> normalCloseCodes = new TreeSet<>(DEFAULT_NORMAL_CLOSE_CODES);

    private Builder() {}

    /** Watches these server ports (replacing earlier ones); none means every port. */
    public Builder watchedPorts(int... ports) {
      watchedPorts.clear();
      for (int p : ports) {
        if (p < 0 || p > 65535) {
          throw new IllegalArgumentException("port must be 0 to 65535: " + p);
        }
        watchedPorts.add(p);
      }
      return this;
    }

    /** Watches these server ports (replacing earlier ones); empty means every port. */
    public Builder watchedPorts(Iterable<Integer> ports) {
      int n = 0;
      for (Integer p : ports) {
        n++;
      }
      int[] a = new int[n];
      int i = 0;
      for (Integer p : ports) {
        a[i++] = p;
      }
      return watchedPorts(a);
    }

    /** The lowest acceptable TLS version as its wire value (0x0301 TLS 1.0 ... 0x0304 TLS 1.3). */
    public Builder minimumTlsVersion(int version) {
      if (version < 0 || version > 0xFFFF) {
        throw new IllegalArgumentException("version must be a u16: " + version);
      }
      minimumTlsVersion = version;
      return this;
    }

    /** How long a ping may wait for its pong (positive). */
    public Builder pingAnswerTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      pingAnswerTimeout = timeout;
      return this;
    }

    /** The largest acceptable share (0 to 1) of retransmitted packets. */
    public Builder maxRetransmissionShare(double share) {
      if (!(share >= 0 && share <= 1)) {
        throw new IllegalArgumentException("share must be 0 to 1: " + share);
      }
      maxRetransmissionShare = share;
      return this;
    }

    /** Packets a connection needs before its retransmission share is judged (at least 1). */
    public Builder minPacketsForRetransmissionShare(int packets) {
      if (packets < 1) {
        throw new IllegalArgumentException("packets must be at least 1: " + packets);
      }
      minPacketsForRetransmissionShare = packets;
      return this;
    }

    /** At most {@code maxReconnects} reconnects from one client to one server within {@code window}. */
    public Builder reconnectStorm(int maxReconnects, Duration window) {
      if (maxReconnects < 0) {
        throw new IllegalArgumentException("maxReconnects must not be negative: " + maxReconnects);
      }
      if (window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("window must be positive: " + window);
      }
      this.maxReconnects = maxReconnects;
      this.reconnectWindow = window;
      return this;
    }

    /** WebSocket close codes that count as clean (replacing the defaults). */
    public Builder normalCloseCodes(int... codes) {
      normalCloseCodes.clear();
      for (int c : codes) {
        normalCloseCodes.add(c);
      }
      return this;
    }

    /** The policy. */
    public AuditPolicy build() {
      Objects.requireNonNull(pingAnswerTimeout);
      return new AuditPolicy(this);
    }
  }
}
