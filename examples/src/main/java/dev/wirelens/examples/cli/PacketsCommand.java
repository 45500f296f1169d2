package dev.wirelens.examples.cli;

import dev.wirelens.DecodeStatus;
import dev.wirelens.Limits;
import dev.wirelens.link.LinkTypes;
import dev.wirelens.packet.PacketDissector;
import dev.wirelens.pcapng.CaptureFormat;
import dev.wirelens.pcapng.CaptureReader;
import dev.wirelens.pcapng.PcapngInterface;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wirelens packets [--limit N] CAPTURE|-}: one line per packet, like tshark's summary
 * ({@link PacketSummary}).
 *
 * <p>{@code -} reads the capture from standard input as it arrives and prints (and flushes) each line as soon as
 * its packet is read, so {@code tcpdump -U -w - | wirelens packets -} shows packets live. A malformed frame is
 * printed with its malformation and the command goes on. A file that cannot be read, is not a capture, is
 * truncated or holds a link type the dissector does not know ends the command with one line on standard error
 * (after the lines of the packets read so far) and exit code 2.
 */
@Command(
    name = "packets",
    mixinStandardHelpOptions = true,
    description = "Prints one line per packet: number, time, source → destination, protocol, length, info.")
final class PacketsCommand implements Callable<Integer> {
  @Option(names = "--limit", paramLabel = "N", description = "Stop after N packets.")
  private long limit = Long.MAX_VALUE;

  @Parameters(paramLabel = "CAPTURE|-", description = "A pcap or pcapng file (optionally gzipped), or - for standard input.")
  private String capture;

  /** The options above for {@link PlainArguments} (a test checks them against the annotations). */
  static final PlainArguments.Syntax SYNTAX =
      new PlainArguments.Syntax(Map.of("--limit", PlainArguments.Kind.LONG), Set.of());

  private final InputStream stdin;
  private final PrintWriter out;
  private final PrintWriter err;

  /** A command reading {@code stdin} for {@code -} and writing to {@code out} and {@code err}. */
  PacketsCommand(InputStream stdin, PrintWriter out, PrintWriter err) {
    this.stdin = stdin;
    this.out = out;
    this.err = err;
  }

  /** Sets the options and the capture from arguments parsed without picocli; returns this. */
  PacketsCommand set(PlainArguments a) {
    limit = a.longValue("--limit", limit);
    capture = a.positional();
    return this;
  }

  @Override
  public Integer call() {
    PrintWriter out = this.out;
    PrintWriter err = this.err;
    if (limit < 0) {
      err.println("wirelens packets: --limit must not be negative");
      return Wirelens.EXIT_USAGE_OR_INPUT;
    }
    boolean live = "-".equals(capture);
    String name = live ? "<stdin>" : capture;
    CaptureReader reader;
    try {
      if (live) {
        reader = CaptureReader.open(stdin, Limits.defaults(), CliAllocator.ALLOC);
      } else {
        Path path = Path.of(capture);
        String problem = CaptureInputs.fileProblem(path);
        if (problem != null) {
          return fail(err, name, problem);
        }
        reader = CaptureReader.open(path, Limits.defaults(), CliAllocator.ALLOC);
      }
    } catch (UncheckedIOException e) {
      return fail(err, name, CaptureInputs.describe(e));
    } catch (RuntimeException e) {
      return fail(err, name, "cannot open: " + e.getMessage());
    }
    try (CaptureReader r = reader) {
      return print(r, name, live, out, err);
    } catch (UncheckedIOException e) {
      out.flush();
      return fail(err, name, CaptureInputs.describe(e));
    }
  }

  private int print(CaptureReader r, String name, boolean live, PrintWriter out, PrintWriter err) {
    PacketDissector dissector = new PacketDissector();
    PacketSummary summary = new PacketSummary();
    long count = 0;
    long first = 0;
    while (count < limit) {
      DecodeStatus status = r.next();
      if (status == DecodeStatus.END) {
        break;
      }
      if (status != DecodeStatus.FRAME) {
        out.flush();
        return fail(err, name, CaptureInputs.captureProblem(r.report(), count));
      }
      int linkType = r.linkType();
      if (!CaptureInputs.isSupported(linkType)) {
        out.flush();
        return fail(err, name, "unsupported link type " + linkType + " (" + LinkTypes.nameOf(linkType)
            + ") at packet " + (count + 1));
      }
      count++;
      if (count == 1) {
        first = r.timestampNanos();
      }
      dissector.dissect(r.frame(), linkType);
      out.println(summary.format(count, r.timestampNanos() - first, decimals(r), dissector, r.frame(),
          r.originalLength()));
      if (live) {
        out.flush();
      }
    }
    out.flush();
    return 0;
  }

  /** Digits after the point in the time column: tshark uses the precision of the frame's timestamps. */
  private static int decimals(CaptureReader r) {
    if (r.format() == CaptureFormat.PCAP) {
      return r.pcapReader().isNanosecond() ? 9 : 6;
    }
    List<PcapngInterface> interfaces = r.interfaces();
    for (int i = interfaces.size() - 1; i >= 0; i--) {
      PcapngInterface itf = interfaces.get(i);
      if (itf.id() == r.interfaceId()) {
        int tsresol = itf.tsresol();
        if ((tsresol & 0x80) != 0) {
          return 9;
        }
        return Math.max(0, Math.min(9, tsresol));
      }
    }
    return 6;
  }

  private static int fail(PrintWriter err, String name, String problem) {
    err.println("wirelens packets: " + name + ": " + problem);
    err.flush();
    return Wirelens.EXIT_USAGE_OR_INPUT;
  }
}
