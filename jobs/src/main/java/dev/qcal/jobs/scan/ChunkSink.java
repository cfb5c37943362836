package dev.qcal.jobs.scan;

import dev.qcal.core.channel.ChannelSplit;

/**
 * Receives the chunks of one partition: {@code values[from, to)} of one tensor, and apart from the
 * values, the nulls the dump holds. The array is the reader's reused buffer: use the values before
 * returning, never keep the array.
 */
public interface ChunkSink {
  /**
   * One chunk ({@code from == to} for a row with an empty array: the tensor exists, with no value).
   */
  void accept(String tensor, float[] values, int from, int to);

  /**
   * Null elements ({@code elements}) and rows whose values list was null ({@code rows}) of one
   * tensor: no value, so never in a chunk. The tensor exists even if it has nothing else.
   */
  void nulls(String tensor, long elements, long rows);

  /**
   * The channels of one whole row of a per-channel tensor, {@code values[0, count)} with {@code
   * isNull[i]} marking null elements (null: none is): split by {@code split} (a shape column), or,
   * when it is null, all of {@code channel} (a channel column). Its values and nulls then reach
   * {@link #accept} and {@link #nulls} as any row's.
   *
   * @throws IllegalArgumentException when the row does not fit the tensor's earlier rows (axis,
   *     channel count); the scan names the file and row
   */
  default void channelRow(
      String tensor,
      ChannelSplit split,
      int channel,
      float[] values,
      int count,
      boolean[] isNull) {}
}
