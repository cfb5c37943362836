package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.screen.Candidates;
import dev.qcal.core.calib.screen.ScreenedSearch;
import dev.qcal.core.calib.screen.Screening;
import dev.qcal.core.calib.screen.TieRule;

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
  private int[] memoLength; // see memo

  /**
   * G of group [a, b) at slot ((b − a + 1) mod 2)·(n + 1) + a, valid where {@link #memoLength}
   * holds b − a + 1 (0: unknown): a candidate's groups have two lengths, one of each parity.
   * Stamped, never cleared: the search visits lengths out of order, and clearing on each new length
   * was, with the other fills, a third of the pick's CPU at 20 000 small tensors (JFR).
   */
  private double[] memo;

  /** c·ln c for the small counts, the very doubles {@code c * Math.log(c)} gives. */
  private static final double[] C_LN_C = new double[1 << 10];

  static {
    for (int c = 1; c < C_LN_C.length; c++) {
      C_LN_C[c] = c * Math.log(c);
    }
  }

  /** The search over {@code counts} (not copied: the caller passes its own private copy). */
  SpreadKl(long[] counts) {
    this.h = counts;
    this.n = counts.length;
    this.sum = new long[n + 1];
    this.nonEmpty = new int[n + 1];
    this.hlHi = new double[n + 1];
    this.hlLo = new double[n + 1];
    this.changes = new int[n + 1];
    this.nextNonEmpty = new int[n + 1];
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
    while (next <= n) {
      nextNonEmpty[next++] = n;
    }
    this.total = kept;
  }

  // One seed point in this many is valued: a far seed misses the memo (every point took ~1.1× the
  // pick's CPU at 20 000 small tensors), and the pick and its value never depend on the seeds (§8).
  private static final int SEED_SPACING = 4;

  /** The pick by {@code rule} of {@link #divergence} over i = first + c·step, screened (§8). */
  ScreenedSearch.Outcome pick(int first, int step, int count, int nq, TieRule rule) {
    int shift = shift(nq);
    double[] seeds = new double[count];
    boolean[] seeded = new boolean[count];
    return ScreenedSearch.run(
        new Candidates() {
          @Override
          public int count() {
            return count;
          }

          @Override
          public boolean screenable() {
            return true;
          }

          @Override
          public void seed(int c, Screening out) {
            if ((c / ScreenedSearch.SEED_STRIDE) % SEED_SPACING != 0) {
              out.unknown();
              return;
            }
            seeds[c] = exact(c);
            seeded[c] = true;
            out.interval(seeds[c], seeds[c], seeds[c]);
          }

          @Override
          public void screen(int c, double limit, Screening out) {
            int i = first + c * step;
            if (seeded[c] && !Double.isNaN(seeds[c])) { // a NaN seed settles nothing
              out.exact(seeds[c]);
            } else if (infinite(i)) {
              out.exact(Double.POSITIVE_INFINITY);
            } else {
              double lower = lowerBound(i, nq, shift);
              if (lower > limit) {
                out.interval(lower, Double.POSITIVE_INFINITY, Double.NaN);
              } else {
                out.evaluate();
              }
            }
          }

          @Override
          public double exact(int c) {
            return divergence(first + c * step, nq);
          }

          @Override
          public TieRule tieRule() {
            return rule;
          }
        });
  }

  /** A lower bound on a finite {@link #divergence}{@code (i, nq)} as computed, in O(1) (§8). */
  private double lowerBound(int i, int nq, int shift) {
    long kept = sum[i];
    long out = total - kept;
    double margin = 0x1p-40 * (nq + 32) * (Math.log(total) + 1) + 0x1p-48 * out / kept;
    if (out == 0) {
      return -margin;
    }
    int a = Math.min((int) (((nq - 1L) * i + nq - 1) >>> shift), i - 1);
    long s = kept - sum[a];
    double clipped = (s + out) * Math.log((double) (s + out) / s) / total;
    return clipped + Math.log((double) kept / total) - margin;
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
    int shift = shift(nq);
    if (infinite(i)) {
      return Double.POSITIVE_INFINITY;
    }
    long out = total - sum[i];
    if (memo == null) {
      memo = new double[2 * (n + 1)];
      memoLength = new int[2 * (n + 1)];
    }
    long round = nq - 1L;
    long acc = i;
    int a = 0;
    double g = 0;
    for (int k = 0; k < nq - 1; k++) {
      int b = (int) ((acc + round) >>> shift);
      acc += i;
      g += term(a, b);
      a = b;
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
    return finish(g, out);
  }

  private double finish(double g, long out) {
    double kl = g / total;
    // ln((T − O)/T), exactly 0 without outliers so that P = Q gives exactly 0.
    return out == 0 ? kl : kl + Math.log1p(-(double) out / total);
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
