package dev.qcal.jobs.state;

import dev.qcal.core.channel.ChannelStates;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.stats.RangeStats;
import java.io.Serializable;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One tensor's state: its range statistics and its histograms by domain (those the run built), and
 * for a tensor calibrated per channel, its per-channel state.
 *
 * @param stats range statistics
 * @param histograms histograms by domain
 * @param channels the per-channel state, or null for a tensor calibrated per tensor only
 */
public record TensorState(
    RangeStats stats, Map<Domain, Histogram> histograms, ChannelStates channels)
    implements Serializable {

  /** Copies the histograms. */
  public TensorState {
    EnumMap<Domain, Histogram> copy = new EnumMap<>(Domain.class);
    copy.putAll(histograms);
    histograms = Collections.unmodifiableMap(copy);
  }

  /** The state of a tensor calibrated per tensor only. */
  public TensorState(RangeStats stats, Map<Domain, Histogram> histograms) {
    this(stats, histograms, null);
  }
}
