package dev.qcal.core.histogram;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A histogram whose counts are non-negative real numbers: what other tools hand over when they keep
 * float counts, e.g. PyTorch's {@code HistogramObserver}, whose re-binning spreads a bin's count
 * evenly over the bins it overlaps ({@code count/16} per sub-bin). qcal's own histograms count
 * whole values ({@link Histogram}); this one is read from JSON ({@code qcal histogram}) and only
 * the methods whose reference tools count in floats search it (see {@link
 * dev.qcal.core.calib.Calibrator#acceptsFractionalCounts}). Immutable.
 */
public final class WeightedHistogram implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Domain domain;
  private final double[] edges;
  private final double[] counts;

  private WeightedHistogram(Domain domain, double[] edges, double[] counts) {
    this.domain = domain;
    this.edges = edges;
    this.counts = counts;
  }

  /**
   * A histogram with explicit edges ({@code counts.length + 1} strictly increasing finite values)
   * and finite non-negative counts. Both arrays are copied.
   *
   * @throws IllegalArgumentException naming the bin or edge that is wrong
   */
  public static WeightedHistogram withEdges(Domain domain, double[] edges, double[] counts) {
    if (counts.length == 0 || edges.length != counts.length + 1) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build a histogram: %d edges given for %d counts (need counts + 1, at least"
                  + " one bin)",
              edges.length, counts.length));
    }
    for (int j = 0; j < edges.length; j++) {
      if (!Double.isFinite(edges[j]) || (j > 0 && !(edges[j] > edges[j - 1]))) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot build a histogram: edges must be finite and strictly increasing (edge %d is"
                    + " %s)",
                j, edges[j]));
      }
    }
    for (int j = 0; j < counts.length; j++) {
      if (!(counts[j] >= 0) || Double.isInfinite(counts[j])) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot build a histogram: count of bin %d must be finite and non-negative (%s)",
                j, counts[j]));
      }
    }
    return new WeightedHistogram(domain, edges.clone(), counts.clone());
  }

  /** What the histogram bins. */
  public Domain domain() {
    return domain;
  }

  /** Number of bins. */
  public int binCount() {
    return counts.length;
  }

  /** Edge {@code j}, 0 ≤ j ≤ n. */
  public double edge(int j) {
    return edges[j];
  }

  /** A copy of the n+1 edges. */
  public double[] edges() {
    return edges.clone();
  }

  /** Count of bin {@code j}. */
  public double count(int j) {
    return counts[j];
  }

  /** A copy of the counts. */
  public double[] counts() {
    return counts.clone();
  }

  /** The counts rounded to float32, the type the float-counting tools keep them in. */
  public float[] floatCounts() {
    float[] out = new float[counts.length];
    for (int j = 0; j < counts.length; j++) {
      out[j] = (float) counts[j];
    }
    return out;
  }

  /** Sum of the counts. */
  public double total() {
    double t = 0;
    for (double c : counts) {
      t += c;
    }
    return t;
  }

  /** True when every count is 0. */
  public boolean isEmpty() {
    return !(total() > 0);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WeightedHistogram
        && domain == ((WeightedHistogram) o).domain
        && Arrays.equals(edges, ((WeightedHistogram) o).edges)
        && Arrays.equals(counts, ((WeightedHistogram) o).counts);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * domain.hashCode() + Arrays.hashCode(edges)) + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return String.format(
        "WeightedHistogram{%s[%s, %s]x%d, total=%s}",
        domain.key(), edges[0], edges[edges.length - 1], counts.length, total());
  }
}
