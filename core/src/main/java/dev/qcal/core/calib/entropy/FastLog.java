package dev.qcal.core.calib.entropy;

/**
 * A double natural logarithm several times faster than {@link Math#log}, for {@link SpreadKl} and
 * the screens, which bound its error by {@link #ERROR} (docs/design/entropy-screens.md §7).
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
