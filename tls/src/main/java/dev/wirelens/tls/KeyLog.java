package dev.wirelens.tls;

import dev.wirelens.Limits;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The secrets of an NSS key log ({@code SSLKEYLOGFILE}), found by ClientHello random.
 *
 * <p>Format (NSS "Key Log Format", also used by OpenSSL, curl, browsers, Wireshark and the pcapng
 * Decryption Secrets Block of type {@code TLS_KEY_LOG}): one secret per line,
 * <pre>
 *   LABEL SP client_random(64 hex digits = 32 bytes) SP secret(hex)
 *
 *   CLIENT_RANDOM                     TLS 1.0-1.2 master secret, 48 bytes
 *   CLIENT_EARLY_TRAFFIC_SECRET       TLS 1.3 secrets, Hash.length bytes (32 or 48)
 *   CLIENT_HANDSHAKE_TRAFFIC_SECRET
 *   SERVER_HANDSHAKE_TRAFFIC_SECRET
 *   CLIENT_TRAFFIC_SECRET_0
 *   SERVER_TRAFFIC_SECRET_0
 *   EXPORTER_SECRET
 * </pre>
 * Lines starting with {@code #} and blank lines are ignored, as are lines with any other label (for example the
 * {@code RSA} pre-master form). Lines may end in LF or CRLF; fields are separated by spaces or tabs. A bad line
 * (missing field, bad hex, wrong length) is not an error: it is skipped and listed in {@link #problems()} with its
 * 1-based line number; at most {@link #MAX_PROBLEMS} of them are kept, the rest only counted
 * ({@link #problemCount()}), so a hostile log of millions of bad lines costs no more memory than a clean one. At most
 * {@link Limits#maxKeyLogLines()} lines are read per parse; beyond that, reading stops with one
 * {@link KeyLogProblem.Kind#LIMIT_EXCEEDED} problem (always kept). {@link #read(Path, Limits)} streams the file: it holds
 * one line at a time (at most {@link #MAX_LINE_LENGTH} characters; a longer line is a {@code BAD_LENGTH} problem and
 * the rest of it is skipped unread) and stops reading at the line cap, so a huge file costs neither its size in
 * memory nor the time to read it all.
 *
 * <pre>{@code
 * KeyLog keys = KeyLog.read(Path.of("keys.log"), Limits.defaults());
 * keys.problems().forEach(p -> System.err.println(p));
 * TlsSecrets s = keys.secretsFor(clientRandom);   // null when the log has nothing for this connection
 * }</pre>
 *
 * <p>Lifetime: a key log keeps its own copies of everything it parsed; the buffers and arrays passed to
 * {@code parse} may be released or reused afterwards. {@link #secretsFor} returns a value that stays valid.
 *
 * <p>Allocation: while parsing, one map entry per client random; {@link #secretsFor} allocates a lookup key and, on
 * the first lookup after a change, the {@link TlsSecrets}.
 *
 * <p>Thread safety: not thread safe; a key log that is no longer changed may be read from several threads only if
 * it was safely published and {@link #secretsFor} was called once for every entry before (it caches).
 */
public final class KeyLog implements TlsKeySource {
  private static final int MASTER = 0;
  private static final int CLIENT_HANDSHAKE = 1;
  private static final int SERVER_HANDSHAKE = 2;
  private static final int CLIENT_TRAFFIC_0 = 3;
  private static final int SERVER_TRAFFIC_0 = 4;
  private static final int CLIENT_EARLY = 5;
  private static final int EXPORTER = 6;
  private static final int SLOTS = 7;

  /**
   * Longest line {@link #read} takes, in characters: a key log line is at most about 230 (the longest label, 64 hex
   * digits of client random, 96 of secret); the rest of a longer line is skipped unread and reported.
   */
  public static final int MAX_LINE_LENGTH = 4096;

  /**
   * Problem lines a key log keeps ({@link #problems()}): the first 100; the others are counted
   * ({@link #problemCount()}) and dropped, except each {@link KeyLogProblem.Kind#LIMIT_EXCEEDED} (one per parse that
   * hit {@link Limits#maxKeyLogLines()}), which is always kept. A report names the first few bad lines and the count;
   * keeping a million of them (about 150 MB) would buy nothing.
   */
  public static final int MAX_PROBLEMS = 100;

  private final Map<RandomKey, Entry> entries = new HashMap<>();
  private final List<KeyLogProblem> problems = new ArrayList<>();
  private long problemCount;

  private KeyLog() {}

  /** An empty key log, to fill with {@link #add(TlsSecrets)}, {@link #addAll(KeyLog)} or {@link #addText}. */
  public static KeyLog empty() {
    return new KeyLog();
  }

  /**
   * Reads the key log file at {@code path}. Content problems are reported in {@link #problems()}.
   *
   * @throws IOException only when the file cannot be read
   */
  public static KeyLog read(Path path, Limits limits) throws IOException {
    Objects.requireNonNull(limits, "limits");
    KeyLog log = new KeyLog();
    try (InputStream in = Files.newInputStream(path)) {
      log.new Parser(null, limits.maxKeyLogLines()).run(in);
    }
    return log;
  }

  /**
   * Parses the readable bytes of {@code text} (for example the body of a pcapng Decryption Secrets Block or an SHB
   * comment) as ASCII. The buffer's indices are not moved and it is not released.
   */
  public static KeyLog parse(ByteBuf text, Limits limits) {
    KeyLog log = new KeyLog();
    log.addText(text.toString(text.readerIndex(), text.readableBytes(), StandardCharsets.ISO_8859_1), limits);
    return log;
  }

  /** Parses {@code text} (ASCII) as a key log. */
  public static KeyLog parse(byte[] text, Limits limits) {
    KeyLog log = new KeyLog();
    log.addText(new String(text, StandardCharsets.ISO_8859_1), limits);
    return log;
  }

  /** Parses {@code text} as a key log. */
  public static KeyLog parse(CharSequence text, Limits limits) {
    KeyLog log = new KeyLog();
    log.addText(text, limits);
    return log;
  }

  /** A new key log holding the entries and problems of all {@code logs}; later logs win for the same secret. */
  public static KeyLog merge(KeyLog... logs) {
    KeyLog merged = new KeyLog();
    for (KeyLog log : logs) {
      merged.addAll(log);
    }
    return merged;
  }

  /**
   * Parses {@code text} into this log (line numbers of its problems count from 1 within {@code text}); returns this
   * log.
   */
  public KeyLog addText(CharSequence text, Limits limits) {
    Objects.requireNonNull(limits, "limits");
    new Parser(text, limits.maxKeyLogLines()).run();
    return this;
  }

  /** Adds the secrets and problems of {@code other} to this log; its secrets replace those already held. */
  public KeyLog addAll(KeyLog other) {
    for (Map.Entry<RandomKey, Entry> e : other.entries.entrySet()) {
      Entry mine = entries.computeIfAbsent(e.getKey(), k -> new Entry(k.bytes));
      for (int slot = 0; slot < SLOTS; slot++) {
        if (e.getValue().secrets[slot] != null) {
          mine.put(slot, e.getValue().secrets[slot]);
        }
      }
    }
    for (KeyLogProblem p : other.problems) {
      keep(p);
    }
    problemCount += other.problemCount;
    return this;
  }

  /** Adds {@code p} to the kept problems unless {@link #MAX_PROBLEMS} are kept (a LIMIT_EXCEEDED one always). */
  private void keep(KeyLogProblem p) {
    if (problems.size() < MAX_PROBLEMS || p.kind() == KeyLogProblem.Kind.LIMIT_EXCEEDED) {
      problems.add(p);
    }
  }

  private void addProblem(KeyLogProblem p) {
    problemCount++;
    keep(p);
  }

  /** Adds the non-null secrets of {@code secrets} (for tests and applications that hold keys); returns this log. */
  public KeyLog add(TlsSecrets secrets) {
    Entry e = entries.computeIfAbsent(new RandomKey(secrets.clientRandom().clone()), k -> new Entry(k.bytes));
    putIfPresent(e, MASTER, secrets.masterSecret());
    putIfPresent(e, CLIENT_HANDSHAKE, secrets.clientHandshakeTrafficSecret());
    putIfPresent(e, SERVER_HANDSHAKE, secrets.serverHandshakeTrafficSecret());
    putIfPresent(e, CLIENT_TRAFFIC_0, secrets.clientTrafficSecret0());
    putIfPresent(e, SERVER_TRAFFIC_0, secrets.serverTrafficSecret0());
    putIfPresent(e, CLIENT_EARLY, secrets.clientEarlyTrafficSecret());
    putIfPresent(e, EXPORTER, secrets.exporterSecret());
    return this;
  }

  /** The number of connections (distinct client randoms) this log holds secrets for. */
  public int size() {
    return entries.size();
  }

  /**
   * The lines that could not be used, in the order they were read, at most the first {@link #MAX_PROBLEMS} (and every
   * LIMIT_EXCEEDED one); empty for a clean log. Unmodifiable view.
   */
  public List<KeyLogProblem> problems() {
    return Collections.unmodifiableList(problems);
  }

  /**
   * The number of lines that could not be used (and LIMIT_EXCEEDED problems), kept in {@link #problems()} or not: more
   * than {@code problems().size()} when the cap {@link #MAX_PROBLEMS} was hit.
   */
  public long problemCount() {
    return problemCount;
  }

  /** The secrets logged for the ClientHello random {@code clientRandom} (32 bytes), or {@code null}. */
  @Override
  public TlsSecrets secretsFor(byte[] clientRandom) {
    if (clientRandom == null || clientRandom.length != 32) {
      return null;
    }
    Entry e = entries.get(new RandomKey(clientRandom));
    return e == null ? null : e.secrets();
  }

  @Override
  public String toString() {
    return "KeyLog[connections=" + entries.size() + ", problems=" + problemCount + "]";
  }

  private static void putIfPresent(Entry e, int slot, byte[] secret) {
    if (secret != null) {
      e.put(slot, secret.clone());
    }
  }

  /** Slot of a known label, -1 for labels this log ignores. */
  private static int slotOf(String label) {
    switch (label) {
      case "CLIENT_RANDOM": return MASTER;
      case "CLIENT_HANDSHAKE_TRAFFIC_SECRET": return CLIENT_HANDSHAKE;
      case "SERVER_HANDSHAKE_TRAFFIC_SECRET": return SERVER_HANDSHAKE;
      case "CLIENT_TRAFFIC_SECRET_0": return CLIENT_TRAFFIC_0;
      case "SERVER_TRAFFIC_SECRET_0": return SERVER_TRAFFIC_0;
      case "CLIENT_EARLY_TRAFFIC_SECRET": return CLIENT_EARLY;
      case "EXPORTER_SECRET": return EXPORTER;
      default: return -1;
    }
  }

  /** Hex digits to bytes, or {@code null} when a character is not a hex digit or the count is odd. */
  private static byte[] hex(String s) {
    if ((s.length() & 1) != 0) {
      return null;
    }
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(s.charAt(2 * i), 16);
      int lo = Character.digit(s.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        return null;
      }
      out[i] = (byte) (hi << 4 | lo);
    }
    return out;
  }

  /** One pass over a text; adds entries and problems to the enclosing log. */
  private final class Parser {
    private final CharSequence text;
    private final int maxLines;

    /** {@code text} is null when the parser reads a stream ({@link #run(InputStream)}). */
    Parser(CharSequence text, int maxLines) {
      this.text = text;
      this.maxLines = maxLines;
    }

    /**
     * Reads {@code in} line by line, never holding more than one line (of at most {@link #MAX_LINE_LENGTH}
     * characters; the rest of a longer line is skipped unread), and stops reading at the line cap.
     */
    void run(InputStream in) throws IOException {
      byte[] buf = new byte[64 << 10];
      StringBuilder line = new StringBuilder(256);
      long lineNumber = 0;
      boolean tooLong = false;
      while (true) {
        int n = in.read(buf);
        if (n < 0) {
          if (line.length() > 0 || tooLong) {
            lineNumber++;
            if (lineNumber > maxLines) {
              limitExceeded(lineNumber);
            } else {
              endLine(lineNumber, line, tooLong);
            }
          }
          return;
        }
        for (int i = 0; i < n; i++) {
          int c = buf[i] & 0xff;
          if (c == '\n') {
            lineNumber++;
            if (lineNumber > maxLines) {
              limitExceeded(lineNumber);
              return;
            }
            endLine(lineNumber, line, tooLong);
            line.setLength(0);
            tooLong = false;
          } else if (line.length() < MAX_LINE_LENGTH) {
            line.append((char) c); // ISO-8859-1: one char per byte
          } else {
            tooLong = true;
          }
        }
      }
    }

    private void endLine(long lineNumber, StringBuilder line, boolean tooLong) {
      if (lineNumber == 1) {
        stripByteOrderMark(line);
      }
      if (tooLong) {
        problem(lineNumber, KeyLogProblem.Kind.BAD_LENGTH, null, "line longer than " + MAX_LINE_LENGTH + " characters");
      } else {
        line(lineNumber, line.toString());
      }
    }

    private void stripByteOrderMark(StringBuilder line) {
      if (line.length() >= 3 && line.charAt(0) == 0xEF && line.charAt(1) == 0xBB && line.charAt(2) == 0xBF) {
        line.delete(0, 3); // a UTF-8 byte order mark read byte by byte; editors on Windows write one
      }
    }

    private void limitExceeded(long lineNumber) {
      addProblem(new KeyLogProblem(lineNumber, KeyLogProblem.Kind.LIMIT_EXCEEDED, null,
          "more than " + maxLines + " lines (Limits.maxKeyLogLines); the rest of the key log was not read"));
    }

    void run() {
      int pos = 0;
      int n = text.length();
      if (n > 0 && text.charAt(0) == '\uFEFF') {
        pos = 1; // a UTF-8 byte order mark read as text; editors on Windows write one
      } else if (n >= 3 && text.charAt(0) == 0xEF && text.charAt(1) == 0xBB && text.charAt(2) == 0xBF) {
        pos = 3; // the same mark read byte by byte (ISO-8859-1)
      }
      long lineNumber = 0;
      while (pos < n) {
        int end = pos;
        while (end < n && text.charAt(end) != '\n') {
          end++;
        }
        lineNumber++;
        if (lineNumber > maxLines) {
          limitExceeded(lineNumber);
          return;
        }
        line(lineNumber, text.subSequence(pos, end).toString());
        pos = end + 1;
      }
    }

    private void line(long number, String raw) {
      String line = raw.strip(); // also drops the CR of CRLF
      if (line.isEmpty() || line.charAt(0) == '#') {
        return;
      }
      String[] fields = line.split("[ \t]+");
      String label = fields[0];
      int slot = slotOf(label);
      if (slot < 0) {
        return;
      }
      if (fields.length < 3) {
        problem(number, KeyLogProblem.Kind.MISSING_FIELD, label,
            "expected LABEL <client random> <secret>, found " + fields.length + " field(s)");
        return;
      }
      if (fields.length > 3) {
        problem(number, KeyLogProblem.Kind.EXTRA_FIELD, label,
            "expected LABEL <client random> <secret>, found " + fields.length + " fields");
        return;
      }
      byte[] random = hex(fields[1]);
      if (random == null) {
        problem(number, KeyLogProblem.Kind.BAD_HEX, label, "client random is not hex");
        return;
      }
      if (random.length != 32) {
        problem(number, KeyLogProblem.Kind.BAD_LENGTH, label,
            "client random has " + random.length + " bytes, expected 32");
        return;
      }
      byte[] secret = hex(fields[2]);
      if (secret == null) {
        problem(number, KeyLogProblem.Kind.BAD_HEX, label, "secret is not hex");
        return;
      }
      if (slot == MASTER ? secret.length != 48 : secret.length != 32 && secret.length != 48) {
        problem(number, KeyLogProblem.Kind.BAD_LENGTH, label, "secret has " + secret.length + " bytes, expected "
            + (slot == MASTER ? "48 (master secret)" : "32 or 48 (SHA-256 or SHA-384 hash length)"));
        return;
      }
      entries.computeIfAbsent(new RandomKey(random), k -> new Entry(k.bytes)).put(slot, secret);
    }

    private void problem(long number, KeyLogProblem.Kind kind, String label, String detail) {
      addProblem(new KeyLogProblem(number, kind, label, detail));
    }
  }

  /** A client random as a hash map key. */
  private static final class RandomKey {
    final byte[] bytes;
    final int hash;

    RandomKey(byte[] bytes) {
      this.bytes = bytes;
      this.hash = Arrays.hashCode(bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof RandomKey k && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** The secrets of one client random; the {@link TlsSecrets} value is built on demand and cached. */
  private static final class Entry {
    final byte[] clientRandom;
    final byte[][] secrets = new byte[SLOTS][];
    TlsSecrets value;

    Entry(byte[] clientRandom) {
      this.clientRandom = clientRandom;
    }

    void put(int slot, byte[] secret) {
      secrets[slot] = secret;
      value = null;
    }

    TlsSecrets secrets() {
      if (value == null) {
        value = new TlsSecrets(clientRandom, secrets[MASTER], secrets[CLIENT_HANDSHAKE], secrets[SERVER_HANDSHAKE],
            secrets[CLIENT_TRAFFIC_0], secrets[SERVER_TRAFFIC_0], secrets[CLIENT_EARLY], secrets[EXPORTER]);
      }
      return value;
    }
  }
}
