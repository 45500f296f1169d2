package dev.wirelens.benchmarks.generator;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Properties;

/**
 * The benchmarks' input: one run of {@link SyntheticTraffic} written both as classic pcap and as pcapng (the same
 * frames, the same timestamps), generated at benchmark time into a scratch directory and never committed.
 *
 * <p>Files are named after size and seed ({@code synthetic-<seed>-<bytes>.pcap}, {@code .pcapng},
 * {@code .properties}) and reused when they already exist, so a JMH run generates them once for all its forks.
 * The {@code .properties} file, written last, records the packet count and the file sizes; its presence means
 * both captures are complete. Generation stops at the first frame that takes the pcap file to the requested size.
 *
 * <p>The directory is the {@code WIRELENS_BENCH_DIR} environment variable (inherited by JMH's forked JVMs), else
 * {@code -Dwirelens.bench.dir=...}, else {@code ${java.io.tmpdir}/wirelens-bench}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.wirelens.benchmarks.generator.SyntheticCapture 1g
 * </pre>
 */
public final class SyntheticCapture {
  /** The seed used unless another is asked for. */
  public static final long DEFAULT_SEED = 20261128L;
  /** Concurrent TCP connections. */
  public static final int CONCURRENT_FLOWS = 1000;
  /** Share of connections over IPv6. */
  public static final double IPV6_SHARE = 0.2;
  /** 2026-01-01T00:00:00Z in microseconds: the first frame's timestamp. */
  public static final long START_MICROS = 1_767_225_600_000_000L;

  private final Path pcap;
  private final Path pcapng;
  private final long packets;
  private final long ipv6Packets;
  private final long flows;
  private final long pcapBytes;
  private final long pcapngBytes;
  private final long frameBytes;
  private final Properties properties;

  private SyntheticCapture(Path base, Properties p) {
    this.pcap = Paths.get(base + ".pcap");
    this.pcapng = Paths.get(base + ".pcapng");
    this.packets = Long.parseLong(p.getProperty("packets"));
    this.ipv6Packets = Long.parseLong(p.getProperty("ipv6Packets"));
    this.flows = Long.parseLong(p.getProperty("flows"));
    this.pcapBytes = Long.parseLong(p.getProperty("pcapBytes"));
    this.pcapngBytes = Long.parseLong(p.getProperty("pcapngBytes"));
    this.frameBytes = Long.parseLong(p.getProperty("frameBytes"));
    this.properties = p;
  }

  /** A recorded property of the capture ({@code lost}, {@code reordered}, ... for impaired ones), or null. */
  public String property(String name) {
    return properties.getProperty(name);
  }

  /** The classic pcap file. */
  public Path pcap() {
    return pcap;
  }

  /** The pcapng file. */
  public Path pcapng() {
    return pcapng;
  }

  /** The file of the given format. */
  public Path file(CaptureFileWriter.Format format) {
    return format == CaptureFileWriter.Format.PCAP ? pcap : pcapng;
  }

  /** Frames in each file. */
  public long packets() {
    return packets;
  }

  /** Frames carrying IPv6. */
  public long ipv6Packets() {
    return ipv6Packets;
  }

  /** TCP connections started. */
  public long flows() {
    return flows;
  }

  /** Size of the pcap file. */
  public long pcapBytes() {
    return pcapBytes;
  }

  /** Size of the pcapng file. */
  public long pcapngBytes() {
    return pcapngBytes;
  }

  /** Sum of the frame lengths. */
  public long frameBytes() {
    return frameBytes;
  }

  /** Parses sizes such as {@code 1g}, {@code 256m}, {@code 64k} or plain bytes. */
  public static long parseSize(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    char last = t.charAt(t.length() - 1);
    if (last == 'k' || last == 'm' || last == 'g') {
      unit = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : 1L << 30;
      t = t.substring(0, t.length() - 1);
    }
    return Long.parseLong(t) * unit;
  }

  /** The scratch directory. */
  public static Path directory() {
    String dir = System.getenv("WIRELENS_BENCH_DIR");
    if (dir == null || dir.isEmpty()) {
      dir = System.getProperty("wirelens.bench.dir");
    }
    return dir != null ? Paths.get(dir) : Paths.get(System.getProperty("java.io.tmpdir"), "wirelens-bench");
  }

  /** Returns the capture of about {@code size} bytes for {@code seed}, generating it first if needed. */
  public static SyntheticCapture ensure(long size, long seed) throws IOException {
    return ensure(directory(), size, seed);
  }

  /** As {@link #ensure(long, long)}, in {@code dir}. */
  public static SyntheticCapture ensure(Path dir, long size, long seed) throws IOException {
    return ensure(dir, size, seed, false);
  }

  /**
   * The same traffic as {@link #ensure(long, long)} seen through {@link ImpairedTraffic} (0.5% of data segments
   * lost, 2% reordered, 1% followed by an overlapping retransmission; impairments seeded with {@code seed}), about
   * {@code size} bytes: files {@code synthetic-<seed>-<bytes>-impaired.*}.
   */
  public static SyntheticCapture ensureImpaired(long size, long seed) throws IOException {
    return ensure(directory(), size, seed, true);
  }

  private static synchronized SyntheticCapture ensure(Path dir, long size, long seed, boolean impaired)
      throws IOException {
    Files.createDirectories(dir);
    Path base = dir.resolve("synthetic-" + seed + "-" + size + (impaired ? "-impaired" : ""));
    Path props = Paths.get(base + ".properties");
    if (!Files.exists(props)) {
      generate(base, size, seed, impaired);
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(props)) {
      p.load(r);
    }
    return new SyntheticCapture(base, p);
  }

  private static void generate(Path base, long size, long seed, boolean impaired) throws IOException {
    Path pcapTmp = Paths.get(base + ".pcap.tmp");
    Path pcapngTmp = Paths.get(base + ".pcapng.tmp");
    SyntheticTraffic traffic = new SyntheticTraffic(seed, CONCURRENT_FLOWS, IPV6_SHARE, START_MICROS);
    ImpairedTraffic lossy = impaired ? new ImpairedTraffic(traffic, seed ^ 0x5EED_1055L) : null;
    byte[] frame = new byte[SyntheticTraffic.MAX_FRAME_LENGTH];
    long packets = 0;
    long ipv6 = 0;
    long frameBytes = 0;
    long pcapBytes;
    long pcapngBytes;
    try (CaptureFileWriter a = new CaptureFileWriter(pcapTmp, CaptureFileWriter.Format.PCAP);
        CaptureFileWriter b = new CaptureFileWriter(pcapngTmp, CaptureFileWriter.Format.PCAPNG)) {
      while (a.size() < size) {
        int len = lossy != null ? lossy.next(frame) : traffic.next(frame);
        long ts = lossy != null ? lossy.timestampMicros() : traffic.timestampMicros();
        a.write(ts, frame, len);
        b.write(ts, frame, len);
        packets++;
        frameBytes += len;
        if (lossy != null ? lossy.lastWasIpv6() : traffic.lastWasIpv6()) {
          ipv6++;
        }
      }
      pcapBytes = a.size();
      pcapngBytes = b.size();
    }
    Files.move(pcapTmp, Paths.get(base + ".pcap"), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    Files.move(pcapngTmp, Paths.get(base + ".pcapng"), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    Properties p = new Properties();
    p.setProperty("seed", Long.toString(seed));
    p.setProperty("packets", Long.toString(packets));
    p.setProperty("ipv6Packets", Long.toString(ipv6));
    p.setProperty("flows", Long.toString(traffic.flowsStarted()));
    p.setProperty("frameBytes", Long.toString(frameBytes));
    p.setProperty("pcapBytes", Long.toString(pcapBytes));
    p.setProperty("pcapngBytes", Long.toString(pcapngBytes));
    if (lossy != null) {
      p.setProperty("dataSegments", Long.toString(lossy.dataSegments()));
      p.setProperty("lost", Long.toString(lossy.lost()));
      p.setProperty("reordered", Long.toString(lossy.reordered()));
      p.setProperty("retransmitted", Long.toString(lossy.retransmitted()));
    }
    Path props = Paths.get(base + ".properties");
    Path propsTmp = Paths.get(base + ".properties.tmp");
    try (Writer w = Files.newBufferedWriter(propsTmp)) {
      p.store(w, "SyntheticCapture: do not edit; delete all three files to regenerate");
    }
    Files.move(propsTmp, props, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Generates (or finds) a capture: {@code SyntheticCapture [size] [seed] [impaired]}, size like {@code 1g}; with
   * {@code impaired}, the {@link ImpairedTraffic} variant.
   */
  public static void main(String[] args) throws IOException {
    long size = args.length > 0 ? parseSize(args[0]) : 1L << 30;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : DEFAULT_SEED;
    boolean impaired = args.length > 2 && "impaired".equals(args[2]);
    long t0 = System.nanoTime();
    SyntheticCapture c = impaired ? ensureImpaired(size, seed) : ensure(size, seed);
    System.out.printf(Locale.ROOT, "%s%n%s%npackets=%d ipv6Packets=%d flows=%d pcapBytes=%d pcapngBytes=%d (%.1f s)%n",
        c.pcap(), c.pcapng(), c.packets(), c.ipv6Packets(), c.flows(), c.pcapBytes(), c.pcapngBytes(),
        (System.nanoTime() - t0) / 1e9);
  }
}
