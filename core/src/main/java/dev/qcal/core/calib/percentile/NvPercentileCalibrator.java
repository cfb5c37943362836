package dev.qcal.core.calib.percentile;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;

/**
 * The {@code percentile:nv} variant: NVIDIA pytorch-quantization / ModelOpt {@code
 * calib/histogram.py _compute_amax_percentile} on the |x| histogram.
 *
 * <p>Reference behaviour (docs/design/algorithms.md §1.4): {@code cdf = np.cumsum(hist / total)} in
 * float64, {@code idx = np.searchsorted(cdf, p / 100)} (side left), amax = {@code edges[idx]}
 * rounded to float32. Quirk reproduced: {@code edges[idx]} is the <b>left</b> edge of the bin where
 * the cdf reaches p, so up to that whole bin's mass is clipped beyond the (100 − p)% the user asked
 * for. When float rounding leaves the last cdf value below p/100 (p = 100), idx = n and amax is the
 * last edge.
 */
public final class NvPercentileCalibrator extends HistogramCalibrator {
  /** The method key. */
  public static final String NAME = "percentile:nv";

  private final double percentile;

  /** The default, p = {@value PercentileCalibrator#DEFAULT_PERCENTILE}. */
  public NvPercentileCalibrator() {
    this(PercentileCalibrator.DEFAULT_PERCENTILE);
  }

  /**
   * NVIDIA's percentile at {@code percentile}.
   *
   * @throws IllegalArgumentException unless 0 < percentile ≤ 100
   */
  public NvPercentileCalibrator(double percentile) {
    super(NAME, Domain.ABSOLUTE);
    this.percentile = Fractions.checkPercentile(NAME, percentile);
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    long[] counts = histogram.counts();
    double[] edges = histogram.edges();
    long total = histogram.total();
    NumpyCdf cdf = new NumpyCdf(counts, total);
    int idx = cdf.searchLeft(percentile / 100);
    double amax = (float) edges[idx];
    return CalibrationResult.builder(NAME, ClipRange.ofAmax(amax, stats.range(), quant), quant)
        .objective(idx == 0 ? 0.0 : cdf.at(idx - 1))
        .curve("cdf", Tails.cdfCurve(edges, counts, total))
        .detail("percentile", percentile)
        .detail("bin", idx)
        .note("NVIDIA convention: left edge of the bin where the cdf reaches p")
        .build();
  }
}
