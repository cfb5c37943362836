package dev.qcal.core.channel;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.GrowingGridAccumulator;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramSpec;
import dev.qcal.core.stats.RangeStats;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Mutable accumulator of one tensor's per-channel state, built in one pass: one {@link
 * GrowingGridAccumulator} per channel (range statistics, and grid histograms in {@code domains}
 * whose layouts grow with the channel's data; none: range statistics only), grown as channels
 * appear and filled slice by slice. One per tensor and task; {@link #merge} combines them
 * (associative and commutative, the empty accumulator is its identity), and each channel's
 * histograms end, whatever the order, bit for bit in the grid layout of that channel's final
 * statistics (see {@link GrowingGridAccumulator}), so the result does not depend on how the rows
 * were split.
 *
 * <p>The axis is recorded once: the first {@link #axis} call fixes it, and a different axis for the
 * same tensor (rows of different ranks split by a negative axis) is refused, as is a channel count
 * that differs between rows split by shape.
 *
 * <h2>Memory bound</h2>
 *
 * A task holds, per per-channel tensor it reads, at most channels × bins × domains {@code long}
 * counts (8 bytes each; a channel's histograms are dense from its first value, {@link
 * GrowingGridAccumulator#dense}): 4096 channels × 256 bins × 2 domains = 16 MiB. A tensor above
 * {@value #MAX_COUNTS} counts (128 MiB) is refused as soon as its channel count is known, with a
 * message saying which {@code --channel-bins} fits.
 */
public final class ChannelGridAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The default per-channel bin count (a per-tensor histogram has 2048). */
  public static final int DEFAULT_BINS = 256;

  private static final int UNSET = -1;
  private static final float[] NO_VALUES = new float[0];

  private final String tensor;
  private final Set<Domain> domains;
  private final int bins;
  private int axis = UNSET;
  private int declaredChannels = UNSET;
  private GrowingGridAccumulator[] channels = new GrowingGridAccumulator[0];

  /**
   * An empty accumulator of tensor {@code tensor} (named in messages) with histograms in {@code
   * domains} (none: range statistics only) of at most {@code bins} bins each.
   *
   * @throws IllegalArgumentException if {@code bins} is out of range
   */
  public ChannelGridAccumulator(String tensor, Set<Domain> domains, int bins) {
    HistogramSpec.checkBinCount(bins);
    this.tensor = tensor;
    this.domains = domains.isEmpty() ? EnumSet.noneOf(Domain.class) : EnumSet.copyOf(domains);
    this.bins = bins;
  }

  /** An accumulator of range statistics only (no histogram). */
  public ChannelGridAccumulator(String tensor) {
    this(tensor, Set.of(), DEFAULT_BINS);
  }

  /**
   * An accumulator holding persisted per-channel {@code states} of tensor {@code tensor}: its axis,
   * and each channel's range statistics and histograms (in the grid layout of its statistics, with
   * {@code bins} bins or more) coarsened exactly to {@code bins} in {@code domains}, as {@link
   * GrowingGridAccumulator#of} does for a tensor.
   *
   * @throws IllegalArgumentException if a channel lacks one of {@code domains} or its histograms
   *     cannot be coarsened exactly
   */
  public static ChannelGridAccumulator of(
      String tensor, ChannelStates states, Set<Domain> domains, int bins) {
    ChannelGridAccumulator out = new ChannelGridAccumulator(tensor, domains, bins);
    out.axis(states.ranges().axis());
    out.grow(states.count());
    for (int c = 0; c < states.count(); c++) {
      out.channels[c] =
          GrowingGridAccumulator.of(
              states.ranges().channel(c), states.histograms(c), out.domains, bins);
    }
    return out;
  }

  /**
   * Records the channel axis. Returns this accumulator.
   *
   * @throws IllegalArgumentException naming the tensor if another axis was recorded
   */
  public ChannelGridAccumulator axis(int value) {
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
  public ChannelGridAccumulator add(ChannelSplit split, float[] values, int from) {
    return add(split, values, from, null);
  }

  /**
   * Adds one row split by {@code split} whose elements {@code isNull} marks are null ({@code
   * isNull[i]} for {@code values[from + i]}; null: none is): the others as values, those as null
   * counts of their channels. Returns this accumulator.
   *
   * @throws IllegalArgumentException as {@link #add(ChannelSplit, float[], int)}
   */
  public ChannelGridAccumulator add(
      ChannelSplit split, float[] values, int from, boolean[] isNull) {
    axis(split.axis());
    declare(split.channels());
    grow(split.channels());
    if (isNull == null) {
      addRuns(split, values, from);
      return this;
    }
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

  /**
   * {@link ChannelSplit#forEachRun}'s runs of a row with no null, each added straight to its
   * channel's accumulator: one loop instead of a sink and {@link #add(int, float[], int, int)} per
   * run, which C2 compiled each with the whole fill inlined again (JFR {@code jdk.Compilation}, 50
   * tensors of 256 channels). The channels were grown to the split's count.
   */
  private void addRuns(ChannelSplit split, float[] values, int from) {
    int runs = split.runs();
    int stride = split.stride();
    int count = split.channels();
    GrowingGridAccumulator[] slots = channels;
    int channel = 0;
    int start = from;
    for (int k = 0; k < runs; k++) {
      GrowingGridAccumulator a = slots[channel];
      if (a == null) {
        a = GrowingGridAccumulator.dense(domains, bins);
        slots[channel] = a;
      }
      a.add(values, start, start + stride);
      start += stride;
      if (++channel == count) {
        channel = 0;
      }
    }
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
    GrowingGridAccumulator a = channels[channel];
    if (a == null) {
      a = GrowingGridAccumulator.dense(domains, bins);
      channels[channel] = a;
    }
    a.add(values, from, to);
  }

  /**
   * Adds one whole row of {@code channel}: {@code values[0, count)}, of which those {@code isNull}
   * marks are null elements (null: none is), counted apart. {@code values} is left as it was.
   *
   * @throws IllegalArgumentException as {@link #add(int, float[], int, int)}
   */
  public void add(int channel, float[] values, int count, boolean[] isNull) {
    if (isNull == null) {
      add(channel, values, 0, count);
      return;
    }
    float[] present = new float[count];
    int n = 0;
    for (int i = 0; i < count; i++) {
      if (!isNull[i]) {
        present[n++] = values[i];
      }
    }
    add(channel, present, 0, n);
    if (n < count) {
      addNulls(channel, count - n);
    }
  }

  /**
   * Counts {@code n} null elements of {@code channel} (no value: they enter no range).
   *
   * @throws IllegalArgumentException naming the tensor if the channel is out of range, as {@link
   *     #add(int, float[], int, int)}
   */
  public void addNulls(int channel, long n) {
    add(channel, NO_VALUES, 0, 0); // checks the channel, makes its accumulator
    channels[channel].addNulls(n, 0);
  }

  private void grow(int count) {
    if (channels.length < count) {
      if (!domains.isEmpty()) {
        ChannelCountLimit.check(tensor, count, bins, domains.size());
      }
      // Doubling keeps a tensor whose rows come one channel at a time from copying per row.
      channels =
          Arrays.copyOf(
              channels, Math.min(ChannelSplit.MAX_CHANNELS, Math.max(count, 2 * channels.length)));
    }
  }

  /** An empty accumulator of the same tensor, domains and bins. */
  public ChannelGridAccumulator empty() {
    return new ChannelGridAccumulator(tensor, domains, bins);
  }

  /**
   * Adds what {@code other} holds. Returns this accumulator; {@code other} is unchanged.
   *
   * @throws IllegalArgumentException naming the tensor if the axes or declared channel counts
   *     differ, or the two keep different histograms
   */
  public ChannelGridAccumulator merge(ChannelGridAccumulator other) {
    if (bins != other.bins || !domains.equals(other.domains)) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot merge the per-channel states of tensor '%s': %s with %d bins and %s with %d"
                  + " bins",
              tensor, domains, bins, other.domains, other.bins));
    }
    if (other.axis != UNSET) {
      axis(other.axis);
    }
    if (other.declaredChannels != UNSET) {
      declare(other.declaredChannels);
    }
    grow(other.channels.length);
    for (int c = 0; c < other.channels.length; c++) {
      GrowingGridAccumulator o = other.channels[c];
      if (o == null) {
        continue;
      }
      if (channels[c] == null) {
        channels[c] = GrowingGridAccumulator.dense(domains, bins);
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
   * The range statistics alone: one record per channel (empty for a channel with no value), with
   * the recorded axis, or {@code defaultAxis} when none was recorded (channel-column dumps).
   */
  public ChannelRanges snapshot(int defaultAxis) {
    int n = count();
    RangeStats[] out = new RangeStats[n];
    for (int c = 0; c < n; c++) {
      out[c] = c < channels.length && channels[c] != null ? channels[c].stats() : RangeStats.EMPTY;
    }
    return new ChannelRanges(axis != UNSET ? axis : defaultAxis, out);
  }

  /**
   * An immutable copy of everything: {@link #snapshot(int)} and each channel's histograms (each in
   * the grid layout of its channel's statistics; an empty channel's in the narrowest layouts).
   */
  public ChannelStates states(int defaultAxis) {
    ChannelRanges ranges = snapshot(defaultAxis);
    List<Map<Domain, Histogram>> histograms = new ArrayList<>(ranges.count());
    for (int c = 0; c < ranges.count(); c++) {
      GrowingGridAccumulator a =
          c < channels.length && channels[c] != null
              ? channels[c]
              : new GrowingGridAccumulator(domains, bins);
      histograms.add(a.histograms());
    }
    return new ChannelStates(ranges, histograms);
  }

  // What ChannelGridBytes, the compact form, writes and restores (a class of its own for size).
  String tensor() {
    return tensor;
  }

  Set<Domain> domains() {
    return domains;
  }

  int bins() {
    return bins;
  }

  int axisOrUnset() {
    return axis;
  }

  int declaredChannels() {
    return declaredChannels;
  }

  GrowingGridAccumulator[] slots() {
    return channels;
  }

  void restore(int axis, int declaredChannels, GrowingGridAccumulator[] slots) {
    this.axis = axis;
    this.declaredChannels = declaredChannels;
    this.channels = slots;
  }

  /** Java serialization writes {@link ChannelGridForm}. */
  private Object writeReplace() {
    return new ChannelGridForm(this);
  }

  private void readObject(ObjectInputStream in) throws InvalidObjectException {
    throw new InvalidObjectException("a ChannelGridAccumulator is serialized as a ChannelGridForm");
  }
}
