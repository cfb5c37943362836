package dev.qcal.core.calib;

import dev.qcal.core.quant.QuantSpec;
import dev.qcal.core.stats.RangeStats;

/**
 * A clip range [min, max] chosen by a calibrator. Symmetric methods give (−amax, amax).
 *
 * @param min lower clip (≤ max)
 * @param max upper clip
 */
public record ClipRange(double min, double max) implements java.io.Serializable {

  /** Validates the range. */
  public ClipRange {
    if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build a clip range: [%s, %s] must be finite with min <= max", min, max));
    }
  }

  /** The symmetric range (−amax, amax). */
  public static ClipRange symmetric(double amax) {
    double a = Math.abs(amax);
    // 0.0 − a rather than −a: a zero range is [0, 0], never [−0.0, 0] (which would print "-0.0").
    return new ClipRange(0.0 - a, a);
  }

  /**
   * The range of an amax found on an |x| histogram under {@code quant}: (−amax, amax) for symmetric
   * schemes; for affine schemes the same interval intersected with the data range widened to
   * contain 0, so a ReLU output keeps its whole grid on [0, amax] (ONNX Runtime clips its
   * thresholds to the data [min, max] the same way).
   */
  public static ClipRange ofAmax(double amax, RangeStats data, QuantSpec quant) {
    if (quant.scheme().isSymmetric()) {
      return symmetric(amax);
    }
    double lo = Math.max(-amax, Math.min(data.min(), 0.0));
    double hi = Math.min(amax, Math.max(data.max(), 0.0));
    return new ClipRange(lo, hi);
  }

  /** max(|min|, |max|). */
  public double amax() {
    return Math.max(Math.abs(min), Math.abs(max));
  }
}
