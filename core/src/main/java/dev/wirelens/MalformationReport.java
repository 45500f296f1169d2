package dev.wirelens;

/**
 * The details of the last malformation a view or reader met: kind, layer, absolute offset and, for truncation, the
 * required and available lengths and where the requirement came from.
 *
 * <p>Lifetime: each view and reader owns one report and rewrites it on every {@code wrap}/{@code next()}; a caller
 * that needs it later copies the fields (or calls {@link #toString()}).
 *
 * <p>Allocation: none, except {@link #toString()} and {@link #toException()}.
 *
 * <p>Thread safety: this class is not thread safe.
 *
 * <pre>{@code
 * if (!ipv4.wrap(buf, offset, length)) {
 *   MalformationReport r = ipv4.report();
 *   if (r.malformation() == Malformation.TRUNCATED) log(r.requiredLength(), r.availableLength());
 * }
 * }</pre>
 */
public final class MalformationReport {
  private Malformation malformation = Malformation.NONE;
  private Layer layer = Layer.NONE;
  private long offset = -1;
  private long requiredLength = -1;
  private long availableLength = -1;
  private LengthSource lengthSource;

  /** Creates an empty report ({@link Malformation#NONE}). */
  public MalformationReport() {}

  /** Resets to {@link Malformation#NONE}. */
  public void clear() {
    if (malformation == Malformation.NONE) {
      return; // every other field is at its default whenever the kind is NONE
    }
    malformation = Malformation.NONE;
    layer = Layer.NONE;
    offset = -1;
    requiredLength = -1;
    availableLength = -1;
    lengthSource = null;
  }

  /**
   * Records a truncation: {@code required} bytes were needed from {@code offset} on, as {@code source} demands, but
   * only {@code available} are there. Returns {@code false} so that a {@code wrap} can end with {@code return
   * report.truncated(...)}.
   */
  public boolean truncated(Layer layer, long offset, long required, long available, LengthSource source) {
    this.malformation = Malformation.TRUNCATED;
    this.layer = layer;
    this.offset = offset;
    this.requiredLength = required;
    this.availableLength = available;
    this.lengthSource = source;
    return false;
  }

  /**
   * Records a malformation other than truncation at the absolute {@code offset} of the offending field. Returns
   * {@code false} so that a {@code wrap} can end with {@code return report.invalid(...)}.
   */
  public boolean invalid(Layer layer, Malformation malformation, long offset) {
    if (malformation == Malformation.TRUNCATED || malformation == Malformation.NONE) {
      throw new IllegalArgumentException("use truncated() or clear() for " + malformation);
    }
    this.malformation = malformation;
    this.layer = layer;
    this.offset = offset;
    this.requiredLength = -1;
    this.availableLength = -1;
    this.lengthSource = null;
    return false;
  }

  /** Copies every field of {@code other} into this report. */
  public void copyFrom(MalformationReport other) {
    this.malformation = other.malformation;
    this.layer = other.layer;
    this.offset = other.offset;
    this.requiredLength = other.requiredLength;
    this.availableLength = other.availableLength;
    this.lengthSource = other.lengthSource;
  }

  /** The kind of malformation, {@link Malformation#NONE} if the last operation succeeded. */
  public Malformation malformation() {
    return malformation;
  }

  /** True unless the kind is {@link Malformation#NONE}. */
  public boolean isMalformed() {
    return malformation != Malformation.NONE;
  }

  /** The layer of the offending field, {@link Layer#NONE} when not malformed. */
  public Layer layer() {
    return layer;
  }

  /** Absolute offset of the offending field (of the unit whose length falls short, for truncation), or -1. */
  public long offset() {
    return offset;
  }

  /** For {@link Malformation#TRUNCATED}: bytes required from {@link #offset()} on, else -1. */
  public long requiredLength() {
    return requiredLength;
  }

  /** For {@link Malformation#TRUNCATED}: bytes available from {@link #offset()} on, else -1. */
  public long availableLength() {
    return availableLength;
  }

  /** For {@link Malformation#TRUNCATED}: what demanded {@link #requiredLength()}, else {@code null}. */
  public LengthSource lengthSource() {
    return lengthSource;
  }

  /** Returns a new exception describing this report, for the opt-in {@code …orThrow()} methods. */
  public MalformedInputException toException() {
    return new MalformedInputException(layer, malformation, offset, toString());
  }

  /** One sentence, for logs and the command line: {@code "IPV4 TRUNCATED at offset 14: 20 bytes required ..."}. */
  @Override
  public String toString() {
    if (malformation == Malformation.NONE) {
      return "no malformation";
    }
    StringBuilder s = new StringBuilder().append(layer).append(' ').append(malformation).append(" at offset ").append(offset);
    if (malformation == Malformation.TRUNCATED) {
      s.append(": ").append(requiredLength).append(" bytes required by ").append(lengthSource)
          .append(", ").append(availableLength).append(" available");
    }
    return s.toString();
  }
}
