package dev.qcal.core.histogram;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Mutable accumulator of one {@link Histogram}, fed a whole float[] slice per call.
 *
 * <p>The empty accumulator has no layout and adopts the spec of its first {@link #add} or
 * {@link #merge}, because Spark's {@code aggregateByKey} uses one zero value for every key. Adding
 * or merging under another spec fails with a message naming both.
 *
 * <p><b>Performance.</b> Consecutive values are counted alternately into the {@code long} counts
 * and into a transient {@code int} sub-histogram (the "lane"), which is summed into the counts by
 * {@link #snapshot}, {@link #merge}, serialization, and before one of its counters could overflow.
 * Two counters per bin halve the chain of dependent load-increment-store on one bin when many
 * values share it (a ReLU tensor puts half its values in the bin of 0). The lane costs half the
 * counts' memory, is allocated by the first {@link #add} (an accumulator that only merges has
 * none), and is never serialized: the serialized form is the counts alone, as before. Results are
 * bit-identical to binning one value at a time. Not thread-safe (a snapshot flushes the lane).
 */
public final class HistogramAccumulator implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Values the int lane may take between flushes: a lane counter never exceeds the values added
   * since its last flush, so it cannot overflow.
   */
  private static final int FLUSH_LIMIT = Integer.MAX_VALUE;

  private HistogramSpec spec;
  private long[] counts;
  private long below;
  private long above;
  private long nan;

  /** The second counting lane (odd positions of each slice); null until the first add. */
  private transient int[] lane;

  /** Values added since {@link #lane} was last flushed: an upper bound of each of its counters. */
  private transient int pending;

  /** A smaller flush limit, for tests of the flush path; 0 means {@link #FLUSH_LIMIT}. */
  private transient int flushLimit;

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

  /** Bins {@code values[from, to)} with {@code spec}. Returns this accumulator. */
  public HistogramAccumulator add(HistogramSpec spec, float[] values, int from, int to) {
    adopt(spec);
    if (lane == null) {
      lane = new int[laneLength(spec, counts.length)];
    }
    int limit = flushLimit > 0 ? flushLimit : FLUSH_LIMIT;
    // Slices longer than the flush limit go in pieces, each fitting what the lane can still take.
    for (int start = from; start < to; ) {
      if (pending == limit) {
        flushLane();
      }
      int end = start + Math.min(to - start, limit - pending);
      pending += end - start;
      switch (spec.domain()) {
        case ABSOLUTE:
          addAbsolute(values, start, end);
          break;
        case SIGNED:
          addSigned(values, start, end);
          break;
        case LOG2:
          addLog2(values, start, end);
          break;
        default:
          throw new AssertionError(spec.domain());
      }
      start = end;
    }
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

  /** Tests only: flush the int lane after this many values instead of 2^31 − 1. */
  void flushLimit(int values) {
    if (values < 1) {
      throw new IllegalArgumentException(
          "Cannot set the flush limit: must be positive (" + values + ")");
    }
    flushLane();
    flushLimit = values;
  }

  /**
   * The int lane: for ABSOLUTE and SIGNED, one counter per bin (the long counts are the other lane,
   * so the scratch memory is half the counts'). For LOG2 (1024 bins, so 8 KiB), two whole
   * sub-histograms with a below slot before and an above slot after the bins, filled without
   * branches.
   */
  private static int laneLength(HistogramSpec spec, int bins) {
    return spec.domain() == Domain.LOG2 ? 2 * (bins + 2) : bins;
  }

  /** Moves the int lane's counts into the long counts. */
  private void flushLane() {
    if (lane != null && pending > 0) {
      addLane(lane);
      Arrays.fill(lane, 0);
    }
    pending = 0;
  }

  /** Adds the counts held in an int lane of this accumulator's layout. */
  private void addLane(int[] d) {
    int n = counts.length;
    if (spec.domain() == Domain.LOG2) {
      int second = n + 2;
      below += d[0] + (long) d[second];
      above += d[n + 1] + (long) d[second + n + 1];
      for (int j = 0; j < n; j++) {
        counts[j] += d[j + 1] + (long) d[second + j + 1];
      }
    } else {
      for (int j = 0; j < n; j++) {
        counts[j] += d[j];
      }
    }
  }

  // The three loops below are the hot path of pass 2: two values per iteration (ABSOLUTE and
  // SIGNED: even position to the long counts, odd to the int lane), one well-predicted compare per
  // value on the common path, no allocation, no boxing. NaN fails every comparison and is sorted
  // out on the rare path. The outside counts live in locals so the JIT keeps them in registers.
  // Every bin is the documented min(n − 1, ⌊(x − lo)·(n / (hi − lo))⌋) in double arithmetic,
  // exactly as one value at a time.

  private void addAbsolute(float[] values, int from, int to) {
    final long[] c = counts;
    final int[] d = lane;
    final int last = c.length - 1;
    final double hi = spec.hi();
    final double scale = c.length / hi;
    long up = 0;
    long nans = 0;
    int i = from;
    for (; i < to - 1; i += 2) {
      double a0 = Math.abs(values[i]);
      double a1 = Math.abs(values[i + 1]);
      if (a0 <= hi) {
        c[Math.min(last, (int) (a0 * scale))]++;
      } else if (a0 > hi) {
        up++;
      } else {
        nans++;
      }
      if (a1 <= hi) {
        d[Math.min(last, (int) (a1 * scale))]++;
      } else if (a1 > hi) {
        up++;
      } else {
        nans++;
      }
    }
    if (i < to) {
      double a = Math.abs(values[i]);
      if (a <= hi) {
        c[Math.min(last, (int) (a * scale))]++;
      } else if (a > hi) {
        up++;
      } else {
        nans++;
      }
    }
    above += up;
    nan += nans;
  }

  private void addSigned(float[] values, int from, int to) {
    final long[] c = counts;
    final int[] d = lane;
    final int last = c.length - 1;
    final double lo = spec.lo();
    final double hi = spec.hi();
    final double scale = c.length / (hi - lo);
    long down = 0;
    long up = 0;
    long nans = 0;
    int i = from;
    for (; i < to - 1; i += 2) {
      double v0 = values[i];
      double v1 = values[i + 1];
      if (v0 >= lo && v0 <= hi) {
        c[Math.min(last, (int) ((v0 - lo) * scale))]++;
      } else if (v0 < lo) {
        down++;
      } else if (v0 > hi) {
        up++;
      } else {
        nans++;
      }
      if (v1 >= lo && v1 <= hi) {
        d[Math.min(last, (int) ((v1 - lo) * scale))]++;
      } else if (v1 < lo) {
        down++;
      } else if (v1 > hi) {
        up++;
      } else {
        nans++;
      }
    }
    if (i < to) {
      double v = values[i];
      if (v >= lo && v <= hi) {
        c[Math.min(last, (int) ((v - lo) * scale))]++;
      } else if (v < lo) {
        down++;
      } else if (v > hi) {
        up++;
      } else {
        nans++;
      }
    }
    below += down;
    above += up;
    nan += nans;
  }

  private void addLog2(float[] values, int from, int to) {
    final int[] d = lane;
    final int n = counts.length;
    final int second = n + 2;
    // Bin of a positive normal float = biasedIndex(bits) − base (see Log2Bins).
    final int base =
        ((int) spec.lo() + Log2Bins.EXPONENT_BIAS) * HistogramSpec.LOG2_BINS_PER_OCTAVE;
    // Zero and subnormals give a negative bin (below) when the range starts at a normal float;
    // otherwise they take the rare path, where subnormals are binned exactly.
    final int rareMask = spec.lo() >= Float.MIN_EXPONENT ? 0xFF : 0xFE;
    long down = 0;
    long up = 0;
    long nans = 0;
    int i = from;
    for (; i < to; i++) {
      int b = Float.floatToRawIntBits(values[i]);
      // Exponent field all ones (NaN, ±Inf), or zero when subnormals may be in range: rare path.
      if ((((b >>> Log2Bins.MANTISSA_BITS) + 1) & rareMask) == 0) {
        float v = values[i];
        if (v != v) {
          nans++;
        } else if (v == Float.POSITIVE_INFINITY) {
          up++;
        } else if (!(v > 0)) {
          down++;
        } else {
          addLog2Subnormal(v);
        }
        continue;
      }
      // A negative value (sign bit set) forces slot 0, below; otherwise the bin is clamped to the
      // below and above slots of the sub-histogram. No branch: signs are not predictable.
      int bin = (Log2Bins.biasedIndex(b & Integer.MAX_VALUE) - base) | (b >> 31);
      int slot = Math.max(-1, Math.min(n, bin)) + 1;
      d[(i & 1) * second + slot]++;
    }
    below += down;
    above += up;
    nan += nans;
  }

  /** A positive subnormal value, when the range reaches below the normal floats. */
  private void addLog2Subnormal(float v) {
    int bin =
        Log2Bins.subOctaveIndex(v) - (int) spec.lo() * HistogramSpec.LOG2_BINS_PER_OCTAVE;
    if (bin < 0) {
      below++;
    } else if (bin >= counts.length) {
      above++;
    } else {
      counts[bin]++;
    }
  }

  /** Adds what {@code other} holds. Returns this accumulator; {@code other} is unchanged. */
  public HistogramAccumulator merge(HistogramAccumulator other) {
    if (other.spec == null) {
      return this;
    }
    adopt(other.spec);
    // Read other's outside counts first: addLane changes this one's, and other may be this.
    long otherBelow = other.below;
    long otherAbove = other.above;
    long otherNan = other.nan;
    for (int j = 0; j < counts.length; j++) {
      counts[j] += other.counts[j];
    }
    if (other.lane != null && other.pending > 0) {
      addLane(other.lane);
    }
    below += otherBelow;
    above += otherAbove;
    nan += otherNan;
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
    flushLane();
    return Histogram.of(spec, counts, below, above, nan);
  }

  /** Java serialization (Spark ships accumulators): the counts alone, the int lane flushed in. */
  private void writeObject(ObjectOutputStream out) throws IOException {
    flushLane();
    out.defaultWriteObject();
  }
}
