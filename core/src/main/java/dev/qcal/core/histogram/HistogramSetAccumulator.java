package dev.qcal.core.histogram;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;

/**
 * Mutable accumulator of one tensor's histograms, one {@link HistogramAccumulator} per domain, fed
 * a whole float[] slice per call.
 *
 * <p>Like {@link HistogramAccumulator}, the empty accumulator has no layout and adopts the specs of
 * its first {@link #add}, because Spark's {@code aggregateByKey} uses one zero value for every key;
 * every later add or merge must use the same specs.
 */
public final class HistogramSetAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final EnumMap<Domain, HistogramAccumulator> accumulators = new EnumMap<>(Domain.class);

  /** An accumulator with no layout yet. */
  public HistogramSetAccumulator() {}

  /**
   * Bins {@code values[from, to)} once per spec (at most one spec per domain). Returns this
   * accumulator.
   *
   * @throws IllegalArgumentException if two specs share a domain, or a spec differs from the one
   *     already adopted for its domain
   */
  public HistogramSetAccumulator add(HistogramSpec[] specs, float[] values, int from, int to) {
    if (accumulators.isEmpty()) {
      for (HistogramSpec spec : specs) {
        if (accumulators.put(spec.domain(), new HistogramAccumulator(spec)) != null) {
          throw new IllegalArgumentException(
              "Cannot add values: two " + spec.domain().key() + " specs given");
        }
      }
    } else if (accumulators.size() != specs.length) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot add values: %d specs given to an accumulator of %s",
              specs.length, accumulators.keySet()));
    }
    for (HistogramSpec spec : specs) {
      HistogramAccumulator a = accumulators.get(spec.domain());
      if (a == null) {
        throw new IllegalArgumentException(
            "Cannot add values: no "
                + spec.domain().key()
                + " histogram in "
                + accumulators.keySet());
      }
      a.add(spec, values, from, to);
    }
    return this;
  }

  /**
   * An accumulator holding the given histograms (at most one per domain, each with a spec), as a
   * persisted state is read back.
   */
  public static HistogramSetAccumulator of(Map<Domain, Histogram> histograms) {
    HistogramSetAccumulator out = new HistogramSetAccumulator();
    histograms.forEach(
        (domain, h) -> out.accumulators.put(domain, new HistogramAccumulator().merge(h)));
    return out;
  }

  /** Adds what {@code other} holds. Returns this accumulator; {@code other} is unchanged. */
  public HistogramSetAccumulator merge(HistogramSetAccumulator other) {
    if (other.accumulators.isEmpty()) {
      return this;
    }
    if (accumulators.isEmpty()) {
      for (Map.Entry<Domain, HistogramAccumulator> e : other.accumulators.entrySet()) {
        accumulators.put(e.getKey(), new HistogramAccumulator().merge(e.getValue()));
      }
      return this;
    }
    if (!accumulators.keySet().equals(other.accumulators.keySet())) {
      throw new IllegalArgumentException(
          "Cannot merge histogram sets of different domains: "
              + accumulators.keySet()
              + " and "
              + other.accumulators.keySet());
    }
    for (Map.Entry<Domain, HistogramAccumulator> e : other.accumulators.entrySet()) {
      accumulators.get(e.getKey()).merge(e.getValue());
    }
    return this;
  }

  /**
   * Immutable copies of the current histograms, by domain; empty when nothing was ever added with a
   * spec.
   */
  public Map<Domain, Histogram> snapshot() {
    EnumMap<Domain, Histogram> out = new EnumMap<>(Domain.class);
    accumulators.forEach((domain, a) -> out.put(domain, a.snapshot()));
    return out;
  }
}
