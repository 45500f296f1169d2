package dev.wirelens;

/**
 * Thrown only by the opt-in {@code …orThrow()} methods (for examples and tests) when a view or reader found a
 * {@link Malformation}. The hot paths never throw it: they report malformations as data.
 *
 * <p>Thread safety: immutable.
 */
public final class MalformedInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Layer layer;
  private final Malformation malformation;
  private final long offset;

  /**
   * @param layer the layer at which decoding stopped
   * @param malformation why it stopped
   * @param offset absolute offset of the offending field in the input
   * @param message a sentence describing the problem
   */
  public MalformedInputException(Layer layer, Malformation malformation, long offset, String message) {
    super(message);
    this.layer = layer;
    this.malformation = malformation;
    this.offset = offset;
  }

  /** The layer at which decoding stopped. */
  public Layer layer() {
    return layer;
  }

  /** Why decoding stopped. */
  public Malformation malformation() {
    return malformation;
  }

  /** Absolute offset of the offending field in the input. */
  public long offset() {
    return offset;
  }
}
