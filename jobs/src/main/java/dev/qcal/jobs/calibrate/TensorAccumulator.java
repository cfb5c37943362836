package dev.qcal.jobs.calibrate;

import dev.qcal.core.channel.ChannelGridAccumulator;
import dev.qcal.core.channel.ChannelStates;
import dev.qcal.core.histogram.GrowingGridAccumulator;
import dev.qcal.jobs.dump.DumpRowException;
import dev.qcal.jobs.state.StateRow;
import dev.qcal.jobs.state.TensorState;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * One tensor's accumulator in {@link OneScan}: its {@link GrowingGridAccumulator}, and for a tensor
 * calibrated per channel its {@link ChannelGridAccumulator} (null otherwise), built from the same
 * rows in the same scan and merged together. It crosses the shuffle in an {@link AccumulatorBatch},
 * never in Spark's size-tracking maps ({@link ShuffledAccumulators}).
 */
final class TensorAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final GrowingGridAccumulator tensor;
  private ChannelGridAccumulator channels;

  TensorAccumulator(GrowingGridAccumulator tensor, ChannelGridAccumulator channels) {
    this.tensor = tensor;
    this.channels = channels;
  }

  /** The per-tensor accumulator. */
  GrowingGridAccumulator tensor() {
    return tensor;
  }

  /** The per-channel accumulator, or null. */
  ChannelGridAccumulator channels() {
    return channels;
  }

  /**
   * Adds what {@code other} holds (the per-tensor parts, then the per-channel ones). Returns this
   * accumulator; {@code other} is unchanged.
   *
   * @throws DumpRowException naming the tensor when its rows disagree between tasks (axis, channel
   *     count)
   */
  TensorAccumulator merge(TensorAccumulator other) {
    tensor.merge(other.tensor);
    if (other.channels != null) {
      if (channels == null) {
        channels = other.channels.empty();
      }
      try {
        channels.merge(other.channels);
      } catch (IllegalArgumentException e) {
        throw new DumpRowException(e.getMessage());
      }
    }
    return this;
  }

  /**
   * The merged state; a tensor whose rows held no channel (a zero dimension) stays per tensor.
   *
   * @param defaultAxis the axis of tensors whose rows name none (a channel column)
   */
  TensorState state(int defaultAxis) {
    return new TensorState(tensor.stats(), tensor.histograms(), channelStates(defaultAxis));
  }

  /**
   * The merged state's row of {@code state/}: the bytes {@link StateRow#of} gives for {@code name}
   * and {@link #state}, encoded from the accumulators (a small tensor's sparse counts never made
   * into a dense array and encoded again, {@link GrowingGridAccumulator#histogramBytes}; the
   * channels' states never built, {@link ChannelStates#toBytes(ChannelGridAccumulator, int)}).
   *
   * @param defaultAxis the axis of tensors whose rows name none (a channel column)
   */
  StateRow row(String name, int defaultAxis) {
    return new StateRow(
        name.getBytes(StandardCharsets.UTF_8),
        tensor.stats().toBytes(),
        tensor.histogramBytes(),
        channels == null || channels.count() == 0
            ? null
            : ChannelStates.toBytes(channels, defaultAxis));
  }

  /** The per-channel state, or null when not calibrated per channel or without channels. */
  private ChannelStates channelStates(int defaultAxis) {
    ChannelStates c = channels == null ? null : channels.states(defaultAxis);
    return c == null || c.count() == 0 ? null : c;
  }
}
