package dev.qcal.core.histogram;

import java.util.Arrays;

/**
 * The binning loops of {@link HistogramAccumulator#add}: one slice of values into a histogram's
 * counts, the values outside the layout counted apart ({@link #below}, {@link #above}, {@link
 * #nan}).
 *
 * <p>A long slice is binned into interleaved sub-histograms: SIGNED sends consecutive values
 * alternately to the {@code long} counts and to an {@code int} scratch histogram, ABSOLUTE (the
 * default methods' domain) sends value {@code i} to the {@code i mod 4}-th of four {@code int}
 * sub-histograms in the scratch (bin {@code j}'s four counters side by side, so a cache line holds
 * four bins); the scratch is added into the counts (and cleared) before {@link #add} returns.
 * Several counters per bin split the chain of dependent load-increment-store on one bin when many
 * values share it (a ReLU tensor puts half its values in the bin of 0). The scratch belongs to the
 * thread, so an accumulator holds exactly its counts between calls. No int counter can overflow:
 * one call adds fewer than 2^31 values. Short slices, whose flush would cost more than it saves
 * ({@link #scratchPays}), are binned straight into the counts. Either way the result is
 * bit-identical to binning one value at a time.
 */
final class SliceFill {
  /**
   * Slices of at least this many values per bin use the scratch histogram: its flush costs about
   * one value's binning per bin, so from 8 values per bin (16384 values, 2048 bins) it pays.
   */
  private static final int SCRATCH_MIN_VALUES_PER_BIN = 8;

  /**
   * The LOG2 fill runs only through the scratch histogram (its below/above slots make it
   * branch-free, 3–5× faster on data of either sign), from this many values per bin.
   */
  private static final int LOG2_SCRATCH_MIN_VALUES_PER_BIN = 1;

  private final HistogramSpec spec;

  /** The bin count: {@code counts} may be longer (a reused staging array). */
  private final int n;

  private final long[] counts;
  private long below;
  private long above;
  private long nan;

  /** A fill into {@code counts[0, spec.binCount())}, the bins of {@code spec}. */
  SliceFill(HistogramSpec spec, long[] counts) {
    this.spec = spec;
    this.n = spec.binCount();
    this.counts = counts;
  }

  /** Whether the scratch loops pay for a slice of {@code length} values. */
  boolean scratchPays(long length) {
    int perBin =
        spec.domain() == Domain.LOG2 ? LOG2_SCRATCH_MIN_VALUES_PER_BIN : SCRATCH_MIN_VALUES_PER_BIN;
    return length >= perBin * (long) n;
  }

  /**
   * Bins {@code values[from, to)} (a valid, non-empty slice) through the scratch loops or one value
   * at a time ({@code scratch}; a SIGNED grid is always binned directly).
   */
  void add(float[] values, int from, int to, boolean scratch) {
    switch (spec.domain()) {
      case ABSOLUTE:
        if (scratch) {
          addAbsolute(values, from, to, ScratchHistogram.zeros(4 * n));
        } else {
          addAbsoluteDirect(values, from, to);
        }
        break;
      case SIGNED:
        if (spec.layout() == HistogramLayout.GRID) {
          addSignedGrid(values, from, to);
        } else if (scratch) {
          addSigned(values, from, to, ScratchHistogram.zeros(n));
        } else {
          addSignedDirect(values, from, to);
        }
        break;
      case LOG2:
        if (scratch) {
          addLog2(values, from, to, ScratchHistogram.zeros(2 * (n + 2)));
        } else {
          addLog2Direct(values, from, to);
        }
        break;
      default:
        throw new AssertionError(spec.domain());
    }
  }

  /** Values below the layout (LOG2: zero, negative and below the range) since construction. */
  long below() {
    return below;
  }

  /** Values above the layout (and +Inf) since construction. */
  long above() {
    return above;
  }

  /** NaN values since construction. */
  long nan() {
    return nan;
  }

  // The loops below are the hot path of pass 2: one well-predicted compare per value on the
  // common path, no allocation, no boxing. NaN fails every comparison and is sorted out on the rare
  // path. The outside counts live in locals so the JIT keeps them in registers. Every bin is the
  // documented min(n − 1, ⌊(x − lo)·(n / (hi − lo))⌋) in double arithmetic, exactly as one value
  // at a time. The SIGNED scratch variant takes two values per step: even positions to the long
  // counts, odd ones to the scratch histogram d; the ABSOLUTE one four, one to each of the
  // sub-histograms in d. Both add d into the counts and clear it at the end.

  // ABSOLUTE: a value below `open` (clampFreeBound) is binned at ⌊|x|·scale⌋ with no clamp to the
  // last bin, which that bound makes a no-op; the rest (the top of a range layout's last bin,
  // values above the layout, NaN, which fails every comparison) takes addAbsoluteRare. One
  // compare and branch per value on the common path, and no Math.min (a cmp and a cmov).

  private void addAbsolute(float[] values, int from, int to, int[] d) {
    final double top = inclusiveTop(spec);
    final double scale = n / spec.hi();
    final double open = clampFreeBound(top, scale, n);
    int i = from;
    for (; i < to - 3; i += 4) {
      double a0 = Math.abs(values[i]);
      double a1 = Math.abs(values[i + 1]);
      double a2 = Math.abs(values[i + 2]);
      double a3 = Math.abs(values[i + 3]);
      if (a0 < open) {
        d[(int) (a0 * scale) << 2]++;
      } else {
        addAbsoluteRare(a0, top);
      }
      if (a1 < open) {
        d[((int) (a1 * scale) << 2) | 1]++;
      } else {
        addAbsoluteRare(a1, top);
      }
      if (a2 < open) {
        d[((int) (a2 * scale) << 2) | 2]++;
      } else {
        addAbsoluteRare(a2, top);
      }
      if (a3 < open) {
        d[((int) (a3 * scale) << 2) | 3]++;
      } else {
        addAbsoluteRare(a3, top);
      }
    }
    final long[] c = counts;
    for (int j = 0; j < n; j++) {
      int q = j << 2;
      c[j] += (long) d[q] + d[q + 1] + d[q + 2] + d[q + 3];
    }
    Arrays.fill(d, 0, 4 * n, 0);
    addAbsoluteDirect(values, i, to);
  }

  private void addAbsoluteDirect(float[] values, int from, int to) {
    final long[] c = counts;
    final double top = inclusiveTop(spec);
    final double scale = n / spec.hi();
    final double open = clampFreeBound(top, scale, n);
    for (int i = from; i < to; i++) {
      double a = Math.abs(values[i]);
      if (a < open) {
        c[(int) (a * scale)]++;
      } else {
        addAbsoluteRare(a, top);
      }
    }
  }

  /** An ABSOLUTE value at or above the clamp-free bound: the last bin, above, or NaN. */
  private void addAbsoluteRare(double a, double top) {
    if (a <= top) {
      counts[n - 1]++; // min(n − 1, ⌊a·scale⌋) with ⌊a·scale⌋ ≥ n: see clampFreeBound
    } else if (a > top) {
      above++;
    } else {
      nan++;
    }
  }

  /**
   * The least double {@code a} whose product {@code a·scale} (rounded, as the loops compute it)
   * reaches {@code n}, or the double above {@code top} when no {@code a <= top} does: below it,
   * ⌊a·scale⌋ is a bin (at most n − 1) with no clamp. The rounded product is monotone in {@code a},
   * so the bound is found by stepping from n/scale, an ulp or two from it. For a grid layout (scale
   * = 1/w exactly, top the double below n·w) it is n·w, the layout's top edge.
   */
  private static double clampFreeBound(double top, double scale, int n) {
    double limit = Math.nextUp(top);
    double a = Math.min(n / scale, limit);
    if (a * scale >= n) {
      while (a > 0 && Math.nextDown(a) * scale >= n) {
        a = Math.nextDown(a);
      }
    } else {
      while (a < limit && !(a * scale >= n)) {
        a = Math.nextUp(a);
      }
    }
    return Math.min(a, limit);
  }

  private void addSigned(float[] values, int from, int to, int[] d) {
    final long[] c = counts;
    final int last = n - 1;
    final double lo = spec.lo();
    final double hi = spec.hi();
    final double scale = n / (hi - lo);
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
    below += down;
    above += up;
    nan += nans;
    ScratchHistogram.flush(d, counts, n);
    addSignedDirect(values, i, to);
  }

  private void addSignedDirect(float[] values, int from, int to) {
    final long[] c = counts;
    final int last = n - 1;
    final double lo = spec.lo();
    final double hi = spec.hi();
    final double scale = n / (hi - lo);
    long down = 0;
    long up = 0;
    long nans = 0;
    for (int i = from; i < to; i++) {
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

  /**
   * The largest |x| binned inside: {@code hi} for a range layout (last bin closed), the double
   * below it for a grid layout (bins half-open). For a grid, n/hi = 1/w exactly (hi = n·w with w a
   * power of two), so ⌊|x|·(n/hi)⌋ = ⌊|x|·2^−e⌋ is exact.
   */
  private static double inclusiveTop(HistogramSpec spec) {
    return spec.layout() == HistogramLayout.GRID ? Math.nextDown(spec.hi()) : spec.hi();
  }

  /**
   * SIGNED on a grid: bin ⌊x·2^−e⌋ + K of [−K·w, K·w), exact (a multiplication by a power of two
   * and a floor; (x − lo)·scale would round for small x). Half-open: hi itself is above.
   */
  private void addSignedGrid(float[] values, int from, int to) {
    final long[] c = counts;
    final int k = n / 2;
    final double lo = spec.lo();
    final double hi = spec.hi();
    final double inv = 1.0 / spec.binWidth();
    long down = 0;
    long up = 0;
    long nans = 0;
    for (int i = from; i < to; i++) {
      double v = values[i];
      if (v >= lo && v < hi) {
        c[(int) Math.floor(v * inv) + k]++;
      } else if (v < lo) {
        down++;
      } else if (v >= hi) {
        up++;
      } else {
        nans++;
      }
    }
    below += down;
    above += up;
    nan += nans;
  }

  /**
   * LOG2 through two interleaved scratch sub-histograms of n + 2 slots each (slot 0 below, 1..n the
   * bins, n+1 above; sub-histogram k of slot s at 2s + k), so that no branch depends on the sign or
   * the range: a Gaussian's signs are a coin flip per value, which the branchy loop mispredicted
   * half the time.
   */
  private void addLog2(float[] values, int from, int to, int[] d) {
    // Bin of a positive normal float = biasedIndex(bits) − base (see Log2Bins).
    final int base =
        ((int) spec.lo() + Log2Bins.EXPONENT_BIAS) * HistogramSpec.LOG2_BINS_PER_OCTAVE;
    // Zero and subnormals give a negative bin (below) when the range starts at a normal float;
    // otherwise they take the rare path, where subnormals are binned exactly.
    final int rareMask = spec.lo() >= Float.MIN_EXPONENT ? 0xFF : 0xFE;
    for (int i = from; i < to; i++) {
      int b = Float.floatToRawIntBits(values[i]);
      // Exponent field all ones (NaN, ±Inf), or zero when subnormals may be in range: rare path.
      if ((((b >>> Log2Bins.MANTISSA_BITS) + 1) & rareMask) == 0) {
        addLog2Rare(values[i]);
        continue;
      }
      // A negative value (sign bit set) forces slot 0, below; otherwise the bin is clamped to the
      // below and above slots of the sub-histogram.
      int bin = (Log2Bins.biasedIndex(b & Integer.MAX_VALUE) - base) | (b >> 31);
      int slot = Math.max(-1, Math.min(n, bin)) + 1;
      d[(slot << 1) | (i & 1)]++;
    }
    long[] c = counts;
    below += d[0] + (long) d[1];
    above += d[2 * n + 2] + (long) d[2 * n + 3];
    for (int j = 0; j < n; j++) {
      c[j] += d[2 * j + 2] + (long) d[2 * j + 3];
    }
    Arrays.fill(d, 0, 2 * n + 4, 0);
  }

  /** LOG2 one value at a time, for short slices. */
  private void addLog2Direct(float[] values, int from, int to) {
    final long[] c = counts;
    final int base =
        ((int) spec.lo() + Log2Bins.EXPONENT_BIAS) * HistogramSpec.LOG2_BINS_PER_OCTAVE;
    for (int i = from; i < to; i++) {
      int b = Float.floatToRawIntBits(values[i]);
      // A positive normal float is binned here; anything else takes the rare path.
      if (Integer.compareUnsigned(b - Log2Bins.MIN_NORMAL_BITS, Log2Bins.NORMAL_RANGE) >= 0) {
        addLog2Rare(values[i]);
        continue;
      }
      int bin = Log2Bins.biasedIndex(b) - base;
      if (bin < 0) {
        below++;
      } else if (bin >= n) {
        above++;
      } else {
        c[bin]++;
      }
    }
  }

  /** A NaN, ±Inf, or (when the range reaches below the normal floats) a zero or subnormal. */
  private void addLog2Rare(float v) {
    if (Float.isNaN(v)) {
      nan++;
    } else if (!(v > 0)) {
      below++;
    } else if (v == Float.POSITIVE_INFINITY) {
      above++;
    } else {
      int bin = Log2Bins.subOctaveIndex(v) - ((int) spec.lo()) * HistogramSpec.LOG2_BINS_PER_OCTAVE;
      if (bin < 0) {
        below++;
      } else if (bin >= n) {
        above++;
      } else {
        counts[bin]++;
      }
    }
  }
}
