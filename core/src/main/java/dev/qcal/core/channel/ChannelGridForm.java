package dev.qcal.core.channel;

import dev.qcal.core.histogram.ByteBuffers;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.GrowingGridAccumulator;
import dev.qcal.core.histogram.LengthPrefixedBytes;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.StreamCorruptedException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;

/**
 * What Java serialization (Spark's shuffle of the scan's accumulators, within one run) writes for a
 * {@link ChannelGridAccumulator}: the tensor, the domains, the bins, the axis, the declared channel
 * count and the channel slots, then one length-prefixed array holding each slot's presence and each
 * present channel in {@link GrowingGridAccumulator#putCompact}'s compact form. The default form
 * described and reflected every object of every channel (statistics, histogram accumulators,
 * layouts, count arrays): the shuffle's reads were a tenth of a per-channel run's CPU samples (JFR,
 * 50 tensors of 256 channels), its bytes four times these.
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
    GrowingGridAccumulator[] slots = a.slots();
    out.writeInt(slots.length);
    // All channels in one buffer, written at once: per channel, a stream write and an array of
    // its own made the serialization's own paths hot enough for C2 to compile them in a run of
    // 50 tensors of 256 channels (JFR jdk.Compilation).
    ByteBuffer buffer = ByteBuffer.allocate(Math.max(64, slots.length * 512));
    for (GrowingGridAccumulator c : slots) {
      buffer = ByteBuffers.withRoom(buffer, 1 + (c == null ? 0 : c.compactBound()));
      buffer.put((byte) (c != null ? 1 : 0));
      if (c != null) {
        c.putCompact(buffer);
      }
    }
    out.writeInt(buffer.position());
    out.write(buffer.array(), 0, buffer.position());
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
    GrowingGridAccumulator[] slots =
        LengthPrefixedBytes.read(in, bytes -> slots(ByteBuffer.wrap(bytes), count));
    ChannelGridAccumulator a;
    try {
      a = new ChannelGridAccumulator(tensor, domains, bins);
    } catch (IllegalArgumentException e) {
      throw new StreamCorruptedException(e.getMessage());
    }
    a.restore(axis, declaredChannels, slots);
    accumulator = a;
  }

  /**
   * The {@code count} channel slots in {@code in}, as {@link #writeObject} puts them.
   *
   * @throws IllegalArgumentException if the bytes are not that form
   */
  private static GrowingGridAccumulator[] slots(ByteBuffer in, int count) {
    GrowingGridAccumulator[] slots = new GrowingGridAccumulator[count];
    try {
      for (int c = 0; c < count; c++) {
        if (in.get() != 0) {
          slots[c] = GrowingGridAccumulator.getCompact(in);
        }
      }
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("the channels are cut short", e);
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(in.remaining() + " bytes after the last channel");
    }
    return slots;
  }

  private Object readResolve() {
    return accumulator;
  }
}
