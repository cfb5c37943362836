package dev.qcal.core.calib;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;
import java.util.EnumSet;
import java.util.Set;

/**
 * Base of the calibrators that search one histogram: handles the degenerate tensors once, so each
 * method only implements its search on a histogram with at least two distinct finite values.
 *
 * <p>Fallbacks (each with a note): no finite value → range [0, 0]; a constant tensor (a single
 * value, or all zeros) → the max method's range, [min(c, 0), max(c, 0)]; a histogram with no
 * count inside its range → the max method's range. A zero-width range then gets scale 1 and zero
 * point 0 from {@link QuantSpec#params}.
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
    RangeStats range = stats.range();
    if (range.hasNoFiniteValue()) {
      return CalibrationResult.builder(name, new ClipRange(0, 0), quant)
          .note("no finite values: range set to [0, 0]")
          .build();
    }
    if (range.isConstant()) {
      return maxFallback(range, quant, range.min() == 0 ? "all-zero tensor" : "constant tensor");
    }
    Histogram h = stats.histogram(domain);
    if (h.isEmpty()) {
      return maxFallback(range, quant, "empty histogram");
    }
    return search(stats, h, quant);
  }

  private CalibrationResult maxFallback(RangeStats range, QuantSpec quant, String why) {
    ClipRange clip =
        quant.scheme().isSymmetric()
            ? ClipRange.symmetric(range.absMax())
            : new ClipRange(Math.min(range.min(), 0), Math.max(range.max(), 0));
    return CalibrationResult.builder(name, clip, quant).note(why + ": fell back to max").build();
  }

  /**
   * The search proper, on a tensor with at least two distinct finite values and a non-empty
   * histogram.
   */
  protected abstract CalibrationResult search(
      TensorStatistics stats, Histogram histogram, QuantSpec quant);
}
