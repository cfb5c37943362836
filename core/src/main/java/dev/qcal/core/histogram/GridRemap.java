package dev.qcal.core.histogram;

/**
 * The exact move of grid-layout counts into a coarser grid layout of the same domain, bin by bin:
 * what {@link Histogram#regrid} and {@link HistogramAccumulator} do when a layout grows. The target
 * bin is monotone in the source bin, so sorted sparse counts stay sorted ({@link
 * SparseCounts#remap}).
 */
final class GridRemap {
  /** {@link #bin}'s answer for a bin under the target's range (LOG2 only). */
  static final int UNDER = -1;

  private final HistogramSpec from;
  private final HistogramSpec target;
  private final int targetBins;
  private final boolean log2;

  /** LOG2: the octave shift in bins; ABSOLUTE and SIGNED: the power-of-two coarsening k. */
  private final int shift;

  private final long zero;
  private final long targetZero;

  private GridRemap(HistogramSpec from, HistogramSpec target, int shift) {
    this.from = from;
    this.target = target;
    this.targetBins = target.binCount();
    this.log2 = from.domain() == Domain.LOG2;
    this.shift = shift;
    boolean signed = from.domain() == Domain.SIGNED;
    this.zero = signed ? from.binCount() / 2 : 0;
    this.targetZero = signed ? targetBins / 2 : 0;
  }

  /**
   * The move from grid layout {@code from} (with {@code below} values already under its range) to
   * grid layout {@code target} of the same domain.
   *
   * @throws IllegalArgumentException naming both layouts when no move can be exact
   */
  static GridRemap of(HistogramSpec from, long below, HistogramSpec target) {
    switch (from.domain()) {
      case LOG2:
        {
          int shift =
              (int) Math.rint((from.lo() - target.lo()) * HistogramSpec.LOG2_BINS_PER_OCTAVE);
          if (shift > 0 && below > 0) {
            throw notExact(from, target, "the target starts below this histogram's range");
          }
          return new GridRemap(from, target, shift);
        }
      case ABSOLUTE:
      case SIGNED:
        {
          int k = target.gridExponent() - from.gridExponent();
          if (k < 0) {
            throw notExact(from, target, "the target's bins are narrower than this histogram's");
          }
          return new GridRemap(from, target, k);
        }
      default:
        throw new AssertionError(from.domain());
    }
  }

  /**
   * The target bin of source bin {@code j}, or {@link #UNDER}.
   *
   * @throws IllegalArgumentException naming both layouts when a non-empty bin {@code j} would fall
   *     outside the target
   */
  int bin(int j) {
    if (log2) {
      long t = (long) j + shift;
      if (t < 0) {
        return UNDER;
      }
      if (t >= targetBins) {
        throw notExact(from, target, "the target's range ends below a non-empty bin");
      }
      return (int) t;
    }
    long m = j - zero;
    // Arithmetic shift is ⌊m/2^k⌋, negative m included; Java masks shifts of 64 or more.
    long t = (shift >= 63 ? (m < 0 ? -1 : 0) : m >> shift) + targetZero;
    if (t < 0 || t >= targetBins) {
      throw notExact(from, target, "the target's range does not reach a non-empty bin");
    }
    return (int) t;
  }

  /**
   * Adds {@code counts} (the source layout's) into {@code out} (zeros, {@code target.binCount()}
   * long) and returns the count that falls under the target's range, to add to {@code below}.
   */
  long addDense(long[] counts, long[] out) {
    long down = 0;
    for (int j = 0; j < counts.length; j++) {
      if (counts[j] != 0) {
        int t = bin(j);
        if (t == UNDER) {
          down += counts[j];
        } else {
          out[t] += counts[j];
        }
      }
    }
    return down;
  }

  /**
   * {@link #addDense} in one call: the exact mapping of {@link Histogram#regrid} on bare counts.
   *
   * @throws IllegalArgumentException naming both layouts when the result would not be exact
   */
  static long remap(
      HistogramSpec from, long[] counts, long below, HistogramSpec target, long[] out) {
    return of(from, below, target).addDense(counts, out);
  }

  private static IllegalArgumentException notExact(
      HistogramSpec from, HistogramSpec target, String why) {
    return new IllegalArgumentException(
        "Cannot merge histograms of layouts " + from + " and " + target + " exactly: " + why);
  }
}
