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
 * The default entropy method ({@code entropy}): NVIDIA pytorch-quantization / TensorRT Model
 * Optimizer {@code calib/histogram.py _compute_amax_entropy} on the |x| histogram, reproduced
 * exactly (docs/design/algorithms.md §1.2).
 *
 * <ol>
 *   <li>On a copy of the counts, {@code h[0] := h[1]}: the zero bin (huge after a ReLU) is replaced
 *       by its neighbour. Upstream does this on a numpy view and so modifies the calibrator's own
 *       histogram; here the input is never touched.
 *   <li>Candidates i = startBin, startBin + stride, …, up to n <b>inclusive</b>.
 *   <li>The kept bins [0, i) are grouped into nq = {@link QuantSpec#halfLevels()} groups as numpy
 *       does: {@code digitize(j, linspace(0, i, nq + 1)) - 1} with float64 edges (for a
 *       power-of-two nq these edges are exact, and the grouping is ⌊j·nq/i⌋). Q gives every
 *       non-empty bin of a group the group's mean over its non-empty bins and leaves empty bins
 *       empty; it is built from the unclipped bins. P folds the outliers Σ_{j≥i} h_j into bin i−1.
 *   <li>{@code scipy.stats.entropy(P, Q)}: both normalised in float64, Σ p·ln(p/q); +∞ where the
 *       outliers land on an empty last bin.
 *   <li>The <b>last</b> argmin; amax = {@code e[i]} (the right edge of the kept range, no half bin)
 *       rounded to float32, as upstream returns {@code torch.tensor(amax.item())}.
 * </ol>
 *
 * <p>Works for any bit width (4 bits: nq = 8; unsigned schemes: nq = 2^B as NVIDIA's {@code
 * unsigned}). Each candidate costs O(nq), not O(i) ({@link SpreadKl}), so the default search over
 * 2048 bins is well under a millisecond instead of upstream's O(n²) Python loop.
 *
 * <p>Deviations, each noted in the result when hit:
 *
 * <ul>
 *   <li>Fewer than {@code startBin} bins: upstream's argmin over no candidate raises; here the only
 *       candidate is i = n (the max of the histogram).
 *   <li>A candidate whose kept bins are all empty (a histogram over [0, max] of data far from 0):
 *       scipy gives NaN and numpy's argmin picks that NaN, clipping away all the data; here its
 *       divergence is +∞. If every candidate is like that (all counts in bin 0), both give the last
 *       candidate.
 * </ul>
 *
 * <p>The search uses the bin counts only; values above the histogram's range (±Inf) are not
 * outliers of any candidate, as in the reference tools.
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

  /**
   * A search starting at {@code startBin} kept bins, stepping by {@code stride}.
   *
   * @throws IllegalArgumentException if either is below 1
   */
  public NvidiaEntropyCalibrator(int startBin, int stride) {
    super(NAME, Domain.ABSOLUTE);
    if (startBin < 1) {
      throw new IllegalArgumentException(
          "Cannot build the entropy calibrator: startBin must be at least 1 (" + startBin + ")");
    }
    if (stride < 1) {
      throw new IllegalArgumentException(
          "Cannot build the entropy calibrator: stride must be at least 1 (" + stride + ")");
    }
    this.startBin = startBin;
    this.stride = stride;
  }

  /** The first candidate (number of kept bins). */
  public int startBin() {
    return startBin;
  }

  /** The candidate step. */
  public int stride() {
    return stride;
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    int n = histogram.binCount();
    long[] bins = histogram.counts();
    if (n >= 2) {
      bins[0] = bins[1];
    }
    List<String> notes = new ArrayList<>();
    int first = startBin;
    if (n < startBin) {
      first = n;
      notes.add(
          String.format(
              "histogram has %d bins, fewer than startBin %d: only candidate is the whole range"
                  + " (NVIDIA raises here)",
              n, startBin));
    }
    int nq = quant.halfLevels();
    SpreadKl kl = new SpreadKl(bins);
    List<SearchPoint> curve = new ArrayList<>((n - first) / stride + 1);
    int best = -1;
    double bestKl = Double.POSITIVE_INFINITY;
    boolean emptyKept = false;
    for (int i = first; i <= n; i += stride) {
      double d = kl.divergence(i, nq);
      if (kl.kept(i) == 0) {
        emptyKept = true;
      }
      curve.add(new SearchPoint((float) histogram.edge(i), d));
      // Last argmin (upstream: len(div) - 1 - argmin(div[::-1])); all +∞ gives the last one too.
      if (d <= bestKl) {
        bestKl = d;
        best = i;
      }
    }
    if (emptyKept) {
      notes.add(
          "candidates keeping no counts got KL = +inf (NVIDIA's scipy gives NaN there and its"
              + " argmin would pick it)");
    }
    float amax = (float) histogram.edge(best);
    CalibrationResult.Builder result =
        CalibrationResult.builder(NAME, ClipRange.symmetric(amax), quant)
            .objective(bestKl)
            .curve("kl", curve)
            .detail("bin", best);
    notes.forEach(result::note);
    return result.build();
  }
}
