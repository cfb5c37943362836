package dev.qcal.core.drift;

/**
 * One method's change for one tensor.
 *
 * @param method the method key
 * @param measure how the change was measured
 * @param baseline the baseline's range (null when {@link Measure#NOT_COMPARED})
 * @param current the current range (null when {@link Measure#NOT_COMPARED})
 * @param change the relative change: a finite value ≥ 0, {@code +Infinity} when unbounded ({@link
 *     Measure#DEGENERATE_CHANGED}, {@link Measure#ZERO_BASELINE}), NaN when not compared
 * @param changeMin for {@link Measure#RANGE}: |min − min0| / (max0 − min0); else NaN
 * @param changeMax for {@link Measure#RANGE}: |max − max0| / (max0 − min0); else NaN
 * @param note why it was not compared, or null
 */
public record MethodDrift(
    String method,
    Measure measure,
    MethodRange baseline,
    MethodRange current,
    double change,
    double changeMin,
    double changeMax,
    String note) {

  /** Whether the change is finite (a number that JSON can carry). */
  public boolean isMeasured() {
    return Double.isFinite(change);
  }
}
