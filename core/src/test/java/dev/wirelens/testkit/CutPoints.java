package dev.wirelens.testkit;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz-chosen points at which an input is cut into pieces, for the "same result whole or in pieces" property of
 * fuzz targets: feed the pieces one by one (or serve them as short reads, {@link ShortReadInputStream}) and compare
 * the events with those of the whole input ({@link EventDigest}).
 *
 * <p>Use: take the cut seeds first ({@link #consume}), then the input bytes, then place the cuts inside the input
 * ({@link #within}). Jazzer's {@link FuzzedDataProvider} takes integers from the end of the fuzz input and bytes from
 * its front, so a capture file used as a seed stays intact apart from its last few bytes.
 *
 * <p>Immutable; allocation: the arrays returned.
 */
public final class CutPoints {
  private final int[] seeds;

  private CutPoints(int[] seeds) {
    this.seeds = seeds;
  }

  /** Takes up to {@code maxCuts} cut seeds from {@code data} (none when the fuzz input says 0). */
  public static CutPoints consume(FuzzedDataProvider data, int maxCuts) {
    int n = data.consumeInt(0, maxCuts);
    int[] s = new int[n];
    for (int i = 0; i < n; i++) {
      s[i] = data.consumeInt(0, Integer.MAX_VALUE);
    }
    return new CutPoints(s);
  }

  /** Cut points given directly (for unit tests of the helpers). */
  public static CutPoints of(int... seeds) {
    return new CutPoints(seeds.clone());
  }

  /** The distinct cut positions strictly inside {@code [0, length)}, ascending (empty when length < 2). */
  public int[] within(int length) {
    if (length < 2) {
      return new int[0];
    }
    int[] c = new int[seeds.length];
    for (int i = 0; i < seeds.length; i++) {
      c[i] = 1 + seeds[i] % (length - 1);
    }
    return Arrays.stream(c).sorted().distinct().toArray();
  }

  /** {@code bytes} cut at {@link #within(int) within(bytes.length)}: the pieces, in order, never empty. */
  public List<byte[]> split(byte[] bytes) {
    List<byte[]> out = new ArrayList<>();
    int from = 0;
    for (int at : within(bytes.length)) {
      out.add(Arrays.copyOfRange(bytes, from, at));
      from = at;
    }
    if (from < bytes.length || out.isEmpty()) {
      out.add(Arrays.copyOfRange(bytes, from, bytes.length));
    }
    return out;
  }
}
