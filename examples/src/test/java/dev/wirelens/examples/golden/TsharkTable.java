package dev.wirelens.examples.golden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One capture's {@code X.tsv}: tshark's per-packet fields as recorded by {@code scripts/record-foundation.sh}
 * ({@code -T fields -E header=y -E separator=/t -E occurrence=a -E aggregator=,}).
 */
final class TsharkTable {
  private final Map<String, Integer> columns = new HashMap<>();
  private final List<String[]> rows = new ArrayList<>();

  private TsharkTable() {}

  static TsharkTable read(Path tsv) {
    TsharkTable t = new TsharkTable();
    try {
      List<String> lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
      String[] header = lines.get(0).split("\t", -1);
      for (int i = 0; i < header.length; i++) {
        t.columns.put(header[i], i);
      }
      for (String line : lines.subList(1, lines.size())) {
        if (!line.isEmpty()) {
          t.rows.add(Arrays.copyOf(line.split("\t", -1), header.length));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return t;
  }

  int size() {
    return rows.size();
  }

  Row row(int index) {
    return new Row(rows.get(index));
  }

  /** One packet's fields. */
  final class Row {
    private final String[] values;

    private Row(String[] values) {
      this.values = values;
    }

    /** The raw text of a field ("" when tshark printed nothing; all occurrences joined by commas). */
    String text(String field) {
      Integer i = columns.get(field);
      if (i == null) {
        throw new IllegalArgumentException("no column " + field);
      }
      String v = values[i];
      return v == null ? "" : v;
    }

    boolean has(String field) {
      return !text(field).isEmpty();
    }

    /** Every occurrence of a field. */
    List<String> all(String field) {
      String v = text(field);
      return v.isEmpty() ? Collections.emptyList() : Arrays.asList(v.split(","));
    }

    /** The first occurrence of a field, as text. */
    String first(String field) {
      List<String> a = all(field);
      return a.isEmpty() ? "" : a.get(0);
    }

    /** The first occurrence of a numeric field (decimal, or hexadecimal with 0x). */
    long number(String field) {
      return parse(first(field));
    }

    /** Every occurrence of a numeric field. */
    List<Long> numbers(String field) {
      List<Long> out = new ArrayList<>();
      for (String s : all(field)) {
        out.add(parse(s));
      }
      return out;
    }
  }

  static long parse(String s) {
    s = s.trim();
    if (s.startsWith("0x")) {
      return Long.parseLong(s.substring(2), 16);
    }
    return Long.parseLong(s);
  }

  /** tshark's {@code frame.time_epoch} ("1795826691.052077427") as epoch nanoseconds, exactly. */
  static long epochNanos(String s) {
    int dot = s.indexOf('.');
    if (dot < 0) {
      return Long.parseLong(s) * 1_000_000_000L;
    }
    String frac = (s.substring(dot + 1) + "000000000").substring(0, 9);
    return Long.parseLong(s.substring(0, dot)) * 1_000_000_000L + Long.parseLong(frac);
  }
}
