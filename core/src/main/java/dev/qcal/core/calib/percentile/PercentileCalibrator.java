package dev.qcal.core.calib.percentile;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;

/**
 * The {@code percentile} method (qcal's default convention): amax = the <b>right</b> edge of the
 * |x| bin where the cumulative count reaches p percent of the mass.
 *
 * <h2>Edge convention</h2>
 *
 * With counts h and n bins, amax = e[r + 1] for the smallest r such that Σ_{k > r} h_k ≤ ⌊(100 −
 * p)/100 · Σh⌋, computed on long counts with p taken as the decimal the user wrote (no float cdf).
 * So the clip never cuts more than (100 − p)% of the mass, and with p = 100 it is the right edge of
 * the last non-empty bin. NVIDIA and ONNX Runtime return the <em>left</em> edge of the same bin
 * instead, which can clip up to a whole bin more; that behaviour is the named variant {@code
 * percentile:nv} ({@link NvPercentileCalibrator}).
 *
 * <p>Affine schemes get (−amax, amax) intersected with the data range widened to contain 0.
 */
public final class PercentileCalibrator extends HistogramCalibrator {
  /** The method key. */
  public static final String NAME = "percentile";

  /** The default percentile, as NVIDIA's {@code _compute_amax_percentile}. */
  public static final double DEFAULT_PERCENTILE = 99.99;

  private final double percentile;

  /** The default, p = {@value #DEFAULT_PERCENTILE}. */
  public PercentileCalibrator() {
    this(DEFAULT_PERCENTILE);
  }

  /**
   * A calibrator keeping {@code percentile} percent of the |x| mass.
   *
   * @throws IllegalArgumentException unless 0 < percentile ≤ 100
   */
  public PercentileCalibrator(double percentile) {
    super(NAME, Domain.ABSOLUTE);
    this.percentile = Fractions.checkPercentile(NAME, percentile);
  }

  /** The percentile p. */
  public double percentile() {
    return percentile;
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    return search(stats, histogram, quant, true);
  }

  /** The same pick without the cdf curve (2 048 points per tensor a summary never draws). */
  @Override
  protected CalibrationResult searchWithoutCurves(
      TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    return search(stats, histogram, quant, false);
  }

  private CalibrationResult search(
      TensorStatistics stats, Histogram histogram, QuantSpec quant, boolean curve) {
    long[] counts = histogram.counts();
    long total = histogram.total();
    long allowed = Fractions.floorOf(Fractions.clippedFraction(percentile), total);
    int r = Tails.upperBin(counts, allowed);
    long kept = total - aboveBin(counts, r);
    CalibrationResult.Builder result =
        CalibrationResult.builder(
                NAME, ClipRange.ofAmax(histogram.edge(r + 1), stats.range(), quant), quant)
            .objective((double) kept / total);
    if (curve) {
      result.curve("cdf", Tails.cdfCurve(histogram.edges(), counts, total));
    }
    return result.detail("percentile", percentile).detail("bin", r).build();
  }

  private static long aboveBin(long[] counts, int r) {
    long above = 0;
    for (int k = r + 1; k < counts.length; k++) {
      above += counts[k];
    }
    return above;
  }
}
