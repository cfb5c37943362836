package dev.qcal.core.calib.percentile;

import dev.qcal.core.calib.SearchPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Exact tail searches on long counts: the outermost bin edges that clip at most a given number of
 * counts from one end. Empty bins at an end are always clipped (they cost nothing).
 */
final class Tails {
  private Tails() {}

  /**
   * The smallest bin index {@code r} such that the counts strictly above bin {@code r} sum to at
   * most {@code allowed}; the clip is then the right edge {@code e[r + 1]}. With {@code allowed <
   * Σcounts}, bin {@code r} is not empty.
   */
  static int upperBin(long[] counts, long allowed) {
    long above = 0;
    int r = counts.length - 1;
    while (r > 0 && above + counts[r] <= allowed) {
      above += counts[r];
      r--;
    }
    return r;
  }

  /**
   * The largest bin index {@code l} such that the counts strictly below bin {@code l} sum to at
   * most {@code allowed}; the clip is then the left edge {@code e[l]}. With {@code allowed <
   * Σcounts}, bin {@code l} is not empty.
   */
  static int lowerBin(long[] counts, long allowed) {
    long below = 0;
    int l = 0;
    while (l < counts.length - 1 && below + counts[l] <= allowed) {
      below += counts[l];
      l++;
    }
    return l;
  }

  /** The cumulative fraction Σ_{k ≤ j} h_k / total at every right edge e[j+1] (a "cdf" curve). */
  static List<SearchPoint> cdfCurve(double[] edges, long[] counts, long total) {
    List<SearchPoint> curve = new ArrayList<>(counts.length);
    long cum = 0;
    for (int j = 0; j < counts.length; j++) {
      cum += counts[j];
      curve.add(new SearchPoint(edges[j + 1], (double) cum / total));
    }
    return curve;
  }
}
