package dev.qcal.core.histogram;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * What Java serialization writes for a {@link Histogram} (Spark's shuffles and persisted blocks,
 * within one run): its {@link Histogram#writeSparse} bytes, a few per non-empty bin, instead of the
 * default form's two arrays of 2 048 longs and doubles.
 */
final class SerializedHistogram implements Serializable {
  private static final long serialVersionUID = 2L;
  private transient Histogram histogram;

  SerializedHistogram(Histogram histogram) {
    this.histogram = histogram;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    histogram.writeSparse(out);
  }

  private void readObject(ObjectInputStream in) throws IOException {
    histogram = Histogram.readSparse(in);
  }

  private Object readResolve() {
    return histogram;
  }
}
