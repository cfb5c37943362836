package dev.qcal.core.report;

import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.eval.BinSpans;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.NonEmptyBins;
import dev.qcal.core.stats.RangeStats;

/**
 * The fraction of a tensor's binned values that a clip range clips: the histogram mass outside the
 * range divided by the mass inside the histogram, with the mass of a bin spread uniformly over the
 * bin (so a bin the clip cuts through counts in proportion to the part outside).
 *
 * <p>What "outside" means depends on the histogram's domain: on an |x| histogram ({@link
 * Domain#ABSOLUTE}) and a log2 histogram of positive values ({@link Domain#LOG2}) it is {@code |x|
 * > amax} of the range (exact for symmetric ranges; for an affine range it ignores the sign, so use
 * a {@link Domain#SIGNED} histogram there); on a signed histogram it is {@code x < min} or {@code x
 * > max}.
 *
 * <p>Given the tensor's {@link RangeStats}, the outermost bins are first narrowed to the exact data
 * range ({@code BinSpans}), so an all-zero or constant tensor is not counted as clipped because its
 * bin reaches past the clip.
 *
 * <p><b>Non-finite values:</b> NaN and ±Inf are not in the histogram's bins and are not counted
 * (the report flags them separately). An empty histogram gives NaN.
 */
public final class ClippedFraction {
  private ClippedFraction() {}

  /**
   * The clipped fraction of {@code h} under {@code range}, in [0, 1]; NaN when {@code h} is empty.
   */
  public static double of(Histogram h, ClipRange range) {
    return of(h, null, range);
  }

  /**
   * The same, with the bins narrowed to the tensor's exact data range. Reads the histogram's counts
   * and edges in place (the report's summary measures every method of every tensor: copying both
   * each time cost more than the sums at 20 000 small tensors, JFR), and only its non-empty bins
   * (the same sums in the same order).
   */
  public static double of(Histogram h, RangeStats data, ClipRange range) {
    Mass mass = new Mass(BinSpans.of(h.domain(), data), h.domain(), range);
    NonEmptyBins bins = h.nonEmptyBins();
    for (int k = 0; k < bins.count(); k++) {
      int j = bins.bin(k);
      mass.add(h.count(j), h.edge(j), h.edge(j + 1));
    }
    return mass.fraction();
  }

  /** The same, on a coarsened histogram (an approximation of the full one's value). */
  public static double of(PlotHistogram h, RangeStats data, ClipRange range) {
    double[] edges = h.edges();
    long[] counts = h.counts();
    Mass mass = new Mass(BinSpans.of(h.domain(), data), h.domain(), range);
    for (int j = 0; j < counts.length; j++) {
      if (counts[j] != 0) {
        mass.add(counts[j], edges[j], edges[j + 1]);
      }
    }
    return mass.fraction();
  }

  /** The mass outside the clip range and in all, summed over the non-empty bins in bin order. */
  private static final class Mass {
    private final BinSpans spans;
    private final double lo;
    private final double hi;
    private double total;
    private double outside;

    Mass(BinSpans spans, Domain domain, ClipRange range) {
      this.spans = spans;
      this.lo = domain == Domain.SIGNED ? range.min() : Double.NEGATIVE_INFINITY;
      this.hi = domain == Domain.SIGNED ? range.max() : range.amax();
    }

    /** Adds the bin [left, right) of {@code count} values spread over its narrowed span. */
    void add(long count, double left, double right) {
      total += count;
      if (left >= lo && right <= hi) {
        // Wholly inside the clip range, so is its narrowed span: its share is exactly 0 (the
        // report measures every method of every tensor; most bins are inside).
        return;
      }
      double a = spans.lo(left, right);
      double b = spans.hi(left, right);
      double share;
      if (b > a) {
        // Length of [a, b) below lo plus length above hi, as a share of the span.
        share =
            Math.min(
                1.0,
                (Math.max(0, Math.min(b, lo) - a) + Math.max(0, b - Math.max(a, hi))) / (b - a));
      } else {
        share = a < lo || a > hi ? 1.0 : 0.0;
      }
      outside += count * share;
    }

    double fraction() {
      return total == 0 ? Double.NaN : outside / total;
    }
  }
}
