package dev.wirelens.examples.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Internal: a subcommand's arguments when they are written the plain way, parsed without loading picocli. Every
 * run of {@code wirelens} paid for picocli (about 170 Java 5 class files through the old type-inferencing verifier,
 * its built-in converters, the annotation model of the subcommand): about 0.1 s of a 0.25 s audit of a small
 * capture. A run whose arguments are plain does not need it; anything else is left to picocli, which stays the
 * command line's definition (its annotations, help, error messages, "did you mean").
 *
 * <p>Plain means, after the subcommand's name: each token is exactly one of the subcommand's option names, the
 * value after a valued option, or the one positional argument; no option twice unless it is repeatable; a value
 * is neither empty nor starts with {@code -} or {@code @}, and an integer value is decimal digits that fit; a
 * positional neither empty, nor {@code @...} nor {@code -...} (except {@code -} itself); every required option
 * and the positional argument present. For such arguments picocli (4.7, the subcommands' defaults) reaches the
 * same field values and runs the same {@code call()}; {@code PlainArgumentsMatchPicocliTest} checks that on random
 * argument lists, and that each {@link Syntax} names the options of the annotations with their types. Everything
 * else returns null from {@link #parse}: {@code --help}, {@code --version}, {@code --}, {@code --opt=value},
 * argument files ({@code @file}), unknown or misspelt options, values picocli would reject or convert otherwise
 * ({@code +5}, {@code -1}, {@code 1,2}), a missing or second positional, and any {@code picocli.*} system property
 * (tracing) are all picocli's to parse, report and word.
 *
 * <p>Values by {@link Kind}: {@code Boolean.TRUE}, {@link Integer}, {@link Long}, {@link Path}, a {@code List} of
 * {@link Integer} in the order given. Not thread safe (one run).
 */
final class PlainArguments {
  /** What an option takes, as its annotated field's type does in picocli. */
  enum Kind {
    /** A {@code boolean} field: no value. */
    FLAG,
    /** An {@code int} field: one decimal value. */
    INT,
    /** A {@code long} field: one decimal value. */
    LONG,
    /** A {@code Path} field: one value, {@link Path#of}. */
    PATH,
    /** A {@code List<Integer>} field: one decimal value per occurrence, repeatable. */
    REPEATED_INT
  }

  /** A subcommand's options (name to kind), which of them are required, and one positional argument. */
  static final class Syntax {
    private final Map<String, Kind> options = new HashMap<>();
    private final Set<String> required;

    /** Options by name; {@code required} names those picocli requires ({@code required = true}). */
    Syntax(Map<String, Kind> options, Set<String> required) {
      this.options.putAll(options);
      this.required = Set.copyOf(required);
    }

    /** The options by name. */
    Map<String, Kind> options() {
      return options;
    }

    /** The names of the required options. */
    Set<String> required() {
      return required;
    }
  }

  /** Decimal digits only: an int has at most 10, a long at most 19 (the overflow is checked when parsing). */
  private static final int MAX_INT_DIGITS = 10;
  private static final int MAX_LONG_DIGITS = 19;

  private final Map<String, Object> values;
  private final String positional;

  private PlainArguments(Map<String, Object> values, String positional) {
    this.values = values;
    this.positional = positional;
  }

  /**
   * {@code args[from..]} parsed by {@code syntax} when they are plain (see the class comment), else null: picocli
   * decides.
   */
  static PlainArguments parse(Syntax syntax, String[] args, int from) {
    if (picocliConfigured()) {
      return null;
    }
    Map<String, Object> values = new HashMap<>();
    String positional = null;
    for (int i = from; i < args.length; i++) {
      String token = args[i];
      if (token == null || token.isEmpty() || token.charAt(0) == '@') {
        return null;
      }
      Kind kind = syntax.options.get(token);
      if (kind == null) {
        if ((token.charAt(0) == '-' && !token.equals("-")) || positional != null) {
          return null;
        }
        positional = token;
        continue;
      }
      if (values.containsKey(token) && kind != Kind.REPEATED_INT) {
        return null;
      }
      if (kind == Kind.FLAG) {
        values.put(token, Boolean.TRUE);
        continue;
      }
      if (++i == args.length) {
        return null;
      }
      Object value = value(kind, args[i]);
      if (value == null) {
        return null;
      }
      if (kind == Kind.REPEATED_INT) {
        @SuppressWarnings("unchecked")
        List<Integer> list = (List<Integer>) values.computeIfAbsent(token, k -> new ArrayList<Integer>());
        list.add((Integer) value);
      } else {
        values.put(token, value);
      }
    }
    if (positional == null || !values.keySet().containsAll(syntax.required)) {
      return null;
    }
    return new PlainArguments(values, positional);
  }

  /** The value of an option of {@code kind} written as {@code token}, or null when it is not plain. */
  private static Object value(Kind kind, String token) {
    if (token == null || token.isEmpty() || token.charAt(0) == '-' || token.charAt(0) == '@') {
      return null;
    }
    switch (kind) {
      case INT:
      case REPEATED_INT:
        if (!digits(token, MAX_INT_DIGITS)) {
          return null;
        }
        long i = Long.parseLong(token);
        return i <= Integer.MAX_VALUE ? Integer.valueOf((int) i) : null;
      case LONG:
        if (!digits(token, MAX_LONG_DIGITS)) {
          return null;
        }
        try {
          return Long.valueOf(Long.parseLong(token));
        } catch (NumberFormatException e) {
          return null; // above Long.MAX_VALUE
        }
      case PATH:
        try {
          return Path.of(token);
        } catch (InvalidPathException e) {
          return null;
        }
      default:
        throw new IllegalArgumentException(kind.toString());
    }
  }

  private static boolean digits(String token, int max) {
    if (token.length() > max) {
      return false;
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** Whether a {@code picocli.*} system property (trace, ANSI, converters, ...) may change what picocli does. */
  private static boolean picocliConfigured() {
    for (Object key : System.getProperties().keySet()) {
      if (key instanceof String && ((String) key).startsWith("picocli.")) {
        return true;
      }
    }
    return false;
  }

  /** Whether the flag {@code name} was given. */
  boolean flag(String name) {
    return values.containsKey(name);
  }

  /** The value of the int option {@code name}, or {@code absent}. */
  int intValue(String name, int absent) {
    Object v = values.get(name);
    return v == null ? absent : (Integer) v;
  }

  /** The value of the long option {@code name}, or {@code absent}. */
  long longValue(String name, long absent) {
    Object v = values.get(name);
    return v == null ? absent : (Long) v;
  }

  /** The value of the path option {@code name}, or {@code absent}. */
  Path path(String name, Path absent) {
    Object v = values.get(name);
    return v == null ? absent : (Path) v;
  }

  /** The values of the repeatable int option {@code name} in the order given (a new list), or {@code absent}. */
  @SuppressWarnings("unchecked")
  List<Integer> ints(String name, List<Integer> absent) {
    Object v = values.get(name);
    return v == null ? absent : new ArrayList<>((List<Integer>) v);
  }

  /** The positional argument. */
  String positional() {
    return positional;
  }
}
