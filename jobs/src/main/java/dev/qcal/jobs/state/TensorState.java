package dev.qcal.jobs.state;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.stats.RangeStats;
import java.io.Serializable;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One tensor's state: its range statistics and its histograms by domain (those the run built).
 *
 * @param stats range statistics
 * @param histograms histograms by domain
 */
public record TensorState(RangeStats stats, Map<Domain, Histogram> histograms)
    implements Serializable {

  /** Copies the histograms. */
  public TensorState {
    EnumMap<Domain, Histogram> copy = new EnumMap<>(Domain.class);
    copy.putAll(histograms);
    histograms = Collections.unmodifiableMap(copy);
  }
}
