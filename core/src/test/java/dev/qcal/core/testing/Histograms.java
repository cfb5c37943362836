package dev.qcal.core.testing;

import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;

/** Hand-made histograms with exact uniform edges, for calibrator tests. */
public final class Histograms {
  private Histograms() {}

  /** Uniform edges lo + j·(hi − lo)/n. */
  public static double[] uniform(double lo, double hi, int n) {
    double[] e = new double[n + 1];
    for (int j = 0; j <= n; j++) {
      e[j] = lo + j * (hi - lo) / n;
    }
    return e;
  }

  /** Statistics holding one histogram of {@code counts} over [lo, hi], data range [min, max]. */
  public static TensorStatistics stats(
      Domain domain, double lo, double hi, double min, double max, long... counts) {
    Histogram h = Histogram.withEdges(domain, uniform(lo, hi, counts.length), counts);
    return TensorStatistics.ofHistogram(h, min, max);
  }
}
