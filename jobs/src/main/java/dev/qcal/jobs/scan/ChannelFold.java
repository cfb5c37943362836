package dev.qcal.jobs.scan;

import dev.qcal.core.channel.ChannelSplit;
import java.io.Serializable;

/**
 * How a per-channel pass folds rows into one accumulator per tensor and task.
 *
 * @param <A> the accumulator
 */
public interface ChannelFold<A> extends Serializable {
  /** A fresh accumulator for {@code tensor}. */
  A create(String tensor);

  /** Adds a row whose values all belong to {@code channel} (a channel column). */
  void add(A acc, int channel, float[] values, int from, int to);

  /** Counts {@code count} null elements of a row of {@code channel} (a channel column). */
  void addNulls(A acc, int channel, long count);

  /**
   * Adds a row split into channels by {@code split} (a shape column), whose elements {@code isNull}
   * marks are null ({@code isNull[i]} for {@code values[from + i]}; null when none is).
   */
  void add(A acc, ChannelSplit split, float[] values, int from, boolean[] isNull);
}
