package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.calib.screen.TieRule;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;

/**
 * {@code entropy:trt}: the entropy calibration of the TensorRT GTC 2017 talk (S. Migacz, "8-bit
 * Inference with TensorRT", s7310), taken literally (docs/design/algorithms.md §2); TensorRT's
 * builder is closed source. O(nq) a candidate ({@link SpreadKl}).
 */
public final class TensorRtEntropyCalibrator extends HistogramCalibrator {
  /** The method key. */
  public static final String NAME = "entropy:trt";

  /** The talk's first candidate. */
  public static final int DEFAULT_START_BIN = 128;

  private final int startBin;

  /** The talk's search: candidates 128 … n−1. */
  public TensorRtEntropyCalibrator() {
    this(DEFAULT_START_BIN);
  }

  /** Candidates {@code startBin} … n−1 ({@code startBin} at least 1). */
  public TensorRtEntropyCalibrator(int startBin) {
    super(NAME, Domain.ABSOLUTE);
    this.startBin = KlCurve.atLeastOne(NAME, "startBin", startBin);
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    int n = histogram.binCount();
    if (n - 1 < startBin) {
      return KlCurve.noCandidate(NAME, histogram, quant, startBin).build();
    }
    int nq = quant.halfLevels();
    SpreadKl kl = SpreadKl.over(histogram.counts());
    double[] thresholds = new double[n - startBin];
    double[] values = new double[n - startBin];
    for (int c = 0; c < values.length; c++) {
      thresholds[c] = centre(histogram, startBin + c);
      values[c] = kl.divergence(startBin + c, nq);
    }
    int pick = TieRule.FIRST_MINIMUM.pick(values);
    ClipRange range = ClipRange.symmetric(thresholds[pick]);
    CalibrationResult.Builder result =
        KlCurve.result(NAME, range, quant, thresholds, values, pick)
            .detail("bin", startBin + pick)
            .note(
                "threshold (m+0.5)*w lies half a bin beyond the kept range [0, m*w) (GTC 2017"
                    + " slide convention)");
    if (kl.kept(startBin) == 0) { // the kept counts only grow with i
      result.note("candidates keeping no counts got KL = +inf");
    }
    return result.build();
  }

  /** (m + 0.5)·w: the centre of bin m, which on a [0, max] histogram is (m + 0.5)·w exactly. */
  private static double centre(Histogram histogram, int m) {
    double lo = histogram.edge(m);
    return lo + 0.5 * (histogram.edge(m + 1) - lo);
  }
}
