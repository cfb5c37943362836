package dev.qcal.core.calib.entropy;

import java.util.Arrays;

/**
 * KL(P‖Q) of the "spread over non-empty bins" scheme of the TensorRT GTC 2017 talk and NVIDIA's
 * {@code _compute_amax_entropy}, one candidate at a time in O(groups) instead of O(i), from prefix
 * sums and a memo of group terms (docs/design/entropy-screens.md §8). Not thread-safe.
 */
final class SpreadKl {
  private final long[] h;
  private final int n;
  private final long total;
  private final long[] sum;
  private final int[] nonEmpty;
  private final double[] hlHi;
  private final double[] hlLo;
  private final int[] changes;
  private final int[] nextNonEmpty;
  private final int[] memoLength; // see memo

  /**
   * G of group [a, b) at slot ((b − a + 1) mod 2)·(n + 1) + a, valid where {@link #memoLength}
   * holds b − a + 1 (0: unknown): a candidate's groups have two lengths, one of each parity.
   * Stamped, cleared once a search: clearing on each new length was, with the other fills, a third
   * of the pick's CPU at 20 000 small tensors (JFR).
   */
  private final double[] memo;

  /** c·ln c for the small counts, the very doubles {@code c * Math.log(c)} gives. */
  private static final double[] C_LN_C = new double[1 << 10];

  static {
    for (int c = 1; c < C_LN_C.length; c++) {
      C_LN_C[c] = c * Math.log(c);
    }
  }

  /** The thread's last search, whose tables the next one reuses: see {@link #over}. */
  private static final ThreadLocal<SpreadKl> LAST = new ThreadLocal<>();

  /**
   * The search over {@code counts} (not copied: the caller passes its own private copy), on the
   * tables of the thread's last search, which it ends (callers use one at a time): fresh tables
   * were a fifth of a pick's CPU at 20 000 small tensors. Tables of 2^12 to 2^14 bins are kept.
   */
  static SpreadKl over(long[] counts) {
    SpreadKl kl = new SpreadKl(counts, LAST.get());
    if (kl.sum.length <= 1 << 14) {
      LAST.set(kl);
    }
    return kl;
  }

  private SpreadKl(long[] counts, SpreadKl last) {
    this.h = counts;
    this.n = counts.length;
    boolean reuse = last != null && last.sum.length > n;
    int size = Math.max(n + 1, 1 << 12); // from the start, so that the tables seldom grow
    this.sum = reuse ? last.sum : new long[size];
    this.nonEmpty = reuse ? last.nonEmpty : new int[size];
    this.hlHi = reuse ? last.hlHi : new double[size];
    this.hlLo = reuse ? last.hlLo : new double[size];
    this.changes = reuse ? last.changes : new int[size];
    this.nextNonEmpty = reuse ? last.nextNonEmpty : new int[size];
    this.memo = reuse ? last.memo : new double[2 * size];
    this.memoLength = reuse ? last.memoLength : new int[2 * size];
    Arrays.fill(memoLength, 0, 2 * (n + 1), 0);
    long previous = -1;
    double hi = 0;
    double lo = 0;
    long kept = 0;
    int nonEmpties = 0;
    int changed = 0;
    int next = 0; // bins [next, j) wait for their next non-empty bin
    for (int j = 0; j < n; j++) {
      long c = counts[j];
      if (c > 0) {
        if (previous >= 0 && previous != c) {
          changed++;
        }
        previous = c;
        kept += c;
        nonEmpties++;
        // Knuth's TwoSum: hi + lo holds the running sum of h·ln h with ~106 bits.
        double t = c < C_LN_C.length ? C_LN_C[(int) c] : c * Math.log(c);
        double s = hi + t;
        double bb = s - hi;
        lo += (hi - (s - bb)) + (t - bb);
        hi = s;
        while (next <= j) {
          nextNonEmpty[next++] = j;
        }
      }
      sum[j + 1] = kept;
      nonEmpty[j + 1] = nonEmpties;
      changes[j + 1] = changed;
      hlHi[j + 1] = hi;
      hlLo[j + 1] = lo;
    }
    Arrays.fill(nextNonEmpty, next, n + 1, n);
    this.total = kept;
  }

  /**
   * The last minimum of {@link #divergence} over i = first + c·step, as an index c (0 when every
   * value is NaN): NVIDIA's {@code if (v <= best)} from +∞, taken from the last candidate down, so
   * the first minimum met. A candidate's groups are summed only until its lower bound plus their
   * sum proves it above the smallest value so far: it could then be no minimum, and the pick and
   * its value are the exhaustive loop's, bit for bit (§8).
   */
  int pick(int first, int step, int count, int nq) {
    int shift = shift(nq);
    // The margin 2^-40·(nq + 32)·(ln T + 1) + 2^-48·O/(T − O): some 2^9 times the rounding of a
    // computed divergence and of the bound; twice it, as the groups summed so far (their rounding
    // within it too) are added to the bound (§8).
    double margin = 0x1p-40 * (nq + 32) * (Math.log(total) + 1);
    int best = -1;
    double min = Double.POSITIVE_INFINITY;
    for (int c = count - 1; c >= 0; c--) {
      int i = first + c * step;
      if (infinite(i)) {
        best = best < 0 ? c : best; // +∞ is the minimum only while nothing is smaller
        continue;
      }
      double twice = 2 * (margin + 0x1p-48 * (total - sum[i]) / sum[i]);
      double lower = lowerBound(i, nq, shift, min + twice);
      double stop = (min - lower + twice) * total; // NaN: above min
      double v = lower - twice > min ? Double.NaN : groups(i, nq, shift, stop);
      if (v < min || (best < 0 && v <= min)) {
        min = v;
        best = c;
      }
    }
    return Math.max(best, 0);
  }

  /**
   * KL ≥ the last group's share, every other group's G at least 0, for a finite candidate, in O(1):
   * by the log-sum inequality, or, when that is not above {@code above}, that G as {@link
   * #lastGroupTerm} values it, with FastLog (§8).
   */
  private double lowerBound(int i, int nq, int shift, double above) {
    long kept = sum[i];
    long out = total - kept;
    if (out == 0) {
      return 0;
    }
    int a = Math.min((int) (((nq - 1L) * i + nq - 1) >>> shift), i - 1);
    long s = kept - sum[a];
    double rest = FastLog.ln((double) kept / total);
    double loose = (s + out) * FastLog.ln((double) (s + out) / s) / total + rest;
    if (loose > above) {
      return loose;
    }
    long last = h[i - 1];
    double g = (hlHi[i] - hlHi[a]) + (hlLo[i] - hlLo[a]) + (last + out) * FastLog.ln(last + out);
    g -= last * FastLog.ln(last) + (s + out) * FastLog.ln((double) s / (nonEmpty[i] - nonEmpty[a]));
    return g / total + rest;
  }

  private static int shift(int nq) {
    if (Integer.bitCount(nq) != 1) {
      throw new IllegalArgumentException("nq must be a power of two (" + nq + ")");
    }
    return Integer.numberOfTrailingZeros(nq);
  }

  /** +∞: outliers land on an empty last bin, or nothing is kept. */
  private boolean infinite(int i) {
    return sum[i] == 0 || (sum[i] < total && h[i - 1] == 0);
  }

  /** Sum of the counts of bins [0, i). */
  long kept(int i) {
    return sum[i];
  }

  /**
   * KL(P‖Q) of the candidate keeping bins [0, i), bin j in group ⌊j·nq/i⌋ (the talk's grouping, and
   * NVIDIA's {@code digitize} for a power-of-two nq) (docs/design/entropy-screens.md §8).
   *
   * @throws IllegalArgumentException if {@code nq} is not a power of two
   */
  double divergence(int i, int nq) {
    int shift = shift(nq); // first: a bad nq throws even for an infinite candidate
    return infinite(i) ? Double.POSITIVE_INFINITY : groups(i, nq, shift, Double.POSITIVE_INFINITY);
  }

  /**
   * {@link #divergence} of a finite candidate, or NaN once the sum of its groups so far, in the
   * order the whole sum adds them, exceeds {@code stop}.
   */
  private double groups(int i, int nq, int shift, double stop) {
    long out = total - sum[i];
    long round = nq - 1L;
    long acc = i;
    int a = 0;
    double g = 0;
    for (int k = 0; k < nq - 1; k++) {
      int b = (int) ((acc + round) >>> shift);
      acc += i;
      g += term(a, b);
      a = b;
      if (g > stop) {
        return Double.NaN;
      }
    }
    // Fewer bins than groups: the last group is empty and [i − 1, i) (counted above, as 0: one
    // bin) is the last non-empty one.
    a = Math.min(a, i - 1);
    if (out > 0) {
      if (sum[a] == 0 && proportionalLast(a, i, out)) {
        return 0;
      }
      g += lastGroupTerm(a, i, out);
    } else {
      g += term(a, i);
    }
    // + ln((T − O)/T), exactly 0 without outliers so that P = Q gives exactly 0.
    return out == 0 ? g / total : g / total + Math.log1p(-(double) out / total);
  }

  /** True when P ∝ Q despite outliers: exactly 0, as the direct loop finds (§8). */
  private boolean proportionalLast(int a, int i, long out) {
    int c = nonEmpty[i] - nonEmpty[a];
    if (c == 1) {
      return true;
    }
    int first = nextNonEmpty[a];
    return changes[i - 1] - changes[first + 1] == 0 && h[first] == h[i - 1] + out;
  }

  /** G of group [a, b), through the memo. */
  private double term(int a, int b) {
    int stamp = b - a + 1;
    int slot = (stamp & 1) * (n + 1) + a;
    if (memoLength[slot] == stamp) {
      return memo[slot];
    }
    double v = directTerm(a, b);
    memo[slot] = v;
    memoLength[slot] = stamp;
    return v;
  }

  private double directTerm(int a, int b) {
    int c = nonEmpty[b] - nonEmpty[a];
    if (c == 0) {
      return 0;
    }
    int first = nextNonEmpty[a];
    if (changes[b] - changes[first + 1] == 0) {
      // All non-empty bins of the group are equal: P = Q on it, G = 0 exactly.
      return 0;
    }
    long s = sum[b] - sum[a];
    double hl = (hlHi[b] - hlHi[a]) + (hlLo[b] - hlLo[a]);
    return hl - s * FastLog.ln((double) s / c);
  }

  private double lastGroupTerm(int a, int b, long out) {
    int c = nonEmpty[b] - nonEmpty[a];
    long s = sum[b] - sum[a];
    long last = h[b - 1];
    long folded = last + out;
    double hl =
        (hlHi[b] - hlHi[a])
            + (hlLo[b] - hlLo[a])
            - last * Math.log(last)
            + folded * Math.log(folded);
    return hl - (s + out) * FastLog.ln((double) s / c);
  }
}
