package dev.wirelens.examples.audit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole audit after its last connection: how many connections were reported, how many failed a rule, the
 * reasons of all verdicts (the first {@link #MAX_REASONS}), and whether the whole input was read. The audit is
 * encrypted when every connection is, stable when every connection is. Cross-connection rules (reconnect storms)
 * already appear in the verdicts of the connections they concern, so the summary is a function of the reports.
 *
 * <p>Thread safety: immutable.
 *
 * <pre>{@code
 * AuditSummary s = audit.run(capture, report -> {});
 * if (!s.encrypted()) s.reasons().forEach(System.out::println);
 * }</pre>
 */
public final class AuditSummary {
  /** Reasons kept (the first ones); the rest are counted by {@link #droppedReasons()}. */
  public static final int MAX_REASONS = 1000;

  private final long connections;
  private final long notEncrypted;
  private final long unstable;
  private final List<String> reasons;
  private final long droppedReasons;
  private final long frames;
  private final String problem;
  private final Map<String, Long> limits;
  private final long fragmentConflicts;

  AuditSummary(long connections, long notEncrypted, long unstable, List<String> reasons, long droppedReasons,
      long frames, String problem) {
    this(connections, notEncrypted, unstable, reasons, droppedReasons, frames, problem, Collections.emptyMap(), 0);
  }

  AuditSummary(long connections, long notEncrypted, long unstable, List<String> reasons, long droppedReasons,
      long frames, String problem, Map<String, Long> limits, long fragmentConflicts) {
    this.connections = connections;
    this.notEncrypted = notEncrypted;
    this.unstable = unstable;
    this.reasons = Collections.unmodifiableList(new ArrayList<>(reasons));
    this.droppedReasons = droppedReasons;
    this.frames = frames;
    this.problem = problem;
    this.limits = Collections.unmodifiableMap(new LinkedHashMap<>(limits));
    this.fragmentConflicts = fragmentConflicts;
  }

  /**
   * Every cap of {@link dev.wirelens.Limits} the run hit, named by its {@code Limits} accessor, with how often: the
   * {@link ConnectionReport#limits()} of every reported connection added up, and the caps below connections:
   * {@code "maxIpv6ExtensionHeaders"} and {@code "PacketDissector.MAX_VLAN_TAGS"} (packets not dissected to their
   * transport header), {@code "maxFragmentedDatagrams"} and {@code "maxBufferedBytesTotal"} (IP datagrams whose
   * fragments were dropped for that cap; added to the connections' own {@code "maxBufferedBytesTotal"}),
   * {@code "maxCaptureBlockLength"} and {@code "maxCaptureInflationRatio"} (the input ended there; see
   * {@link #problem()}), and {@code "snapLength"} (frames longer than their interface's snaplen, read whole as tshark
   * does: not a cap of ours, the capture broke its own). Empty when none; unmodifiable, in the order first hit.
   */
  public Map<String, Long> limits() {
    return limits;
  }

  /**
   * IP fragments that overlapped held bytes with different content ({@code FragmentEvent.OVERLAP_CONFLICT}): the
   * bytes received first were kept, as the reassembler documents.
   */
  public long fragmentConflicts() {
    return fragmentConflicts;
  }

  /** Connections reported. */
  public long connections() {
    return connections;
  }

  /** Connections whose verdict is not encrypted. */
  public long notEncrypted() {
    return notEncrypted;
  }

  /** Connections whose verdict is not stable. */
  public long unstable() {
    return unstable;
  }

  /** True when every reported connection is encrypted (vacuously for none). */
  public boolean encrypted() {
    return notEncrypted == 0;
  }

  /** True when every reported connection is stable (vacuously for none). */
  public boolean stable() {
    return unstable == 0;
  }

  /** The reasons of every verdict, in report order (the first {@link #MAX_REASONS}). Unmodifiable. */
  public List<String> reasons() {
    return reasons;
  }

  /** Reasons beyond {@link #MAX_REASONS}, not kept. */
  public long droppedReasons() {
    return droppedReasons;
  }

  /** Capture frames read. */
  public long frames() {
    return frames;
  }

  /**
   * Why the input ended early (truncated or malformed capture, read error, unsupported link type, interrupted),
   * one clause as {@link CaptureProblems} words it; null when the whole input was read. The connections read
   * until then are reported all the same.
   */
  public String problem() {
    return problem;
  }

  @Override
  public String toString() {
    return "AuditSummary{connections=" + connections + ", notEncrypted=" + notEncrypted + ", unstable=" + unstable
        + (problem == null ? "" : ", problem=" + problem) + "}";
  }
}
