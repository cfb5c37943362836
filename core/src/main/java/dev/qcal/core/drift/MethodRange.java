package dev.qcal.core.drift;

/**
 * One method's per-tensor result as the drift gate sees it: the clip range and the scale. Symmetric
 * schemes give (−amax, amax).
 *
 * @param min lower clip (≤ max)
 * @param max upper clip
 * @param scale the scale (a float32, widened)
 */
public record MethodRange(double min, double max, double scale) {

  /** Validates the values. */
  public MethodRange {
    if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build a method range: [%s, %s] must be finite with min <= max", min, max));
    }
    if (!Double.isFinite(scale) || scale <= 0) {
      throw new IllegalArgumentException(
          "Cannot build a method range: the scale must be finite and positive (" + scale + ")");
    }
  }

  /** max(|min|, |max|). */
  public double amax() {
    return Math.max(Math.abs(min), Math.abs(max));
  }

  /** max − min. */
  public double width() {
    return max - min;
  }
}
