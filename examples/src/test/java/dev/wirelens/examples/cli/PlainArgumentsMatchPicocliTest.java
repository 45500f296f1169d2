package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * Arguments that {@link PlainArguments} accepts are parsed by picocli, the oracle, without an error, without a help
 * or version request, into the same field values; the syntax of each subcommand names the options of its
 * annotations, with their types. Arguments it does not accept go to picocli anyway ({@code Wirelens.run}).
 */
class PlainArgumentsMatchPicocliTest {
  private static final Terminals TERMINALS = new Terminals(false, false, Terminals.PROGRESS_MIN_BYTES, System::nanoTime);

  /** Tokens picocli sees on the command lines of the tests, the README and the launcher, and their misspellings. */
  private static final List<String> TOKENS = List.of(
      "--json", "--keylog", "--port", "--fail-on-unstable", "--fail-on-plaintext", "--max-waiting", "--limit",
      "--out", "--max-open-files", "--help", "-h", "--version", "-V", "--", "-", "@args", "@", "", " ", "x.pcap",
      "dir", "a=b", "0", "7", "8084", "010", "65535", "65536", "2147483647", "2147483648", "99999999999",
      "9223372036854775807", "9223372036854775808", "-1", "+5", "1,2", "0x10", "1e3", "--json=true", "--port=80",
      "--out=dir", "audit", "packets", "flows", "-x", "--jso", "-json", "--JSON", "nul\u0000l");

  /** The same tokens, those that make plain arguments several times, so that both outcomes are frequent. */
  private static final List<String> LIKELY = List.of("x.pcap", "x.pcap", "-", "dir", "7", "8084", "0", "--json",
      "--port", "--keylog", "--out", "--limit", "--max-waiting", "--max-open-files", "--fail-on-unstable");

  @Provide
  Arbitrary<List<String>> tails() {
    Arbitrary<List<String>> random =
        Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.of(TOKENS)), Tuple.of(4, Arbitraries.of(LIKELY)))
            .list().ofMaxSize(6);
    return Arbitraries.oneOf(random, Arbitraries.longs().map(PlainArgumentsMatchPicocliTest::shaped));
  }

  private static final List<String> OPTIONS = List.of("--json", "--keylog", "--port", "--fail-on-unstable",
      "--fail-on-plaintext", "--max-waiting", "--limit", "--out", "--max-open-files");
  private static final List<String> VALUES = List.of("7", "0", "8084", "65535", "010", "2147483648", "k.log", "dir",
      "-", "-1", "@k", "");

  /** Options (of any subcommand) with a value after most of them, and a positional argument somewhere. */
  private static List<String> shaped(long seed) {
    java.util.Random random = new java.util.Random(seed);
    List<String> tokens = new ArrayList<>();
    int options = random.nextInt(4);
    for (int i = 0; i < options; i++) {
      tokens.add(OPTIONS.get(random.nextInt(OPTIONS.size())));
      if (random.nextInt(5) > 0) {
        tokens.add(VALUES.get(random.nextInt(VALUES.size())));
      }
    }
    if (random.nextInt(8) > 0) {
      tokens.add(random.nextInt(tokens.size() + 1), random.nextBoolean() ? "x.pcap" : "-");
    }
    return tokens;
  }

  @Property(tries = 4000)
  void plainArgumentsSetTheFieldsPicocliSets(@ForAll("subcommand") String name, @ForAll("tails") List<String> tail)
      throws Exception {
    List<String> all = new ArrayList<>();
    all.add(name);
    all.addAll(tail);
    String[] args = all.toArray(String[]::new);
    Object plain = plainCommand(name, args);
    Statistics.label("plain").collect(plain != null);
    // a property that tried few plain command lines would prove little
    Statistics.label("plain").coverage(c -> c.check(true).percentage(p -> p >= 5));
    if (plain == null) {
      return;
    }
    CommandLine cl = Wirelens.commandLine(TERMINALS, new ByteArrayInputStream(new byte[0]),
        new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), args);
    ParseResult parsed = cl.parseArgs(args); // throws for what picocli rejects: the property fails
    assertThat(parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()).isFalse();
    ParseResult sub = parsed.subcommand();
    assertThat(sub).isNotNull();
    assertThat(sub.isUsageHelpRequested() || sub.isVersionHelpRequested()).isFalse();
    Object picocli = sub.commandSpec().userObject();
    assertThat(picocli.getClass()).isEqualTo(plain.getClass());
    assertThat(annotatedValues(plain)).isEqualTo(annotatedValues(picocli));
  }

  @Provide
  Arbitrary<String> subcommand() {
    return Arbitraries.of("audit", "packets", "flows");
  }

  @Test
  void theCommonCommandLinesArePlain() {
    assertThat(plainCommand("audit", "audit", "--json", "x.pcap")).isNotNull();
    assertThat(plainCommand("audit", "audit", "x.pcap")).isNotNull();
    assertThat(plainCommand("audit", "audit", "--keylog", "k.log", "--port", "8084", "--port", "443",
        "--fail-on-unstable", "--fail-on-plaintext", "--max-waiting", "10", "-")).isNotNull();
    assertThat(plainCommand("packets", "packets", "--limit", "10", "x.pcap")).isNotNull();
    assertThat(plainCommand("packets", "packets", "-")).isNotNull();
    assertThat(plainCommand("flows", "flows", "--out", "dir", "--keylog", "k", "--max-open-files", "3", "x")).isNotNull();
  }

  @Test
  void helpVersionSeparatorsAttachedValuesAndArgumentFilesAreLeftToPicocli() {
    for (String[] args : new String[][] {{"audit", "--help", "x"}, {"audit", "-h"}, {"audit", "-V", "x"},
        {"audit", "--", "x"}, {"audit", "--port=1", "x"}, {"audit", "@file"}, {"audit", "--keylog", "@k", "x"},
        {"audit", "x", "y"}, {"audit"}, {"audit", "--json", "--json", "x"}, {"audit", "--max-waiting", "-1", "x"},
        {"flows", "x"}, {"packets", "--limit", "+5", "x"}, {"packets", "--limit", "9223372036854775808", "x"}}) {
      assertThat(plainCommand(args[0], args)).as(String.join(" ", args)).isNull();
    }
  }

  @Test
  void eachSyntaxNamesTheOptionsOfTheAnnotationsWithTheirTypes() {
    Map<String, PlainArguments.Syntax> syntaxes = Map.of("audit", AuditCommand.SYNTAX, "packets",
        PacketsCommand.SYNTAX, "flows", FlowsCommand.SYNTAX);
    for (Map.Entry<String, PlainArguments.Syntax> e : syntaxes.entrySet()) {
      String[] args = {e.getKey()};
      CommandLine cl = Wirelens.commandLine(TERMINALS, new ByteArrayInputStream(new byte[0]),
          new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), args);
      CommandSpec spec = cl.getSubcommands().get(e.getKey()).getCommandSpec();
      Map<String, PlainArguments.Kind> kinds = new HashMap<>();
      Set<String> required = new HashSet<>();
      for (OptionSpec o : spec.options()) {
        if (o.usageHelp() || o.versionHelp()) {
          continue;
        }
        assertThat(o.names()).hasSize(1);
        kinds.put(o.longestName(), kind(o));
        if (o.required()) {
          required.add(o.longestName());
        }
      }
      assertThat(kinds).as(e.getKey()).isEqualTo(e.getValue().options());
      assertThat(required).as(e.getKey()).isEqualTo(e.getValue().required());
      List<PositionalParamSpec> positionals = spec.positionalParameters();
      assertThat(positionals).hasSize(1);
      assertThat(positionals.get(0).type()).isEqualTo(String.class);
      assertThat(positionals.get(0).arity().min()).isEqualTo(1);
      assertThat(positionals.get(0).arity().max()).isEqualTo(1);
    }
  }

  private static PlainArguments.Kind kind(OptionSpec o) {
    Class<?> type = o.type();
    if (type == boolean.class) {
      return PlainArguments.Kind.FLAG;
    } else if (type == int.class) {
      return PlainArguments.Kind.INT;
    } else if (type == long.class) {
      return PlainArguments.Kind.LONG;
    } else if (type == Path.class) {
      return PlainArguments.Kind.PATH;
    } else if (List.class.isAssignableFrom(type) && o.auxiliaryTypes()[0] == Integer.class && o.splitRegex().isEmpty()) {
      return PlainArguments.Kind.REPEATED_INT;
    }
    throw new AssertionError(o.longestName() + ": " + type);
  }

  /** The subcommand {@code Wirelens.run} would call without picocli, or null. */
  private static Object plainCommand(String name, String... args) {
    StringWriter sink = new StringWriter();
    PrintWriter out = new PrintWriter(sink);
    ByteArrayInputStream in = new ByteArrayInputStream(new byte[0]);
    switch (name) {
      case "audit": {
        PlainArguments a = PlainArguments.parse(AuditCommand.SYNTAX, args, 1);
        return a == null ? null : new AuditCommand(in, TERMINALS, out, out).set(a);
      }
      case "packets": {
        PlainArguments a = PlainArguments.parse(PacketsCommand.SYNTAX, args, 1);
        return a == null ? null : new PacketsCommand(in, out, out).set(a);
      }
      default: {
        PlainArguments a = PlainArguments.parse(FlowsCommand.SYNTAX, args, 1);
        return a == null ? null : new FlowsCommand(in, out, out).set(a);
      }
    }
  }

  /** The values of the fields picocli sets (those with @Option or @Parameters), by field name. */
  private static Map<String, Object> annotatedValues(Object command) throws IllegalAccessException {
    Map<String, Object> values = new HashMap<>();
    for (Field f : command.getClass().getDeclaredFields()) {
      if (f.isAnnotationPresent(CommandLine.Option.class) || f.isAnnotationPresent(CommandLine.Parameters.class)) {
        f.setAccessible(true);
        values.put(f.getName(), f.get(command));
      }
    }
    assertThat(values).isNotEmpty();
    return values;
  }
}
