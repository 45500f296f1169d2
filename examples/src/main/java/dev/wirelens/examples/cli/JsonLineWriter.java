package dev.wirelens.examples.cli;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.Arrays;

/**
 * Internal: the JSON of {@code audit --json} and of {@code flows}' {@code index.json}, written without Jackson.
 * Jackson's {@code JsonFactory} and generator loaded 66 classes and took about 0.025 s of every such run's start-up
 * (the verifier pulls in its parsers with the factory); the commands write only objects, arrays, strings, integers,
 * {@code BigDecimal}s, booleans and nulls, in a fixed order, so this class writes them with the calls and the output
 * of the Jackson generators they used. {@code JsonLineWriterMatchesJacksonTest} holds both styles to Jackson's output
 * on random documents and strings.
 *
 * <ul>
 *   <li>{@link #compact}: Jackson's {@code WriterBasedJsonGenerator} as {@link AuditJson} configured it (no root value
 *       separator, {@code WRITE_BIGDECIMAL_AS_PLAIN}): no whitespace; {@code "} and {@code \} escaped with a
 *       backslash, {@code \b \t \n \f \r} by their short escapes, the other characters below U+0020 as a backslash,
 *       {@code u00} and two upper-case hex digits, everything else as it is (non-ASCII, U+007F, U+2028, unpaired
 *       surrogates); a {@code BigDecimal} as {@link BigDecimal#toPlainString()}.
 *   <li>{@link #pretty}: Jackson's {@code UTF8JsonGenerator} with its {@code DefaultPrettyPrinter}, as
 *       {@link FlowIndexWriter} used it: each object entry on its own line indented by two spaces per object level,
 *       {@code " : "} between name and value, arrays inline ({@code [ a, b ]}, {@code [ ]}), an empty object
 *       {@code { }}, root values one space apart; the same escapes, and every surrogate (paired or not) as a
 *       backslash-u escape of its own; the text goes to the writer as it is (the caller's writer encodes UTF-8).
 *       {@link #close()} ends the open arrays and objects first, as Jackson's {@code AUTO_CLOSE_JSON_CONTENT} does.
 * </ul>
 *
 * <p>Text is collected in memory and written to the {@link Writer} by {@link #flush()} and {@link #close()}. Misuse
 * (a value where a field name belongs, an end without a start) is not checked: the callers are this package's fixed
 * writers. Not thread safe.
 */
final class JsonLineWriter {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
  /** Nesting deeper than this grows the stacks. */
  private static final int INITIAL_DEPTH = 16;
  private static final String EOL = System.lineSeparator();

  private final Writer out;
  private final boolean pretty;
  private final StringBuilder buf = new StringBuilder(1024);
  /** Per open container (index 1 up), its elements so far; index 0 counts root values. */
  private int[] count = new int[INITIAL_DEPTH];
  /** Per open container, whether it is an array. */
  private boolean[] array = new boolean[INITIAL_DEPTH];
  /** Open containers; 0 at the root. */
  private int depth;
  /** Open objects (the pretty style's indentation level). */
  private int objects;
  /** A field name was written; its value comes next, without a comma. */
  private boolean afterName;

  private JsonLineWriter(Writer out, boolean pretty) {
    this.out = out;
    this.pretty = pretty;
  }

  /** The audit's JSON Lines style into {@code out} (see the class comment). */
  static JsonLineWriter compact(Writer out) {
    return new JsonLineWriter(out, false);
  }

  /** The pretty-printed style of {@code index.json} into {@code out} (see the class comment). */
  static JsonLineWriter pretty(Writer out) {
    return new JsonLineWriter(out, true);
  }

  /** Before a value: the separator from what precedes it in its container (or at the root). */
  private void beforeValue() {
    if (afterName) {
      afterName = false;
      if (pretty) {
        buf.append(" : ");
      }
      return;
    }
    int n = count[depth]++;
    if (depth == 0) {
      if (pretty && n > 0) {
        buf.append(' ');
      }
    } else {
      if (n > 0) {
        buf.append(',');
      }
      if (pretty) {
        buf.append(' ');
      }
    }
  }

  private void indent(int level) {
    buf.append(EOL);
    for (int i = 0; i < level; i++) {
      buf.append("  ");
    }
  }

  private void open(char c, boolean isArray) {
    beforeValue();
    buf.append(c);
    if (++depth == count.length) {
      count = Arrays.copyOf(count, depth * 2);
      array = Arrays.copyOf(array, depth * 2);
    }
    count[depth] = 0;
    array[depth] = isArray;
    if (!isArray) {
      objects++;
    }
  }

  /** <code>{</code>. */
  void writeStartObject() {
    open('{', false);
  }

  /** <code>}</code>. */
  void writeEndObject() {
    objects--;
    if (pretty) {
      if (count[depth] > 0) {
        indent(objects);
      } else {
        buf.append(' ');
      }
    }
    depth--;
    buf.append('}');
  }

  /** {@code [}. */
  void writeStartArray() {
    open('[', true);
  }

  /** {@code ]}. */
  void writeEndArray() {
    if (pretty) {
      buf.append(' ');
    }
    depth--;
    buf.append(']');
  }

  /** {@code "name":}, the next value being the field's. */
  void writeFieldName(String name) {
    if (count[depth]++ > 0) {
      buf.append(',');
    }
    if (pretty) {
      indent(objects);
    }
    quoted(name);
    if (!pretty) {
      buf.append(':');
    }
    afterName = true;
  }

  /** A string value; {@code null} as Jackson writes it, {@code null}. */
  void writeString(String value) {
    beforeValue();
    if (value == null) {
      buf.append("null");
    } else {
      quoted(value);
    }
  }

  /** A number value. */
  void writeNumber(long value) {
    beforeValue();
    buf.append(value);
  }

  /** A number value, in plain notation ({@link BigDecimal#toPlainString()}); {@code null} as {@code null}. */
  void writeNumber(BigDecimal value) {
    beforeValue();
    buf.append(value == null ? "null" : pretty ? value.toString() : value.toPlainString());
  }

  /** {@code true} or {@code false}. */
  void writeBoolean(boolean value) {
    beforeValue();
    buf.append(value);
  }

  /** {@code null}. */
  void writeNull() {
    beforeValue();
    buf.append("null");
  }

  /** A field with an object value: <code>"name":{</code>. */
  void writeObjectFieldStart(String name) {
    writeFieldName(name);
    writeStartObject();
  }

  /** A field with an array value: {@code "name":[}. */
  void writeArrayFieldStart(String name) {
    writeFieldName(name);
    writeStartArray();
  }

  /** A field with a string value (or {@code null}). */
  void writeStringField(String name, String value) {
    writeFieldName(name);
    writeString(value);
  }

  /** A field with a number value. */
  void writeNumberField(String name, long value) {
    writeFieldName(name);
    writeNumber(value);
  }

  /** A field with a boolean value. */
  void writeBooleanField(String name, boolean value) {
    writeFieldName(name);
    writeBoolean(value);
  }

  /** A field with the value null. */
  void writeNullField(String name) {
    writeFieldName(name);
    writeNull();
  }

  /** {@code c} as it is, outside the structure (the line end after a root value). */
  void writeRaw(char c) {
    buf.append(c);
  }

  /** Writes what was collected to the writer and flushes it. */
  void flush() throws IOException {
    out.append(buf);
    buf.setLength(0);
    out.flush();
  }

  /** Ends the open arrays and objects (innermost first), writes what was collected and closes the writer. */
  void close() throws IOException {
    try {
      while (depth > 0) {
        if (array[depth]) {
          writeEndArray();
        } else {
          writeEndObject();
        }
      }
      out.append(buf);
      buf.setLength(0);
    } finally {
      out.close();
    }
  }

  private void quoted(String s) {
    buf.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && !(pretty && Character.isSurrogate(c))) {
        buf.append(c);
        continue;
      }
      buf.append('\\');
      switch (c) {
        case '"':
        case '\\':
          buf.append(c);
          break;
        case '\b':
          buf.append('b');
          break;
        case '\t':
          buf.append('t');
          break;
        case '\n':
          buf.append('n');
          break;
        case '\f':
          buf.append('f');
          break;
        case '\r':
          buf.append('r');
          break;
        default:
          buf.append('u').append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF])
              .append(HEX[c & 0xF]);
      }
    }
    buf.append('"');
  }
}
