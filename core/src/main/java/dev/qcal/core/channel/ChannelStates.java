package dev.qcal.core.channel;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One tensor's per-channel state: its {@link ChannelRanges} (axis and each channel's range
 * statistics) and each channel's histograms by domain (empty when no method needs one). What the
 * per-channel searches read and what {@code state/} keeps. Immutable.
 */
public final class ChannelStates implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ChannelRanges ranges;
  private final List<Map<Domain, Histogram>> histograms;

  /**
   * The states of {@code ranges.count()} channels.
   *
   * @param histograms one map per channel, in channel order
   * @throws IllegalArgumentException if there are not as many maps as channels
   */
  public ChannelStates(ChannelRanges ranges, List<Map<Domain, Histogram>> histograms) {
    if (histograms.size() != ranges.count()) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot build per-channel states: %d channels, %d histogram sets",
              ranges.count(), histograms.size()));
    }
    List<Map<Domain, Histogram>> copy = new ArrayList<>(histograms.size());
    for (Map<Domain, Histogram> h : histograms) {
      EnumMap<Domain, Histogram> m = new EnumMap<>(Domain.class);
      m.putAll(h);
      copy.add(Collections.unmodifiableMap(m));
    }
    this.ranges = ranges;
    this.histograms = Collections.unmodifiableList(copy);
  }

  /** The axis and each channel's range statistics. */
  public ChannelRanges ranges() {
    return ranges;
  }

  /** The channel count. */
  public int count() {
    return ranges.count();
  }

  /** The histograms of channel {@code c} by domain (empty when none was built). */
  public Map<Domain, Histogram> histograms(int c) {
    return histograms.get(c);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelStates
        && ranges.equals(((ChannelStates) o).ranges)
        && histograms.equals(((ChannelStates) o).histograms);
  }

  @Override
  public int hashCode() {
    return 31 * ranges.hashCode() + histograms.hashCode();
  }
}
