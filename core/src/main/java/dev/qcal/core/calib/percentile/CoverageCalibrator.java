package dev.qcal.core.calib.percentile;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.SearchPoint;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The two-pointer histogram coverage method ({@code coverage}, {@code coverage:literal}) on the
 * signed histogram (docs/design/algorithms.md §9).
 *
 * <p>Start with l = 0, r = n − 1 and every count covered. Repeatedly drop the end bin with the
 * smaller count (on equal counts: the left one by default, {@link TieBreak}), so empty end bins
 * always go first, while the covered fraction stays at the target; the result is [e[l], e[r+1]].
 * All comparisons are on long counts against the coverage taken as the decimal the user wrote.
 *
 * <p>No public implementation exists (searched: TensorRT/Polygraphy, Paddle, ncnn, MNN; the nearest
 * relatives are caffe2's {@code dnnlowp::P99} quantile walk and PyTorch's {@code
 * _non_linear_param_search}). The two stop rules:
 *
 * <ul>
 *   <li>{@link StopRule#AT_LEAST} (default, {@code coverage}): drop a bin only if the covered count
 *       stays ≥ ⌈c·Σh⌉, so the result never covers less than c; empty end bins are still dropped
 *       once the target is met;
 *   <li>{@link StopRule#LITERAL} ({@code coverage:literal}): the literal description, "drop while
 *       the covered fraction is above c" — the last drop may undershoot c (by up to one bin's
 *       count). This is what the project's reference oracle ({@code two_pointer(stop='le')}) does.
 * </ul>
 *
 * Meant for signed histograms; on an |x| histogram it would move the lower end away from 0.
 */
public final class CoverageCalibrator extends HistogramCalibrator {
  /** The key of the default (never undershooting) method. */
  public static final String NAME = "coverage";

  /** The key of the literal-description variant. */
  public static final String LITERAL_NAME = "coverage:literal";

  /** The default coverage fraction. */
  public static final double DEFAULT_COVERAGE = 0.9999;

  /** When the two-pointer walk stops. */
  public enum StopRule {
    /** Never let the covered fraction fall below the target (oracle {@code stop='ge'}). */
    AT_LEAST,
    /** Drop while the covered fraction is above the target, even if it then undershoots ('le'). */
    LITERAL
  }

  /** Which end to drop when both end bins hold the same count. */
  public enum TieBreak {
    /** Drop the left (lower) end. */
    LEFT,
    /** Drop the right (upper) end. */
    RIGHT
  }

  private final double coverage;
  private final StopRule stop;
  private final TieBreak tie;

  /** The default: coverage {@value #DEFAULT_COVERAGE}, {@link StopRule#AT_LEAST}, ties left. */
  public CoverageCalibrator() {
    this(DEFAULT_COVERAGE, StopRule.AT_LEAST, TieBreak.LEFT);
  }

  /**
   * A two-pointer calibrator.
   *
   * @throws IllegalArgumentException unless 0 < coverage ≤ 1, or if a rule is null
   */
  public CoverageCalibrator(double coverage, StopRule stop, TieBreak tie) {
    super(stop == StopRule.LITERAL ? LITERAL_NAME : NAME, Domain.SIGNED);
    if (stop == null || tie == null) {
      throw new IllegalArgumentException(
          "Cannot build the coverage calibrator: stop rule and tie break are required");
    }
    this.coverage = Fractions.checkCoverage(name(), coverage);
    this.stop = stop;
    this.tie = tie;
  }

  /** The literal-description variant ({@code coverage:literal}) with ties dropping the left end. */
  public static CoverageCalibrator literal(double coverage) {
    return new CoverageCalibrator(coverage, StopRule.LITERAL, TieBreak.LEFT);
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    long[] h = histogram.counts();
    double[] edges = histogram.edges();
    long total = histogram.total();
    BigDecimal target = Fractions.decimal(coverage).multiply(BigDecimal.valueOf(total));
    long need = target.setScale(0, RoundingMode.CEILING).longValueExact();
    long limit = target.setScale(0, RoundingMode.FLOOR).longValueExact();
    int l = 0;
    int r = h.length - 1;
    long covered = total;
    List<SearchPoint> curve = new ArrayList<>();
    curve.add(new SearchPoint(edges[r + 1], 1.0));
    while (l < r) {
      boolean dropLeft = h[l] < h[r] || (h[l] == h[r] && tie == TieBreak.LEFT);
      long drop = dropLeft ? h[l] : h[r];
      boolean goOn = stop == StopRule.LITERAL ? covered > limit : covered - drop >= need;
      if (!goOn) {
        break;
      }
      covered -= drop;
      if (dropLeft) {
        l++;
      } else {
        r--;
      }
      curve.add(new SearchPoint(edges[r + 1], (double) covered / total));
    }
    return CalibrationResult.builder(name(), new ClipRange(edges[l], edges[r + 1]), quant)
        .objective((double) covered / total)
        .curve("coverage", curve)
        .detail("coverage", coverage)
        .detail("lowerBin", l)
        .detail("upperBin", r)
        .build();
  }
}
