package dev.qcal.core.stats;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Immutable range statistics of one tensor: value count, NaN and ±Inf counts, and the minimum and
 * maximum of the finite values.
 *
 * <p>{@link #merge} is associative and commutative and {@link #EMPTY} is its identity, so pass 1
 * gives the same statistics for any partitioning of a dump. Values are float32, as dumped; the
 * minimum and maximum are therefore exact float32 values.
 */
public final class RangeStats implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The statistics of no values: the identity of {@link #merge}. */
  public static final RangeStats EMPTY =
      new RangeStats(0, 0, 0, 0, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);

  static final byte FORMAT_VERSION = 1;
  private static final byte MAGIC = 'R';
  static final int BINARY_SIZE = 2 + 4 * Long.BYTES + 2 * Float.BYTES;

  private final long count;
  private final long nanCount;
  private final long posInfCount;
  private final long negInfCount;
  private final float min;
  private final float max;

  private RangeStats(
      long count, long nanCount, long posInfCount, long negInfCount, float min, float max) {
    this.count = count;
    this.nanCount = nanCount;
    this.posInfCount = posInfCount;
    this.negInfCount = negInfCount;
    this.min = min;
    this.max = max;
  }

  /**
   * Statistics from their parts. {@code min} and {@code max} are ignored (and normalised) when
   * there is no finite value.
   *
   * @throws IllegalArgumentException if a count is negative, the non-finite counts exceed the
   *     total, or min/max are not finite with min ≤ max while finite values exist
   */
  public static RangeStats of(
      long count, long nanCount, long posInfCount, long negInfCount, float min, float max) {
    if (count < 0 || nanCount < 0 || posInfCount < 0 || negInfCount < 0) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build range statistics: negative count (count=%d, nan=%d, +inf=%d, -inf=%d)",
              count, nanCount, posInfCount, negInfCount));
    }
    long nonFinite = nanCount + posInfCount + negInfCount;
    if (nonFinite > count) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build range statistics: %d non-finite values exceed the count %d",
              nonFinite, count));
    }
    if (nonFinite == count) {
      return new RangeStats(
          count, nanCount, posInfCount, negInfCount, Float.POSITIVE_INFINITY,
          Float.NEGATIVE_INFINITY);
    }
    if (!Float.isFinite(min) || !Float.isFinite(max) || min > max) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build range statistics: min %s and max %s must be finite with min <= max",
              min, max));
    }
    return new RangeStats(count, nanCount, posInfCount, negInfCount, min, max);
  }

  /** Statistics of the given values. */
  public static RangeStats of(float... values) {
    return new RangeStatsAccumulator().add(values, 0, values.length).snapshot();
  }

  /** Every value seen, NaN and ±Inf included. */
  public long count() {
    return count;
  }

  /** Values that were NaN. */
  public long nanCount() {
    return nanCount;
  }

  /** Values that were +Inf. */
  public long posInfCount() {
    return posInfCount;
  }

  /** Values that were -Inf. */
  public long negInfCount() {
    return negInfCount;
  }

  /** Values that were finite. */
  public long finiteCount() {
    return count - nanCount - posInfCount - negInfCount;
  }

  /** True when no finite value was seen (no value at all, or only NaN/±Inf). */
  public boolean hasNoFiniteValue() {
    return finiteCount() == 0;
  }

  /**
   * The smallest finite value.
   *
   * <p><b>Non-finite values:</b> ignored; +Inf when no finite value was seen.
   */
  public float min() {
    return min;
  }

  /**
   * The largest finite value.
   *
   * <p><b>Non-finite values:</b> ignored; -Inf when no finite value was seen.
   */
  public float max() {
    return max;
  }

  /** max(|min|, |max|) of the finite values; 0 when there are none. */
  public float absMax() {
    return hasNoFiniteValue() ? 0f : Math.max(Math.abs(min), Math.abs(max));
  }

  /** True when finite values exist and they are all equal (a single value included). */
  public boolean isConstant() {
    return !hasNoFiniteValue() && min == max;
  }

  /** The statistics of both inputs together. Associative, commutative, identity {@link #EMPTY}. */
  public RangeStats merge(RangeStats other) {
    if (other.count == 0) {
      return this;
    }
    if (count == 0) {
      return other;
    }
    return new RangeStats(
        count + other.count,
        nanCount + other.nanCount,
        posInfCount + other.posInfCount,
        negInfCount + other.negInfCount,
        Math.min(min, other.min),
        Math.max(max, other.max));
  }

  /** A compact, versioned binary form (42 bytes); see {@link #fromBytes}. */
  public byte[] toBytes() {
    return ByteBuffer.allocate(BINARY_SIZE)
        .put(MAGIC)
        .put(FORMAT_VERSION)
        .putLong(count)
        .putLong(nanCount)
        .putLong(posInfCount)
        .putLong(negInfCount)
        .putFloat(min)
        .putFloat(max)
        .array();
  }

  /**
   * Reads the form written by {@link #toBytes}.
   *
   * @throws IllegalArgumentException if the bytes are not range statistics of a known version
   */
  public static RangeStats fromBytes(byte[] bytes) {
    if (bytes.length != BINARY_SIZE || bytes[0] != MAGIC) {
      throw new IllegalArgumentException(
          "Cannot read range statistics: not a qcal range-statistics record ("
              + bytes.length
              + " bytes)");
    }
    if (bytes[1] != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "Cannot read range statistics: unknown format version " + bytes[1]);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 2, bytes.length - 2);
    return of(in.getLong(), in.getLong(), in.getLong(), in.getLong(), in.getFloat(), in.getFloat());
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RangeStats)) {
      return false;
    }
    RangeStats that = (RangeStats) o;
    return count == that.count
        && nanCount == that.nanCount
        && posInfCount == that.posInfCount
        && negInfCount == that.negInfCount
        && Float.compare(min, that.min) == 0
        && Float.compare(max, that.max) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(count, nanCount, posInfCount, negInfCount, min, max);
  }

  @Override
  public String toString() {
    return String.format(
        "RangeStats{count=%d, nan=%d, +inf=%d, -inf=%d, min=%s, max=%s}",
        count, nanCount, posInfCount, negInfCount, min, max);
  }
}
