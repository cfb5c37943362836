package dev.qcal.core.quant;

/** Whether scales are kept exact or rounded up to a power of two (for shift-only hardware). */
public enum ScaleRounding {
  /** The scale as computed. */
  EXACT,
  /** 2^⌈log2 scale⌉: never clips more than the exact scale (PPQ's ROUND_UP, TVM's power2). */
  POWER_OF_TWO;

  /** Applies the rounding to a positive, finite scale. */
  public float apply(float scale) {
    if (this == EXACT) {
      return scale;
    }
    int e = Math.getExponent(scale);
    float down = Math.scalb(1f, e);
    return down == scale ? scale : Math.scalb(1f, e + 1);
  }
}
