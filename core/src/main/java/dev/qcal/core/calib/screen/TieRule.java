package dev.qcal.core.calib.screen;

/**
 * How a tool takes the minimum over its candidates' values, applied to the candidates a search
 * evaluated exactly. Every rule picks a minimum (the first in candidate order, or {@link
 * #LAST_MINIMUM}'s last), so a candidate that was not evaluated (strictly above an evaluated value)
 * can change nothing; they differ on NaN and on values no minimum can have.
 */
public enum TieRule {
  /**
   * The first strict minimum ({@code best < 0 || v < best}, NVIDIA's MSE loop): a NaN wins only in
   * first place. For values that are never NaN: screened, the first value evaluated stands in for
   * the first value.
   */
  FIRST_MINIMUM,
  /**
   * The first strict minimum starting from {@code FLT_MAX} (C++ {@code if (kl < min)} from {@code
   * FLT_MAX}: MXNet's {@code calibrate.cc}, ncnn's {@code ncnn2table.cpp}): +∞ and NaN never win,
   * and when none is smaller than FLT_MAX the first candidate is taken.
   */
  FIRST_BELOW_FLT_MAX,
  /** numpy's {@code argmin}: the first NaN, else the first minimum. */
  NUMPY_ARGMIN,
  /**
   * The last minimum ({@code if (v <= best)} from +∞, NVIDIA's {@code _compute_amax_entropy}): NaN
   * never wins.
   */
  LAST_MINIMUM;

  /** The index of the pick among all {@code values}, every one exact (0 when there is none). */
  public int pick(double[] values) {
    return pick(values, null, values.length);
  }

  /**
   * The index of the pick among {@code values[0, count)} where {@code exact} is true or null (0
   * when there is none).
   */
  int pick(double[] values, boolean[] exact, int count) {
    int best = -1;
    if (this == LAST_MINIMUM) {
      double min = Double.POSITIVE_INFINITY;
      for (int c = 0; c < count; c++) {
        if ((exact == null || exact[c]) && values[c] <= min) {
          min = values[c];
          best = c;
        }
      }
      return Math.max(best, 0);
    }
    for (int c = 0; c < count; c++) {
      if (exact != null && !exact[c]) {
        continue;
      }
      double v = values[c];
      if (this == NUMPY_ARGMIN && Double.isNaN(v)) {
        return c;
      }
      if (this == FIRST_BELOW_FLT_MAX && !(v < Float.MAX_VALUE)) {
        continue;
      }
      if (best < 0 || v < values[best]) {
        best = c;
      }
    }
    return Math.max(best, 0);
  }
}
