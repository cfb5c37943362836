package dev.qcal.core.calib.entropy;

/**
 * {@code (float) Math.log(x)}, faster: a table and a series in double, and {@link Math#log} where
 * that cannot decide the float rounding (docs/design/entropy-screens.md §7). The KL loops take
 * millions of logs per tensor.
 */
final class Float32Log {
  private static final int TABLE_BITS = 10;
  private static final int TABLE_SIZE = 1 << TABLE_BITS;
  private static final double LN2 = StrictMath.log(2.0);
  private static final double[] INV_C = new double[TABLE_SIZE];
  private static final double[] LOG_C = new double[TABLE_SIZE];

  /**
   * Bound on the error relative to the sum of the magnitudes of the three parts: the double
   * roundings (~2^-52) and the series' truncation (r^6/6 < 2^-61 absolute, r^5/6 < 2^-52 of r).
   */
  private static final double REL_ERROR = 0x1p-46;

  static {
    // Interval j covers mantissas [1 + j/1024, 1 + (j+1)/1024); c is its left end, so r = m/c − 1
    // is in [0, 1/1024) and interval 0 has c = 1 exactly (no cancellation near x = 1).
    for (int j = 0; j < TABLE_SIZE; j++) {
      double c = 1.0 + j / (double) TABLE_SIZE;
      INV_C[j] = 1.0 / c;
      LOG_C[j] = -StrictMath.log(INV_C[j]);
    }
  }

  private Float32Log() {}

  /** {@code (float) Math.log(x)}. */
  static float log(float x) {
    int bits = Float.floatToRawIntBits(x);
    int biased = bits >>> 23;
    if (biased == 0 || biased >= 0xFF) {
      return (float) Math.log(x); // zero, subnormal, negative, Inf, NaN
    }

    int j = (bits & 0x7FFFFF) >>> (23 - TABLE_BITS);
    // ln x = e·ln2 + ln c + ln(1 + r) for the mantissa m in interval j, r = m/c − 1 ∈ [0, 2^-10),
    // ln(1 + r) by its series to r^5 (Estrin's scheme, for a short dependency chain).
    double m = 1.0 + (bits & 0x7FFFFF) * 0x1p-23;
    double r = m * INV_C[j] - 1.0;
    double r2 = r * r;
    double p = r + r2 * ((-0.5 + r * (1.0 / 3)) + r2 * (-0.25 + r * 0.2));
    double a = (biased - 127) * LN2;
    double y = a + LOG_C[j] + p;
    // r's own rounding (m·(1/c) ≈ 1) is an absolute 2^-53, except for c = 1 where r is exact.
    double err =
        (Math.abs(a) + LOG_C[j] + Math.abs(p)) * REL_ERROR + (j != 0 ? 0x1p-51 : 0x1p-1000);
    float lo = (float) (y - err);
    float hi = (float) (y + err);
    return lo == hi ? (float) y : (float) Math.log(x);
  }
}
