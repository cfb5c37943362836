package dev.qcal.core.histogram;

import dev.qcal.core.stats.RangeStats;
import java.io.Serializable;

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
 * @param binCount number of bins, {@value #MIN_BINS} to {@value #MAX_BINS}
 */
public record HistogramSpec(Domain domain, double lo, double hi, int binCount)
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

  /** Validates the layout. */
  public HistogramSpec {
    if (domain == null) {
      throw new IllegalArgumentException("Cannot build a histogram spec: domain is null");
    }
    checkBinCount(binCount);
    if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(lo < hi)) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build a %s histogram spec: range [%s, %s] must be finite with lo < hi",
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
   *   <li>SIGNED: [−T, T] with T = max|x| (ONNX Runtime's and MXNet's layout, so 0 is an edge
   *       for an even bin count and a bin centre for an odd one);
   *   <li>LOG2: the 64 octaves below ⌊log2 max|x|⌋ + 1, {@value #LOG2_BINS} bins ({@code binCount}
   *       is ignored).
   * </ul>
   *
   * A tensor without a non-zero finite value gets the range [0, 1] (or [−1, 1]): its histogram
   * then holds all its mass in the bin of 0, and calibrators report it as degenerate.
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

  /** Bin width in the binned coordinate (|x|, x, or octaves/16 for LOG2). */
  public double binWidth() {
    return (hi - lo) / binCount;
  }

  /** The n+1 edges in value space (for LOG2, {@code 2^(lo + j/16)}). */
  public double[] edges() {
    double[] e = new double[binCount + 1];
    for (int j = 0; j <= binCount; j++) {
      double t = j == binCount ? hi : lo + j * (hi - lo) / binCount;
      e[j] = domain == Domain.LOG2 ? Math.pow(2.0, t) : t;
    }
    return e;
  }

  @Override
  public String toString() {
    return String.format("%s[%s, %s]x%d", domain.key(), lo, hi, binCount);
  }
}
