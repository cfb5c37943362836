package dev.qcal.core.calib.screen;

/**
 * What a {@link Candidates#screen} found out about one candidate, without evaluating it the tool's
 * way: its value, an interval that holds its value, or nothing. One instance is reused for every
 * candidate of a search.
 */
public final class Screening {
  /** The three outcomes. */
  enum Kind {
    /** The value is known (a special case of the tool, such as a smoothing that fails). */
    EXACT,
    /** The screen does not apply: the driver evaluates the candidate at once. */
    EVALUATE,
    /** The value lies in [lo, hi] (unknown: (−∞, +∞)). */
    INTERVAL
  }

  private Kind kind;
  private double value;
  private double lo;
  private double hi;
  private double estimate;

  /** The candidate's value is {@code v}, exactly as the tool would compute it. */
  public void exact(double v) {
    kind = Kind.EXACT;
    value = v;
  }

  /** The screen does not apply to this candidate: evaluate it exactly now. */
  public void evaluate() {
    kind = Kind.EVALUATE;
  }

  /**
   * The candidate's value lies in [{@code lower}, {@code upper}]; {@code middle} stands for it in a
   * curve while it is not evaluated.
   */
  public void interval(double lower, double upper, double middle) {
    kind = Kind.INTERVAL;
    lo = lower;
    hi = upper;
    estimate = middle;
  }

  /** No bound could be proved: the candidate is evaluated unless it is already ruled out. */
  public void unknown() {
    interval(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN);
  }

  Kind kind() {
    return kind;
  }

  double value() {
    return value;
  }

  /** The lower bound of the last {@link #interval}. */
  public double lo() {
    return lo;
  }

  /** The upper bound of the last {@link #interval}. */
  public double hi() {
    return hi;
  }

  /** The middle of the last {@link #interval} (NaN when unknown). */
  public double estimate() {
    return estimate;
  }
}
