package dev.qcal.core.channel;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.histogram.HistogramAccumulator;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Mutable accumulator of one tensor's per-channel histograms (pass 2 of a per-channel tensor): one
 * {@link HistogramAccumulator} per domain and channel, made the first time the channel gets a
 * value, each with the layout {@link ChannelSpecs} fixed for it. One per tensor and task; {@link
 * #merge} adds counts (associative and commutative; integer counts, fixed edges), so the histograms
 * do not depend on how the rows were split.
 *
 * <p>The layouts are needed only to add values; an accumulator shipped through a shuffle carries
 * its histograms (with their own layouts) and can merge and snapshot, not add.
 */
public final class ChannelHistogramAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String tensor;
  private final transient ChannelSpecs specs;
  private final Domain[] domains;
  private final HistogramAccumulator[][] histograms;

  /** An empty accumulator of tensor {@code tensor} with the layouts {@code specs}. */
  public ChannelHistogramAccumulator(String tensor, ChannelSpecs specs) {
    this.tensor = tensor;
    this.specs = specs;
    this.domains = specs.domains();
    this.histograms = new HistogramAccumulator[domains.length][specs.channels()];
  }

  /** The channel count. */
  public int channels() {
    return histograms.length == 0 ? 0 : histograms[0].length;
  }

  /**
   * Adds one row split by {@code split}. Returns this accumulator.
   *
   * @throws IllegalArgumentException naming the tensor if the row has more channels than pass 1 saw
   */
  public ChannelHistogramAccumulator add(ChannelSplit split, float[] values, int from) {
    return add(split, values, from, null);
  }

  /**
   * Adds one row split by {@code split}, leaving out the null elements {@code isNull} marks ({@code
   * isNull[i]} for {@code values[from + i]}; null: none is). Returns this accumulator.
   *
   * @throws IllegalArgumentException as {@link #add(ChannelSplit, float[], int)}
   */
  public ChannelHistogramAccumulator add(
      ChannelSplit split, float[] values, int from, boolean[] isNull) {
    split.forEachRun(values, from, isNull, this::add);
    return this;
  }

  /**
   * Bins {@code values[from, to)} into every domain's histogram of {@code channel}.
   *
   * @throws IllegalArgumentException naming the tensor if the channel was not seen in pass 1 (the
   *     input changed during the run)
   */
  public void add(int channel, float[] values, int from, int to) {
    if (specs == null) {
      throw new IllegalStateException(
          "Cannot add values to a shipped per-channel accumulator of tensor '" + tensor + "'");
    }
    if (channel < 0 || channel >= channels()) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot bin channel %d of tensor '%s': pass 1 saw %d channels (did the input change"
                  + " during the run?)",
              channel, tensor, channels()));
    }
    for (int d = 0; d < domains.length; d++) {
      HistogramAccumulator h = histograms[d][channel];
      if (h == null) {
        h = new HistogramAccumulator(specs.spec(d, channel));
        histograms[d][channel] = h;
      }
      h.add(specs.spec(d, channel), values, from, to);
    }
  }

  /**
   * Adds what {@code other} holds. Returns this accumulator; {@code other} is unchanged.
   *
   * @throws IllegalArgumentException if the two have different domains or channel counts
   */
  public ChannelHistogramAccumulator merge(ChannelHistogramAccumulator other) {
    if (other.domains.length != domains.length || other.channels() != channels()) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot merge the per-channel histograms of tensor '%s': %d domains × %d channels and"
                  + " %d × %d",
              tensor, domains.length, channels(), other.domains.length, other.channels()));
    }
    for (int d = 0; d < domains.length; d++) {
      if (domains[d] != other.domains[d]) {
        throw new IllegalArgumentException(
            "Cannot merge the per-channel histograms of tensor '"
                + tensor
                + "': different domains");
      }
      for (int c = 0; c < histograms[d].length; c++) {
        HistogramAccumulator o = other.histograms[d][c];
        if (o == null) {
          continue;
        }
        if (histograms[d][c] == null) {
          histograms[d][c] = new HistogramAccumulator();
        }
        histograms[d][c].merge(o);
      }
    }
    return this;
  }

  /** The per-channel states: {@code ranges} (pass 1's) with these histograms. */
  public ChannelStates states(ChannelRanges ranges) {
    List<Map<Domain, Histogram>> out = new ArrayList<>(ranges.count());
    for (int c = 0; c < ranges.count(); c++) {
      out.add(c < channels() ? snapshot(c) : Map.of());
    }
    return new ChannelStates(ranges, out);
  }

  /** Immutable copies of {@code channel}'s histograms by domain; empty if it got no value. */
  public Map<Domain, Histogram> snapshot(int channel) {
    Map<Domain, Histogram> out = new EnumMap<>(Domain.class);
    for (int d = 0; d < domains.length; d++) {
      HistogramAccumulator h = histograms[d][channel];
      if (h != null) {
        out.put(domains[d], h.snapshot());
      }
    }
    return out;
  }
}
