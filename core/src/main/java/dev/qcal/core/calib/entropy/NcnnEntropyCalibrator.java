package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.calib.screen.ScreenedSearch;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;

/**
 * {@code entropy:ncnn}: ncnn's {@code QuantNet::quantize_KL} ({@code
 * tools/quantize/ncnn2table.cpp}) on the |x| histogram, operation by operation in float32
 * (docs/design/algorithms.md §2). Screened from {@value #SCREEN_MIN_BINS} bins on ({@link
 * NcnnScreen}) as {@link OrtEntropyCalibrator} is.
 */
public final class NcnnEntropyCalibrator extends HistogramCalibrator {
  /** The method key. */
  public static final String NAME = "entropy:ncnn";

  /** ncnn's {@code target_bin}: the first candidate. */
  public static final int START_BIN = 128;

  /** Below this many bins every candidate is evaluated exactly (the screen would not pay). */
  static final int SCREEN_MIN_BINS = 256;

  /** ncnn's search. */
  public NcnnEntropyCalibrator() {
    super(NAME, Domain.ABSOLUTE);
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    int n = histogram.binCount();
    float absmax = (float) histogram.edge(n);
    int levels = quant.halfLevels();
    // ncnn's intervals need at least one bin each (t ≥ nq); only matters above 8 bits.
    int first = Math.max(START_BIN, levels);
    CalibrationResult.Builder result;
    if (n - 1 < first) {
      result = KlCurve.noCandidate(NAME, histogram, quant, first);
    } else {
      ScreenedSearch.Outcome o =
          ScreenedSearch.run(
              new NcnnSearch(normalised(histogram), first, levels, n >= SCREEN_MIN_BINS));
      double[] thresholds = new double[o.count()];
      for (int c = 0; c < thresholds.length; c++) {
        thresholds[c] = threshold(first + c, absmax, n);
      }
      ClipRange range = ClipRange.symmetric(thresholds[o.best()]);
      result =
          KlCurve.result(NAME, range, quant, thresholds, o.values(), o.best())
              .detail("bin", first + o.best());
    }
    if (histogram.edge(0) != 0) {
      result.note(
          "histogram does not start at 0: ncnn's threshold (t+0.5)*absmax/n assumes it does");
    }
    return result.build();
  }

  /** ncnn: {@code (target_threshold + 0.5f) * absmax / num_histogram_bins}, in float32. */
  private static float threshold(int t, float absmax, int n) {
    return (t + 0.5f) * absmax / n;
  }

  /** ncnn's {@code hn_j = (float) (h_j / (double) Σh)}. */
  private static float[] normalised(Histogram histogram) {
    int n = histogram.binCount();
    long sum = histogram.total();
    float[] hn = new float[n];
    for (int j = 0; j < n; j++) {
      hn[j] = (float) (histogram.count(j) / (double) sum);
    }
    return hn;
  }
}
