package dev.wirelens.examples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;

/**
 * Internal: the JSON of {@code audit --json}, written without Jackson. Jackson's {@code JsonFactory} and generator
 * loaded 66 classes and took about 0.025 s of every {@code --json} run's start-up (the verifier pulls in its parsers
 * with the factory); the audit writes only objects, arrays, strings, integers, {@code BigDecimal}s, booleans and
 * nulls, in a fixed order, so this class writes them with the calls and the output of Jackson's
 * {@code WriterBasedJsonGenerator} as {@link AuditJson} configured it (no root value separator,
 * {@code WRITE_BIGDECIMAL_AS_PLAIN}, no pretty printer): no whitespace; {@code "} and {@code \} escaped with a
 * backslash, {@code \b \t \n \f \r} by their short escapes, the other characters below U+0020 as a backslash,
 * {@code u00} and two upper-case hex digits, everything else as it is (non-ASCII, U+007F, U+2028, unpaired
 * surrogates); a {@code BigDecimal} as {@link BigDecimal#toPlainString()}. {@code JsonLineWriterMatchesJacksonTest} holds it to Jackson's output on
 * random documents and strings.
 *
 * <p>Text is collected in memory and written to the {@link Writer} by {@link #flush()}. Misuse (a value where a
 * field name belongs, an end without a start) is not checked: the callers are this package's fixed writers. Not
 * thread safe.
 */
final class JsonLineWriter {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
  /** Nesting deeper than the audit's objects grows the stack. */
  private static final int INITIAL_DEPTH = 16;

  private final Writer out;
  private final StringBuilder buf = new StringBuilder(1024);
  /** Per open container, whether it has an element already (a comma goes before the next one). */
  private boolean[] hasElement = new boolean[INITIAL_DEPTH];
  /** Open containers; 0 at the root. */
  private int depth;
  /** A field name was written; its value comes next, without a comma. */
  private boolean afterName;

  /** A writer into {@code out}. */
  JsonLineWriter(Writer out) {
    this.out = out;
  }

  /** Before a value: the comma between elements, unless it follows a field name or is a root value. */
  private void beforeValue() {
    if (afterName) {
      afterName = false;
      return;
    }
    if (depth > 0) {
      if (hasElement[depth]) {
        buf.append(',');
      }
      hasElement[depth] = true;
    }
  }

  private void open(char c) {
    beforeValue();
    buf.append(c);
    if (++depth == hasElement.length) {
      hasElement = java.util.Arrays.copyOf(hasElement, depth * 2);
    }
    hasElement[depth] = false;
  }

  private void close(char c) {
    depth--;
    buf.append(c);
  }

  /** {@code {}. */
  void writeStartObject() {
    open('{');
  }

  /** {@code }}. */
  void writeEndObject() {
    close('}');
  }

  /** {@code [}. */
  void writeStartArray() {
    open('[');
  }

  /** {@code ]}. */
  void writeEndArray() {
    close(']');
  }

  /** {@code "name":}, the next value being the field's. */
  void writeFieldName(String name) {
    if (hasElement[depth]) {
      buf.append(',');
    }
    hasElement[depth] = true;
    quoted(name);
    buf.append(':');
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
    buf.append(value == null ? "null" : value.toPlainString());
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

  /** A field with an object value: {@code "name":{}. */
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
  void flush() {
    try {
      out.append(buf);
      buf.setLength(0);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void quoted(String s) {
    buf.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\') {
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
          buf.append("u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    buf.append('"');
  }
}
