package dev.qcal.core.table;

import dev.qcal.core.stats.RangeStats;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Why a tensor's calibration deserves a look. Flags never fail the job: a flagged tensor still gets
 * a documented fallback range, and the flag tells the user why.
 */
public enum TensorFlag {
  /** No value at all was seen (null elements and null rows hold none). */
  EMPTY,
  /** Values were seen but none was finite (only NaN and/or ±Inf). */
  NO_FINITE_VALUES,
  /** Some values were NaN (ignored by every method). */
  HAS_NAN,
  /** Some values were +Inf or −Inf (ignored by every method). */
  HAS_INF,
  /**
   * The dump held null elements or null values lists for the tensor: no value, counted apart
   * ({@code stats.null}, {@code stats.null_rows}). A model computes NaN; a null comes from the
   * program that wrote the dump.
   */
  HAS_NULL,
  /** Exactly one finite value. */
  SINGLE_VALUE,
  /** Every finite value is 0: no range to calibrate (scale set to 1). */
  ALL_ZERO,
  /** Every finite value is the same non-zero constant: methods fall back to max. */
  CONSTANT;

  // Once, not per tensor and output: every table and the report write each flagged row's keys.
  private final String key = name().toLowerCase(Locale.ROOT);

  /** The lower-case key written in tables, e.g. {@code has_nan}. */
  public String key() {
    return key;
  }

  /** The flags that apply to a tensor with these statistics, in declaration order. */
  public static Set<TensorFlag> of(RangeStats stats) {
    EnumSet<TensorFlag> flags = EnumSet.noneOf(TensorFlag.class);
    if (stats.hasNulls()) {
      flags.add(HAS_NULL);
    }
    if (stats.count() == 0) {
      flags.add(EMPTY);
      return flags;
    }
    if (stats.hasNoFiniteValue()) {
      flags.add(NO_FINITE_VALUES);
    }
    if (stats.nanCount() > 0) {
      flags.add(HAS_NAN);
    }
    if (stats.posInfCount() + stats.negInfCount() > 0) {
      flags.add(HAS_INF);
    }
    if (stats.finiteCount() == 1) {
      flags.add(SINGLE_VALUE);
    }
    if (stats.isConstant()) {
      flags.add(stats.min() == 0 ? ALL_ZERO : CONSTANT);
    }
    return flags;
  }
}
