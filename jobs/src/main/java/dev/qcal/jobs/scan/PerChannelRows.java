package dev.qcal.jobs.scan;

import dev.qcal.jobs.dump.ChannelSource;
import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * Which rows the scan hands over whole with their channels ({@link ChunkSink#channelRow}): those of
 * the tensors {@code perChannel} matches (null: every tensor), whose channels come from {@code
 * source}.
 *
 * @param source the channel or shape column, and the axis
 * @param perChannel {@code --per-channel-tensors}, or null for every tensor
 */
public record PerChannelRows(ChannelSource source, Pattern perChannel) implements Serializable {
  /** Whether tensor {@code name} is calibrated per channel. */
  public boolean selects(String name) {
    return perChannel == null || perChannel.matcher(name).matches();
  }

  /** The axis recorded for rows that name no axis (a channel column): the source's, at least 0. */
  public int defaultAxis() {
    return Math.max(0, source.axis());
  }
}
