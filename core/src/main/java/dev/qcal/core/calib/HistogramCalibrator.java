package dev.qcal.core.calib;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramLayout;
import dev.qcal.core.histogram.WeightedHistogram;
import dev.qcal.core.quant.QuantParams;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Base of the calibrators that search one histogram: handles the degenerate tensors once, so each
 * method only implements its search on a histogram with at least two distinct finite values.
 *
 * <p>Fallbacks (each with a note): no finite value → range [0, 0]; a constant tensor (a single
 * value, or all zeros) → the max method's range, [min(c, 0), max(c, 0)]; a histogram with no count
 * inside its range → the max method's range. A zero-width range then gets scale 1 and zero point 0
 * from {@link QuantSpec#params}.
 *
 * <p>Statistics handed over by other tools may carry, instead of this method's histogram, one with
 * fractional counts or the raw values: a method that accepts them ({@link
 * #acceptsFractionalCounts}, {@link #acceptsValues}) searches them ({@link #searchWeighted}, {@link
 * #searchValues}); others fail as without a histogram.
 */
public abstract class HistogramCalibrator implements Calibrator {
  private final String name;
  private final Domain domain;

  /** A calibrator called {@code name} that searches the {@code domain} histogram. */
  protected HistogramCalibrator(String name, Domain domain) {
    this.name = name;
    this.domain = domain;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public Set<Domain> domains() {
    return EnumSet.of(domain);
  }

  /** The domain of the histogram this method searches. */
  protected final Domain domain() {
    return domain;
  }

  @Override
  public final CalibrationResult calibrate(TensorStatistics stats, QuantSpec quant) {
    CalibrationResult special = special(stats, quant);
    if (special != null) {
      return special;
    }
    Histogram h = stats.histogram(domain);
    return clamped(search(stats, h, quant), h, stats.range(), quant);
  }

  /**
   * {@link #calibrate} without its curves. Apart from {@link #calibrate}'s path, not a flag of a
   * shared one: a run's searches without curves make this path hot, and HotSpot compiles a method
   * for the branches it has seen taken, so a detailed section's search with curves would otherwise
   * deoptimize the compiled path and recompile it with every search inlined twice over.
   */
  @Override
  public final CalibrationResult calibrateWithoutCurves(TensorStatistics stats, QuantSpec quant) {
    CalibrationResult special = special(stats, quant);
    if (special != null) {
      return special.withoutCurves();
    }
    Histogram h = stats.histogram(domain);
    return clamped(searchWithoutCurves(stats, h, quant), h, stats.range(), quant).withoutCurves();
  }

  /**
   * The result of a tensor the histogram search does not take (no finite value, a constant tensor,
   * fractional counts or raw values instead of the histogram, an empty histogram), or null.
   */
  private CalibrationResult special(TensorStatistics stats, QuantSpec quant) {
    RangeStats range = stats.range();
    if (range.hasNoFiniteValue()) {
      return CalibrationResult.builder(name, new ClipRange(0, 0), quant)
          .note("no finite values: range set to [0, 0]")
          .build();
    }
    if (range.isConstant()) {
      return maxFallback(range, quant, range.min() == 0 ? "all-zero tensor" : "constant tensor");
    }
    if (!stats.has(domain)) {
      Optional<WeightedHistogram> w = stats.weighted(domain);
      if (w.isPresent() && acceptsFractionalCounts()) {
        return w.get().isEmpty()
            ? maxFallback(range, quant, "empty histogram")
            : searchWeighted(stats, w.get(), quant);
      }
      if (stats.values().isPresent() && acceptsValues()) {
        return searchValues(stats, stats.values().get(), quant);
      }
    }
    if (stats.histogram(domain).isEmpty()) {
      return maxFallback(range, quant, "empty histogram");
    }
    return null;
  }

  /** {@code result} of the search on {@code h}, clamped to the data where a grid needs it. */
  private CalibrationResult clamped(
      CalibrationResult result, Histogram h, RangeStats range, QuantSpec quant) {
    if (h.spec() != null
        && h.spec().layout() == HistogramLayout.GRID
        && h.domain() != Domain.LOG2
        && boundedByHistogram()) {
      return clampToData(result, range, quant);
    }
    return result;
  }

  /**
   * Whether this method's range lies inside its histogram's range (true for every method but sweeps
   * that scale the max itself, such as Model Optimizer's {@code mse:sweep}). Such a range is
   * clamped to the data when the histogram is on a grid, whose top edge lies above the data.
   */
  protected boolean boundedByHistogram() {
    return true;
  }

  /**
   * The tool's scale and zero point for {@code range}, for methods whose scale convention is not
   * {@link QuantSpec#params} (PPQ, TVM, PyTorch); {@code null} for qcal's.
   */
  protected QuantParams toolParams(ClipRange range, QuantSpec quant) {
    return null;
  }

  /**
   * A grid histogram's top edge K·w lies above max|x| (bins are half-open and K = ⌊max|x|/w⌋ + 1),
   * so a method keeping the whole histogram would clip beyond the data; the range layout's top edge
   * is max|x| itself. Such a range is clamped to the data: max|x| for symmetric schemes, [min(min,
   * 0), max(max, 0)] otherwise (what the range layout gives such a method), with a note.
   */
  private CalibrationResult clampToData(
      CalibrationResult result, RangeStats data, QuantSpec quant) {
    ClipRange r = result.range();
    ClipRange clamped;
    if (quant.scheme().isSymmetric()) {
      double absMax = data.absMax();
      if (!(r.amax() > absMax)) {
        return result;
      }
      clamped = ClipRange.symmetric(absMax);
    } else {
      double lo = Math.min(data.min(), 0.0);
      double hi = Math.max(data.max(), 0.0);
      if (r.min() >= lo && r.max() <= hi) {
        return result;
      }
      double min = Math.max(r.min(), lo);
      double max = Math.min(r.max(), hi);
      clamped = new ClipRange(min, max);
    }
    QuantParams params = toolParams(clamped, quant);
    return result.withRange(
        clamped,
        params != null ? params : quant.params(clamped),
        String.format(
            "range [%s, %s] clamped to the data: the grid histogram's top edge lies beyond it",
            r.min(), r.max()));
  }

  private CalibrationResult maxFallback(RangeStats range, QuantSpec quant, String why) {
    ClipRange clip =
        quant.scheme().isSymmetric()
            ? ClipRange.symmetric(range.absMax())
            : new ClipRange(Math.min(range.min(), 0), Math.max(range.max(), 0));
    return CalibrationResult.builder(name, clip, quant).note(why + ": fell back to max").build();
  }

  /**
   * The search on a histogram with fractional counts, for a method that {@link
   * #acceptsFractionalCounts}; called like {@link #search}, on a non-empty histogram.
   */
  protected CalibrationResult searchWeighted(
      TensorStatistics stats, WeightedHistogram histogram, QuantSpec quant) {
    throw new UnsupportedOperationException(name + " needs whole counts");
  }

  /**
   * The method on raw values, for a method that {@link #acceptsValues}; called like {@link
   * #search}, on values with at least two distinct finite ones.
   */
  protected CalibrationResult searchValues(
      TensorStatistics stats, float[] values, QuantSpec quant) {
    throw new UnsupportedOperationException(name + " needs a histogram");
  }

  /**
   * The search proper, on a tensor with at least two distinct finite values and a non-empty
   * histogram.
   */
  protected abstract CalibrationResult search(
      TensorStatistics stats, Histogram histogram, QuantSpec quant);

  /**
   * {@link #search} for a caller that drops the curves: the same result but for its curves (which
   * the caller removes), for a search that finds the tool's pick without valuing every candidate.
   */
  protected CalibrationResult searchWithoutCurves(
      TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    return search(stats, histogram, quant);
  }
}
