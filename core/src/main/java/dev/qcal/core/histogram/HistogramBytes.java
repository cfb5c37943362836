package dev.qcal.core.histogram;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The binary form of a {@link Histogram} ({@link Histogram#toBytes}, {@link Histogram#fromBytes}):
 * a magic byte and a version, the domain (and for a grid the layout), the uniform range or the
 * explicit edges, then the outside counts and every bin count as an unsigned LEB128 varint (one
 * byte for an empty bin). Version 1 has no layout byte (a range layout, or LOG2); version 2,
 * written for grid layouts only, has one after the domain.
 */
final class HistogramBytes {
  private static final byte MAGIC = 'H';
  private static final byte FORMAT_VERSION = 1;
  private static final byte FORMAT_VERSION_LAYOUT = 2;

  private HistogramBytes() {}

  /** The form of a histogram with these fields (spec null for explicit edges). */
  static byte[] write(
      Domain domain,
      HistogramSpec spec,
      double[] edges,
      long[] counts,
      long below,
      long above,
      long nan) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + counts.length * 2);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      boolean grid = spec != null && spec.layout() == HistogramLayout.GRID && domain != Domain.LOG2;
      out.writeByte(MAGIC);
      out.writeByte(grid ? FORMAT_VERSION_LAYOUT : FORMAT_VERSION);
      out.writeByte(domain.ordinal());
      if (grid) {
        out.writeByte(spec.layout().ordinal());
      }
      out.writeBoolean(spec != null);
      out.writeInt(counts.length);
      if (spec != null) {
        out.writeDouble(spec.lo());
        out.writeDouble(spec.hi());
      } else {
        for (double e : edges) {
          out.writeDouble(e);
        }
      }
      writeVarLong(out, below);
      writeVarLong(out, above);
      writeVarLong(out, nan);
      for (long c : counts) {
        writeVarLong(out, c);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads the form written by {@link #write}.
   *
   * @throws IllegalArgumentException if the bytes are not a histogram of a known version
   */
  static Histogram read(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      if (bytes.length < 8 || in.readByte() != MAGIC) {
        throw new IllegalArgumentException(
            "Cannot read a histogram: not a qcal histogram record (" + bytes.length + " bytes)");
      }
      byte version = in.readByte();
      if (version != FORMAT_VERSION && version != FORMAT_VERSION_LAYOUT) {
        throw new IllegalArgumentException(
            "Cannot read a histogram: unknown format version " + version);
      }
      Domain domain = Domain.values()[in.readByte()];
      HistogramLayout layout =
          version == FORMAT_VERSION_LAYOUT
              ? HistogramLayout.values()[in.readByte()]
              : HistogramLayout.RANGE;
      boolean uniform = in.readBoolean();
      int n = in.readInt();
      HistogramSpec spec = null;
      double[] edges = null;
      if (uniform) {
        spec = new HistogramSpec(domain, in.readDouble(), in.readDouble(), n, layout);
      } else {
        edges = new double[n + 1];
        for (int j = 0; j <= n; j++) {
          edges[j] = in.readDouble();
        }
      }
      long below = readVarLong(in);
      long above = readVarLong(in);
      long nan = readVarLong(in);
      long[] counts = new long[n];
      for (int j = 0; j < n; j++) {
        counts[j] = readVarLong(in);
      }
      if (in.available() != 0) {
        throw new IllegalArgumentException(
            "Cannot read a histogram: " + in.available() + " trailing bytes");
      }
      if (uniform) {
        return Histogram.of(spec, counts, below, above, nan);
      }
      return Histogram.withEdges(domain, edges, counts).withOutsideCounts(below, above, nan);
    } catch (IOException | ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("Cannot read a histogram: truncated or corrupt record", e);
    }
  }

  /** Writes {@code v} as an unsigned LEB128 varint. */
  static void writeVarLong(DataOutput out, long v) throws IOException {
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  /** Reads an unsigned LEB128 varint. */
  static long readVarLong(DataInput in) throws IOException {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.readUnsignedByte();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IOException("varint longer than 64 bits");
  }
}
