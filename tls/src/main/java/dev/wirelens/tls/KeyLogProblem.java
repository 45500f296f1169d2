package dev.wirelens.tls;

import java.util.Objects;

/**
 * One line of an NSS key log that could not be used, with its 1-based line number: a missing field, bad hex, a
 * value of the wrong length, or the line cap of {@link dev.wirelens.Limits#maxKeyLogLines()} reached. A bad line is
 * data, never an exception; the rest of the log is still read.
 *
 * <p>Allocation: one object per bad line, when the log is parsed.
 *
 * <p>Thread safety: immutable.
 */
public final class KeyLogProblem {
  /** What was wrong with the line. */
  public enum Kind {
    /** Fewer than three whitespace-separated fields ({@code LABEL <client random> <secret>}). */
    MISSING_FIELD,
    /** More than three fields. */
    EXTRA_FIELD,
    /** A field that should be hex holds another character, or an odd number of digits. */
    BAD_HEX,
    /** The client random is not 32 bytes, or the secret has the wrong length for its label. */
    BAD_LENGTH,
    /** {@link dev.wirelens.Limits#maxKeyLogLines()} was reached; this line and the rest were not read. */
    LIMIT_EXCEEDED
  }

  private final long lineNumber;
  private final Kind kind;
  private final String label;
  private final String detail;

  /** A problem on line {@code lineNumber} (1-based) with the line's label ({@code null} if none) and an explanation. */
  public KeyLogProblem(long lineNumber, Kind kind, String label, String detail) {
    this.lineNumber = lineNumber;
    this.kind = Objects.requireNonNull(kind, "kind");
    this.label = label;
    this.detail = Objects.requireNonNull(detail, "detail");
  }

  /** The 1-based line number of the bad line in the text that was parsed. */
  public long lineNumber() {
    return lineNumber;
  }

  /** What was wrong. */
  public Kind kind() {
    return kind;
  }

  /** The label of the line (its first field), or {@code null} for an empty label or {@link Kind#LIMIT_EXCEEDED}. */
  public String label() {
    return label;
  }

  /** A sentence saying what was wrong, for a report. */
  public String detail() {
    return detail;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyLogProblem p && p.lineNumber == lineNumber && p.kind == kind
        && Objects.equals(p.label, label) && p.detail.equals(detail);
  }

  @Override
  public int hashCode() {
    return Objects.hash(lineNumber, kind, label, detail);
  }

  /** "line N: KIND (LABEL): detail", for messages. */
  @Override
  public String toString() {
    return "line " + lineNumber + ": " + kind + (label == null ? "" : " (" + label + ")") + ": " + detail;
  }
}
