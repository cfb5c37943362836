package dev.qcal.core.histogram;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * What Java serialization writes for a {@link GrowingGridAccumulator}: the length and bytes of
 * {@link GrowingGridAccumulator#toCompactBytes}, instead of the default form's graph of objects
 * (statistics, histogram accumulators, layouts, count arrays), each with its class and fields to
 * describe and, when read, to reflect into.
 */
final class GrowingGridForm implements Serializable {
  private static final long serialVersionUID = 1L;
  private transient GrowingGridAccumulator accumulator;

  GrowingGridForm(GrowingGridAccumulator accumulator) {
    this.accumulator = accumulator;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    LengthPrefixedBytes.write(out, accumulator.toCompactBytes());
  }

  private void readObject(ObjectInputStream in) throws IOException {
    accumulator = LengthPrefixedBytes.read(in, GrowingGridAccumulator::fromCompactBytes);
  }

  private Object readResolve() {
    return accumulator;
  }
}
