package dev.qcal.core.calib.percentile;

import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;

/**
 * The clip range of an amax found on an |x| histogram: (−amax, amax) for symmetric schemes; for
 * affine schemes the same interval intersected with the data range widened to contain 0, so a
 * ReLU output keeps its whole grid on [0, amax] (ONNX Runtime clips its percentile thresholds to
 * the data [min, max] the same way).
 */
final class AbsoluteRange {
  private AbsoluteRange() {}

  static ClipRange of(double amax, RangeStats data, QuantSpec quant) {
    if (quant.scheme().isSymmetric()) {
      return ClipRange.symmetric(amax);
    }
    double lo = Math.max(-amax, Math.min(data.min(), 0.0));
    double hi = Math.min(amax, Math.max(data.max(), 0.0));
    return new ClipRange(lo, hi);
  }
}
