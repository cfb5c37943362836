package dev.qcal.core.calib;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.stats.RangeStats;
import java.io.Serializable;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Everything a calibrator may look at for one tensor: its range statistics and its histograms,
 * at most one per {@link Domain}. Immutable.
 */
public final class TensorStatistics implements Serializable {
  private static final long serialVersionUID = 1L;

  private final RangeStats range;
  private final EnumMap<Domain, Histogram> histograms;

  private TensorStatistics(RangeStats range, EnumMap<Domain, Histogram> histograms) {
    this.range = range;
    this.histograms = histograms;
  }

  /** Statistics with the given histograms (each keyed by its own domain). */
  public static TensorStatistics of(RangeStats range, Histogram... histograms) {
    EnumMap<Domain, Histogram> map = new EnumMap<>(Domain.class);
    for (Histogram h : histograms) {
      if (map.put(h.domain(), h) != null) {
        throw new IllegalArgumentException(
            "Cannot build tensor statistics: two " + h.domain().key() + " histograms");
      }
    }
    return new TensorStatistics(range, map);
  }

  /** Statistics with the given histograms. */
  public static TensorStatistics of(RangeStats range, Map<Domain, Histogram> histograms) {
    return of(range, histograms.values().toArray(new Histogram[0]));
  }

  /**
   * Statistics of a lone histogram (a reference vector or a JSON input): the count is the
   * histogram's total, and min/max are the given data range.
   */
  public static TensorStatistics ofHistogram(Histogram histogram, double min, double max) {
    RangeStats range =
        RangeStats.of(
            histogram.total() + histogram.nan(), histogram.nan(), 0, 0, (float) min, (float) max);
    return of(range, histogram);
  }

  /** The range statistics of pass 1. */
  public RangeStats range() {
    return range;
  }

  /** True when a histogram of {@code domain} is present. */
  public boolean has(Domain domain) {
    return histograms.containsKey(domain);
  }

  /**
   * The histogram of {@code domain}.
   *
   * @throws IllegalStateException naming the domain if it was not built
   */
  public Histogram histogram(Domain domain) {
    Histogram h = histograms.get(domain);
    if (h == null) {
      throw new IllegalStateException(
          "No " + domain.key() + " histogram was built for this tensor (have " + histograms.keySet() + ")");
    }
    return h;
  }

  /** All histograms, by domain (unmodifiable). */
  public Map<Domain, Histogram> histograms() {
    return Collections.unmodifiableMap(histograms);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorStatistics
        && range.equals(((TensorStatistics) o).range)
        && histograms.equals(((TensorStatistics) o).histograms);
  }

  @Override
  public int hashCode() {
    return 31 * range.hashCode() + histograms.hashCode();
  }
}
