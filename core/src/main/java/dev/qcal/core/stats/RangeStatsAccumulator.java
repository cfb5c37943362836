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
    // Min and max are taken on order keys (see orderKey) with int min/max: branch-free, and free
    // of the slow path Math.min(float) takes on ±0 (a ReLU tensor's minimum is 0 and half its
    // values are 0, which made that branch unpredictable).
    int lo = orderKey(min);
    int hi = orderKey(max);
    for (int i = from; i < to; i++) {
      float v = values[i];
      // Finite values are the hot path; the branch below runs only for NaN and ±Inf.
      if (v - v == 0f) {
        int k = orderKey(v);
        lo = Math.min(lo, k);
        hi = Math.max(hi, k);
      } else {
        countNonFinite(v);
      }
    }
    count += to - from;
    min = fromOrderKey(lo);
    max = fromOrderKey(hi);
    return this;
  }

  /**
   * An int whose signed order is the order of non-NaN floats, with −0 below +0, which is the
   * order in which {@link Math#min(float, float)} and {@link Math#max(float, float)} choose: the
   * bits of a positive float, and for a negative one its bits with all but the sign flipped.
   */
  private static int orderKey(float v) {
    int b = Float.floatToRawIntBits(v);
    return b ^ ((b >> 31) & Integer.MAX_VALUE);
  }

  /** The inverse of {@link #orderKey} (the same flip). */
  private static float fromOrderKey(int k) {
    return Float.intBitsToFloat(k ^ ((k >> 31) & Integer.MAX_VALUE));
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
