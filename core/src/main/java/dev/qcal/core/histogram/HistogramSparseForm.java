package dev.qcal.core.histogram;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A histogram's sparse binary form, used within one run (Java serialization in Spark's shuffles, a
 * per-tensor state between the scan and the searches), never kept in a file: the domain, the bin
 * count, the layout (or the explicit edges), the outside counts, then the non-empty bins only
 * ({@link SparseCounts#putDense}: (gap from the previous one, count) varint pairs, one array).
 */
final class HistogramSparseForm {
  private HistogramSparseForm() {}

  /** Writes the form of a histogram's fields (not copied). */
  static void write(
      DataOutput out,
      Domain domain,
      HistogramSpec spec,
      double[] edges,
      long[] counts,
      long below,
      long above,
      long nan)
      throws IOException {
    out.writeByte(domain.ordinal());
    out.writeInt(counts.length);
    out.writeBoolean(spec != null);
    if (spec != null) {
      out.writeByte(spec.layout().ordinal());
      out.writeDouble(spec.lo());
      out.writeDouble(spec.hi());
    } else {
      for (double e : edges) {
        out.writeDouble(e);
      }
    }
    HistogramBytes.writeVarLong(out, below);
    HistogramBytes.writeVarLong(out, above);
    HistogramBytes.writeVarLong(out, nan);
    byte[] bins = new byte[SparseCounts.compactSize(counts)];
    SparseCounts.putDense(ByteBuffer.wrap(bins), counts);
    LengthPrefixedBytes.write(out, bins);
  }

  /** Reads the form {@link #write} writes. */
  static Histogram read(DataInput in) throws IOException {
    Domain domain = Domain.values()[in.readUnsignedByte()];
    int n = in.readInt();
    HistogramSpec spec = null;
    double[] edges = null;
    if (in.readBoolean()) {
      HistogramLayout layout = HistogramLayout.values()[in.readUnsignedByte()];
      double lo = in.readDouble();
      spec = new HistogramSpec(domain, lo, in.readDouble(), n, layout);
    } else {
      edges = new double[n + 1];
      for (int j = 0; j <= n; j++) {
        edges[j] = in.readDouble();
      }
    }
    long below = HistogramBytes.readVarLong(in);
    long above = HistogramBytes.readVarLong(in);
    long nan = HistogramBytes.readVarLong(in);
    long[] counts = new long[n];
    LengthPrefixedBytes.read(
        in,
        bins -> {
          SparseCounts.getDense(ByteBuffer.wrap(bins), counts);
          return counts;
        });
    return new Histogram(domain, spec, edges, counts, below, above, nan);
  }
}
