package dev.qcal.core.histogram;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

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

  /**
   * The form of a histogram with these fields (spec null for explicit edges), encoded straight into
   * an array of its exact size: a state's rows hold one per domain and tensor (2 048 varints each),
   * and a {@code DataOutputStream} over a {@code ByteArrayOutputStream} made every byte a
   * synchronized call, the top frame of writing a 20 000-tensor state. The bytes are the ones
   * {@code DataOutput} writes: big-endian, doubles as {@link Double#doubleToLongBits}.
   */
  static byte[] write(
      Domain domain,
      HistogramSpec spec,
      double[] edges,
      long[] counts,
      long below,
      long above,
      long nan) {
    int size = headerSize(domain, spec, edges, below, above, nan);
    for (long c : counts) {
      size += varLongSize(c);
    }
    byte[] out = new byte[size];
    int at = putHeader(out, domain, spec, edges, counts.length, below, above, nan);
    for (long c : counts) {
      at = putVarLong(out, at, c);
    }
    return out;
  }

  /**
   * {@link #write}'s bytes for a histogram of layout {@code spec} whose non-empty bins are {@code
   * bins} (ascending) with {@code counts} (parallel, none zero), the others empty: the form of a
   * small tensor's sparse counts ({@link SparseCounts}) without a dense array of every bin. An
   * empty bin is the varint 0, one zero byte, which the new array already holds: only the non-empty
   * bins are written, each at its bin's offset plus the extra bytes of the counts before it.
   */
  static byte[] writeSparse(
      HistogramSpec spec, int[] bins, long[] counts, long below, long above, long nan) {
    int size = headerSize(spec.domain(), spec, null, below, above, nan) + spec.binCount();
    for (long c : counts) {
      size += varLongSize(c) - 1;
    }
    byte[] out = new byte[size];
    int at = putHeader(out, spec.domain(), spec, null, spec.binCount(), below, above, nan);
    int previous = -1;
    for (int i = 0; i < bins.length; i++) {
      at = putVarLong(out, at + bins[i] - previous - 1, counts[i]);
      previous = bins[i];
    }
    return out;
  }

  /** Whether the form has a layout byte: version 2, written for grid layouts but LOG2's. */
  private static boolean hasLayoutByte(Domain domain, HistogramSpec spec) {
    return spec != null && spec.layout() == HistogramLayout.GRID && domain != Domain.LOG2;
  }

  /** The bytes of the form before the bin counts. */
  private static int headerSize(
      Domain domain, HistogramSpec spec, double[] edges, long below, long above, long nan) {
    return (hasLayoutByte(domain, spec) ? 4 : 3)
        + 1
        + Integer.BYTES
        + Double.BYTES * (spec != null ? 2 : edges.length)
        + varLongSize(below)
        + varLongSize(above)
        + varLongSize(nan);
  }

  /** Puts the form's bytes before the bin counts; returns the index after them. */
  private static int putHeader(
      byte[] out,
      Domain domain,
      HistogramSpec spec,
      double[] edges,
      int binCount,
      long below,
      long above,
      long nan) {
    boolean grid = hasLayoutByte(domain, spec);
    int at = 0;
    out[at++] = MAGIC;
    out[at++] = grid ? FORMAT_VERSION_LAYOUT : FORMAT_VERSION;
    out[at++] = (byte) domain.ordinal();
    if (grid) {
      out[at++] = (byte) spec.layout().ordinal();
    }
    out[at++] = (byte) (spec != null ? 1 : 0);
    INT.set(out, at, binCount);
    at += Integer.BYTES;
    if (spec != null) {
      at = putDouble(out, at, spec.lo());
      at = putDouble(out, at, spec.hi());
    } else {
      for (double e : edges) {
        at = putDouble(out, at, e);
      }
    }
    at = putVarLong(out, at, below);
    at = putVarLong(out, at, above);
    return putVarLong(out, at, nan);
  }

  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private static int putDouble(byte[] out, int at, double v) {
    LONG.set(out, at, Double.doubleToLongBits(v));
    return at + Double.BYTES;
  }

  /** The bytes of {@code v} as an unsigned LEB128 varint: 7 bits a byte, at least one. */
  static int varLongSize(long v) {
    return Math.max(1, (Long.SIZE - Long.numberOfLeadingZeros(v) + 6) / 7);
  }

  /** Puts {@code v} as an unsigned LEB128 varint at {@code at}; returns the index after it. */
  static int putVarLong(byte[] out, int at, long v) {
    while ((v & ~0x7FL) != 0) {
      out[at++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out[at++] = (byte) v;
    return at;
  }

  /**
   * Reads the form written by {@link #write}, straight from the array (a {@code DataInputStream}
   * made every byte a synchronized call: most of decoding a state of 20 000 tensors, JFR).
   *
   * @throws IllegalArgumentException if the bytes are not a histogram of a known version
   */
  static Histogram read(byte[] bytes) {
    if (bytes.length < 8 || bytes[0] != MAGIC) {
      throw new IllegalArgumentException(
          "Cannot read a histogram: not a qcal histogram record (" + bytes.length + " bytes)");
    }
    byte version = bytes[1];
    if (version != FORMAT_VERSION && version != FORMAT_VERSION_LAYOUT) {
      throw new IllegalArgumentException(
          "Cannot read a histogram: unknown format version " + version);
    }
    try {
      Reader in = new Reader(bytes, 2);
      Domain domain = Domain.values()[in.bytes[in.at++]];
      HistogramLayout layout =
          version == FORMAT_VERSION_LAYOUT
              ? HistogramLayout.values()[in.bytes[in.at++]]
              : HistogramLayout.RANGE;
      boolean uniform = in.bytes[in.at++] != 0;
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
      long below = in.readVarLong();
      long above = in.readVarLong();
      long nan = in.readVarLong();
      long[] counts = new long[n];
      int[] nonEmpty = nonEmptyScratch(n);
      int k = 0;
      long total = 0;
      // Every value's sign bit, or-ed: a count of ten bytes can set it, and Histogram.of refuses
      // it.
      long signs = below | above | nan;
      for (int j = 0; j < n; j++) {
        long c = in.readVarLong();
        counts[j] = c;
        signs |= c;
        total += c;
        nonEmpty[k] = j;
        k += c != 0 ? 1 : 0; // branch-free, as NonEmptyBins.of
      }
      if (in.at != bytes.length) {
        throw new IllegalArgumentException(
            "Cannot read a histogram: " + (bytes.length - in.at) + " trailing bytes");
      }
      if (uniform) {
        // The counts array is new and checked: kept as it is, not checked and copied again, with
        // the total and non-empty bins found on the way.
        return signs < 0
            ? Histogram.of(spec, counts, below, above, nan)
            : new Histogram(domain, spec, null, counts, below, above, nan)
                .withFound(total, new NonEmptyBins(Arrays.copyOf(nonEmpty, k)));
      }
      return Histogram.withEdges(domain, edges, counts).withOutsideCounts(below, above, nan);
    } catch (IndexOutOfBoundsException | NegativeArraySizeException e) {
      throw new IllegalArgumentException("Cannot read a histogram: truncated or corrupt record", e);
    }
  }

  /** Per-thread room for the non-empty bins {@link #read} finds, grown on demand. */
  private static final ThreadLocal<int[]> NON_EMPTY = ThreadLocal.withInitial(() -> new int[0]);

  private static int[] nonEmptyScratch(int n) {
    int[] out = NON_EMPTY.get();
    if (out.length < n) {
      out = new int[n];
      NON_EMPTY.set(out);
    }
    return out;
  }

  /** A cursor over a byte array, reading what {@link #write} puts. */
  private static final class Reader {
    private final byte[] bytes;
    private int at;

    Reader(byte[] bytes, int at) {
      this.bytes = bytes;
      this.at = at;
    }

    int readInt() {
      int v = (int) INT.get(bytes, at);
      at += Integer.BYTES;
      return v;
    }

    double readDouble() {
      double v = Double.longBitsToDouble((long) LONG.get(bytes, at));
      at += Double.BYTES;
      return v;
    }

    /** An unsigned LEB128 varint; a corrupt one longer than 64 bits is an index error. */
    long readVarLong() {
      // One byte (an empty bin, a count under 128) is most of a state's bins: no loop for it.
      int first = bytes[at];
      if (first >= 0) {
        at++;
        return first;
      }
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = bytes[at++];
        v |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return v;
        }
      }
      throw new IndexOutOfBoundsException("varint longer than 64 bits");
    }
  }

  /** Puts {@code v} as an unsigned LEB128 varint ({@link #varLongSize} bytes). */
  static void putVarLong(ByteBuffer out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.put((byte) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.put((byte) v);
  }

  /**
   * Gets an unsigned LEB128 varint.
   *
   * @throws IllegalArgumentException if it runs past 64 bits
   * @throws java.nio.BufferUnderflowException if the buffer ends inside it
   */
  static long getVarLong(ByteBuffer in) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = in.get() & 0xFF;
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("varint longer than 64 bits");
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
