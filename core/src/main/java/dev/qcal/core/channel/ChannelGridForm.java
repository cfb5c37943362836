package dev.qcal.core.channel;

import dev.qcal.core.histogram.LengthPrefixedBytes;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;

/**
 * What Java serialization (Spark's shuffles of per-channel accumulators, within one run) writes for
 * a {@link ChannelGridAccumulator}: its {@link ChannelGridBytes} form, length-prefixed, one array.
 * The default form described and reflected every object of every channel (statistics, histogram
 * accumulators, layouts, count arrays): the shuffle's reads were a tenth of a per-channel run's CPU
 * samples (JFR, 50 tensors of 256 channels), its bytes four times these.
 */
final class ChannelGridForm implements Serializable {
  private static final long serialVersionUID = 1L;
  private transient ChannelGridAccumulator accumulator;

  ChannelGridForm(ChannelGridAccumulator accumulator) {
    this.accumulator = accumulator;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    // All channels in one buffer, written at once: per channel, a stream write and an array of
    // its own made the serialization's own paths hot enough for C2 to compile them in a run of
    // 50 tensors of 256 channels (JFR jdk.Compilation).
    ByteBuffer buffer =
        ChannelGridBytes.put(
            accumulator, ByteBuffer.allocate(Math.max(64, accumulator.slots().length * 512)));
    out.writeInt(buffer.position());
    out.write(buffer.array(), 0, buffer.position());
  }

  private void readObject(ObjectInputStream in) throws IOException {
    accumulator = LengthPrefixedBytes.read(in, ChannelGridForm::whole);
  }

  /** The accumulator that is the whole of {@code bytes}. */
  private static ChannelGridAccumulator whole(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    ChannelGridAccumulator a = ChannelGridBytes.get(in);
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(in.remaining() + " bytes after the last channel");
    }
    return a;
  }

  private Object readResolve() {
    return accumulator;
  }
}
