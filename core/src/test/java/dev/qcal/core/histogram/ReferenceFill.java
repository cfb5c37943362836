package dev.qcal.core.histogram;

/**
 * The straightforward binning loops, one value at a time, kept as the specification the optimized
 * {@link HistogramAccumulator} must match bit for bit (they are the loops it started from).
 */
public final class ReferenceFill {
  private ReferenceFill() {}

  /** The histogram of {@code values[from, to)} under {@code spec}. */
  public static Histogram fill(HistogramSpec spec, float[] values, int from, int to) {
    long[] c = new long[spec.binCount()];
    long[] outside = new long[3];
    accumulate(spec, c, outside, values, from, to);
    return Histogram.of(spec, c, outside[0], outside[1], outside[2]);
  }

  /**
   * Adds {@code values[from, to)} to bin counts {@code c} and to {@code outside} = {below, above,
   * nan} (the benchmarks' baseline).
   */
  public static void accumulate(
      HistogramSpec spec, long[] c, long[] outside, float[] values, int from, int to) {
    switch (spec.domain()) {
      case ABSOLUTE:
        absolute(spec, c, outside, values, from, to);
        break;
      case SIGNED:
        signed(spec, c, outside, values, from, to);
        break;
      case LOG2:
        log2(spec, c, outside, values, from, to);
        break;
      default:
        throw new AssertionError(spec.domain());
    }
  }

  private static void absolute(
      HistogramSpec spec, long[] c, long[] outside, float[] values, int from, int to) {
    int last = c.length - 1;
    // A grid's bins are half-open: its top edge itself is above.
    double hi = spec.layout() == HistogramLayout.GRID ? Math.nextDown(spec.hi()) : spec.hi();
    double scale = c.length / spec.hi();
    for (int i = from; i < to; i++) {
      double a = Math.abs(values[i]);
      if (a <= hi) {
        c[Math.min(last, (int) (a * scale))]++;
      } else if (a > hi) {
        outside[1]++;
      } else {
        outside[2]++;
      }
    }
  }

  private static void signed(
      HistogramSpec spec, long[] c, long[] outside, float[] values, int from, int to) {
    int last = c.length - 1;
    double lo = spec.lo();
    double hi = spec.hi();
    double scale = c.length / (hi - lo);
    for (int i = from; i < to; i++) {
      double v = values[i];
      if (v >= lo && v <= hi) {
        c[Math.min(last, (int) ((v - lo) * scale))]++;
      } else if (v < lo) {
        outside[0]++;
      } else if (v > hi) {
        outside[1]++;
      } else {
        outside[2]++;
      }
    }
  }

  /** ⌊16·log2 v⌋ − 16·lo by the definition, with the exact float thresholds found by search. */
  private static void log2(
      HistogramSpec spec, long[] c, long[] outside, float[] values, int from, int to) {
    int lo = (int) spec.lo();
    for (int i = from; i < to; i++) {
      float v = values[i];
      if (!(v > 0f)) {
        outside[Float.isNaN(v) ? 2 : 0]++;
        continue;
      }
      int bin = subOctaveIndex(v) - lo * HistogramSpec.LOG2_BINS_PER_OCTAVE;
      if (bin < 0) {
        outside[0]++;
      } else if (bin >= c.length) {
        outside[1]++;
      } else {
        c[bin]++;
      }
    }
  }

  // The original Log2Bins.subOctaveIndex: a linear scan of the 15 sub-octave thresholds.
  private static final float[] THRESHOLDS = new float[15];

  static {
    for (int k = 1; k < 16; k++) {
      float t = (float) Math.pow(2.0, k / 16.0);
      while (16 * log2(Math.nextDown(t)) >= k) {
        t = Math.nextDown(t);
      }
      while (16 * log2(t) < k) {
        t = Math.nextUp(t);
      }
      THRESHOLDS[k - 1] = t;
    }
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2.0);
  }

  /** The 15 thresholds: THRESHOLDS[k-1] is the least significand in [1, 2) with 16·log2 ≥ k. */
  static float threshold(int k) {
    return THRESHOLDS[k - 1];
  }

  static int subOctaveIndex(float x) {
    int e = Math.getExponent(x);
    if (e < Float.MIN_EXPONENT) {
      return subOctaveIndex(x * 0x1p64f) - 64 * 16;
    }
    if (e > Float.MAX_EXPONENT) {
      return Integer.MAX_VALUE / 2;
    }
    float m = Math.scalb(x, -e);
    int sub = 0;
    while (sub < THRESHOLDS.length && m >= THRESHOLDS[sub]) {
      sub++;
    }
    return e * 16 + sub;
  }
}
