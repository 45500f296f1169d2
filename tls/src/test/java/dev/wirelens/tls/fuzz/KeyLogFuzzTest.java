package dev.wirelens.tls.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wirelens.Limits;
import dev.wirelens.tls.KeyLog;
import dev.wirelens.tls.KeyLogProblem;
import dev.wirelens.tls.TlsSecrets;
import dev.wirelens.testkit.FuzzInput;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * Fuzz target for the key-log parser ({@link KeyLog#parse}): any text. Checks: no exception; the byte[], ByteBuf
 * (exact, not released by the parser, indices unmoved) and CharSequence forms agree; the text parsed whole equals
 * the merge of its parts parsed separately when cut at fuzz-chosen line starts (same secrets for every client random
 * in the text, same problems in order); a text longer than the small line limit gives exactly one LIMIT_EXCEEDED
 * problem, last, on the first line past the limit, and a shorter one none.
 */
class KeyLogFuzzTest {
  static final int MAX_LINES = 64;
  static final Limits LIMITS = Limits.builder().maxKeyLogLines(MAX_LINES).build();
  private static final HexFormat HEX = HexFormat.of();

  @FuzzTest(maxDuration = "2m")
  void keyLogIsTheSameWholeOrInPiecesAndWithinLimits(FuzzedDataProvider data) {
    FuzzInput in = FuzzInput.of(data);
    byte[] text = in.stream;
    String s = new String(text, StandardCharsets.ISO_8859_1);
    KeyLog fromBytes = KeyLog.parse(text, LIMITS);
    ByteBuf buf = FuzzInput.exact(text);
    KeyLog fromBuf;
    try {
      fromBuf = KeyLog.parse(buf, LIMITS);
      assertThat(buf.readerIndex()).isZero();
      assertThat(buf.refCnt()).isOne();
    } finally {
      buf.release();
    }
    KeyLog fromText = KeyLog.parse(s, LIMITS);
    List<byte[]> randoms = randoms(s);
    String whole = digest(fromBytes, randoms, false);
    assertThat(digest(fromBuf, randoms, false)).isEqualTo(whole);
    assertThat(digest(fromText, randoms, false)).isEqualTo(whole);

    int lines = lineCount(s);
    List<KeyLogProblem> problems = fromBytes.problems();
    long limitProblems = problems.stream().filter(p -> p.kind() == KeyLogProblem.Kind.LIMIT_EXCEEDED).count();
    if (lines > MAX_LINES) {
      assertThat(limitProblems).isOne();
      KeyLogProblem last = problems.get(problems.size() - 1);
      assertThat(last.kind()).isEqualTo(KeyLogProblem.Kind.LIMIT_EXCEEDED);
      assertThat(last.lineNumber()).isEqualTo(MAX_LINES + 1);
      assertThat(fromBytes.size()).isLessThanOrEqualTo(MAX_LINES);
      return;
    }
    assertThat(limitProblems).isZero();
    // cut at line starts only (a key log is a list of lines); a part that would start with a byte order mark is
    // not cut there, because only the text's own first line may carry one
    List<KeyLog> parts = new ArrayList<>();
    int from = 0;
    for (int c : in.cuts) {
      int start = s.indexOf('\n', Math.max(c, from) - 1) + 1;
      if (start <= from || start >= s.length() || s.charAt(start) == '\uFEFF' || s.charAt(start) == 0xEF) {
        continue;
      }
      parts.add(KeyLog.parse(s.substring(from, start), LIMITS));
      from = start;
    }
    parts.add(KeyLog.parse(s.substring(from), LIMITS));
    assertThat(digest(KeyLog.merge(parts.toArray(new KeyLog[0])), randoms, true))
        .isEqualTo(digest(fromBytes, randoms, true));
  }

  private static int lineCount(String s) {
    int pos = s.startsWith("\uFEFF") ? 1 : s.startsWith("\u00EF\u00BB\u00BF") ? 3 : 0;
    int lines = 0;
    while (pos < s.length()) {
      int nl = s.indexOf('\n', pos);
      lines++;
      pos = nl < 0 ? s.length() : nl + 1;
    }
    return lines;
  }

  /** Every 64-hex-digit field in the text (candidate client randoms), to look secrets up by. */
  private static List<byte[]> randoms(String s) {
    TreeSet<String> found = new TreeSet<>();
    for (String field : s.split("[\\s]+")) {
      if (field.length() == 64 && field.chars().allMatch(ch -> Character.digit(ch, 16) >= 0 && ch < 128)) {
        found.add(field.toLowerCase());
      }
    }
    List<byte[]> out = new ArrayList<>();
    for (String f : found) {
      out.add(HEX.parseHex(f));
    }
    return out;
  }

  private static String digest(KeyLog log, List<byte[]> randoms, boolean withoutLineNumbers) {
    StringBuilder d = new StringBuilder().append(log.size()).append('|');
    for (byte[] r : randoms) {
      TlsSecrets t = log.secretsFor(r);
      if (t == null) {
        continue;
      }
      d.append(HEX.formatHex(r)).append(':');
      for (byte[] secret : new byte[][] {t.masterSecret(), t.clientHandshakeTrafficSecret(),
          t.serverHandshakeTrafficSecret(), t.clientTrafficSecret0(), t.serverTrafficSecret0(),
          t.clientEarlyTrafficSecret(), t.exporterSecret()}) {
        d.append(secret == null ? "-" : HEX.formatHex(secret)).append(',');
      }
    }
    for (KeyLogProblem p : log.problems()) {
      d.append(withoutLineNumbers ? "" : p.lineNumber() + ":").append(p.kind()).append(':').append(p.label())
          .append(';');
    }
    return d.toString();
  }
}
