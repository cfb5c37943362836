package dev.qcal.core.stats;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Immutable range statistics of one tensor: value count, NaN and ±Inf counts, the minimum and
 * maximum of the finite values, and apart from the values, the nulls a dump writer wrote: null
 * elements (of a list, or a null scalar) and rows whose values list was null. A null is no value
 * (it is in no count but its own): a model computes NaN, only a dump writer writes null, so the two
 * are never mixed.
 *
 * <p>{@link #merge} is associative and commutative and {@link #EMPTY} is its identity, so pass 1
 * gives the same statistics for any partitioning of a dump. Values are float32, as dumped; the
 * minimum and maximum are therefore exact float32 values.
 */
public final class RangeStats implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The statistics of no values: the identity of {@link #merge}. */
  public static final RangeStats EMPTY =
      new RangeStats(0, 0, 0, 0, 0, 0, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);

  /**
   * Version 2 adds the null counts; version 1 (no nulls: they were counted as NaN) is still read.
   */
  static final byte FORMAT_VERSION = 2;

  private static final byte MAGIC = 'R';
  static final int BINARY_SIZE = 2 + 6 * Long.BYTES + 2 * Float.BYTES;
  static final int BINARY_SIZE_V1 = 2 + 4 * Long.BYTES + 2 * Float.BYTES;

  private final long count;
  private final long nanCount;
  private final long posInfCount;
  private final long negInfCount;
  private final long nullCount;
  private final long nullRows;
  private final float min;
  private final float max;

  private RangeStats(
      long count,
      long nanCount,
      long posInfCount,
      long negInfCount,
      long nullCount,
      long nullRows,
      float min,
      float max) {
    this.count = count;
    this.nanCount = nanCount;
    this.posInfCount = posInfCount;
    this.negInfCount = negInfCount;
    this.nullCount = nullCount;
    this.nullRows = nullRows;
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
          count,
          nanCount,
          posInfCount,
          negInfCount,
          0,
          0,
          Float.POSITIVE_INFINITY,
          Float.NEGATIVE_INFINITY);
    }
    if (!Float.isFinite(min) || !Float.isFinite(max) || min > max) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build range statistics: min %s and max %s must be finite with min <= max",
              min, max));
    }
    return new RangeStats(count, nanCount, posInfCount, negInfCount, 0, 0, min, max);
  }

  /**
   * These statistics with {@code nullCount} null elements and {@code nullRows} null rows (in place
   * of the ones they have).
   *
   * @throws IllegalArgumentException if a count is negative
   */
  public RangeStats withNulls(long nullCount, long nullRows) {
    if (nullCount < 0 || nullRows < 0) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build range statistics: negative null count (null=%d, null rows=%d)",
              nullCount, nullRows));
    }
    return new RangeStats(count, nanCount, posInfCount, negInfCount, nullCount, nullRows, min, max);
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

  /**
   * Null elements (a null in a values list, or a null scalar): no value, counted apart from NaN.
   */
  public long nullCount() {
    return nullCount;
  }

  /** Rows of this tensor whose values list was null (so they held no element at all). */
  public long nullRows() {
    return nullRows;
  }

  /** True when the dump held a null element or a null values list for this tensor. */
  public boolean hasNulls() {
    return nullCount + nullRows > 0;
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
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    return new RangeStats(
        count + other.count,
        nanCount + other.nanCount,
        posInfCount + other.posInfCount,
        negInfCount + other.negInfCount,
        nullCount + other.nullCount,
        nullRows + other.nullRows,
        Math.min(min, other.min),
        Math.max(max, other.max));
  }

  /** True when nothing at all was seen: no value and no null. */
  private boolean isEmpty() {
    return count == 0 && nullCount == 0 && nullRows == 0;
  }

  /** A compact, versioned binary form (58 bytes, version 2); see {@link #fromBytes}. */
  public byte[] toBytes() {
    return ByteBuffer.allocate(BINARY_SIZE)
        .put(MAGIC)
        .put(FORMAT_VERSION)
        .putLong(count)
        .putLong(nanCount)
        .putLong(posInfCount)
        .putLong(negInfCount)
        .putLong(nullCount)
        .putLong(nullRows)
        .putFloat(min)
        .putFloat(max)
        .array();
  }

  /**
   * Reads the form written by {@link #toBytes}, or version 1 (42 bytes, written by qcal before it
   * counted nulls: its NaN count includes the null elements of its dump, its null counts are 0).
   *
   * @throws IllegalArgumentException if the bytes are not range statistics of a known version
   */
  public static RangeStats fromBytes(byte[] bytes) {
    if (bytes.length < 2 || bytes[0] != MAGIC) {
      throw notARecord(bytes);
    }
    if (bytes[1] != 1 && bytes[1] != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "Cannot read range statistics: unknown format version " + bytes[1]);
    }
    boolean v1 = bytes[1] == 1;
    if (bytes.length != (v1 ? BINARY_SIZE_V1 : BINARY_SIZE)) {
      throw notARecord(bytes);
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 2, bytes.length - 2);
    long count = in.getLong();
    long nan = in.getLong();
    long posInf = in.getLong();
    long negInf = in.getLong();
    long nulls = v1 ? 0 : in.getLong();
    long nullRows = v1 ? 0 : in.getLong();
    return of(count, nan, posInf, negInf, in.getFloat(), in.getFloat()).withNulls(nulls, nullRows);
  }

  private static IllegalArgumentException notARecord(byte[] bytes) {
    return new IllegalArgumentException(
        "Cannot read range statistics: not a qcal range-statistics record ("
            + bytes.length
            + " bytes)");
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
        && nullCount == that.nullCount
        && nullRows == that.nullRows
        && Float.compare(min, that.min) == 0
        && Float.compare(max, that.max) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(count, nanCount, posInfCount, negInfCount, nullCount, nullRows, min, max);
  }

  @Override
  public String toString() {
    return String.format(
        "RangeStats{count=%d, nan=%d, +inf=%d, -inf=%d, null=%d, null rows=%d, min=%s, max=%s}",
        count, nanCount, posInfCount, negInfCount, nullCount, nullRows, min, max);
  }
}
