package dev.qcal.core.calib.eval;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantParams;
import dev.qcal.core.quant.Scheme;

/**
 * The measured errors of several methods' results on one tensor, each {@link
 * QuantNoise#of(TensorStatistics, CalibrationResult)} bit for bit: the histogram for the scheme and
 * its narrowed bins, weights and signal sum ({@link NoiseBins}) are found once and shared, so each
 * further method costs only its own quantization of the centres (the measures were a sixth of the
 * summary searches' CPU at 20 000 small tensors, JFR; shared, they take about 0.6× the CPU).
 *
 * <p>Not thread-safe: one per tensor's calibration.
 */
public final class TensorNoise {
  private final TensorStatistics stats;

  /** The scheme the histogram below was chosen for (null: none yet). */
  private Scheme scheme;

  private Histogram histogram;
  private NoiseBins bins;

  /** The measures of results on the tensor of {@code stats}. */
  public TensorNoise(TensorStatistics stats) {
    this.stats = stats;
  }

  /** {@link QuantNoise#of(TensorStatistics, CalibrationResult)} of {@code result}. */
  public QuantNoise of(CalibrationResult result) {
    Scheme s = result.quant().scheme();
    if (s != scheme) {
      scheme = s;
      histogram = QuantNoise.histogramFor(stats, s);
      bins = null;
    }
    if (histogram == null) {
      return QuantNoise.of(stats, result); // fractional counts, or none: no bins to share
    }
    QuantParams params = result.params();
    if (params.qmax() <= params.qmin()) {
      return QuantNoise.UNKNOWN;
    }
    if (bins == null) {
      bins = NoiseBins.of(histogram, stats.range());
    }
    return bins.noise(params);
  }
}
