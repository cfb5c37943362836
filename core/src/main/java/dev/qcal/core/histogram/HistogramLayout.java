package dev.qcal.core.histogram;

import java.util.Locale;

/**
 * How a tensor's histogram range and bins are chosen from its range statistics (see {@link
 * HistogramSpec#forStats(Domain, dev.qcal.core.stats.RangeStats, int, HistogramLayout)}).
 */
public enum HistogramLayout {
  /**
   * Bins of a power-of-two width 2^e on a grid anchored at 0, half-open [j·w, (j+1)·w), as many as
   * the data needs (between n/2 and n): a value's bin is ⌊x·2^−e⌋, exact in floating point, and a
   * histogram coarsens exactly to any wider power-of-two width by summing whole bins, so the
   * histograms of two dumps merge into exactly the histogram of their union ({@link
   * Histogram#regrid}). qcal's default.
   */
  GRID,
  /**
   * n bins over [0, max|x|] or [−max|x|, max|x|], the last bin closed: NVIDIA
   * pytorch-quantization's {@code torch.histc} layout, which reproduces the tools' histograms
   * exactly but merges only with a histogram of the very same range.
   */
  RANGE;

  /** The lower-case name used in options, messages and state files. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The layout named {@code key} (case-insensitive).
   *
   * @throws IllegalArgumentException listing the valid keys
   */
  public static HistogramLayout parse(String key) {
    for (HistogramLayout l : values()) {
      if (l.key().equalsIgnoreCase(key == null ? "" : key.trim())) {
        return l;
      }
    }
    throw new IllegalArgumentException(
        "Unknown histogram layout '" + key + "' (valid: grid, range)");
  }
}
