package dev.qcal.core.histogram;

import dev.qcal.core.stats.RangeStats;
import java.io.Serializable;
import java.util.Objects;

/**
 * The fixed layout of a histogram: domain, range and bin count. Two histograms merge only when
 * their specs are equal.
 *
 * <p>{@link #forStats} is the one place where a tensor's layout is chosen from its pass-1
 * statistics, so every executor bins a tensor identically.
 *
 * @param domain what is binned
 * @param lo lower end of the range (0 for ABSOLUTE; whole octaves for LOG2)
 * @param hi upper end of the range
 * @param binCount number of bins, {@value #MIN_BINS} to {@value #MAX_BINS} ({@link
 *     HistogramLayout#GRID}: 1 to {@value #MAX_BINS}, as many as the data needs)
 * @param layout how the range was chosen; LOG2 is always on its octave grid ({@link
 *     HistogramLayout#GRID}), whichever layout is given
 */
public record HistogramSpec(
    Domain domain, double lo, double hi, int binCount, HistogramLayout layout)
    implements Serializable {

  /** The default number of bins (NVIDIA, TensorRT, ONNX Runtime percentile). */
  public static final int DEFAULT_BINS = 2048;

  /** Fewest bins allowed. */
  public static final int MIN_BINS = 8;

  /** Most bins allowed (2^20). */
  public static final int MAX_BINS = 1 << 20;

  /** Log-domain resolution: 16 sub-bins per octave (Park et al., CVPR 2017; caffe-WQ BASE_SIZE). */
  public static final int LOG2_BINS_PER_OCTAVE = 16;

  /** Log-domain bin count: 64 octaves below the tensor's largest value (caffe-WQ BIN_SIZE 1024). */
  public static final int LOG2_BINS = 1024;

  /**
   * Grid exponent of the histograms of tensors with no non-zero finite value: below any width
   * {@link #forStats} gives a tensor with one (max|x| ≥ 2^−149, the smallest float32, and at most
   * 2^20 bins give 2^−168 or wider), so such a histogram only ever coarsens when merged.
   */
  public static final int DEGENERATE_GRID_EXPONENT = -170;

  /** Top octave of the grid LOG2 layout of a tensor with no non-zero finite value. */
  public static final int DEGENERATE_LOG2_TOP = -149;

  /** A layout of {@link HistogramLayout#RANGE} (the tools' layouts, explicit edges). */
  public HistogramSpec(Domain domain, double lo, double hi, int binCount) {
    this(domain, lo, hi, binCount, HistogramLayout.RANGE);
  }

  /** Validates the layout. */
  public HistogramSpec {
    if (domain == null || layout == null) {
      throw new IllegalArgumentException("Cannot build a histogram spec: domain or layout is null");
    }
    if (domain == Domain.LOG2) {
      // Log-domain bins are ⌊16·log2 x⌋ − 16·lo in every layout: already a global grid.
      layout = HistogramLayout.GRID;
    }
    if (layout == HistogramLayout.GRID && domain != Domain.LOG2) {
      checkGrid(domain, lo, hi, binCount);
    } else {
      checkBinCount(binCount);
    }
    if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(lo < hi)) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build a histogram spec for the %s domain: range [%s, %s] must be finite"
                  + " with lo < hi",
              domain.key(), lo, hi));
    }
    if (domain == Domain.ABSOLUTE && lo != 0) {
      throw new IllegalArgumentException(
          "Cannot build an absolute histogram spec: lo must be 0, not " + lo);
    }
    if (domain == Domain.LOG2
        && (lo != Math.rint(lo)
            || hi != Math.rint(hi)
            || (hi - lo) * LOG2_BINS_PER_OCTAVE != binCount)) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build a log2 histogram spec: [%s, %s] must be whole octaves with %d bins"
                  + " per octave, not %d bins",
              lo, hi, LOG2_BINS_PER_OCTAVE, binCount));
    }
  }

  private static void checkGrid(Domain domain, double lo, double hi, int binCount) {
    int half = domain == Domain.SIGNED ? binCount / 2 : binCount;
    double w = half > 0 ? hi / half : Double.NaN;
    boolean ok =
        binCount >= 1
            && binCount <= MAX_BINS
            && (domain != Domain.SIGNED || binCount % 2 == 0)
            && Double.isFinite(hi)
            && hi > 0
            && lo == (domain == Domain.SIGNED ? -hi : 0.0)
            && w == Math.scalb(1.0, Math.getExponent(w))
            && half * w == hi;
    if (!ok) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build a %s grid histogram spec: [%s, %s) with %d bins is not whole bins of a"
                  + " power-of-two width anchored at 0",
              domain.key(), lo, hi, binCount));
    }
  }

  /**
   * Checks a requested bin count.
   *
   * @throws IllegalArgumentException naming the value and the allowed range
   */
  public static void checkBinCount(int binCount) {
    if (binCount < MIN_BINS || binCount > MAX_BINS) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build a histogram: bin count must be in [%d, %d], not %d",
              MIN_BINS, MAX_BINS, binCount));
    }
  }

  /** |x| over [0, hi]. */
  public static HistogramSpec absolute(double hi, int binCount) {
    return new HistogramSpec(Domain.ABSOLUTE, 0, hi, binCount);
  }

  /** x over [lo, hi]. */
  public static HistogramSpec signed(double lo, double hi, int binCount) {
    return new HistogramSpec(Domain.SIGNED, lo, hi, binCount);
  }

  /**
   * The layout of one tensor's histogram in {@code domain}, chosen from its range statistics:
   *
   * <ul>
   *   <li>ABSOLUTE: [0, max|x|] (NVIDIA's first-batch layout, fixed for the whole dump);
   *   <li>SIGNED: [−T, T] with T = max|x| (ONNX Runtime's and MXNet's layout, so 0 is an edge for
   *       an even bin count and a bin centre for an odd one);
   *   <li>LOG2: the 64 octaves below ⌊log2 max|x|⌋ + 1, {@value #LOG2_BINS} bins ({@code binCount}
   *       is ignored).
   * </ul>
   *
   * A tensor without a non-zero finite value gets the range [0, 1] (or [−1, 1]): its histogram then
   * holds all its mass in the bin of 0, and calibrators report it as degenerate.
   */
  public static HistogramSpec forStats(Domain domain, RangeStats stats, int binCount) {
    double t = stats.absMax();
    boolean degenerate = !(t > 0);
    switch (domain) {
      case ABSOLUTE:
        return absolute(degenerate ? 1.0 : t, binCount);
      case SIGNED:
        return degenerate ? signed(-1.0, 1.0, binCount) : signed(-t, t, binCount);
      case LOG2:
        // ⌊log2 t⌋ + 1: the top edge lies strictly above max|x|, so the max is always inside.
        int top = degenerate ? 0 : Math.getExponent(t) + 1;
        int octaves = LOG2_BINS / LOG2_BINS_PER_OCTAVE;
        return new HistogramSpec(Domain.LOG2, top - octaves, top, LOG2_BINS);
      default:
        throw new AssertionError(domain);
    }
  }

  /**
   * The layout of one tensor's histogram in {@code domain} under {@code layout}: {@link
   * HistogramLayout#RANGE} is {@link #forStats(Domain, RangeStats, int)}; {@link
   * HistogramLayout#GRID} is {@link #grid}.
   */
  public static HistogramSpec forStats(
      Domain domain, RangeStats stats, int binCount, HistogramLayout layout) {
    if (layout == HistogramLayout.RANGE) {
      return forStats(domain, stats, binCount);
    }
    if (domain != Domain.LOG2) {
      return grid(domain, stats.absMax(), binCount);
    }
    if (!(stats.absMax() > 0)) {
      // Below every tensor's top (max|x| ≥ 2^−149 gives a top of −148 or more), so a merge only
      // ever shifts this histogram up; the range layout keeps [−64, 0].
      return new HistogramSpec(
          Domain.LOG2,
          DEGENERATE_LOG2_TOP - LOG2_BINS / LOG2_BINS_PER_OCTAVE,
          DEGENERATE_LOG2_TOP,
          LOG2_BINS);
    }
    return forStats(domain, stats, binCount);
  }

  /**
   * The grid layout of a tensor whose largest finite |x| is {@code absMax}, with at most {@code
   * maxBins} bins: the bin width w = 2^e is the smallest power of two such that K = ⌊absMax/w⌋ + 1
   * bins cover the data (K ≤ maxBins for ABSOLUTE, 2K ≤ maxBins for SIGNED). ABSOLUTE covers [0,
   * K·w), SIGNED [−K·w, K·w), bins half-open, so the top edge lies strictly above absMax. Because w
   * is monotone in absMax, the layout of a union of dumps is at least as coarse as each dump's, and
   * {@link Histogram#regrid} coarsens exactly. A tensor with no non-zero finite value gets the
   * narrowest width, {@code 2^}{@value #DEGENERATE_GRID_EXPONENT}, and K = 1.
   */
  public static HistogramSpec grid(Domain domain, double absMax, int maxBins) {
    checkBinCount(maxBins);
    if (domain == Domain.LOG2) {
      throw new IllegalArgumentException("Cannot build a log2 grid from a bin count: use forStats");
    }
    int cap = domain == Domain.SIGNED ? maxBins / 2 : maxBins;
    int e;
    long k;
    if (!(absMax > 0) || !Double.isFinite(absMax)) {
      e = DEGENERATE_GRID_EXPONENT;
      k = 1;
    } else {
      // From a width where ⌊absMax/w⌋ ≥ 2^21 > cap upward: at most 22 steps. absMax·2^−e is exact.
      e = Math.getExponent(absMax) - 22;
      while ((k = (long) Math.floor(Math.scalb(absMax, -e)) + 1) > cap) {
        e++;
      }
    }
    double w = Math.scalb(1.0, e);
    double top = k * w;
    return domain == Domain.SIGNED
        ? new HistogramSpec(domain, -top, top, (int) (2 * k), HistogramLayout.GRID)
        : new HistogramSpec(domain, 0.0, top, (int) k, HistogramLayout.GRID);
  }

  /**
   * The exponent e of a grid layout's bin width 2^e.
   *
   * @throws IllegalStateException for a range layout or LOG2
   */
  public int gridExponent() {
    if (layout != HistogramLayout.GRID || domain == Domain.LOG2) {
      throw new IllegalStateException("Not a grid layout: " + this);
    }
    return Math.getExponent(binWidth());
  }

  /** Bin width in the binned coordinate (|x|, x, or octaves/16 for LOG2). */
  public double binWidth() {
    return (hi - lo) / binCount;
  }

  /** The n+1 edges in value space (for LOG2, {@code 2^(lo + j/16)}). */
  public double[] edges() {
    double[] e = new double[binCount + 1];
    for (int j = 0; j <= binCount; j++) {
      e[j] = edge(j);
    }
    return e;
  }

  /** Edge {@code j} of {@link #edges()}, 0 ≤ j ≤ n, computed alone. */
  public double edge(int j) {
    Objects.checkIndex(j, binCount + 1);
    double t = j == binCount ? hi : lo + j * (hi - lo) / binCount;
    return domain == Domain.LOG2 ? Math.pow(2.0, t) : t;
  }

  @Override
  public String toString() {
    if (layout == HistogramLayout.GRID && domain != Domain.LOG2) {
      return String.format(
          "%s[%s, %s)x%d (grid, width 2^%d)", domain.key(), lo, hi, binCount, gridExponent());
    }
    return String.format("%s[%s, %s]x%d", domain.key(), lo, hi, binCount);
  }
}
