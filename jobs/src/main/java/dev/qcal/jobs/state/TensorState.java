package dev.qcal.jobs.state;

import dev.qcal.core.channel.ChannelStates;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.stats.RangeStats;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * One tensor's state: its range statistics and its histograms by domain (those the run built), and
 * for a tensor calibrated per channel, its per-channel state.
 *
 * <p>Java serialization (the states a run does not keep are persisted serialized between its scan
 * and its searches, and read again by every search pass; per-channel states cross a join) writes
 * {@link SerializedForm}: the statistics' bytes and each histogram's sparse form, instead of the
 * object graph of a record, an {@code EnumMap}, the layouts' records and the statistics' fields
 * (reading that graph back was 6% of the executors' CPU at 20 000 tensors, JFR).
 *
 * @param stats range statistics
 * @param histograms histograms by domain
 * @param channels the per-channel state, or null for a tensor calibrated per tensor only
 */
public record TensorState(
    RangeStats stats, Map<Domain, Histogram> histograms, ChannelStates channels)
    implements Serializable {

  /** Copies the histograms. */
  public TensorState {
    EnumMap<Domain, Histogram> copy = new EnumMap<>(Domain.class);
    copy.putAll(histograms);
    histograms = Collections.unmodifiableMap(copy);
  }

  /** The state of a tensor calibrated per tensor only. */
  public TensorState(RangeStats stats, Map<Domain, Histogram> histograms) {
    this(stats, histograms, null);
  }

  private Object writeReplace() {
    return new SerializedForm(this);
  }

  /**
   * The serialized form of a {@link TensorState}: the statistics' {@link RangeStats#toBytes}, the
   * number of histograms and each one's {@link Histogram#writeSparse} form, then the per-channel
   * state (an object: rare, and large only with many channels) or null.
   */
  private static final class SerializedForm implements Serializable {
    private static final long serialVersionUID = 1L;
    private transient TensorState state;

    SerializedForm(TensorState state) {
      this.state = state;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
      byte[] stats = state.stats().toBytes();
      out.writeShort(stats.length);
      out.write(stats);
      out.writeByte(state.histograms().size());
      for (Histogram h : state.histograms().values()) {
        h.writeSparse(out);
      }
      out.writeObject(state.channels());
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      byte[] stats = new byte[in.readUnsignedShort()];
      in.readFully(stats);
      EnumMap<Domain, Histogram> histograms = new EnumMap<>(Domain.class);
      for (int i = in.readUnsignedByte(); i > 0; i--) {
        Histogram h = Histogram.readSparse(in);
        histograms.put(h.domain(), h);
      }
      state =
          new TensorState(RangeStats.fromBytes(stats), histograms, (ChannelStates) in.readObject());
    }

    private Object readResolve() {
      return state;
    }
  }
}
