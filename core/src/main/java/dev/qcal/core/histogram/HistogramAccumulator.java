package dev.qcal.core.histogram;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * Mutable accumulator of one {@link Histogram}, fed a whole float[] slice per call.
 *
 * <p>The empty accumulator has no layout and adopts the spec of its first {@link #add} or
 * {@link #merge}, because Spark's {@code aggregateByKey} uses one zero value for every key. Adding
 * or merging under another spec fails with a message naming both.
 *
 * <p><b>Performance.</b> Consecutive values are counted alternately into the {@code long} counts
 * and into a transient {@code int} sub-histogram, summed into the counts by {@link #snapshot},
 * {@link #merge} and serialization, and before an {@code int} could overflow. Two counters per bin
 * halve the chain of dependent load-increment-store on one bin when many values share it (a ReLU
 * tensor puts half its values in the bin of 0). The serialized form is the counts alone.
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
      lane = new int[counts.length];
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
      throw new IllegalArgumentException("Cannot set the flush limit: must be positive (" + values + ")");
    }
    flushLane();
    flushLimit = values;
  }

  /** Moves the int lane's counts into the long counts. */
  private void flushLane() {
    if (lane != null && pending > 0) {
      for (int j = 0; j < counts.length; j++) {
        counts[j] += lane[j];
        lane[j] = 0;
      }
    }
    pending = 0;
  }

  // The three loops below are the hot path of pass 2: two values per iteration (even position to
  // the long counts, odd to the int lane), one well-predicted compare per value on the common path,
  // no allocation, no boxing. NaN fails every comparison and is sorted out on the rare path. The
  // outside counts live in locals so the JIT keeps them in registers. Every bin is the documented
  // min(n − 1, ⌊(x − lo)·(n / (hi − lo))⌋) in double arithmetic, exactly as one value at a time.

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
    final long[] c = counts;
    final int[] d = lane;
    final int n = c.length;
    // Bin of a positive normal float = biasedIndex(bits) − base (see Log2Bins).
    final int base = ((int) spec.lo() + Log2Bins.EXPONENT_BIAS) * HistogramSpec.LOG2_BINS_PER_OCTAVE;
    final int normals = Log2Bins.INFINITY_BITS - Log2Bins.MIN_NORMAL_BITS;
    long down = 0;
    long up = 0;
    int i = from;
    for (; i < to - 1; i += 2) {
      int b0 = Float.floatToRawIntBits(values[i]);
      int b1 = Float.floatToRawIntBits(values[i + 1]);
      // One unsigned compare: is the value a positive normal float? Else the rare path.
      if (Integer.compareUnsigned(b0 - Log2Bins.MIN_NORMAL_BITS, normals) < 0) {
        int bin = Log2Bins.biasedIndex(b0) - base;
        if (Integer.compareUnsigned(bin, n) < 0) {
          c[bin]++;
        } else if (bin < 0) {
          down++;
        } else {
          up++;
        }
      } else {
        addLog2Rare(values[i]);
      }
      if (Integer.compareUnsigned(b1 - Log2Bins.MIN_NORMAL_BITS, normals) < 0) {
        int bin = Log2Bins.biasedIndex(b1) - base;
        if (Integer.compareUnsigned(bin, n) < 0) {
          d[bin]++;
        } else if (bin < 0) {
          down++;
        } else {
          up++;
        }
      } else {
        addLog2Rare(values[i + 1]);
      }
    }
    if (i < to) {
      int b = Float.floatToRawIntBits(values[i]);
      if (Integer.compareUnsigned(b - Log2Bins.MIN_NORMAL_BITS, normals) < 0) {
        int bin = Log2Bins.biasedIndex(b) - base;
        if (Integer.compareUnsigned(bin, n) < 0) {
          c[bin]++;
        } else if (bin < 0) {
          down++;
        } else {
          up++;
        }
      } else {
        addLog2Rare(values[i]);
      }
    }
    below += down;
    above += up;
  }

  /** A value that is not a positive normal float: NaN, non-positive, subnormal or +Inf. */
  private void addLog2Rare(float v) {
    if (!(v > 0f)) {
      if (Float.isNaN(v)) {
        nan++;
      } else {
        below++;
      }
      return;
    }
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
    int[] otherLane = other.pending > 0 ? other.lane : null;
    for (int j = 0; j < counts.length; j++) {
      counts[j] += other.counts[j];
    }
    if (otherLane != null) {
      for (int j = 0; j < counts.length; j++) {
        counts[j] += otherLane[j];
      }
    }
    below += other.below;
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
    flushLane();
    return Histogram.of(spec, counts, below, above, nan);
  }

  /** Java serialization (Spark ships accumulators): the counts alone, the int lane flushed in. */
  private void writeObject(ObjectOutputStream out) throws IOException {
    flushLane();
    out.defaultWriteObject();
  }
}
