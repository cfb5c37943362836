package dev.qcal.core.calib.eval;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.stats.RangeStats;

/**
 * Where each bin's values can lie: the bin's interval, narrowed to the tensor's exact data range
 * when it is known. Pass 1 knows min and max exactly, so the outermost bins need not be spread over
 * their full width: an all-zero tensor's values sit at 0, not across the first bin, and a constant
 * tensor's at the constant. A bin narrowed to nothing is a point. Shared by the measured error
 * ({@link QuantNoise}) and the report's clipped fraction.
 */
public final class BinSpans {
  private final double min;
  private final double max;

  private BinSpans(double min, double max) {
    this.min = min;
    this.max = max;
  }

  /** The lower end of the span of the bin [{@code left}, {@code right}). */
  public double lo(double left, double right) {
    return Math.max(left, Math.min(min, right));
  }

  /** The upper end of the span of the bin [{@code left}, {@code right}) ({@code >= lo}). */
  public double hi(double left, double right) {
    return Math.max(lo(left, right), Math.min(right, Math.max(max, left)));
  }

  /**
   * The spans of bins in {@code domain} (each computed when asked from the bin's edges, so a caller
   * that visits only the non-empty bins pays for those alone, and a histogram's edges need not be
   * copied); {@code data} may be null.
   */
  public static BinSpans of(Domain domain, RangeStats data) {
    double min = Double.NEGATIVE_INFINITY;
    double max = Double.POSITIVE_INFINITY;
    if (data != null && !data.hasNoFiniteValue()) {
      switch (domain) {
        case ABSOLUTE:
          // |x| lies in [min |x|, max |x|]; min |x| is 0 when the data straddle 0.
          min =
              data.min() <= 0 && data.max() >= 0
                  ? 0
                  : Math.min(Math.abs(data.min()), Math.abs(data.max()));
          max = data.absMax();
          break;
        case SIGNED:
          min = data.min();
          max = data.max();
          break;
        case LOG2:
          // Only positive values are binned; their minimum is unknown if the data reach 0.
          if (data.max() > 0) {
            max = data.max();
          }
          if (data.min() > 0) {
            min = data.min();
          }
          break;
        default:
          throw new AssertionError(domain);
      }
    }
    return new BinSpans(min, max);
  }
}
