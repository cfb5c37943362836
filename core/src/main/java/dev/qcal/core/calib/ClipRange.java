package dev.qcal.core.calib;

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
          String.format("Cannot build a clip range: [%s, %s] must be finite with min <= max", min, max));
    }
  }

  /** The symmetric range (−amax, amax). */
  public static ClipRange symmetric(double amax) {
    double a = Math.abs(amax);
    return new ClipRange(-a, a);
  }

  /** max(|min|, |max|). */
  public double amax() {
    return Math.max(Math.abs(min), Math.abs(max));
  }
}
