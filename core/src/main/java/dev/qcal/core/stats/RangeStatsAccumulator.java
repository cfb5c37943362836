package dev.qcal.core.stats;

import java.io.Serializable;

/**
 * Mutable accumulator of {@link RangeStats}, fed a whole float[] slice per call.
 *
 * <p>Meant for Spark's {@code aggregateByKey} (whose seqOp and combOp may modify and return their
 * first argument) and for core builders; everything that leaves them is a {@link #snapshot()}.
 */
public final class RangeStatsAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  private long count;
  private long nanCount;
  private long posInfCount;
  private long negInfCount;
  private float min = Float.POSITIVE_INFINITY;
  private float max = Float.NEGATIVE_INFINITY;

  /** Adds {@code values[from, to)}. Returns this accumulator. */
  public RangeStatsAccumulator add(float[] values, int from, int to) {
    float lo = min;
    float hi = max;
    for (int i = from; i < to; i++) {
      float v = values[i];
      // Finite values are the hot path; the branch below runs only for NaN and ±Inf.
      if (v - v == 0f) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      } else {
        countNonFinite(v);
      }
    }
    count += to - from;
    min = lo;
    max = hi;
    return this;
  }

  /** Adds all of {@code values}. Returns this accumulator. */
  public RangeStatsAccumulator add(float[] values) {
    return add(values, 0, values.length);
  }

  private void countNonFinite(float v) {
    if (Float.isNaN(v)) {
      nanCount++;
    } else if (v > 0) {
      posInfCount++;
    } else {
      negInfCount++;
    }
  }

  /** Adds what {@code other} holds. Returns this accumulator; {@code other} is unchanged. */
  public RangeStatsAccumulator merge(RangeStatsAccumulator other) {
    count += other.count;
    nanCount += other.nanCount;
    posInfCount += other.posInfCount;
    negInfCount += other.negInfCount;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
    return this;
  }

  /** Adds what {@code other} holds. Returns this accumulator. */
  public RangeStatsAccumulator merge(RangeStats other) {
    if (other.count() == 0) {
      return this;
    }
    count += other.count();
    nanCount += other.nanCount();
    posInfCount += other.posInfCount();
    negInfCount += other.negInfCount();
    min = Math.min(min, other.min());
    max = Math.max(max, other.max());
    return this;
  }

  /** An immutable copy of the current state. */
  public RangeStats snapshot() {
    return RangeStats.of(count, nanCount, posInfCount, negInfCount, min, max);
  }
}
