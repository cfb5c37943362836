package dev.qcal.core.histogram;

/**
 * Log-domain bin index of a positive float: ⌊16·log2 x⌋, computed exactly from the float's
 * exponent and a table of the 15 sub-octave thresholds, without calling {@code Math.log} per value.
 */
final class Log2Bins {
  private static final int PER_OCTAVE = HistogramSpec.LOG2_BINS_PER_OCTAVE;

  /** THRESHOLDS[k-1] is the smallest float significand m in [1, 2) with 16·log2(m) ≥ k. */
  private static final float[] THRESHOLDS = new float[PER_OCTAVE - 1];

  static {
    for (int k = 1; k < PER_OCTAVE; k++) {
      float t = (float) Math.pow(2.0, k / (double) PER_OCTAVE);
      // Step to the exact boundary: the first float whose 16·log2 reaches k.
      while (PER_OCTAVE * log2(Math.nextDown(t)) >= k) {
        t = Math.nextDown(t);
      }
      while (PER_OCTAVE * log2(t) < k) {
        t = Math.nextUp(t);
      }
      THRESHOLDS[k - 1] = t;
    }
  }

  private Log2Bins() {}

  private static double log2(double x) {
    return Math.log(x) / Math.log(2.0);
  }

  /** ⌊16·log2 x⌋ for a positive x (subnormals included; +Inf gives a huge index). */
  static int subOctaveIndex(float x) {
    int e = Math.getExponent(x);
    if (e < Float.MIN_EXPONENT) {
      // Subnormal: scale into the normal range first.
      return subOctaveIndex(x * 0x1p64f) - 64 * PER_OCTAVE;
    }
    if (e > Float.MAX_EXPONENT) {
      return Integer.MAX_VALUE / 2;
    }
    float m = Math.scalb(x, -e);
    int sub = 0;
    while (sub < THRESHOLDS.length && m >= THRESHOLDS[sub]) {
      sub++;
    }
    return e * PER_OCTAVE + sub;
  }
}
