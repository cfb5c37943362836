package dev.qcal.core.histogram;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.io.StreamCorruptedException;
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
   * Writes the non-empty bins as {@link #read} reads them: their number, then (gap from the
   * previous bin, count) varint pairs.
   */
  void write(DataOutput out) throws IOException {
    HistogramBytes.writeVarLong(out, bins.length);
    int previous = -1;
    for (int i = 0; i < bins.length; i++) {
      HistogramBytes.writeVarLong(out, bins[i] - previous);
      HistogramBytes.writeVarLong(out, counts[i]);
      previous = bins[i];
    }
  }

  /**
   * Writes the non-empty bins of the dense {@code dense} in the form {@link #read} reads (what a
   * dense histogram of a one-pass accumulator ships: few bytes per bin, no index for an empty one).
   */
  static void writeDense(DataOutput out, long[] dense) throws IOException {
    int size = 0;
    for (long c : dense) {
      size += c != 0 ? 1 : 0;
    }
    HistogramBytes.writeVarLong(out, size);
    int previous = -1;
    for (int j = 0; j < dense.length; j++) {
      if (dense[j] != 0) {
        HistogramBytes.writeVarLong(out, j - previous);
        HistogramBytes.writeVarLong(out, dense[j]);
        previous = j;
      }
    }
  }

  /**
   * Reads the form {@link #write} writes, of a histogram of {@code binCount} bins.
   *
   * @throws StreamCorruptedException if a bin is out of range or out of order, or a count is zero
   */
  static SparseCounts read(DataInput in, int binCount) throws IOException {
    int size = readSize(in, binCount);
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
      out.counts[i] = readCount(in);
    }
    return out;
  }

  /** Reads the form {@link #write} writes into the dense {@code dense} (all zeros), its bins. */
  static void readDense(DataInput in, long[] dense) throws IOException {
    int size = readSize(in, dense.length);
    int bin = -1;
    for (int i = 0; i < size; i++) {
      bin = nextBin(in, bin, dense.length);
      dense[bin] = readCount(in);
    }
  }

  private static int readSize(DataInput in, int binCount) throws IOException {
    long size = HistogramBytes.readVarLong(in);
    if (size > binCount) {
      throw new StreamCorruptedException(size + " non-empty bins of " + binCount);
    }
    return (int) size;
  }

  private static int nextBin(DataInput in, int previous, int binCount) throws IOException {
    long gap = HistogramBytes.readVarLong(in);
    if (gap < 1 || gap > binCount - 1 - previous) {
      throw new StreamCorruptedException("bin gap " + gap + " after bin " + previous);
    }
    return previous + (int) gap;
  }

  private static long readCount(DataInput in) throws IOException {
    long count = HistogramBytes.readVarLong(in);
    if (count <= 0) {
      throw new StreamCorruptedException("bin count " + count);
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
