package dev.qcal.core.histogram;

/**
 * The exact move of grid-layout counts into a coarser grid layout of the same domain, on bare count
 * arrays: what {@link Histogram#regrid} and {@link HistogramAccumulator} do when a layout grows.
 */
final class GridRemap {
  private GridRemap() {}

  /**
   * The exact mapping of {@link Histogram#regrid} on bare counts, shared with {@link
   * HistogramAccumulator#regrid} (which must not allocate a histogram per growth): adds {@code
   * counts} (grid layout {@code from}, with {@code below} values already under its range) into
   * {@code out} (zeros, {@code target.binCount()} long) and returns the count that falls under the
   * target's range (LOG2 only), to add to {@code below}. Both layouts are grid layouts of one
   * domain.
   *
   * @throws IllegalArgumentException naming both layouts when the result would not be exact
   */
  static long remap(
      HistogramSpec from, long[] counts, long below, HistogramSpec target, long[] out) {
    long down = 0;
    int n = counts.length;
    switch (from.domain()) {
      case LOG2:
        {
          int shift =
              (int) Math.rint((from.lo() - target.lo()) * HistogramSpec.LOG2_BINS_PER_OCTAVE);
          if (shift > 0 && below > 0) {
            throw notExact(from, target, "the target starts below this histogram's range");
          }
          for (int j = 0; j < n; j++) {
            if (counts[j] == 0) {
              continue;
            }
            long t = (long) j + shift;
            if (t < 0) {
              down += counts[j];
            } else if (t >= out.length) {
              throw notExact(from, target, "the target's range ends below a non-empty bin");
            } else {
              out[(int) t] += counts[j];
            }
          }
          break;
        }
      case ABSOLUTE:
      case SIGNED:
        {
          int k = target.gridExponent() - from.gridExponent();
          if (k < 0) {
            throw notExact(from, target, "the target's bins are narrower than this histogram's");
          }
          boolean signed = from.domain() == Domain.SIGNED;
          long zero = signed ? n / 2 : 0;
          long targetZero = signed ? out.length / 2 : 0;
          for (int j = 0; j < n; j++) {
            if (counts[j] == 0) {
              continue;
            }
            long m = j - zero;
            // Arithmetic shift is ⌊m/2^k⌋, negative m included; Java masks shifts of 64 or more.
            long t = (k >= 63 ? (m < 0 ? -1 : 0) : m >> k) + targetZero;
            if (t < 0 || t >= out.length) {
              throw notExact(from, target, "the target's range does not reach a non-empty bin");
            }
            out[(int) t] += counts[j];
          }
          break;
        }
      default:
        throw new AssertionError(from.domain());
    }
    return down;
  }

  private static IllegalArgumentException notExact(
      HistogramSpec from, HistogramSpec target, String why) {
    return new IllegalArgumentException(
        "Cannot merge histograms of layouts " + from + " and " + target + " exactly: " + why);
  }
}
