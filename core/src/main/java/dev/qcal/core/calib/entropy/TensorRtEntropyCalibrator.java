package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.SearchPoint;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code entropy:trt}: the entropy calibration of the TensorRT GTC 2017 talk (S. Migacz, "8-bit
 * Inference with TensorRT", s7310; pseudo code quoted in the NVIDIA forum thread "TensorRT -
 * Entropy Calibration - pseudocode"), taken literally (docs/design/algorithms.md §2). TensorRT's
 * own builder is closed source; this is the talk, not the product.
 *
 * <ul>
 *   <li>Candidates i = startBin (128) … n−1, as the talk's {@code range(128, 2048)}: the whole
 *       range (i = n) is never a candidate.
 *   <li>P = bins [0, i) with the outliers added to bin i−1; Q = the kept bins in nq = {@link
 *       QuantSpec#halfLevels()} groups, bin j in group ⌊j·nq/i⌋, each group's count spread evenly
 *       over its non-empty bins (the slide's {@code [1,0,2,3,5,3,1,7] → [2,0,2,2,4,4,4,4]}), empty
 *       bins stay empty. No {@code h[0] := h[1]}.
 *   <li>KL(P‖Q) of the normalised distributions, natural log, +∞ where Q = 0 &lt; P (an empty last
 *       bin receiving outliers), as the talk does not say; +∞ too when the kept bins are empty.
 *   <li>The <b>first</b> argmin m (the talk does not specify ties) and threshold = (m + 0.5)·w, the
 *       centre of bin m. <b>Half-bin issue:</b> the slide's (m + 0.5) assumes m indexes the last
 *       kept bin, but m counts kept bins, so the threshold lies half a bin <em>beyond</em> the kept
 *       range [0, m·w). NVIDIA's pytorch-quantization uses the right edge m·w instead.
 * </ul>
 *
 * <p>Each candidate costs O(nq) ({@link SpreadKl}). With fewer than startBin + 1 bins there is no
 * candidate; the result then is the histogram's max (its last edge), with a note.
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

  /**
   * Candidates {@code startBin} … n−1.
   *
   * @throws IllegalArgumentException if {@code startBin} is below 1
   */
  public TensorRtEntropyCalibrator(int startBin) {
    super(NAME, Domain.ABSOLUTE);
    if (startBin < 1) {
      throw new IllegalArgumentException(
          "Cannot build the entropy:trt calibrator: startBin must be at least 1 ("
              + startBin
              + ")");
    }
    this.startBin = startBin;
  }

  /** The first candidate (number of kept bins). */
  public int startBin() {
    return startBin;
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    int n = histogram.binCount();
    if (n - 1 < startBin) {
      float amax = (float) histogram.edge(n);
      return CalibrationResult.builder(NAME, ClipRange.symmetric(amax), quant)
          .note(
              String.format(
                  "histogram has %d bins: no candidate in [%d, %d), fell back to the histogram's"
                      + " max",
                  n, startBin, n))
          .build();
    }
    int nq = quant.halfLevels();
    SpreadKl kl = new SpreadKl(histogram.counts());
    List<SearchPoint> curve = new ArrayList<>(n - startBin);
    int best = startBin;
    double bestKl = Double.POSITIVE_INFINITY;
    boolean emptyKept = false;
    for (int i = startBin; i < n; i++) {
      double d = kl.divergence(i, nq);
      emptyKept |= kl.kept(i) == 0;
      curve.add(new SearchPoint(centre(histogram, i), d));
      if (d < bestKl) {
        bestKl = d;
        best = i;
      }
    }
    CalibrationResult.Builder result =
        CalibrationResult.builder(NAME, ClipRange.symmetric(centre(histogram, best)), quant)
            .objective(bestKl)
            .curve("kl", curve)
            .detail("bin", best)
            .note(
                "threshold (m+0.5)*w lies half a bin beyond the kept range [0, m*w) (GTC 2017"
                    + " slide convention)");
    if (emptyKept) {
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
