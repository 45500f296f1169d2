package dev.wirelens.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.math.BigDecimal;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link JsonLineWriter} writes what Jackson's generators, configured as the audit ({@code compact}) and
 * {@code index.json} ({@code pretty}) configured them before, write for the same calls: the oracle is Jackson itself.
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

    /** Closes (ending what is open); the text. */
    String close();
  }

  /** Ours as the audit uses it (compact, into a writer) and as index.json does (pretty, UTF-8 bytes). */
  private static final class Ours implements Sink {
    private final StringWriter chars = new StringWriter();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final boolean pretty;
    private final JsonLineWriter g;

    Ours(boolean pretty) {
      this.pretty = pretty;
      g = pretty ? JsonLineWriter.pretty(new OutputStreamWriter(bytes, StandardCharsets.UTF_8))
          : JsonLineWriter.compact(chars);
    }

    private String text() {
      return pretty ? bytes.toString(StandardCharsets.UTF_8) : chars.toString();
    }

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
      try {
        g.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return text();
    }

    @Override
    public String close() {
      try {
        g.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return text();
    }
  }

  /**
   * Jackson as {@code AuditJson} configured it up to session 5 (compact: a writer, no root value separator, plain
   * BigDecimals), or as {@code FlowIndexWriter} did (pretty: UTF-8 bytes, the default pretty printer).
   */
  private static final class Jackson implements Sink {
    private final StringWriter chars = new StringWriter();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final boolean pretty;
    private final JsonGenerator g;

    Jackson(boolean pretty) {
      this.pretty = pretty;
      JsonFactory factory = new JsonFactory();
      try {
        if (pretty) {
          g = factory.createGenerator(bytes, JsonEncoding.UTF8);
          g.setPrettyPrinter(new DefaultPrettyPrinter());
        } else {
          factory.setRootValueSeparator(null);
          g = factory.createGenerator(chars);
          g.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
          g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
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
      return pretty ? bytes.toString(StandardCharsets.UTF_8) : chars.toString();
    }

    @Override
    public String close() {
      call(g::close);
      return pretty ? bytes.toString(StandardCharsets.UTF_8) : chars.toString();
    }
  }

  @Property(tries = 500)
  void randomDocumentsAreWrittenAsJacksonWritesThem(@ForAll long seed, @ForAll boolean pretty) {
    assertThat(write(new Ours(pretty), seed, Integer.MAX_VALUE))
        .isEqualTo(write(new Jackson(pretty), seed, Integer.MAX_VALUE));
  }

  @Property(tries = 500)
  void documentsClosedBeforeTheirEndAreEndedAsJacksonEndsThem(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 40) int elements) {
    assertThat(write(new Ours(true), seed, elements)).isEqualTo(write(new Jackson(true), seed, elements));
  }

  @Property(tries = 2000)
  void everyStringIsEscapedAsJacksonEscapesIt(@ForAll("anyText") String s, @ForAll boolean pretty) {
    Sink ours = new Ours(pretty);
    Sink jackson = new Jackson(pretty);
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
    all.append("\u2028\u2029\ud800x\udc00\uffff\ud83d\ude00");
    for (boolean pretty : new boolean[] {false, true}) {
      Sink ours = new Ours(pretty);
      Sink jackson = new Jackson(pretty);
      for (Sink sink : new Sink[] {ours, jackson}) {
        sink.startArray();
        sink.string(all.toString());
        sink.endArray();
      }
      assertThat(ours.finish()).isEqualTo(jackson.finish());
    }
  }

  @Test
  void durationsAreWrittenInPlainNotation() {
    Sink ours = new Ours(false);
    Sink jackson = new Jackson(false);
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

  /** Thrown when the element budget is spent: the document is closed where it stands. */
  private static final class Stop extends RuntimeException {
    Stop() {
      super(null, null, false, false);
    }
  }

  /**
   * A document of several root objects made from {@code seed}: the same calls on every sink; after {@code elements}
   * object entries and array values, it is closed where it stands (before an entry or a value).
   */
  private static String write(Sink sink, long seed, int elements) {
    Random random = new Random(seed);
    int[] budget = {elements};
    try {
      int roots = 1 + random.nextInt(3);
      for (int i = 0; i < roots; i++) {
        sink.startObject();
        fields(sink, random, 0, budget);
        sink.endObject();
        sink.raw('\n');
      }
    } catch (Stop stop) {
      return sink.close();
    }
    return sink.finish();
  }

  private static void spend(int[] budget) {
    if (--budget[0] < 0) {
      throw new Stop();
    }
  }

  private static void fields(Sink sink, Random random, int depth, int[] budget) {
    int n = random.nextInt(6);
    for (int i = 0; i < n; i++) {
      spend(budget);
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
          value(sink, random, depth + 1, budget);
        }
        case 6 -> {
          sink.fieldName(name);
          sink.string(text(random));
        }
        case 7 -> {
          sink.objectField(name);
          fields(sink, random, depth + 1, budget);
          sink.endObject();
        }
        default -> {
          sink.arrayField(name);
          int m = random.nextInt(5);
          for (int j = 0; j < m; j++) {
            spend(budget);
            value(sink, random, depth + 1, budget);
          }
          sink.endArray();
        }
      }
    }
  }

  private static void value(Sink sink, Random random, int depth, int[] budget) {
    switch (random.nextInt(depth < 4 ? 8 : 6)) {
      case 0 -> sink.string(text(random));
      case 1 -> sink.number(random.nextLong() >> random.nextInt(64));
      case 2 -> sink.number(BigDecimal.valueOf(random.nextLong() >> random.nextInt(64), random.nextInt(10)));
      case 3 -> sink.bool(random.nextBoolean());
      case 4 -> sink.nul();
      case 5 -> sink.string(null);
      case 6 -> {
        sink.startObject();
        fields(sink, random, depth + 1, budget);
        sink.endObject();
      }
      default -> {
        sink.startArray();
        int m = random.nextInt(5);
        for (int j = 0; j < m; j++) {
          spend(budget);
          value(sink, random, depth + 1, budget);
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
