package dev.qcal.core.channel;

import dev.qcal.core.stats.RangeStats;
import dev.qcal.core.stats.RangeStatsAccumulator;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Mutable accumulator of one tensor's per-channel range statistics (pass 1 of a per-channel
 * tensor): an array of {@link RangeStatsAccumulator}, one per channel, grown as channels appear and
 * filled slice by slice. One per tensor and task; {@link #merge} combines them (associative and
 * commutative, the empty accumulator is its identity), so the result does not depend on how the
 * rows were split.
 *
 * <p>The axis is recorded once: the first {@link #axis} call fixes it, and a different axis for the
 * same tensor (rows of different ranks split by a negative axis) is refused, as is a channel count
 * that differs between rows split by shape.
 */
public final class ChannelRangeAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final int UNSET = -1;
  private static final float[] NO_VALUES = new float[0];

  private final String tensor;
  private int axis = UNSET;
  private int declaredChannels = UNSET;
  private RangeStatsAccumulator[] channels = new RangeStatsAccumulator[0];

  /** An empty accumulator of tensor {@code tensor} (named in messages). */
  public ChannelRangeAccumulator(String tensor) {
    this.tensor = tensor;
  }

  /**
   * Records the channel axis. Returns this accumulator.
   *
   * @throws IllegalArgumentException naming the tensor if another axis was recorded
   */
  public ChannelRangeAccumulator axis(int value) {
    if (value < 0) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot record the channel axis of tensor '%s': must be >= 0 (%d)", tensor, value));
    }
    if (axis != UNSET && axis != value) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot calibrate tensor '%s' per channel: its rows have channel axis %d and %d"
                  + " (rows of different ranks?)",
              tensor, axis, value));
    }
    axis = value;
    return this;
  }

  /**
   * Adds one row split by {@code split}: records its axis and channel count, then every run.
   * Returns this accumulator.
   *
   * @throws IllegalArgumentException naming the tensor if the axis or channel count differs from an
   *     earlier row's
   */
  public ChannelRangeAccumulator add(ChannelSplit split, float[] values, int from) {
    return add(split, values, from, null);
  }

  /**
   * Adds one row split by {@code split} whose elements {@code isNull} marks are null ({@code
   * isNull[i]} for {@code values[from + i]}; null: none is): the others as values, those as null
   * counts of their channels. Returns this accumulator.
   *
   * @throws IllegalArgumentException as {@link #add(ChannelSplit, float[], int)}
   */
  public ChannelRangeAccumulator add(
      ChannelSplit split, float[] values, int from, boolean[] isNull) {
    axis(split.axis());
    declare(split.channels());
    grow(split.channels());
    split.forEachRun(
        values,
        from,
        isNull,
        new ChannelSink() {
          @Override
          public void accept(int channel, float[] v, int start, int end) {
            add(channel, v, start, end);
          }

          @Override
          public void nulls(int channel, int count) {
            addNulls(channel, count);
          }
        });
    return this;
  }

  private void declare(int count) {
    if (declaredChannels != UNSET && declaredChannels != count) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot calibrate tensor '%s' per channel: its rows have %d and %d channels along"
                  + " axis %d",
              tensor, declaredChannels, count, axis));
    }
    declaredChannels = count;
  }

  /**
   * Adds {@code values[from, to)} to {@code channel}. Returns nothing (a {@link ChannelSink}).
   *
   * @throws IllegalArgumentException naming the tensor if the channel is negative or not below
   *     {@value ChannelSplit#MAX_CHANNELS}
   */
  public void add(int channel, float[] values, int from, int to) {
    if (channel < 0 || channel >= ChannelSplit.MAX_CHANNELS) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot add channel %d of tensor '%s': channels must be in [0, %d)",
              channel, tensor, ChannelSplit.MAX_CHANNELS));
    }
    grow(channel + 1);
    RangeStatsAccumulator a = channels[channel];
    if (a == null) {
      a = new RangeStatsAccumulator();
      channels[channel] = a;
    }
    a.add(values, from, to);
  }

  /**
   * Counts {@code n} null elements of {@code channel} (no value: they enter no range).
   *
   * @throws IllegalArgumentException naming the tensor if the channel is out of range, as {@link
   *     #add(int, float[], int, int)}
   */
  public void addNulls(int channel, long n) {
    add(channel, NO_VALUES, 0, 0); // checks the channel, makes its accumulator
    channels[channel].addNulls(n);
  }

  private void grow(int count) {
    if (channels.length < count) {
      // Doubling keeps a tensor whose rows come one channel at a time from copying per row.
      channels =
          Arrays.copyOf(
              channels, Math.min(ChannelSplit.MAX_CHANNELS, Math.max(count, 2 * channels.length)));
    }
  }

  /**
   * Adds what {@code other} holds. Returns this accumulator; {@code other} is unchanged.
   *
   * @throws IllegalArgumentException naming the tensor if the axes or declared channel counts
   *     differ
   */
  public ChannelRangeAccumulator merge(ChannelRangeAccumulator other) {
    if (other.axis != UNSET) {
      axis(other.axis);
    }
    if (other.declaredChannels != UNSET) {
      declare(other.declaredChannels);
    }
    grow(other.channels.length);
    for (int c = 0; c < other.channels.length; c++) {
      RangeStatsAccumulator o = other.channels[c];
      if (o == null) {
        continue;
      }
      if (channels[c] == null) {
        channels[c] = new RangeStatsAccumulator();
      }
      channels[c].merge(o);
    }
    return this;
  }

  /** The channel count so far: the declared count, else one more than the highest channel seen. */
  public int count() {
    if (declaredChannels != UNSET) {
      return declaredChannels;
    }
    int n = channels.length;
    while (n > 0 && channels[n - 1] == null) {
      n--;
    }
    return n;
  }

  /**
   * An immutable copy: one statistics record per channel (empty for a channel with no value), with
   * the recorded axis, or {@code defaultAxis} when none was recorded (channel-column dumps).
   */
  public ChannelRanges snapshot(int defaultAxis) {
    int n = count();
    RangeStats[] out = new RangeStats[n];
    for (int c = 0; c < n; c++) {
      out[c] =
          c < channels.length && channels[c] != null ? channels[c].snapshot() : RangeStats.EMPTY;
    }
    return new ChannelRanges(axis != UNSET ? axis : defaultAxis, out);
  }
}
