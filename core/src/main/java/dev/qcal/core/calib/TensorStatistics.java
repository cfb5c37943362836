package dev.qcal.core.calib;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.WeightedHistogram;
import dev.qcal.core.stats.RangeStats;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a calibrator may look at for one tensor: its range statistics and its histograms, at
 * most one per {@link Domain}. Immutable.
 *
 * <p>What qcal collects itself is always whole-count histograms. Statistics handed over by other
 * tools ({@code qcal histogram}) may instead hold a histogram with fractional counts ({@link
 * #weighted}) or the raw values ({@link #values}); only the methods that accept them run on them
 * ({@link Calibrator#acceptsFractionalCounts}, {@link Calibrator#acceptsValues}).
 */
public final class TensorStatistics implements Serializable {
  private static final long serialVersionUID = 1L;

  private final RangeStats range;
  private final EnumMap<Domain, Histogram> histograms;
  private final WeightedHistogram weighted;
  private final float[] values;

  private TensorStatistics(RangeStats range, EnumMap<Domain, Histogram> histograms) {
    this(range, histograms, null, null);
  }

  private TensorStatistics(
      RangeStats range,
      EnumMap<Domain, Histogram> histograms,
      WeightedHistogram weighted,
      float[] values) {
    this.range = range;
    this.histograms = histograms;
    this.weighted = weighted;
    this.values = values;
  }

  /**
   * Statistics of a lone histogram with fractional counts: the count is its total rounded to a
   * whole number, min/max the given data range.
   */
  public static TensorStatistics ofWeighted(WeightedHistogram histogram, double min, double max) {
    RangeStats range =
        RangeStats.of(Math.round(histogram.total()), 0, 0, 0, (float) min, (float) max);
    return new TensorStatistics(range, new EnumMap<>(Domain.class), histogram, null);
  }

  /**
   * Statistics of raw values (copied): their range statistics, and the values for the methods that
   * take them.
   */
  public static TensorStatistics ofValues(float[] values) {
    return new TensorStatistics(
        RangeStats.of(values), new EnumMap<>(Domain.class), null, values.clone());
  }

  /** The histogram with fractional counts of {@code domain}, if that is what the tensor has. */
  public Optional<WeightedHistogram> weighted(Domain domain) {
    return weighted != null && weighted.domain() == domain
        ? Optional.of(weighted)
        : Optional.empty();
  }

  /** The histogram with fractional counts, if the tensor has one (of any domain). */
  public Optional<WeightedHistogram> weighted() {
    return Optional.ofNullable(weighted);
  }

  /** The raw values, if the tensor was given as values (shared: do not modify). */
  public Optional<float[]> values() {
    return Optional.ofNullable(values);
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
          "No " + domain.key() + " histogram was built for this tensor (have " + describe() + ")");
    }
    return h;
  }

  /**
   * What the tensor has, for messages: e.g. {@code an absolute (|x|) histogram}, {@code a signed
   * (x) histogram with fractional counts}, {@code raw values}, {@code no histogram}.
   */
  public String describe() {
    if (values != null) {
      return "raw values";
    }
    if (weighted != null) {
      return "a " + weighted.domain().description() + " histogram with fractional counts";
    }
    if (histograms.isEmpty()) {
      return "no histogram";
    }
    StringBuilder b = new StringBuilder();
    for (Domain d : histograms.keySet()) {
      b.append(b.length() == 0 ? (d == Domain.ABSOLUTE ? "an " : "a ") : " and a ")
          .append(d.description());
    }
    return b.append(" histogram").toString();
  }

  /** All histograms, by domain (unmodifiable). */
  public Map<Domain, Histogram> histograms() {
    return Collections.unmodifiableMap(histograms);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorStatistics
        && range.equals(((TensorStatistics) o).range)
        && histograms.equals(((TensorStatistics) o).histograms)
        && Objects.equals(weighted, ((TensorStatistics) o).weighted)
        && Arrays.equals(values, ((TensorStatistics) o).values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(range, histograms, weighted, Arrays.hashCode(values));
  }
}
