package dev.qcal.core.histogram;

import java.io.Serializable;

/**
 * Mutable accumulator of one {@link Histogram}, fed a whole float[] slice per call.
 *
 * <p>The empty accumulator has no layout and adopts the spec of its first {@link #add} or
 * {@link #merge}, because Spark's {@code aggregateByKey} uses one zero value for every key. Adding
 * or merging under another spec fails with a message naming both.
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

  /** Bins {@code values[from, to)} with {@code spec}. Returns this accumulator. */
  public HistogramAccumulator add(HistogramSpec spec, float[] values, int from, int to) {
    adopt(spec);
    switch (spec.domain()) {
      case ABSOLUTE:
        addAbsolute(values, from, to);
        break;
      case SIGNED:
        addSigned(values, from, to);
        break;
      case LOG2:
        addLog2(values, from, to);
        break;
      default:
        throw new AssertionError(spec.domain());
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

  // The three loops below are the hot path of pass 2: one compare per value on the common path,
  // no allocation, no boxing. NaN fails every comparison and is sorted out on the rare path.

  private void addAbsolute(float[] values, int from, int to) {
    final long[] c = counts;
    final int last = c.length - 1;
    final double hi = spec.hi();
    final double scale = c.length / hi;
    for (int i = from; i < to; i++) {
      double a = Math.abs(values[i]);
      if (a <= hi) {
        c[Math.min(last, (int) (a * scale))]++;
      } else if (a > hi) {
        above++;
      } else {
        nan++;
      }
    }
  }

  private void addSigned(float[] values, int from, int to) {
    final long[] c = counts;
    final int last = c.length - 1;
    final double lo = spec.lo();
    final double hi = spec.hi();
    final double scale = c.length / (hi - lo);
    for (int i = from; i < to; i++) {
      double v = values[i];
      if (v >= lo && v <= hi) {
        c[Math.min(last, (int) ((v - lo) * scale))]++;
      } else if (v < lo) {
        below++;
      } else if (v > hi) {
        above++;
      } else {
        nan++;
      }
    }
  }

  private void addLog2(float[] values, int from, int to) {
    final long[] c = counts;
    final int lo = (int) spec.lo();
    for (int i = from; i < to; i++) {
      float v = values[i];
      if (!(v > 0f)) {
        if (Float.isNaN(v)) {
          nan++;
        } else {
          below++;
        }
        continue;
      }
      int bin = Log2Bins.subOctaveIndex(v) - lo * HistogramSpec.LOG2_BINS_PER_OCTAVE;
      if (bin < 0) {
        below++;
      } else if (bin >= c.length) {
        above++;
      } else {
        c[bin]++;
      }
    }
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
