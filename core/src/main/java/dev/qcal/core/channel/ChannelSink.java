package dev.qcal.core.channel;

/** Receives the runs of one row that belong to one channel: {@code values[from, to)}. */
@FunctionalInterface
public interface ChannelSink {
  /** One contiguous run of {@code channel}'s values. */
  void accept(int channel, float[] values, int from, int to);

  /** {@code count} null elements of {@code channel} (no value); ignored unless overridden. */
  default void nulls(int channel, int count) {}
}
