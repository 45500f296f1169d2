package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonLineWriter} writes what Jackson's generator, configured as the audit configured it before (no root
 * value separator, {@code WRITE_BIGDECIMAL_AS_PLAIN}), writes for the same calls: the oracle is Jackson itself.
 */
class JsonLineWriterMatchesJacksonTest {
  /** The calls the audit makes, on either writer. */
  private interface Sink {
    void startObject();

    void endObject();

    void startArray();

    void endArray();

    void fieldName(String name);

    void string(String s);

    void number(long n);

    void number(BigDecimal n);

    void bool(boolean b);

    void nul();

    void objectField(String name);

    void arrayField(String name);

    void stringField(String name, String value);

    void numberField(String name, long value);

    void boolField(String name, boolean value);

    void nullField(String name);

    void raw(char c);

    String finish();
  }

  private static final class Ours implements Sink {
    private final StringWriter out = new StringWriter();
    private final JsonLineWriter g = new JsonLineWriter(out);

    @Override public void startObject() { g.writeStartObject(); }
    @Override public void endObject() { g.writeEndObject(); }
    @Override public void startArray() { g.writeStartArray(); }
    @Override public void endArray() { g.writeEndArray(); }
    @Override public void fieldName(String name) { g.writeFieldName(name); }
    @Override public void string(String s) { g.writeString(s); }
    @Override public void number(long n) { g.writeNumber(n); }
    @Override public void number(BigDecimal n) { g.writeNumber(n); }
    @Override public void bool(boolean b) { g.writeBoolean(b); }
    @Override public void nul() { g.writeNull(); }
    @Override public void objectField(String name) { g.writeObjectFieldStart(name); }
    @Override public void arrayField(String name) { g.writeArrayFieldStart(name); }
    @Override public void stringField(String name, String value) { g.writeStringField(name, value); }
    @Override public void numberField(String name, long value) { g.writeNumberField(name, value); }
    @Override public void boolField(String name, boolean value) { g.writeBooleanField(name, value); }
    @Override public void nullField(String name) { g.writeNullField(name); }
    @Override public void raw(char c) { g.writeRaw(c); }

    @Override
    public String finish() {
      g.flush();
      return out.toString();
    }
  }

  /** Jackson as {@code AuditJson} configured it up to session 5. */
  private static final class Jackson implements Sink {
    private final StringWriter out = new StringWriter();
    private final JsonGenerator g;

    Jackson() {
      JsonFactory factory = new JsonFactory();
      factory.setRootValueSeparator(null);
      try {
        g = factory.createGenerator(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      g.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    private interface Call {
      void run() throws IOException;
    }

    private static void call(Call c) {
      try {
        c.run();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override public void startObject() { call(g::writeStartObject); }
    @Override public void endObject() { call(g::writeEndObject); }
    @Override public void startArray() { call(g::writeStartArray); }
    @Override public void endArray() { call(g::writeEndArray); }
    @Override public void fieldName(String name) { call(() -> g.writeFieldName(name)); }
    @Override public void string(String s) { call(() -> g.writeString(s)); }
    @Override public void number(long n) { call(() -> g.writeNumber(n)); }
    @Override public void number(BigDecimal n) { call(() -> g.writeNumber(n)); }
    @Override public void bool(boolean b) { call(() -> g.writeBoolean(b)); }
    @Override public void nul() { call(g::writeNull); }
    @Override public void objectField(String name) { call(() -> g.writeObjectFieldStart(name)); }
    @Override public void arrayField(String name) { call(() -> g.writeArrayFieldStart(name)); }
    @Override public void stringField(String name, String value) { call(() -> g.writeStringField(name, value)); }
    @Override public void numberField(String name, long value) { call(() -> g.writeNumberField(name, value)); }
    @Override public void boolField(String name, boolean value) { call(() -> g.writeBooleanField(name, value)); }
    @Override public void nullField(String name) { call(() -> g.writeNullField(name)); }
    @Override public void raw(char c) { call(() -> g.writeRaw(c)); }

    @Override
    public String finish() {
      call(g::flush);
      return out.toString();
    }
  }

  @Property(tries = 500)
  void randomDocumentsAreWrittenAsJacksonWritesThem(@ForAll long seed) {
    assertThat(write(new Ours(), seed)).isEqualTo(write(new Jackson(), seed));
  }

  @Property(tries = 2000)
  void everyStringIsEscapedAsJacksonEscapesIt(@ForAll("anyText") String s) {
    Sink ours = new Ours();
    Sink jackson = new Jackson();
    for (Sink sink : new Sink[] {ours, jackson}) {
      sink.startObject();
      sink.stringField(s, s);
      sink.arrayField("a");
      sink.string(s);
      sink.endArray();
      sink.endObject();
      sink.raw('\n');
    }
    assertThat(ours.finish()).isEqualTo(jackson.finish());
  }

  @Test
  void everyCharBelow256IsEscapedAsJacksonEscapesIt() {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 256; c++) {
      all.append(c);
    }
    all.append("\u2028\u2029\ud800x\udc00\uffff");
    Sink ours = new Ours();
    Sink jackson = new Jackson();
    for (Sink sink : new Sink[] {ours, jackson}) {
      sink.string(all.toString());
    }
    assertThat(ours.finish()).isEqualTo(jackson.finish());
  }

  @Test
  void durationsAreWrittenInPlainNotation() {
    Sink ours = new Ours();
    Sink jackson = new Jackson();
    for (Sink sink : new Sink[] {ours, jackson}) {
      sink.startArray();
      for (long nanos : new long[] {0, 1, 999_999, 1_000_000, 4_464_238, Long.MAX_VALUE, -1, Long.MIN_VALUE}) {
        sink.number(BigDecimal.valueOf(nanos, 6));
      }
      sink.number(new BigDecimal("1E+3"));
      sink.number(new BigDecimal("1.50E-7"));
      sink.number((BigDecimal) null);
      sink.endArray();
    }
    assertThat(ours.finish()).isEqualTo(jackson.finish()).startsWith("[0.000000,0.000001,0.999999,1.000000,4.464238,");
  }

  @Provide
  Arbitrary<String> anyText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(40),
        Arbitraries.strings().withCharRange('\u0000', '\u007f').ofMaxLength(40),
        Arbitraries.strings().withChars("\"\\/\b\f\n\r\t\u0000\u001f\u007f\u2028\ud83d\ude00\ud800").ofMaxLength(20));
  }

  /** A document of several root objects made from {@code seed}: the same calls on every sink. */
  private static String write(Sink sink, long seed) {
    Random random = new Random(seed);
    int roots = 1 + random.nextInt(3);
    for (int i = 0; i < roots; i++) {
      sink.startObject();
      fields(sink, random, 0);
      sink.endObject();
      sink.raw('\n');
    }
    return sink.finish();
  }

  private static void fields(Sink sink, Random random, int depth) {
    int n = random.nextInt(6);
    for (int i = 0; i < n; i++) {
      String name = text(random);
      switch (random.nextInt(depth < 4 ? 9 : 7)) {
        case 0 -> sink.stringField(name, random.nextInt(8) == 0 ? null : text(random));
        case 1 -> sink.numberField(name, random.nextLong() >> random.nextInt(64));
        case 2 -> sink.boolField(name, random.nextBoolean());
        case 3 -> sink.nullField(name);
        case 4 -> {
          sink.fieldName(name);
          sink.number(BigDecimal.valueOf(random.nextLong() >> random.nextInt(64), random.nextInt(10)));
        }
        case 5 -> {
          sink.fieldName(name);
          value(sink, random, depth + 1);
        }
        case 6 -> {
          sink.fieldName(name);
          sink.string(text(random));
        }
        case 7 -> {
          sink.objectField(name);
          fields(sink, random, depth + 1);
          sink.endObject();
        }
        default -> {
          sink.arrayField(name);
          int m = random.nextInt(5);
          for (int j = 0; j < m; j++) {
            value(sink, random, depth + 1);
          }
          sink.endArray();
        }
      }
    }
  }

  private static void value(Sink sink, Random random, int depth) {
    switch (random.nextInt(depth < 4 ? 8 : 6)) {
      case 0 -> sink.string(text(random));
      case 1 -> sink.number(random.nextLong() >> random.nextInt(64));
      case 2 -> sink.number(BigDecimal.valueOf(random.nextLong() >> random.nextInt(64), random.nextInt(10)));
      case 3 -> sink.bool(random.nextBoolean());
      case 4 -> sink.nul();
      case 5 -> sink.string(null);
      case 6 -> {
        sink.startObject();
        fields(sink, random, depth + 1);
        sink.endObject();
      }
      default -> {
        sink.startArray();
        int m = random.nextInt(5);
        for (int j = 0; j < m; j++) {
          value(sink, random, depth + 1);
        }
        sink.endArray();
      }
    }
  }

  private static final String SPECIAL = "\"\\/\b\f\n\r\t\u0000\u0001\u001f\u007f\u0080\u00e9\u2028\u20ac\ud83d\ude00\ud800";

  private static String text(Random random) {
    int n = random.nextInt(12);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      switch (random.nextInt(3)) {
        case 0 -> sb.append((char) ('a' + random.nextInt(26)));
        case 1 -> sb.append(SPECIAL.charAt(random.nextInt(SPECIAL.length())));
        default -> sb.append((char) random.nextInt(0x10000));
      }
    }
    return sb.toString();
  }
}
