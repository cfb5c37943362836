package dev.qcal.core.histogram;

import java.io.Serializable;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The non-empty bins of a histogram as two parallel arrays sorted by bin, exactly as long as the
 * number of non-empty bins: how {@link HistogramAccumulator} holds a small tensor's counts (a
 * 200-value tensor fills at most 200 of 2048 bins: 2.4 KB here, 16 KB dense), in memory and in
 * Spark's shuffles. Adding is exact; the order of additions does not change the result.
 */
final class SparseCounts implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final int[] NO_BINS = new int[0];
  private static final long[] NO_COUNTS = new long[0];

  private int[] bins = NO_BINS;
  private long[] counts = NO_COUNTS;

  /** Non-empty bins held. */
  int size() {
    return bins.length;
  }

  /** The bytes a dense array of {@code binCount} longs would take is no more than these arrays'. */
  boolean denserThan(int binCount) {
    return 12L * bins.length >= 8L * binCount;
  }

  /**
   * Adds the non-empty bins of {@code dense[0, n)}; with {@code clear}, zeroes them as it goes (a
   * staging array left all zeros).
   */
  void addDense(long[] dense, int n, boolean clear) {
    int m = 0;
    for (int j = 0; j < n; j++) {
      m += dense[j] != 0 ? 1 : 0;
    }
    if (m == 0) {
      return;
    }
    int[] b = new int[m];
    long[] c = new long[m];
    int k = 0;
    for (int j = 0; j < n && k < m; j++) {
      if (dense[j] != 0) {
        b[k] = j;
        c[k++] = dense[j];
        if (clear) {
          dense[j] = 0;
        }
      }
    }
    add(b, c);
  }

  /** Adds what {@code other} holds. */
  void add(SparseCounts other) {
    add(other.bins, other.counts);
  }

  /** Adds the sorted bins {@code b} with counts {@code c} (parallel arrays, no zeros). */
  private void add(int[] b, long[] c) {
    // The union of the two sorted bin lists: in place when it adds no bin, else new exact arrays.
    int union = bins.length;
    for (int i = 0, j = 0; j < b.length; j++) {
      while (i < bins.length && bins[i] < b[j]) {
        i++;
      }
      if (i == bins.length || bins[i] != b[j]) {
        union++;
      }
    }
    if (union == bins.length) {
      for (int i = 0, j = 0; j < b.length; j++) {
        while (bins[i] < b[j]) {
          i++;
        }
        counts[i] += c[j];
      }
      return;
    }
    int[] outBins = new int[union];
    long[] outCounts = new long[union];
    int i = 0;
    int j = 0;
    for (int k = 0; k < union; k++) {
      if (j == b.length || (i < bins.length && bins[i] < b[j])) {
        outBins[k] = bins[i];
        outCounts[k] = counts[i++];
      } else if (i == bins.length || b[j] < bins[i]) {
        outBins[k] = b[j];
        outCounts[k] = c[j++];
      } else {
        outBins[k] = bins[i];
        outCounts[k] = counts[i++] + c[j++];
      }
    }
    bins = outBins;
    counts = outCounts;
  }

  /**
   * The same counts moved by {@code map} (its target bins are monotone, so they stay sorted; bins
   * that land on one target add up), and how many fell under the target's range; this one is
   * unchanged. O(non-empty bins): a growing layout of a small tensor never goes through an array of
   * every bin.
   *
   * @throws IllegalArgumentException naming both layouts when a bin falls outside the target
   */
  Remapped remap(GridRemap map) {
    int[] outBins = new int[bins.length];
    long[] outCounts = new long[bins.length];
    int k = 0;
    long under = 0;
    for (int i = 0; i < bins.length; i++) {
      int t = map.bin(bins[i]);
      if (t == GridRemap.UNDER) {
        under += counts[i];
      } else if (k > 0 && outBins[k - 1] == t) {
        outCounts[k - 1] += counts[i];
      } else {
        outBins[k] = t;
        outCounts[k++] = counts[i];
      }
    }
    SparseCounts out = new SparseCounts();
    out.bins = k == bins.length ? outBins : Arrays.copyOf(outBins, k);
    out.counts = k == bins.length ? outCounts : Arrays.copyOf(outCounts, k);
    return new Remapped(out, under);
  }

  /** {@link #remap}'s result: the moved counts and the count under the target's range. */
  record Remapped(SparseCounts counts, long under) {}

  /** Adds every count into {@code dense} at its bin. */
  void addTo(long[] dense) {
    for (int i = 0; i < bins.length; i++) {
      dense[bins[i]] += counts[i];
    }
  }

  /** A dense array of {@code binCount} counts. */
  long[] toDense(int binCount) {
    long[] out = new long[binCount];
    addTo(out);
    return out;
  }

  /**
   * {@link Histogram#toBytes}' form of these counts in layout {@code spec} with these outside
   * counts, written from the non-empty bins alone ({@link HistogramBytes#writeSparse}).
   */
  byte[] toBytes(HistogramSpec spec, long below, long above, long nan) {
    return HistogramBytes.writeSparse(spec, bins, counts, below, above, nan);
  }

  /**
   * The bytes {@link #put} takes: the number of non-empty bins, then a (gap from the previous bin,
   * count) varint pair for each.
   */
  int compactSize() {
    int size = HistogramBytes.varLongSize(bins.length);
    int previous = -1;
    for (int i = 0; i < bins.length; i++) {
      size +=
          HistogramBytes.varLongSize(bins[i] - previous) + HistogramBytes.varLongSize(counts[i]);
      previous = bins[i];
    }
    return size;
  }

  /** Puts the non-empty bins in the form {@link #get} reads (see {@link #compactSize}). */
  void put(ByteBuffer out) {
    HistogramBytes.putVarLong(out, bins.length);
    int previous = -1;
    for (int i = 0; i < bins.length; i++) {
      HistogramBytes.putVarLong(out, bins[i] - previous);
      HistogramBytes.putVarLong(out, counts[i]);
      previous = bins[i];
    }
  }

  /** The bytes {@link #putDense} takes for the dense counts {@code dense}. */
  static int compactSize(long[] dense) {
    int nonEmpty = 0;
    int size = 0;
    int previous = -1;
    for (int j = 0; j < dense.length; j++) {
      if (dense[j] != 0) {
        nonEmpty++;
        size += HistogramBytes.varLongSize(j - previous) + HistogramBytes.varLongSize(dense[j]);
        previous = j;
      }
    }
    return HistogramBytes.varLongSize(nonEmpty) + size;
  }

  /**
   * Puts the non-empty bins of the dense {@code dense} in the form {@link #get} reads: a dense
   * histogram ships a few bytes per non-empty bin and nothing for an empty one.
   */
  static void putDense(ByteBuffer out, long[] dense) {
    int nonEmpty = 0;
    for (long c : dense) {
      nonEmpty += c != 0 ? 1 : 0;
    }
    // Into the buffer's array at an index of our own, its position set once: a buffer put per
    // byte (each checking position and limit) was half the samples of putting a per-channel
    // run's accumulators into the shuffle, 110 of 214 (JFR, 50 tensors of 256 channels of 256
    // bins), and the put three times the read of the same bytes.
    byte[] bytes = out.array();
    int base = out.arrayOffset();
    int at = HistogramBytes.putVarLong(bytes, base + out.position(), nonEmpty);
    int previous = -1;
    for (int j = 0; j < dense.length; j++) {
      if (dense[j] != 0) {
        at = HistogramBytes.putVarLong(bytes, at, j - previous);
        at = HistogramBytes.putVarLong(bytes, at, dense[j]);
        previous = j;
      }
    }
    if (at - base > out.limit()) {
      throw new BufferOverflowException();
    }
    out.position(at - base);
  }

  /**
   * Reads the form {@link #put} puts, of a histogram of {@code binCount} bins.
   *
   * @throws IllegalArgumentException if a bin is out of range or out of order, or a count is zero
   */
  static SparseCounts get(ByteBuffer in, int binCount) {
    int size = getSize(in, binCount);
    SparseCounts out = new SparseCounts();
    if (size == 0) {
      return out;
    }
    out.bins = new int[size];
    out.counts = new long[size];
    int bin = -1;
    for (int i = 0; i < size; i++) {
      bin = nextBin(in, bin, binCount);
      out.bins[i] = bin;
      out.counts[i] = getCount(in);
    }
    return out;
  }

  /** Reads the form {@link #put} puts into the dense {@code dense} (all zeros), its bins. */
  static void getDense(ByteBuffer in, long[] dense) {
    int size = getSize(in, dense.length);
    int bin = -1;
    for (int i = 0; i < size; i++) {
      bin = nextBin(in, bin, dense.length);
      dense[bin] = getCount(in);
    }
  }

  private static int getSize(ByteBuffer in, int binCount) {
    long size = HistogramBytes.getVarLong(in);
    if (size > binCount) {
      throw new IllegalArgumentException(size + " non-empty bins of " + binCount);
    }
    return (int) size;
  }

  private static int nextBin(ByteBuffer in, int previous, int binCount) {
    long gap = HistogramBytes.getVarLong(in);
    if (gap < 1 || gap > binCount - 1 - previous) {
      throw new IllegalArgumentException("bin gap " + gap + " after bin " + previous);
    }
    return previous + (int) gap;
  }

  private static long getCount(ByteBuffer in) {
    long count = HistogramBytes.getVarLong(in);
    if (count <= 0) {
      throw new IllegalArgumentException("bin count " + count);
    }
    return count;
  }

  @Override
  public String toString() {
    return "SparseCounts{" + bins.length + " non-empty bins}";
  }

  /** The heap this holds, estimated: the object and its two arrays. */
  long retainedBytes() {
    return 32 + MemoryFootprint.array(bins.length, 4) + MemoryFootprint.array(counts.length, 8);
  }
}
