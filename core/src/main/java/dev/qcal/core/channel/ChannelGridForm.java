package dev.qcal.core.channel;

import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.GrowingGridAccumulator;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.util.EnumSet;
import java.util.Set;

/**
 * What Java serialization (Spark's shuffle of the scan's accumulators, within one run) writes for a
 * {@link ChannelGridAccumulator}: the tensor, the domains, the bins, the axis, the declared channel
 * count and the channel slots, then each present channel in {@link
 * GrowingGridAccumulator#toCompactBytes}' compact form. The default form described and reflected
 * every object of every channel (statistics, histogram accumulators, layouts, count arrays): the
 * shuffle's reads were a tenth of a per-channel run's CPU samples (JFR, 50 tensors of 256
 * channels), its bytes four times these.
 */
final class ChannelGridForm implements Serializable {
  private static final long serialVersionUID = 1L;
  private transient ChannelGridAccumulator accumulator;

  ChannelGridForm(ChannelGridAccumulator accumulator) {
    this.accumulator = accumulator;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    ChannelGridAccumulator a = accumulator;
    out.writeObject(a.tensor());
    out.writeByte(a.domains().size());
    for (Domain d : a.domains()) {
      out.writeByte(d.ordinal());
    }
    out.writeInt(a.bins());
    out.writeInt(a.axisOrUnset());
    out.writeInt(a.declaredChannels());
    out.writeInt(a.slots().length);
    for (GrowingGridAccumulator c : a.slots()) {
      out.writeBoolean(c != null);
      if (c != null) {
        GrowingGridAccumulator.write(out, c);
      }
    }
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    String tensor = (String) in.readObject();
    Set<Domain> domains = EnumSet.noneOf(Domain.class);
    Domain[] all = Domain.values();
    for (int i = in.readUnsignedByte(); i > 0; i--) {
      int d = in.readUnsignedByte();
      if (d >= all.length) {
        throw new StreamCorruptedException("domain " + d);
      }
      domains.add(all[d]);
    }
    int bins = in.readInt();
    int axis = in.readInt();
    int declaredChannels = in.readInt();
    int count = in.readInt();
    if (count < 0 || count > ChannelSplit.MAX_CHANNELS) {
      throw new StreamCorruptedException(count + " channel slots");
    }
    GrowingGridAccumulator[] slots = new GrowingGridAccumulator[count];
    for (int c = 0; c < count; c++) {
      if (in.readBoolean()) {
        slots[c] = GrowingGridAccumulator.read(in);
      }
    }
    ChannelGridAccumulator a;
    try {
      a = new ChannelGridAccumulator(tensor, domains, bins);
    } catch (IllegalArgumentException e) {
      throw new StreamCorruptedException(e.getMessage());
    }
    a.restore(axis, declaredChannels, slots);
    accumulator = a;
  }

  private Object readResolve() {
    return accumulator;
  }
}
