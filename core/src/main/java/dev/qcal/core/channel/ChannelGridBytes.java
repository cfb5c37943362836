package dev.qcal.core.channel;

import dev.qcal.core.histogram.ByteBuffers;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.GrowingGridAccumulator;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;

/**
 * A {@link ChannelGridAccumulator} in a compact byte form, within one run (never a file): the
 * tensor's name (its length, then its UTF-16 chars), the domains, the bins, the axis, the declared
 * channel count and the channel slots, then each slot's presence and each present channel in {@link
 * GrowingGridAccumulator#putCompact}'s form. Put straight into a buffer that many accumulators
 * share (the one scan's shuffle batches): a per-channel accumulator there went through an {@code
 * ObjectOutputStream} of its own, whose class descriptors and generic paths each task wrote and
 * read again per tensor, and through a buffer of its own copied into the batch. Java serialization
 * ({@link ChannelGridForm}) writes the same bytes.
 */
public final class ChannelGridBytes {
  private ChannelGridBytes() {}

  /**
   * Puts {@code a}'s form at {@code out}'s position, and returns the buffer it is in: {@code out},
   * or a larger copy when it had no room left ({@link ByteBuffers#withRoom}).
   */
  public static ByteBuffer put(ChannelGridAccumulator a, ByteBuffer out) {
    String tensor = a.tensor();
    Set<Domain> domains = a.domains();
    GrowingGridAccumulator[] slots = a.slots();
    ByteBuffer buffer =
        ByteBuffers.withRoom(
            out, ByteBuffers.nameBytes(tensor) + 4 * Integer.BYTES + 1 + domains.size());
    ByteBuffers.putName(buffer, tensor);
    buffer.put((byte) domains.size());
    for (Domain d : domains) {
      buffer.put((byte) d.ordinal());
    }
    buffer.putInt(a.bins());
    buffer.putInt(a.axisOrUnset());
    buffer.putInt(a.declaredChannels());
    buffer.putInt(slots.length);
    for (GrowingGridAccumulator c : slots) {
      buffer = ByteBuffers.withRoom(buffer, 1 + (c == null ? 0 : c.compactBound()));
      buffer.put((byte) (c != null ? 1 : 0));
      if (c != null) {
        c.putCompact(buffer);
      }
    }
    return buffer;
  }

  /**
   * Reads one accumulator in {@link #put}'s form from {@code in}'s position, leaving it just after.
   *
   * @throws IllegalArgumentException if the bytes there are not that form
   */
  public static ChannelGridAccumulator get(ByteBuffer in) {
    try {
      String name = ByteBuffers.getName(in);
      Set<Domain> domains = EnumSet.noneOf(Domain.class);
      Domain[] all = Domain.values();
      for (int i = in.get() & 0xFF; i > 0; i--) {
        int d = in.get() & 0xFF;
        if (d >= all.length) {
          throw new IllegalArgumentException("domain " + d);
        }
        domains.add(all[d]);
      }
      int bins = in.getInt();
      int axis = in.getInt();
      int declaredChannels = in.getInt();
      int count = in.getInt();
      if (count < 0 || count > ChannelSplit.MAX_CHANNELS) {
        throw new IllegalArgumentException(count + " channel slots");
      }
      ChannelGridAccumulator a = new ChannelGridAccumulator(name, domains, bins);
      GrowingGridAccumulator[] slots = new GrowingGridAccumulator[count];
      for (int c = 0; c < count; c++) {
        if (in.get() != 0) {
          slots[c] = GrowingGridAccumulator.getCompact(in);
        }
      }
      a.restore(axis, declaredChannels, slots);
      return a;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException(
          "Cannot read a per-channel accumulator: the record is cut short", e);
    }
  }
}
