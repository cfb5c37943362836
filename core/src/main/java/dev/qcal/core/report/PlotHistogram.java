package dev.qcal.core.report;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * A histogram coarsened for plotting: adjacent bins of a {@link Histogram} merged, in groups of
 * equal size, down to at most a few hundred bins, so only a small array per tensor travels from the
 * executors to the driver. Counts stay exact (every coarse count is the sum of the fine counts it
 * covers, and below/above/NaN are kept), only the resolution drops. Immutable.
 */
public final class PlotHistogram implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Default bin limit: about one bin per two pixels of the report's histogram plot. */
  public static final int DEFAULT_MAX_BINS = 256;

  private final Domain domain;
  private final double[] edges;
  private final long[] counts;
  private final long below;
  private final long above;
  private final long nan;

  /** A histogram of these parts, held as they are (not copied). */
  PlotHistogram(Domain domain, double[] edges, long[] counts, long below, long above, long nan) {
    this.domain = domain;
    this.edges = edges;
    this.counts = counts;
    this.below = below;
    this.above = above;
    this.nan = nan;
  }

  /** {@code h} coarsened to at most {@value #DEFAULT_MAX_BINS} bins. */
  public static PlotHistogram of(Histogram h) {
    return of(h, DEFAULT_MAX_BINS);
  }

  /**
   * {@code h} with groups of {@code k = ⌈n / maxBins⌉} adjacent bins merged (the last group may be
   * smaller); a histogram of at most {@code maxBins} bins is kept as it is. The coarse edges are a
   * subset of the fine ones, so the first and last edge are unchanged.
   *
   * @throws IllegalArgumentException if {@code maxBins < 1}
   */
  public static PlotHistogram of(Histogram h, int maxBins) {
    if (maxBins < 1) {
      throw new IllegalArgumentException(
          "Cannot coarsen a histogram: maxBins must be at least 1 (" + maxBins + ")");
    }
    int n = h.binCount();
    int k = (n + maxBins - 1) / maxBins;
    int m = (n + k - 1) / k;
    double[] edges = new double[m + 1];
    long[] counts = new long[m];
    for (int j = 0; j < m; j++) {
      edges[j] = h.edge(j * k);
      int end = Math.min(n, (j + 1) * k);
      long sum = 0;
      for (int i = j * k; i < end; i++) {
        sum += h.count(i);
      }
      counts[j] = sum;
    }
    edges[m] = h.edge(n);
    return new PlotHistogram(h.domain(), edges, counts, h.below(), h.above(), h.nan());
  }

  /** What the histogram bins (|x|, x or log2 x). */
  public Domain domain() {
    return domain;
  }

  /** Number of bins. */
  public int binCount() {
    return counts.length;
  }

  /** Edge {@code j}, 0 ≤ j ≤ n, in value space. */
  public double edge(int j) {
    return edges[j];
  }

  /** A copy of the n+1 edges. */
  public double[] edges() {
    return edges.clone();
  }

  /** Count of bin {@code j}. */
  public long count(int j) {
    return counts[j];
  }

  /** A copy of the counts. */
  public long[] counts() {
    return counts.clone();
  }

  /** Values below the range. */
  public long below() {
    return below;
  }

  /** Values above the range. */
  public long above() {
    return above;
  }

  /** NaN values. */
  public long nan() {
    return nan;
  }

  /** Sum of the bin counts. */
  public long total() {
    long t = 0;
    for (long c : counts) {
      t += c;
    }
    return t;
  }

  /** The largest bin count (0 when empty). */
  public long maxCount() {
    long max = 0;
    for (long c : counts) {
      max = Math.max(max, c);
    }
    return max;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PlotHistogram)) {
      return false;
    }
    PlotHistogram that = (PlotHistogram) o;
    return domain == that.domain
        && Arrays.equals(edges, that.edges)
        && Arrays.equals(counts, that.counts)
        && below == that.below
        && above == that.above
        && nan == that.nan;
  }

  @Override
  public int hashCode() {
    return Objects.hash(domain, Arrays.hashCode(edges), Arrays.hashCode(counts), below, above, nan);
  }

  @Override
  public String toString() {
    return String.format(
        "PlotHistogram{%s[%s, %s]x%d, total=%d}",
        domain.key(), edges[0], edges[edges.length - 1], counts.length, total());
  }
}
