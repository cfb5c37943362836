package dev.qcal.core.channel;

import dev.qcal.core.stats.RangeStats;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * One tensor's per-channel range statistics: the channel axis and one {@link RangeStats} per
 * channel ({@link RangeStats#EMPTY} for a channel that received no value). Immutable.
 */
public final class ChannelRanges implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int axis;
  private final RangeStats[] channels;

  /**
   * Ranges of {@code channels.length} channels along {@code axis}.
   *
   * @throws IllegalArgumentException if the axis is negative or a channel is null
   */
  public ChannelRanges(int axis, RangeStats[] channels) {
    if (axis < 0) {
      throw new IllegalArgumentException(
          "Cannot build per-channel ranges: axis must be >= 0 (" + axis + ")");
    }
    for (int c = 0; c < channels.length; c++) {
      if (channels[c] == null) {
        throw new IllegalArgumentException(
            "Cannot build per-channel ranges: channel " + c + " is null");
      }
    }
    this.axis = axis;
    this.channels = channels.clone();
  }

  /** The channel axis of the tensor. */
  public int axis() {
    return axis;
  }

  /** The channel count. */
  public int count() {
    return channels.length;
  }

  /** The statistics of channel {@code c}. */
  public RangeStats channel(int c) {
    return channels[c];
  }

  /** Every channel's statistics, in channel order. */
  public List<RangeStats> channels() {
    return List.of(channels);
  }

  /** The union of every channel: the tensor's own statistics. */
  public RangeStats union() {
    RangeStats u = RangeStats.EMPTY;
    for (RangeStats s : channels) {
      u = u.merge(s);
    }
    return u;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelRanges
        && axis == ((ChannelRanges) o).axis
        && Arrays.equals(channels, ((ChannelRanges) o).channels);
  }

  @Override
  public int hashCode() {
    return 31 * axis + Arrays.hashCode(channels);
  }

  @Override
  public String toString() {
    return "ChannelRanges[axis " + axis + ", " + Arrays.toString(channels) + "]";
  }
}
