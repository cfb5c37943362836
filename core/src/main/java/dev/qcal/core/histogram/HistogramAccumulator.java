package dev.qcal.core.histogram;

import java.io.Serializable;
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
 */
public final class HistogramAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  private HistogramSpec spec;
  private long[] counts;
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
    SliceFill fill = new SliceFill(this.spec, counts);
    fill.add(values, from, to, fill.scratchPays((long) to - from));
    below += fill.below();
    above += fill.above();
    nan += fill.nan();
    return this;
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
      counts = new long[s.binCount()];
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
    long[] out = new long[target.binCount()];
    long down = Histogram.remap(spec, counts, below, target, out);
    spec = target;
    counts = out;
    below += down;
    return this;
  }

  /** Adds what {@code other} holds. Returns this accumulator; {@code other} is unchanged. */
  public HistogramAccumulator merge(HistogramAccumulator other) {
    if (other.spec == null) {
      return this;
    }
    adopt(other.spec);
    for (int j = 0; j < counts.length; j++) {
      counts[j] += other.counts[j];
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
    long[] out = new long[counts.length];
    long down = Histogram.remap(other.spec, other.counts, other.below, spec, out);
    for (int j = 0; j < counts.length; j++) {
      counts[j] += out[j];
    }
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
    for (int j = 0; j < counts.length; j++) {
      counts[j] += other.count(j);
    }
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
    if (spec == null) {
      throw new IllegalStateException("Cannot snapshot a histogram accumulator with no layout");
    }
    return Histogram.of(spec, counts, below, above, nan);
  }
}
