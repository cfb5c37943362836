package dev.qcal.jobs.read;

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

  /** Adds a row split into channels by {@code split} (a shape column). */
  void add(A acc, ChannelSplit split, float[] values, int from);
}
