package dev.qcal.core.quant;

/** Whether scales are kept exact or rounded up to a power of two (for shift-only hardware). */
public enum ScaleRounding {
  /** The scale as computed. */
  EXACT,
  /**
   * 2^⌈log2 scale⌉: never clips more than the exact scale (PPQ's ROUND_UP, TVM's power2). The one
   * exception: a scale above 2^127 (a range near float32's limit on a 2- or 3-bit grid) has no
   * float32 power of two above it and gets 2^127, the largest one, rather than an infinite scale.
   */
  POWER_OF_TWO;

  /** Applies the rounding to a positive, finite scale. */
  public float apply(float scale) {
    if (this == EXACT) {
      return scale;
    }
    int e = Math.getExponent(scale);
    float down = Math.scalb(1f, e);
    if (down == scale) {
      return scale;
    }
    return e == Float.MAX_EXPONENT ? down : Math.scalb(1f, e + 1);
  }
}
