package dev.wirelens.examples.audit;

import java.util.List;
import java.util.Objects;

/**
 * The judgement of one connection under an {@link AuditPolicy}: design.md's {@code verdict} object,
 * {@code {"encrypted": bool, "stable": bool, "reasons": [...]}}. Each failed rule adds one readable reason that
 * names the connection, e.g. {@code "connection 3: reset by server"}, {@code "connection 0: TLSv1.1 below the
 * minimum TLSv1.2"}, {@code "client 10.0.0.2 reconnected 7 times to 10.0.0.1:8084 within 60 s"}.
 *
 * <p>Thread safety: immutable.
 */
public final class Verdict {
  private final boolean encrypted;
  private final boolean stable;
  private final List<String> reasons;

  /** A verdict; {@code reasons} is copied. */
  public Verdict(boolean encrypted, boolean stable, List<String> reasons) {
    this.encrypted = encrypted;
    this.stable = stable;
    this.reasons = List.copyOf(reasons);
  }

  /** True when every encryption rule held (or the connection's port is not watched). */
  public boolean encrypted() {
    return encrypted;
  }

  /** True when every stability rule held. */
  public boolean stable() {
    return stable;
  }

  /** One sentence per failed rule, encryption rules first; empty when both hold. Unmodifiable. */
  public List<String> reasons() {
    return reasons;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Verdict v && v.encrypted == encrypted && v.stable == stable && v.reasons.equals(reasons);
  }

  @Override
  public int hashCode() {
    return Objects.hash(encrypted, stable, reasons);
  }

  @Override
  public String toString() {
    return "Verdict{encrypted=" + encrypted + ", stable=" + stable + ", reasons=" + reasons + "}";
  }
}
