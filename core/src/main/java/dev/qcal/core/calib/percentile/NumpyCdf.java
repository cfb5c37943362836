package dev.qcal.core.calib.percentile;

/**
 * The float64 cumulative distribution as NVIDIA and ONNX Runtime compute it, {@code np.cumsum(hist
 * / hist.sum())} (each count divided first, then summed left to right), and {@code
 * np.searchsorted(cdf, v, side='left')}. Kept separate from the exact qcal arithmetic so the
 * reference variants reproduce the tools' rounding, including a last cdf value a hair below 1.
 */
final class NumpyCdf {
  private final double[] cdf;

  NumpyCdf(long[] counts, long total) {
    cdf = new double[counts.length];
    double t = total;
    double cum = 0;
    for (int j = 0; j < counts.length; j++) {
      cum += counts[j] / t;
      cdf[j] = cum;
    }
  }

  /** The first index whose cdf is ≥ v ({@code searchsorted(side='left')}); n when none is. */
  int searchLeft(double v) {
    int lo = 0;
    int hi = cdf.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cdf[mid] < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** cdf[j]. */
  double at(int j) {
    return cdf[j];
  }
}
