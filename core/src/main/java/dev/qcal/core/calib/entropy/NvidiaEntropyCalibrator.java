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
 * The default entropy method ({@code entropy}): NVIDIA pytorch-quantization / Model Optimizer's
 * {@code calib/histogram.py _compute_amax_entropy} on the |x| histogram, exactly, with two noted
 * deviations (docs/design/algorithms.md §1.2). O(nq) a candidate ({@link SpreadKl}).
 */
public final class NvidiaEntropyCalibrator extends HistogramCalibrator {
  /** The method key. */
  public static final String NAME = "entropy";

  /** NVIDIA's default first candidate. */
  public static final int DEFAULT_START_BIN = 128;

  /** NVIDIA's default candidate step. */
  public static final int DEFAULT_STRIDE = 1;

  private final int startBin;
  private final int stride;

  /** NVIDIA's defaults: start bin 128, stride 1. */
  public NvidiaEntropyCalibrator() {
    this(DEFAULT_START_BIN, DEFAULT_STRIDE);
  }

  /** A search from {@code startBin} kept bins, stepping by {@code stride} (both at least 1). */
  public NvidiaEntropyCalibrator(int startBin, int stride) {
    super(NAME, Domain.ABSOLUTE);
    this.startBin = KlCurve.atLeastOne(NAME, "startBin", startBin);
    this.stride = KlCurve.atLeastOne(NAME, "stride", stride);
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    Inputs in = Inputs.of(histogram, startBin, stride, quant);
    // Upstream's last argmin: len(div) - 1 - argmin(div[::-1]); all +∞ gives the last one too.
    double[] thresholds = new double[in.count()];
    double[] values = new double[in.count()];
    for (int c = 0; c < in.count(); c++) {
      thresholds[c] = (float) histogram.edge(in.first() + c * stride);
      values[c] = in.kl().divergence(in.first() + c * stride, in.nq());
    }
    int pick = TieRule.LAST_MINIMUM.pick(values);
    ClipRange range = ClipRange.symmetric((float) thresholds[pick]);
    return finish(in, KlCurve.result(NAME, range, quant, thresholds, values, pick), pick);
  }

  /**
   * Only the candidates that could be the pick are valued ({@link SpreadKl#pick}): apart from the
   * curve's path, which would otherwise deoptimize this hot one (see {@code TensorCalibrator}).
   */
  @Override
  protected CalibrationResult searchWithoutCurves(
      TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    Inputs in = Inputs.of(histogram, startBin, stride, quant);
    int pick = in.kl().pick(in.first(), stride, in.count(), in.nq());
    float threshold = (float) histogram.edge(in.first() + pick * stride);
    return finish(
        in,
        CalibrationResult.builder(NAME, ClipRange.symmetric(threshold), quant)
            .objective(in.kl().divergence(in.first() + pick * stride, in.nq())),
        pick);
  }

  /** A search's histogram as NVIDIA reads it, its candidates and their divergences. */
  private record Inputs(int n, int first, int nq, SpreadKl kl, int count) {
    static Inputs of(Histogram histogram, int startBin, int stride, QuantSpec quant) {
      int n = histogram.binCount();
      long[] bins = histogram.counts();
      if (n >= 2) {
        bins[0] = bins[1];
      }
      int first = Math.min(startBin, n);
      return new Inputs(
          n, first, quant.halfLevels(), SpreadKl.over(bins), (n - first) / stride + 1);
    }
  }

  /** {@code result} with candidate {@code pick}'s bin and the search's notes. */
  private CalibrationResult finish(Inputs in, CalibrationResult.Builder result, int pick) {
    result.detail("bin", in.first() + pick * stride);
    if (in.n() < startBin) {
      result.note(
          String.format(
              "histogram has %d bins, fewer than startBin %d: only candidate is the whole range"
                  + " (NVIDIA raises here)",
              in.n(), startBin));
    }
    if (in.kl().kept(in.first()) == 0) { // the kept counts only grow with i
      result.note(
          "candidates keeping no counts got KL = +inf (NVIDIA's scipy gives NaN there and its"
              + " argmin would pick it)");
    }
    return result.build();
  }
}
