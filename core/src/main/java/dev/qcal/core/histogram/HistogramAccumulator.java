package dev.qcal.core.histogram;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Mutable accumulator of one {@link Histogram}, fed a whole float[] slice per call.
 *
 * <p>The empty accumulator has no layout and adopts the spec of its first {@link #add} or {@link
 * #merge}, because Spark's {@code aggregateByKey} uses one zero value for every key. Adding or
 * merging under another spec fails with a message naming both.
 *
 * <p>The binning loops ({@link SliceFill}) keep nothing in the accumulator but its counts: no extra
 * memory per tensor, nothing pending to lose whatever serializer ships it (Java or Kryo).
 *
 * <p>The counts start sparse ({@link SparseCounts}: only the non-empty bins), so the many small
 * tensors of a mixture-of-experts model each cost bytes per value seen, not a dense array of 2048
 * longs per task and domain; they turn dense once a dense array is no larger, or once the tensor
 * has had {@value #DENSE_VALUES_PER_BIN} values per bin (then the array is small beside the values,
 * and dense binning skips the staging). Either form holds the same counts: every result is the same
 * whichever form each side of a merge is in.
 */
public final class HistogramAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Values per bin from which a tensor's counts turn dense whatever their sparsity. */
  static final int DENSE_VALUES_PER_BIN = 16;

  /** Per-thread staging counts for sparse fills, grown on demand, all zeros between calls. */
  private static final ThreadLocal<long[]> STAGE = ThreadLocal.withInitial(() -> new long[0]);

  private HistogramSpec spec;

  /** The dense counts, or null while {@link #sparse} holds them. */
  private long[] counts;

  private SparseCounts sparse;

  /** Values binned inside the range while sparse (what decides {@link #DENSE_VALUES_PER_BIN}). */
  private long sparseTotal;

  private long below;
  private long above;
  private long nan;

  /** An accumulator with no layout yet. */
  public HistogramAccumulator() {}

  /** An accumulator of the given layout. */
  public HistogramAccumulator(HistogramSpec spec) {
    adopt(spec);
  }

  /** The layout, or {@code null} while nothing was added. */
  public HistogramSpec spec() {
    return spec;
  }

  /**
   * Bins {@code values[from, to)} with {@code spec}. Returns this accumulator. An empty slice
   * ({@code from >= to}) adds nothing.
   *
   * @throws IndexOutOfBoundsException if a non-empty slice is not inside {@code values} (then
   *     nothing is added)
   */
  public HistogramAccumulator add(HistogramSpec spec, float[] values, int from, int to) {
    adopt(spec);
    if (from >= to) {
      return this;
    }
    // Checked up front: the loops must not stop half-way with the thread's scratch still holding
    // counts.
    Objects.checkFromToIndex(from, to, values.length);
    int n = this.spec.binCount();
    if (counts == null && sparseTotal + (to - from) >= (long) DENSE_VALUES_PER_BIN * n) {
      densify();
    }
    if (counts != null) {
      fill(counts, values, from, to);
      return this;
    }
    long[] stage = STAGE.get();
    if (stage.length < n) {
      stage = new long[n];
      STAGE.set(stage);
    }
    long inside = fill(stage, values, from, to);
    sparse.addDense(stage, n, true);
    sparseTotal += inside;
    settle();
    return this;
  }

  /** Bins the slice into {@code into}; returns how many values fell inside the range. */
  private long fill(long[] into, float[] values, int from, int to) {
    SliceFill fill = new SliceFill(this.spec, into);
    fill.add(values, from, to, fill.scratchPays((long) to - from));
    below += fill.below();
    above += fill.above();
    nan += fill.nan();
    return (to - from) - fill.below() - fill.above() - fill.nan();
  }

  /** Turns the counts dense (they are already: nothing changes). */
  void densify() {
    if (counts != null) {
      return;
    }
    counts = sparse.toDense(spec.binCount());
    sparse = null;
    sparseTotal = 0;
  }

  /** The counts as a dense array: the accumulator's own when dense, else a copy. */
  private long[] denseCounts() {
    return counts != null ? counts : sparse.toDense(spec.binCount());
  }

  /** Adds the dense {@code more} (as long as the bin count) into the counts, in either form. */
  private void addCounts(long[] more) {
    if (counts != null) {
      for (int j = 0; j < counts.length; j++) {
        counts[j] += more[j];
      }
      return;
    }
    for (long c : more) {
      sparseTotal += c;
    }
    sparse.addDense(more, more.length, false);
    settle();
  }

  /** Turns sparse counts dense when the rules say so. */
  private void settle() {
    int n = spec.binCount();
    if (counts == null
        && (sparse.denserThan(n) || sparseTotal >= (long) DENSE_VALUES_PER_BIN * n)) {
      densify();
    }
  }

  /** Bins all of {@code values} with the accumulator's spec. Returns this accumulator. */
  public HistogramAccumulator add(float[] values) {
    if (spec == null) {
      throw new IllegalStateException("Cannot add values: the accumulator has no layout yet");
    }
    return add(spec, values, 0, values.length);
  }

  private void adopt(HistogramSpec s) {
    if (spec == null) {
      spec = s;
      sparse = new SparseCounts();
    } else if (!spec.equals(s)) {
      throw new IllegalArgumentException(
          "Cannot merge histograms of different layouts: " + spec + " and " + s);
    }
  }

  /**
   * Re-lays the counts out in {@code target} exactly as {@link Histogram#regrid} does (whole bins
   * summed into a wider power-of-two width, LOG2 shifted by whole octaves), in O(bins) and one
   * array: how a one-pass histogram grows when its data outgrow the layout ({@link
   * GrowingGridAccumulator}). Returns this accumulator.
   *
   * @throws IllegalStateException if the accumulator has no layout yet
   * @throws IllegalArgumentException naming both layouts when the result would not be exact (then
   *     nothing changes)
   */
  public HistogramAccumulator regrid(HistogramSpec target) {
    if (spec == null) {
      throw new IllegalStateException("Cannot regrid a histogram accumulator with no layout");
    }
    if (spec.equals(target)) {
      return this;
    }
    if (spec.domain() != target.domain()
        || spec.layout() != HistogramLayout.GRID
        || target.layout() != HistogramLayout.GRID) {
      snapshot().regrid(target); // throws, naming both layouts
      throw new AssertionError("regrid of " + spec + " to " + target);
    }
    GridRemap map = GridRemap.of(spec, below, target);
    if (counts != null) {
      long[] out = new long[target.binCount()];
      below += map.addDense(counts, out);
      counts = out;
      spec = target;
    } else {
      SparseCounts.Remapped moved = sparse.remap(map);
      sparse = moved.counts();
      sparseTotal -= moved.under();
      below += moved.under();
      spec = target;
      settle();
    }
    return this;
  }

  /** Adds what {@code other} holds. Returns this accumulator; {@code other} is unchanged. */
  public HistogramAccumulator merge(HistogramAccumulator other) {
    if (other.spec == null) {
      return this;
    }
    adopt(other.spec);
    if (other.counts != null) {
      if (counts == null) {
        densify();
      }
      addCounts(other.counts);
    } else if (counts != null) {
      other.sparse.addTo(counts);
    } else {
      sparse.add(other.sparse);
      sparseTotal += other.sparseTotal;
      settle();
    }
    below += other.below;
    above += other.above;
    nan += other.nan;
    return this;
  }

  /**
   * Adds what {@code other} holds, regridded exactly into this accumulator's (equal or coarser)
   * grid layout, in O(bins) without a histogram copy: the merge of two one-pass histograms. Returns
   * this accumulator; {@code other} is unchanged.
   *
   * @throws IllegalArgumentException naming both layouts when the result would not be exact (then
   *     nothing changes)
   */
  HistogramAccumulator mergeRegridded(HistogramAccumulator other) {
    if (other.spec == null) {
      return this;
    }
    if (spec == null || spec.equals(other.spec)) {
      return merge(other);
    }
    if (spec.domain() != other.spec.domain()
        || spec.layout() != HistogramLayout.GRID
        || other.spec.layout() != HistogramLayout.GRID) {
      other.snapshot().regrid(spec); // throws, naming both layouts
      throw new AssertionError("regrid of " + other.spec + " to " + spec);
    }
    long[] out = new long[spec.binCount()];
    long down = GridRemap.remap(other.spec, other.denseCounts(), other.below, spec, out);
    addCounts(out);
    below += other.below + down;
    above += other.above;
    nan += other.nan;
    return this;
  }

  /** Adds what {@code other} holds. Returns this accumulator. */
  public HistogramAccumulator merge(Histogram other) {
    if (other.spec() == null) {
      throw new IllegalArgumentException(
          "Cannot merge a histogram with explicit edges into an accumulator: " + other.layout());
    }
    adopt(other.spec());
    addCounts(other.counts());
    below += other.below();
    above += other.above();
    nan += other.nan();
    return this;
  }

  /**
   * An immutable copy of the current state.
   *
   * @throws IllegalStateException if nothing was ever added (there is no layout)
   */
  public Histogram snapshot() {
    checkLayout();
    // Sparse counts become a new array, kept as it is; dense ones are this accumulator's, copied.
    // Both are sums of non-negative counts: nothing for Histogram.of to check.
    return new Histogram(
        spec.domain(),
        spec,
        null,
        counts != null ? counts.clone() : sparse.toDense(spec.binCount()),
        below,
        above,
        nan);
  }

  /**
   * The bytes of {@link #snapshot}'s {@link Histogram#toBytes}, encoded straight from the counts:
   * sparse counts write their non-empty bins into an array whose empty bins are already the zero
   * byte, instead of a dense array of every bin made to be encoded again (how a merged tensor's
   * state row is built, {@code KeptStates}: at 20 000 small tensors, turning each dense and copying
   * it were half of that stage, JFR).
   *
   * @throws IllegalStateException if nothing was ever added (there is no layout)
   */
  public byte[] snapshotBytes() {
    checkLayout();
    return counts != null
        ? HistogramBytes.write(spec.domain(), spec, null, counts, below, above, nan)
        : sparse.toBytes(spec, below, above, nan);
  }

  private void checkLayout() {
    if (spec == null) {
      throw new IllegalStateException("Cannot snapshot a histogram accumulator with no layout");
    }
  }

  /** The bytes {@link #putCounts} takes. */
  int compactSize() {
    int size =
        HistogramBytes.varLongSize(below)
            + HistogramBytes.varLongSize(above)
            + HistogramBytes.varLongSize(nan)
            + 1;
    return size
        + (counts != null
            ? SparseCounts.compactSize(counts)
            : HistogramBytes.varLongSize(sparseTotal) + sparse.compactSize());
  }

  /**
   * Puts everything but the layout, in the form {@link #getCounts} reads: the outside counts,
   * whether the counts are dense, the sparse form's in-range total, and the non-empty bins (see
   * {@link SparseCounts#put}). How {@link GrowingGridAccumulator} ships its histograms, whose
   * layouts follow from its statistics.
   */
  void putCounts(ByteBuffer out) {
    HistogramBytes.putVarLong(out, below);
    HistogramBytes.putVarLong(out, above);
    HistogramBytes.putVarLong(out, nan);
    out.put((byte) (counts != null ? 1 : 0));
    if (counts != null) {
      SparseCounts.putDense(out, counts);
    } else {
      HistogramBytes.putVarLong(out, sparseTotal);
      sparse.put(out);
    }
  }

  /**
   * Reads the form {@link #putCounts} puts into this accumulator, which has its layout and nothing
   * added yet: the counts end in the form they were put from.
   *
   * @throws IllegalArgumentException if a bin lies outside the layout
   */
  void getCounts(ByteBuffer in) {
    below = HistogramBytes.getVarLong(in);
    above = HistogramBytes.getVarLong(in);
    nan = HistogramBytes.getVarLong(in);
    int n = spec.binCount();
    if (in.get() != 0) {
      counts = new long[n];
      SparseCounts.getDense(in, counts);
      sparse = null;
    } else {
      sparseTotal = HistogramBytes.getVarLong(in);
      sparse = SparseCounts.get(in, n);
    }
  }

  /** The heap this holds, estimated: the object, its dense counts or its sparse ones. */
  public long retainedBytes() {
    return 64
        + (counts == null ? 0 : MemoryFootprint.array(counts.length, 8))
        + (sparse == null ? 0 : sparse.retainedBytes());
  }
}
