package dev.qcal.jobs.calibrate;

import dev.qcal.core.channel.ChannelGridAccumulator;
import dev.qcal.core.histogram.ByteBuffers;
import dev.qcal.core.histogram.GrowingGridAccumulator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.function.BiConsumer;

/**
 * Many tensors' accumulators in one byte array, the record the scan's shuffle carries ({@link
 * ShuffledAccumulators}): for each tensor its name (length, then its UTF-16 chars: exact for any
 * Java string), whether it has channels, its {@link GrowingGridAccumulator#putCompact compact
 * form}, and a per-channel tensor's {@link ChannelGridAccumulator} as the bytes of its own Java
 * serialized form (length-prefixed). Java serialization then sees one array per batch instead of a
 * name, a {@link TensorAccumulator} and its accumulators' serialized forms per tensor.
 */
final class AccumulatorBatch {
  private ByteBuffer buffer = ByteBuffer.allocate(4096);

  /** Puts {@code tensor}'s accumulator. */
  void add(String tensor, TensorAccumulator a) {
    GrowingGridAccumulator t = a.tensor();
    ChannelGridAccumulator channels = a.channels();
    room(Integer.BYTES + 2 * tensor.length() + 1 + t.compactBound() + Integer.BYTES);
    buffer.putInt(tensor.length());
    for (int i = 0; i < tensor.length(); i++) {
      buffer.putChar(tensor.charAt(i));
    }
    buffer.put((byte) (channels == null ? 0 : 1));
    t.putCompact(buffer);
    if (channels != null) {
      int at = buffer.position();
      buffer.putInt(0);
      javaSerialize(channels);
      buffer.putInt(at, buffer.position() - at - Integer.BYTES);
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
        int length = in.getInt();
        if (length < 0 || length > in.remaining() / 2) {
          throw new IllegalArgumentException("a tensor name of " + length + " chars");
        }
        char[] name = new char[length];
        for (int i = 0; i < length; i++) {
          name[i] = in.getChar();
        }
        boolean hasChannels = in.get() != 0;
        GrowingGridAccumulator t = GrowingGridAccumulator.getCompact(in);
        ChannelGridAccumulator c = null;
        if (hasChannels) {
          int n = in.getInt();
          if (n < 0 || n > in.remaining()) {
            throw new IllegalArgumentException("a channel form of " + n + " bytes");
          }
          c = javaDeserialized(batch, in.position(), n);
          in.position(in.position() + n);
        }
        each.accept(new String(name), new TensorAccumulator(t, c));
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

  /**
   * Puts a per-channel accumulator's Java serialized form (its own compact one, which its package
   * keeps: a few dozen per-channel tensors a task, each one buffer of all its channels), written
   * straight into the batch.
   */
  private void javaSerialize(ChannelGridAccumulator c) {
    OutputStream into =
        new OutputStream() {
          @Override
          public void write(int b) {
            room(1);
            buffer.put((byte) b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            room(len);
            buffer.put(b, off, len);
          }
        };
    try (ObjectOutputStream out = new ObjectOutputStream(into)) {
      out.writeObject(c);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ChannelGridAccumulator javaDeserialized(byte[] batch, int offset, int length) {
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(batch, offset, length))) {
      return (ChannelGridAccumulator) in.readObject();
    } catch (IOException | ClassNotFoundException | ClassCastException e) {
      throw new IllegalArgumentException("Cannot read a per-channel accumulator: " + e, e);
    }
  }
}
