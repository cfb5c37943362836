package dev.qcal.jobs.scan;

import dev.qcal.core.channel.ChannelSplit;
import java.io.Serializable;

/**
 * How a pass folds chunks into one mutable accumulator per tensor and partition.
 *
 * @param <A> the accumulator
 */
public interface TensorFold<A> extends Serializable {
  /** A fresh accumulator for {@code tensor}, made the first time a partition sees it. */
  A create(String tensor);

  /** Adds {@code values[from, to)} to {@code acc}. */
  void add(A acc, float[] values, int from, int to);

  /**
   * Counts null elements and rows whose values list was null (no value; see {@link
   * ChunkSink#nulls}).
   */
  void addNulls(A acc, long elements, long rows);

  /**
   * Adds the channels of one whole row of a per-channel tensor (see {@link ChunkSink#channelRow};
   * its values are also added by {@link #add}). A fold that keeps no channel ignores it.
   */
  default void addChannels(
      A acc, ChannelSplit split, int channel, float[] values, int count, boolean[] isNull) {}
}
