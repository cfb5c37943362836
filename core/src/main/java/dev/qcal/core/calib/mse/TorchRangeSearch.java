package dev.qcal.core.calib.mse;

import dev.qcal.core.calib.SearchPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch {@code HistogramObserver._non_linear_param_search} on a float32 histogram over [min, max]
 * (float32 bounds, as torch's buffers). Torch's own histograms hold fractional counts after
 * re-binning ({@code _upscale_histogram} splits a bin into 16 sub-bins), so the search works on
 * float32 counts; qcal's long counts are converted exactly up to 2^24 per bin.
 *
 * <p>Precision as upstream: cSum = cumsum(hist) accumulated in float32 left to right (numpy's
 * cumsum, which the reference values used), total = float32 {@code sum}, α and β Python floats
 * stepped by 1e-5, the cSum comparisons in float32.
 */
final class TorchRangeSearch {
  private static final double STEP = 1e-5;

  /** The outcome: kept source bins [start, end], the range, its error and the error curve. */
  record Outcome(int start, int end, float lo, float hi, double norm, List<SearchPoint> curve) {}

  private TorchRangeSearch() {}

  static Outcome run(float[] hist, float min, float max, int dstBins) {
    int bins = hist.length;
    float[] cSum = new float[bins];
    float acc = 0f;
    for (int j = 0; j < bins; j++) {
      acc += hist[j];
      cSum[j] = acc;
    }
    double total = ReferenceFloat32.sum(hist);
    float bw = (max - min) / bins;
    TorchQuantError errors = new TorchQuantError(hist, min, max, dstBins);
    List<SearchPoint> curve = new ArrayList<>();
    double alpha = 0.0;
    double beta = 1.0;
    int start = 0;
    int end = bins - 1;
    double normMin = Double.POSITIVE_INFINITY;
    while (alpha < beta) {
      double nextAlpha = alpha + STEP;
      double nextBeta = beta - STEP;
      float lowTarget = (float) (nextAlpha * total);
      float highTarget = (float) (nextBeta * total);
      int l = start;
      int r = end;
      while (l < end && cSum[l] < lowTarget) {
        l++;
      }
      while (r > start && cSum[r] > highTarget) {
        r--;
      }
      int nextStart = start;
      int nextEnd = end;
      if (l - start > end - r) {
        nextStart = l;
        alpha = nextAlpha;
      } else {
        nextEnd = r;
        beta = nextBeta;
      }
      if (nextStart == start && nextEnd == end) {
        continue;
      }
      double norm = errors.error(nextStart, nextEnd);
      curve.add(new SearchPoint(min + bw * (nextEnd + 1), norm));
      if (norm > normMin) {
        break;
      }
      normMin = norm;
      start = nextStart;
      end = nextEnd;
    }
    return new Outcome(start, end, min + bw * start, min + bw * (end + 1), normMin, curve);
  }
}
