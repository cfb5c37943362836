package dev.qcal.core.calib.percentile;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;
import java.math.BigDecimal;

/**
 * The {@code percentile:affine} method: an asymmetric range from the <b>signed</b> histogram that
 * clips at most (100 − p)/2 percent of the mass from each tail.
 *
 * <p>Edge convention (conservative, as {@link PercentileCalibrator}): min = e[l] for the largest l
 * with Σ_{k < l} h_k ≤ ⌊(100 − p)/200 · Σh⌋, max = e[r + 1] for the smallest r with Σ_{k > r} h_k ≤
 * the same bound; exact long arithmetic, p taken as the decimal written. This is the two-sided rule
 * of caffe2's {@code dnnlowp::P99} and of ONNX Runtime's asymmetric percentile
 * (docs/design/algorithms.md §3.5, §9), but with outer edges: ONNX Runtime takes {@code
 * e[searchsorted]} on both sides, which is the left edge of the crossing bin and so clips up to a
 * bin more at the top ({@code percentile:ort-affine}).
 *
 * <p>For a symmetric scheme the result's amax is max(|min|, |max|).
 */
public final class TwoTailedPercentileCalibrator extends HistogramCalibrator {
  /** The method key. */
  public static final String NAME = "percentile:affine";

  private final double percentile;

  /** The default, p = {@value PercentileCalibrator#DEFAULT_PERCENTILE}. */
  public TwoTailedPercentileCalibrator() {
    this(PercentileCalibrator.DEFAULT_PERCENTILE);
  }

  /**
   * A calibrator keeping {@code percentile} percent of the signed mass.
   *
   * @throws IllegalArgumentException unless 0 < percentile ≤ 100
   */
  public TwoTailedPercentileCalibrator(double percentile) {
    super(NAME, Domain.SIGNED);
    this.percentile = Fractions.checkPercentile(NAME, percentile);
  }

  /** The percentile p. */
  public double percentile() {
    return percentile;
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    long[] counts = histogram.counts();
    double[] edges = histogram.edges();
    long total = histogram.total();
    BigDecimal perTail = Fractions.clippedFraction(percentile).divide(BigDecimal.valueOf(2));
    long allowed = Fractions.floorOf(perTail, total);
    int l = Tails.lowerBin(counts, allowed);
    int r = Tails.upperBin(counts, allowed);
    long kept = 0;
    for (int k = l; k <= r; k++) {
      kept += counts[k];
    }
    return CalibrationResult.builder(NAME, new ClipRange(edges[l], edges[r + 1]), quant)
        .objective((double) kept / total)
        .curve("cdf", Tails.cdfCurve(edges, counts, total))
        .detail("percentile", percentile)
        .detail("lowerBin", l)
        .detail("upperBin", r)
        .build();
  }
}
