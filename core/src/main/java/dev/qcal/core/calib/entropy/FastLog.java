package dev.qcal.core.calib.entropy;

/**
 * A natural logarithm in double several times faster than {@link Math#log}, for the hot loop of
 * {@link SpreadKl} (one logarithm per distinct group dominates the entropy search) and the screens,
 * which bound its error by {@link #ERROR}. ({@link Float32Log} is the tools' float32 {@code logf}.)
 *
 * <p>x = 2^e·m with m in [1, 2); m·inv_k = 1 + r with inv_k ≈ 1/(1 + (k + ½)/1024) picked by the
 * top 10 mantissa bits, so |r| &lt; 2^-11; ln x = e·ln 2 − ln(inv_k) + ln(1 + r), the last by its
 * series to r^5 (the next term is below 2^-66). ln(inv_k) is tabulated for the rounded inv_k
 * itself, so only the product m·inv_k (2^-53 absolute: it is near 1, and subtracting 1 is exact),
 * the table (2^-53), e·ln 2 (2^-53 relative) and the final additions (2^-53 of their magnitudes, at
 * most |ln x| + 1) round: in all within 2^-52·(|ln x| + 2.5), which {@link #ERROR} covers eight
 * times over.
 */
final class FastLog {
  private static final int BITS = 10;
  private static final int SIZE = 1 << BITS;
  private static final double[] INV = new double[SIZE];
  private static final double[] LN_INV = new double[SIZE];
  private static final double LN2_HI = 0.6931471805599453;
  private static final double LN2_LO = 2.3190468138462996e-17;

  static {
    for (int k = 0; k < SIZE; k++) {
      INV[k] = 1.0 / (1.0 + (k + 0.5) / SIZE);
      LN_INV[k] = Math.log(INV[k]);
    }
  }

  private FastLog() {}

  /** Bound on |ln(x) − ln x| relative to |ln x| + 1. */
  static final double ERROR = 0x1p-49;

  /**
   * {@code out[k] = ln(in[k])} for k &lt; count: in a loop of their own, the independent logs
   * overlap.
   */
  static void ln(double[] in, double[] out, int count) {
    for (int k = 0; k < count; k++) {
      out[k] = ln(in[k]);
    }
  }

  /** ln x for a positive, finite, normal x. */
  static double ln(double x) {
    long bits = Double.doubleToRawLongBits(x);
    int e = (int) (bits >>> 52) - 1023;
    long mantissa = bits & 0x000FFFFFFFFFFFFFL;
    int k = (int) (mantissa >>> (52 - BITS));
    double m = Double.longBitsToDouble(mantissa | 0x3FF0000000000000L);
    double r = m * INV[k] - 1.0;
    double series = r - r * r * (0.5 - r * (1.0 / 3 - r * (0.25 - r * 0.2)));
    return e * LN2_HI + ((series - LN_INV[k]) + e * LN2_LO);
  }
}
