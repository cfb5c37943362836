package dev.qcal.core.calib.percentile;

import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;

/** Small hand-made histograms for the percentile and coverage tests. */
final class Hist {
  private Hist() {}

  /** Uniform edges lo + j·(hi − lo)/n. */
  static double[] uniform(double lo, double hi, int n) {
    double[] e = new double[n + 1];
    for (int j = 0; j <= n; j++) {
      e[j] = lo + j * (hi - lo) / n;
    }
    return e;
  }

  /** Statistics holding one histogram of {@code counts} over [lo, hi], data range [min, max]. */
  static TensorStatistics stats(
      Domain domain, double lo, double hi, double min, double max, long... counts) {
    Histogram h = Histogram.withEdges(domain, uniform(lo, hi, counts.length), counts);
    return TensorStatistics.ofHistogram(h, min, max);
  }
}
