package dev.qcal.core.calib.mse;

import static dev.qcal.core.calib.screen.Float32Error.U;
import static dev.qcal.core.calib.screen.Float32Error.gamma;

import dev.qcal.core.calib.screen.Float32Error;
import dev.qcal.core.calib.screen.Screening;

/**
 * The rounding-error bounds of {@link MseScreen}'s closed form, for one histogram: how far a double
 * sum of runs' closed forms may lie from the exact real sum, and how far the tool's float32 MSE may
 * lie from that sum over n (the derivation is {@link MseScreen}'s class comment). From these come a
 * candidate's interval and the lower bounds that rule candidates out.
 */
final class MseErrorBound {
  /** The run loop's weight of the summed magnitudes: {@link #error}'s, rounded up. */
  static final double MAG_SLACK = 0x1p-50 * 1.002;

  private final int n;

  /** The double-double prefix sums' error per run, of Σh·c and Σh·c². */
  private final double prefix1;

  private final double prefix2;

  /** The float32 evaluation's relative error (terms, pairwise sum, division by n). */
  private final double relative;

  /** Gradual underflow's absolute error. */
  private final double absolute;

  /**
   * The bounds of {@code n} bins of total count {@code total}, whose Σh·c and Σh·c² come to {@code
   * sum1} and {@code sum2}.
   */
  MseErrorBound(int n, double total, double sum1, double sum2) {
    this.n = n;
    double slack = ((double) n * n + n) * 0x1p-105 * 1.01;
    this.prefix1 = slack * Math.abs(sum1);
    this.prefix2 = slack * Math.abs(sum2);
    double g4 = gamma(4);
    double gd = gamma(Float32Error.npSumDepth(n));
    this.relative = (1 + g4) * (1 + gd) * (1 + 2 * U) - 1;
    this.absolute = (total + n) * 0x1p-146 + 0x1p-149;
  }

  /**
   * The bound on the error of a double sum of {@code runs} runs' closed forms, with {@code mag} the
   * sum of their magnitudes m_r, {@code abs} of their absolute values and {@code vMax} the largest
   * level value.
   */
  double error(double mag, int runs, double abs, double vMax) {
    return (mag * 0x1p-50 + runs * 0x1p-52 * abs + runs * (2 * prefix2 + 4 * vMax * prefix1))
        * 1.001;
  }

  /**
   * The lower bound of the float32 MSE given the double sum of some runs' closed forms and its
   * error bound: the exact errors of the other runs are non-negative.
   */
  double lower(double sum, double err) {
    return Math.max(0, sum - err) * (1.0 / n) * (1 - relative) * (1 - 0x1p-50) - absolute;
  }

  /** The upper bound of the float32 MSE given the double sum of every run and its error bound. */
  double upper(double sum, double err) {
    return (sum + err) * (1.0 / n) * (1 + relative) * (1 + 0x1p-50) + absolute;
  }

  /**
   * The full interval of a candidate into {@code out}, given the double sum of every run's closed
   * form ({@code sum}), of their magnitudes ({@code mag}) and absolute values ({@code abs}), their
   * number and the largest level value: [{@link #lower}, {@link #upper}] with the middle sum / n,
   * or an unknown interval when the bounds are not finite and ordered.
   */
  void interval(double sum, double mag, int runs, double abs, double vMax, Screening out) {
    double err = error(mag, runs, abs, vMax);
    double inv = 1.0 / n;
    double lo = lower(sum, err);
    double hi = upper(sum, err);
    if (!(lo <= hi) || !Double.isFinite(hi)) {
      out.unknown();
    } else {
      out.interval(lo, hi, Math.max(0, sum) * inv);
    }
  }

  /**
   * The run loop's weight of the summed absolute values, for a candidate of at most {@code maxRuns}
   * runs: {@link #error}'s at any run count up to it, rounded up.
   */
  double absSlack(int maxRuns) {
    return maxRuns * 0x1p-52 * 1.002;
  }

  /**
   * The run loop's constant term, for at most {@code maxRuns} runs of level values up to {@code
   * vTop}: {@link #error}'s prefix term at any run count and largest level up to those, rounded up.
   */
  double constSlack(int maxRuns, double vTop) {
    return maxRuns * (2 * prefix2 + 4 * vTop * prefix1) * 1.002;
  }

  /**
   * The value a double sum of runs' closed forms, less its error bound, must exceed for {@link
   * #lower} of it to exceed {@code limit}: {@code lower} solved for its argument and rounded up by
   * far more than the few roundings of either side, so the run loop never rules out a candidate
   * {@code lower} would keep. The loop's error bound ({@link #MAG_SLACK}, {@link #absSlack}, {@link
   * #constSlack}) takes the candidate's largest run count and level value in place of those summed
   * so far: never below {@link #error}'s, and a third of its arithmetic on the loop's path (the
   * test per run was half the search's CPU at 20 000 small tensors, JFR).
   */
  double cutoff(double limit) {
    double t = (limit + absolute) * n / ((1 - relative) * (1 - 0x1p-50)) * (1 + 0x1p-40);
    return Math.max(0, t);
  }
}
