package dev.qcal.core.calib.percentile;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Exact conversions of a user's percentage or fraction into whole counts, so the qcal defaults
 * compare long counts instead of float cumulative fractions (whose rounding can move a threshold by
 * a bin when the target lands on a bin boundary).
 *
 * <p>The user's number is taken as the decimal it was written as ({@link BigDecimal#valueOf}, the
 * shortest decimal that round-trips the double), so {@code 99.99} means 99.99 exactly, not the
 * binary double nearest to it.
 */
final class Fractions {
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private Fractions() {}

  /**
   * Checks a percentile: 0 < p ≤ 100.
   *
   * @throws IllegalArgumentException naming the value
   */
  static double checkPercentile(String method, double percentile) {
    if (!(percentile > 0 && percentile <= 100)) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build the %s calibrator: percentile must be in (0, 100] (%s)",
              method, percentile));
    }
    return percentile;
  }

  /**
   * Checks a coverage fraction: 0 < c ≤ 1.
   *
   * @throws IllegalArgumentException naming the value
   */
  static double checkCoverage(String method, double coverage) {
    if (!(coverage > 0 && coverage <= 1)) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build the %s calibrator: coverage must be in (0, 1] (%s)", method, coverage));
    }
    return coverage;
  }

  /** ⌊fraction·total⌋ exactly, for a fraction in [0, 1]. */
  static long floorOf(BigDecimal fraction, long total) {
    return fraction
        .multiply(BigDecimal.valueOf(total))
        .setScale(0, RoundingMode.FLOOR)
        .longValueExact();
  }

  /** The fraction (100 − p)/100 of the mass a percentile p may clip, as an exact decimal. */
  static BigDecimal clippedFraction(double percentile) {
    return HUNDRED.subtract(BigDecimal.valueOf(percentile)).movePointLeft(2);
  }

  /** The fraction c as an exact decimal. */
  static BigDecimal decimal(double fraction) {
    return BigDecimal.valueOf(fraction);
  }
}
