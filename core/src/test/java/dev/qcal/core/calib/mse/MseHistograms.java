package dev.qcal.core.calib.mse;

import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.testing.Histograms;

/** Formula-made histograms for the MSE tests (exact in numpy and Java alike). */
final class MseHistograms {
  private MseHistograms() {}

  /**
   * 200 bins over [0, 3.125] (width 2^-6, exact edges): numpy {@code j = np.arange(200); (40000 -
   * j*j)//400 + (j*37) % 11}.
   */
  static TensorStatistics small() {
    long[] c = new long[200];
    for (int j = 0; j < c.length; j++) {
      c[j] = (40000 - (long) j * j) / 400 + (j * 37L) % 11;
    }
    return TensorStatistics.ofHistogram(
        Histogram.withEdges(Domain.ABSOLUTE, Histograms.uniform(0, 3.125, 200), c), 0, 3.12);
  }

  /**
   * 2048 bins over [0, 8] (width 2^-8, exact edges), a 1/j² tail with one outlier: numpy {@code j =
   * np.arange(2048); c = 2000000//((j+8)*(j//32+1)) + (j*7919) % 5; c[2040] += 1}.
   */
  static TensorStatistics medium() {
    long[] c = new long[2048];
    for (int j = 0; j < c.length; j++) {
      c[j] = 2_000_000L / ((j + 8L) * (j / 32 + 1)) + (j * 7919L) % 5;
    }
    c[2040] += 1;
    return TensorStatistics.ofHistogram(
        Histogram.withEdges(Domain.ABSOLUTE, Histograms.uniform(0, 8, 2048), c), -7.99, 7.99);
  }
}
