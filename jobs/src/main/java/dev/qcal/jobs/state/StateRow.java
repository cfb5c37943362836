package dev.qcal.jobs.state;

import dev.qcal.core.channel.ChannelStates;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.stats.RangeStats;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;

/**
 * One tensor's row of a state's data file, encoded: the tensor name's UTF-8 bytes, the stats, a
 * histogram per domain in {@link Domain#values()} order (null where not built), and the per-channel
 * state (null for a tensor calibrated per tensor only).
 */
public record StateRow(byte[] tensor, byte[] stats, byte[][] histograms, byte[] channels)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The row of {@code tensor}'s {@code state}. */
  public static StateRow of(String tensor, TensorState state) {
    byte[][] h = new byte[Domain.values().length][];
    for (Domain d : Domain.values()) {
      var histogram = state.histograms().get(d);
      h[d.ordinal()] = histogram == null ? null : histogram.toBytes();
    }
    return new StateRow(
        tensor.getBytes(StandardCharsets.UTF_8),
        state.stats().toBytes(),
        h,
        state.channels() == null ? null : state.channels().toBytes());
  }

  /** The state this row encodes: the inverse of {@link #of}. */
  public TensorState state() {
    EnumMap<Domain, Histogram> h = new EnumMap<>(Domain.class);
    for (Domain d : Domain.values()) {
      if (histograms[d.ordinal()] != null) {
        h.put(d, Histogram.fromBytes(histograms[d.ordinal()]));
      }
    }
    return new TensorState(
        RangeStats.fromBytes(stats),
        h,
        channels == null ? null : ChannelStates.fromBytes(channels));
  }
}
