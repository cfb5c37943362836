package dev.qcal.core.calib.percentile;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;

/**
 * The {@code percentile:ort} and {@code percentile:ort-affine} variants: ONNX Runtime {@code
 * onnxruntime/python/tools/quantization/calibrate.py HistogramCollector.compute_percentile}.
 *
 * <p>Reference behaviour (docs/design/algorithms.md §3.5): {@code cdf = np.cumsum(hist /
 * hist.sum())} in float64.
 *
 * <ul>
 *   <li>{@link #symmetric} ({@code percentile:ort}, ORT's factory default, on the |x| histogram):
 *       {@code idx = searchsorted(cdf, p/100)}, range (−e[idx], e[idx]) — the left edge of the
 *       crossing bin, as NVIDIA;
 *   <li>{@link #asymmetric} ({@code percentile:ort-affine}, on the signed histogram): q = (100 −
 *       p)/200, range (e[searchsorted(cdf, q)], e[searchsorted(cdf, 1 − q)]).
 * </ul>
 *
 * The objective is the cdf mass between the two edges before the clip. Both then clip to the data:
 * lo := min if lo < min, hi := max if hi > max. Quirk reproduced: a symmetric result becomes
 * asymmetric after the clip (a ReLU output gets (0, e[idx])). ORT's default p is 99.999; qcal
 * passes the user's p (default {@value PercentileCalibrator#DEFAULT_PERCENTILE}).
 */
public final class OrtPercentileCalibrator extends HistogramCalibrator {
  /** The key of the symmetric (|x|) variant. */
  public static final String SYMMETRIC_NAME = "percentile:ort";

  /** The key of the asymmetric (signed) variant. */
  public static final String ASYMMETRIC_NAME = "percentile:ort-affine";

  /** ONNX Runtime's own default percentile ({@code create_calibrator}). */
  public static final double ORT_DEFAULT_PERCENTILE = 99.999;

  private final double percentile;
  private final boolean symmetric;

  private OrtPercentileCalibrator(String name, Domain domain, double percentile) {
    super(name, domain);
    this.percentile = Fractions.checkPercentile(name, percentile);
    this.symmetric = domain == Domain.ABSOLUTE;
  }

  /**
   * ORT's symmetric percentile at qcal's default p ({@value
   * PercentileCalibrator#DEFAULT_PERCENTILE}).
   */
  public static OrtPercentileCalibrator symmetric() {
    return symmetric(PercentileCalibrator.DEFAULT_PERCENTILE);
  }

  /**
   * ORT's asymmetric percentile at qcal's default p ({@value
   * PercentileCalibrator#DEFAULT_PERCENTILE}).
   */
  public static OrtPercentileCalibrator asymmetric() {
    return asymmetric(PercentileCalibrator.DEFAULT_PERCENTILE);
  }

  /**
   * ORT's symmetric percentile on the |x| histogram.
   *
   * @throws IllegalArgumentException unless 0 < percentile ≤ 100
   */
  public static OrtPercentileCalibrator symmetric(double percentile) {
    return new OrtPercentileCalibrator(SYMMETRIC_NAME, Domain.ABSOLUTE, percentile);
  }

  /**
   * ORT's asymmetric percentile on the signed histogram.
   *
   * @throws IllegalArgumentException unless 0 < percentile ≤ 100
   */
  public static OrtPercentileCalibrator asymmetric(double percentile) {
    return new OrtPercentileCalibrator(ASYMMETRIC_NAME, Domain.SIGNED, percentile);
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    long[] counts = histogram.counts();
    double[] edges = histogram.edges();
    long total = histogram.total();
    NumpyCdf cdf = new NumpyCdf(counts, total);
    double lo;
    double hi;
    double kept;
    if (symmetric) {
      int idx = cdf.searchLeft(percentile / 100.0);
      lo = -edges[idx];
      hi = edges[idx];
      kept = below(cdf, idx);
    } else {
      double q = (100.0 - percentile) / 200.0;
      int loIdx = cdf.searchLeft(q);
      int hiIdx = cdf.searchLeft(1.0 - q);
      lo = edges[loIdx];
      hi = edges[hiIdx];
      kept = below(cdf, hiIdx) - below(cdf, loIdx);
    }
    RangeStats data = stats.range();
    CalibrationResult.Builder result = CalibrationResult.builder(name(), clip(lo, hi, data), quant);
    if (lo < data.min() || hi > data.max()) {
      result.note(
          "clipped to the data range ["
              + data.min()
              + ", "
              + data.max()
              + "] as ONNX Runtime does");
    }
    return result
        .objective(kept)
        .curve("cdf", Tails.cdfCurve(edges, counts, total))
        .detail("percentile", percentile)
        .build();
  }

  /** The cdf fraction below edge e[idx] (before the clip to the data). */
  private static double below(NumpyCdf cdf, int idx) {
    return idx == 0 ? 0.0 : cdf.at(idx - 1);
  }

  private static ClipRange clip(double lo, double hi, RangeStats data) {
    double min = lo < data.min() ? data.min() : lo;
    double max = hi > data.max() ? data.max() : hi;
    // ORT never reorders the pair; an inverted pair only arises when the data range and the
    // histogram disagree, and a clip range must be ordered.
    return min <= max ? new ClipRange(min, max) : new ClipRange(max, min);
  }
}
