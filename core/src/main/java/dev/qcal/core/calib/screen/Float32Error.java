package dev.qcal.core.calib.screen;

import dev.qcal.core.calib.NumpyPairwiseSum;

/**
 * The rounding-error constants of float32 arithmetic the screens' bounds are built from (Higham,
 * "Accuracy and Stability of Numerical Algorithms", §2–§4): the unit roundoff and γ_m, the bound on
 * the relative error of m roundings in a row.
 */
public final class Float32Error {
  /** The unit roundoff of float32, u = 2^-24. */
  public static final double U = 0x1p-24;

  private Float32Error() {}

  /** γ_m = m·u/(1 − m·u). */
  public static double gamma(int m) {
    double mu = m * U;
    return mu / (1 - mu);
  }

  /**
   * The longest chain of additions a term goes through in numpy's float32 {@code np.sum} of {@code
   * m} terms ({@link NumpyPairwiseSum#depth}), plus {@code np.sum}'s addition to 0 (exact, counted
   * anyway): the sum is within γ_depth of the exact one for non-negative terms.
   */
  public static int npSumDepth(int m) {
    return 1 + NumpyPairwiseSum.depth(m);
  }
}
