package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.calib.screen.TieRule;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.WeightedHistogram;
import dev.qcal.core.quant.QuantParams;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.quant.ScaleRounding;

/**
 * {@code entropy:ppq}: PPQ's KL observer ({@code ppq/quantization/observer/range.py,
 * TorchHistObserver.hist_to_scale_offset}; {@code measure/statistic.py torch_KL_divergence}) on the
 * |x| histogram, its quirks noted (docs/design/algorithms.md §5.3; a last candidate past n, where
 * upstream fails, is skipped).
 */
public final class PpqEntropyCalibrator extends HistogramCalibrator {
  /** The method key. */
  public static final String NAME = "entropy:ppq";

  /** PPQ's {@code OBSERVER_MIN_SCALE}. */
  public static final double MIN_SCALE = 1e-8;

  /** PPQ's KL search. */
  public PpqEntropyCalibrator() {
    super(NAME, Domain.ABSOLUTE);
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    int n = histogram.binCount();
    float[] h = new float[n];
    for (int j = 0; j < n; j++) {
      h[j] = (float) histogram.count(j);
    }
    return search(h, histogram.edge(0), histogram.edge(n), quant);
  }

  /** PPQ turns torch's histogram into floats ({@code h = float(hist)}): fractional counts too. */
  @Override
  public boolean acceptsFractionalCounts() {
    return true;
  }

  @Override
  protected CalibrationResult searchWeighted(
      TensorStatistics stats, WeightedHistogram histogram, QuantSpec quant) {
    return search(
        histogram.floatCounts(), histogram.edge(0), histogram.edge(histogram.binCount()), quant);
  }

  private static CalibrationResult search(float[] h, double lo, double top, QuantSpec quant) {
    int n = h.length;
    double histScale = (top - lo) / n;
    int zeroed = (int) (n * 0.002);
    java.util.Arrays.fill(h, 0, Math.min(zeroed, n), 0f);
    if (zeroed < n) {
      h[zeroed] = 1f;
    }
    int qb = 1 << (quant.bits() - 1);
    double[] values = null;
    CalibrationResult.Builder result;
    if (n < qb) {
      result = CalibrationResult.builder(NAME, ClipRange.symmetric((float) top), quant);
    } else {
      double[] suffix = new double[n + 1];
      for (int j = n - 1; j >= 0; j--) {
        suffix[j] = suffix[j + 1] + h[j];
      }
      float histSum = (float) suffix[0];
      float[] p = new float[n];
      float[] q = new float[n];
      double[] thresholds = new double[n / qb];
      values = new double[n / qb];
      for (int c = 0; c < values.length; c++) {
        int r = (c + 1) * qb;
        thresholds[c] = r * histScale;
        values[c] = divergence(h, r, qb, histSum, (float) suffix[r], p, q);
      }
      int pick = TieRule.FIRST_MINIMUM.pick(values); // Python's sort: a NaN first stays first
      int best = (pick + 1) * qb;
      result =
          KlCurve.result(
                  NAME, ClipRange.symmetric(thresholds[pick]), quant, thresholds, values, pick)
              .params(ppqParams((double) best / n * histScale * ((double) n / qb), quant))
              .detail("bin", best);
    }
    if (n % qb != 0) {
      result.note(
          String.format(
              "%d bins is not a multiple of %d: PPQ fails on its last candidate, skipped here",
              n, qb));
    }
    if (values == null) {
      result.note(
          String.format("histogram has %d bins, fewer than %d: fell back to its max", n, qb));
    } else if (Double.isNaN(values[0])) {
      result.note(
          "first candidate lies in the zeroed 0.2% of bins (KL = NaN) and wins through Python's"
              + " sort, as in PPQ (scale = hist_scale)");
    }
    return result.build();
  }

  /** PPQ's KL of candidate r (log10, 1e-30, float32 P and Q, float64 dot product). */
  private static double divergence(
      float[] h, int r, int qb, float histSum, float outliers, float[] p, float[] q) {
    System.arraycopy(h, 0, p, 0, r);
    p[r - 1] += outliers;
    for (int j = 0; j < r; j++) {
      p[j] /= histSum;
    }
    int width = r / qb;
    double qSum = 0;
    for (int row = 0; row < qb; row++) {
      int a = row * width;
      double rowSum = 0;
      int positive = 0;
      for (int j = a; j < a + width; j++) {
        rowSum += h[j];
        positive += h[j] > 0 ? 1 : 0;
      }
      float mean = (float) rowSum / Math.max(positive, 1);
      for (int j = a; j < a + width; j++) {
        q[j] = h[j] > 0 ? mean : 0f;
        qSum += q[j];
      }
    }
    float norm = (float) qSum;
    double kl = 0;
    for (int j = 0; j < r; j++) {
      float qj = q[j] / norm;
      kl += (double) p[j] * (Math.log10(p[j] + 1e-30) - Math.log10(qj + 1e-30));
    }
    return kl;
  }

  /** PPQ's scale for a threshold: threshold / 2^(B−1), as in {@link #search}. */
  @Override
  protected QuantParams toolParams(ClipRange range, QuantSpec quant) {
    return ppqParams(range.amax() / (1 << (quant.bits() - 1)), quant);
  }

  /**
   * PPQ's parameters for {@code scale}: at least {@link #MIN_SCALE}, with power-of-two scales
   * 2^round(log2 scale), ties away from zero; zero point 0.
   */
  private static QuantParams ppqParams(double scale, QuantSpec quant) {
    scale = Math.max(scale, MIN_SCALE);
    if (quant.powerOfTwo() == ScaleRounding.POWER_OF_TWO) {
      double e = Math.log(scale) / Math.log(2);
      scale = Math.pow(2, Math.signum(e) * Math.floor(Math.abs(e) + 0.5));
    }
    return new QuantParams((float) scale, 0, quant.qmin(), quant.qmax());
  }
}
