package dev.qcal.core.histogram;

/**
 * Log-domain bin index of a positive float: ⌊16·log2 x⌋, computed exactly from the float's bits
 * (its exponent, and its significand against the 15 sub-octave thresholds) without calling {@code
 * Math.log} per value.
 *
 * <p>The significand's top {@value #TABLE_BITS} bits pick one of 256 slices of [1, 2); a slice is
 * narrower (2^-8) than the gap between two thresholds (2^(1/16) − 1 ≈ 0.044), so it holds at most
 * one threshold, and one table load plus one integer compare give the exact sub-octave index.
 */
final class Log2Bins {
  private static final int PER_OCTAVE = HistogramSpec.LOG2_BINS_PER_OCTAVE;

  /** Significand bits of a float32. */
  static final int MANTISSA_BITS = 23;

  static final int MANTISSA_MASK = (1 << MANTISSA_BITS) - 1;

  /** The float32 exponent bias (127). */
  static final int EXPONENT_BIAS = Float.MAX_EXPONENT;

  /** Top significand bits that index {@link #SLICES}. */
  static final int TABLE_BITS = 8;

  static final int SLICE_SHIFT = MANTISSA_BITS - TABLE_BITS;

  /** Bits of the smallest positive normal float and of +Inf: the fast path is [NORMAL, INF). */
  static final int MIN_NORMAL_BITS = Float.floatToRawIntBits(Float.MIN_NORMAL);

  static final int INFINITY_BITS = Float.floatToRawIntBits(Float.POSITIVE_INFINITY);

  /** Bits of the positive normal floats, less {@link #MIN_NORMAL_BITS}, are below this. */
  static final int NORMAL_RANGE = INFINITY_BITS - MIN_NORMAL_BITS;

  /**
   * Per slice of the significand: {@code sub << 24 | next}, where {@code sub} is the number of
   * thresholds at or below the slice's first significand and {@code next} the significand bits of
   * the threshold inside the slice ({@code 1 << 23}, never reached, when there is none).
   */
  static final int[] SLICES = new int[1 << TABLE_BITS];

  static {
    int[] thresholds = new int[PER_OCTAVE - 1];
    for (int k = 1; k < PER_OCTAVE; k++) {
      float t = (float) Math.pow(2.0, k / (double) PER_OCTAVE);
      // Step to the exact boundary: the first float whose 16·log2 reaches k.
      while (PER_OCTAVE * log2(Math.nextDown(t)) >= k) {
        t = Math.nextDown(t);
      }
      while (PER_OCTAVE * log2(t) < k) {
        t = Math.nextUp(t);
      }
      thresholds[k - 1] = Float.floatToRawIntBits(t) & MANTISSA_MASK;
    }
    for (int s = 0; s < SLICES.length; s++) {
      int start = s << SLICE_SHIFT;
      int end = (s + 1) << SLICE_SHIFT;
      int sub = 0;
      int next = 1 << MANTISSA_BITS;
      for (int t : thresholds) {
        if (t <= start) {
          sub++;
        } else if (t < end) {
          if (next != 1 << MANTISSA_BITS) {
            throw new AssertionError("two log2 thresholds in one slice " + s);
          }
          next = t;
        }
      }
      SLICES[s] = sub << 24 | next;
    }
  }

  private Log2Bins() {}

  private static double log2(double x) {
    return Math.log(x) / Math.log(2.0);
  }

  /**
   * ⌊16·log2 x⌋ + 16·127 for the bits {@code b} of a positive normal float: exponent field times 16
   * plus the sub-octave index.
   */
  static int biasedIndex(int b) {
    int mantissa = b & MANTISSA_MASK;
    int slice = SLICES[mantissa >>> SLICE_SHIFT];
    // (next − 1 − mantissa) is negative exactly when the significand reached the slice's threshold.
    int sub = (slice >>> 24) + (((slice & 0xFFFFFF) - 1 - mantissa) >>> 31);
    return (b >>> MANTISSA_BITS) * PER_OCTAVE + sub;
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
    return biasedIndex(Float.floatToRawIntBits(x)) - EXPONENT_BIAS * PER_OCTAVE;
  }
}
