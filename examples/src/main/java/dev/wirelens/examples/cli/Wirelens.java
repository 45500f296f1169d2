package dev.wirelens.examples.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code wirelens} command line: {@code java -jar wirelens.jar packets CAPTURE|-},
 * {@code java -jar wirelens.jar flows --out DIR CAPTURE|-} and {@code java -jar wirelens.jar audit [--json] CAPTURE|-}.
 *
 * <pre>
 * ./mvnw -B -q -DskipTests install
 * java -jar examples/target/wirelens.jar packets examples/src/main/resources/captures/http.pcap
 * java -jar examples/target/wirelens.jar audit --json examples/src/main/resources/captures/http.pcap
 * java -jar examples/target/wirelens.jar flows --out /tmp/flows examples/src/main/resources/captures/http.pcap
 * tcpdump -U -w - -i eth0 | java -jar examples/target/wirelens.jar packets -
 * </pre>
 *
 * <p>Exit codes: 0 when the command ran, 2 for bad usage or an input that cannot be read (one line on standard
 * error naming the file and the problem, never a stack trace).
 */
@Command(
    name = "wirelens",
    mixinStandardHelpOptions = true,
    versionProvider = Wirelens.Version.class,
    description = "Dissects captured network traffic (pcap, pcapng, or a live tcpdump -w - pipe).")
public final class Wirelens implements Callable<Integer> {
  /** Exit code for bad usage or an unreadable input. */
  public static final int EXIT_USAGE_OR_INPUT = 2;

  /** The subcommands' names, in the order the usage lists them. */
  private static final List<String> SUBCOMMANDS = List.of("audit", "packets", "flows");

  /** Netty's switch for its allocator's JFR events (read once, when Netty's PlatformDependent initialises). */
  private static final String NETTY_JFR = "io.netty.jfr.enabled";

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  private Wirelens() {}

  /** Runs the command line with the process's standard streams and exits with its code. */
  public static void main(String[] args) {
    // Netty's allocator registers its JFR events when it is first used, loading the jdk.jfr classes: start-up work
    // for a recording a command-line run does not make. -Dio.netty.jfr.enabled=true still turns them on.
    if (System.getProperty(NETTY_JFR) == null) {
      System.setProperty(NETTY_JFR, "false");
    }
    // Netty's loggers answer "debug?" without starting java.util.logging (NettyLogging says when and why).
    NettyLogging.install();
    // Netty's default allocator (ByteBufAllocator.DEFAULT) is made when ByteBufUtil is first used, which the audit
    // cannot avoid (little-endian reads of a mapped file, strings decoded from buffers); the CLI hands CliAllocator to
    // every library that allocates on its paths, so the pooled default would only cost its start-up (CliAllocator).
    // -Dio.netty.allocator.type=... still chooses it.
    if (System.getProperty(CliAllocator.NETTY_ALLOCATOR_TYPE) == null) {
      System.setProperty(CliAllocator.NETTY_ALLOCATOR_TYPE, "unpooled");
    }
    // UTF-8 whatever the locale, as tshark writes its "→".
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    int code;
    try {
      code = run(System.in, out, err, args);
    } catch (Throwable e) {
      // Nothing may reach the JVM's default handler, which prints a stack trace: an Error (out of memory, ...)
      // escapes picocli's handler for exceptions; it still ends as one line.
      out.flush();
      err.println("wirelens: internal error: " + e);
      code = EXIT_USAGE_OR_INPUT;
    }
    out.flush();
    System.exit(code);
  }

  /**
   * Runs the command line in process: {@code stdin} is what {@code -} reads; output and errors go to the given
   * writers. Returns the exit code.
   */
  public static int run(InputStream stdin, PrintWriter out, PrintWriter err, String... args) {
    return run(Terminals.detect(), stdin, out, err, args);
  }

  /**
   * Like {@link #run(InputStream, PrintWriter, PrintWriter, String...)}, with what is known of the terminal. A
   * subcommand whose arguments are plain ({@link PlainArguments}) runs without picocli, which is not even loaded
   * (about 0.1 s of a small audit's start-up); any other command line is picocli's.
   */
  static int run(Terminals terminals, InputStream stdin, PrintWriter out, PrintWriter err, String... args) {
    Callable<Integer> plain = plainCommand(terminals, stdin, out, err, args);
    int code = plain != null ? callPlain(plain, err) : runPicocli(terminals, stdin, out, err, args);
    out.flush();
    err.flush();
    return code;
  }

  /** The subcommand {@code args} name, set from them, when they are plain; else null. */
  private static Callable<Integer> plainCommand(Terminals terminals, InputStream stdin, PrintWriter out,
      PrintWriter err, String[] args) {
    if (args.length == 0 || args[0] == null) {
      return null;
    }
    PlainArguments a;
    switch (args[0]) {
      case "audit":
        a = PlainArguments.parse(AuditCommand.SYNTAX, args, 1);
        return a == null ? null : new AuditCommand(stdin, terminals, out, err).set(a);
      case "packets":
        a = PlainArguments.parse(PacketsCommand.SYNTAX, args, 1);
        return a == null ? null : new PacketsCommand(stdin, out, err).set(a);
      case "flows":
        a = PlainArguments.parse(FlowsCommand.SYNTAX, args, 1);
        return a == null ? null : new FlowsCommand(stdin, out, err).set(a);
      default:
        return null;
    }
  }

  /** Calls {@code command} as picocli's {@code execute} does, with the same handler for an exception. */
  private static int callPlain(Callable<Integer> command, PrintWriter err) {
    try {
      return command.call();
    } catch (Exception e) {
      return internalError(e, err);
    }
  }

  /** A bug, not bad input: still one line, never a stack trace on the user's terminal. */
  private static int internalError(Exception e, PrintWriter err) {
    err.println("wirelens: internal error: " + e);
    return EXIT_USAGE_OR_INPUT;
  }

  /** Parses and runs {@code args} with picocli: help, version, usage errors and whatever is not plain. */
  private static int runPicocli(Terminals terminals, InputStream stdin, PrintWriter out, PrintWriter err,
      String[] args) {
    return commandLine(terminals, stdin, out, err, args).execute(args);
  }

  /** The picocli command line that parses and runs {@code args}. */
  static CommandLine commandLine(Terminals terminals, InputStream stdin, PrintWriter out, PrintWriter err,
      String[] args) {
    CommandLine cl = new CommandLine(new Wirelens());
    // picocli builds a subcommand's model by reflection when it is added (annotation proxies, generic types, one
    // binding per option): the two a run does not use cost about 0.05 s of CPU at start-up. A run names its
    // subcommand first, so only that one is added; anything else (no argument, --help, --version, a misspelt name)
    // gets all three, in this order, for the usage and the "did you mean" message.
    String first = args.length > 0 ? args[0] : "";
    for (String name : SUBCOMMANDS) {
      if (first.equals(name) || !SUBCOMMANDS.contains(first)) {
        cl.addSubcommand(name, subcommand(name, stdin, terminals, out, err));
      }
    }
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> internalError(e, commandLine.getErr()));
    return cl;
  }

  /** Without a subcommand: usage on standard error, exit code 2. */
  @Override
  public Integer call() {
    spec.commandLine().getErr().println("wirelens: missing command");
    spec.commandLine().usage(spec.commandLine().getErr());
    return EXIT_USAGE_OR_INPUT;
  }

  /** Supplies the version from the jar's manifest, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Wirelens.class.getPackage().getImplementationVersion();
      return new String[] {"wirelens " + (v != null ? v : "0.1.0-SNAPSHOT"),
          "Java " + System.getProperty("java.version")};
    }
  }

  /**
   * The subcommand called {@code name} (one of {@link #SUBCOMMANDS}), reading {@code stdin} for {@code -} and
   * writing to {@code out} and {@code err} (the writers picocli is given too).
   */
  private static Object subcommand(String name, InputStream stdin, Terminals terminals, PrintWriter out,
      PrintWriter err) {
    switch (name) {
      case "audit":
        return new AuditCommand(stdin, terminals, out, err);
      case "packets":
        return new PacketsCommand(stdin, out, err);
      case "flows":
        return new FlowsCommand(stdin, out, err);
      default:
        throw new IllegalArgumentException(name);
    }
  }
}
