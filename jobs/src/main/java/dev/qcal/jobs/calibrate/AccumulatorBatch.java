package dev.qcal.jobs.calibrate;

import dev.qcal.core.channel.ChannelGridAccumulator;
import dev.qcal.core.channel.ChannelGridBytes;
import dev.qcal.core.histogram.ByteBuffers;
import dev.qcal.core.histogram.GrowingGridAccumulator;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.function.BiConsumer;

/**
 * Many tensors' accumulators in one byte array, the record the scan's shuffle carries ({@link
 * ShuffledAccumulators}): for each tensor its name (length, then its UTF-16 chars: exact for any
 * Java string), whether it has channels, its {@link GrowingGridAccumulator#putCompact compact
 * form}, and a per-channel tensor's {@link ChannelGridAccumulator} in {@link ChannelGridBytes}'
 * form. Java serialization then sees one array per batch instead of a name, a {@link
 * TensorAccumulator} and its accumulators' serialized forms per tensor; a per-channel accumulator
 * had its own {@code ObjectOutputStream} in the batch (class descriptors written and read again per
 * tensor, the streams' generic paths compiled by C2 in per-channel runs only, JFR).
 */
final class AccumulatorBatch {
  private ByteBuffer buffer = ByteBuffer.allocate(4096);

  /** Puts {@code tensor}'s accumulator. */
  void add(String tensor, TensorAccumulator a) {
    GrowingGridAccumulator t = a.tensor();
    ChannelGridAccumulator channels = a.channels();
    room(ByteBuffers.nameBytes(tensor) + 1 + t.compactBound());
    ByteBuffers.putName(buffer, tensor);
    buffer.put((byte) (channels == null ? 0 : 1));
    t.putCompact(buffer);
    if (channels != null) {
      buffer = ChannelGridBytes.put(channels, buffer);
    }
  }

  /** The bytes put so far. */
  int size() {
    return buffer.position();
  }

  /** The bytes put so far, in an array of their length. */
  byte[] toBytes() {
    byte[] out = new byte[buffer.position()];
    System.arraycopy(buffer.array(), 0, out, 0, out.length);
    return out;
  }

  /**
   * Hands each (tensor, accumulator) of {@code batch} to {@code each}, in the order they were put.
   *
   * @throws IllegalArgumentException if the bytes are not a batch
   */
  static void forEach(byte[] batch, BiConsumer<String, TensorAccumulator> each) {
    ByteBuffer in = ByteBuffer.wrap(batch);
    try {
      while (in.hasRemaining()) {
        String name = ByteBuffers.getName(in);
        boolean hasChannels = in.get() != 0;
        GrowingGridAccumulator t = GrowingGridAccumulator.getCompact(in);
        ChannelGridAccumulator c = hasChannels ? ChannelGridBytes.get(in) : null;
        each.accept(name, new TensorAccumulator(t, c));
      }
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException(
          "Cannot read the scan's accumulators: the batch is cut short or corrupt", e);
    }
  }

  /** Makes room for {@code n} more bytes. */
  private void room(int n) {
    buffer = ByteBuffers.withRoom(buffer, n);
  }
}
