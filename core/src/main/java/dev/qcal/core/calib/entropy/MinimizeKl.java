package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.SharedSearches;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;

/**
 * The C++ KL search shared by MXNet ≥ 1.6 ({@code src/operator/quantization/calibrate.cc},
 * {@code CalibrateComputeCPU}) and TVM relay ({@code src/relay/quantize/calibrate.cc},
 * {@code MinimizeKL}, "adapted from MXNet"), reproduced in float32 (design notes §4.2, §4.3).
 *
 * <p>Per candidate {@code i}: {@code start = zero − i}, {@code stop = zero + i + 1}. P (float) has
 * {@code P[0] = Σ_{j ≤ start} h[j]} (so h[start] is in P[0]), {@code P[last] = h[stop−1] + Σ_{j ≥
 * stop} h[j]}, each accumulated left to right in float. The sliced integer array used for Q has
 * {@code slice[0] = 0}. {@code nq} groups of {@code m = L / nq} slice bins are summed in an
 * {@code int} accumulator (the remainder into the last group, added in float), each group's sum is
 * divided by the number of non-zero slice bins of its expansion range (the last one runs to the end)
 * and written where P ≠ 0. Both are smoothed in float (zeros + 1e-4, the rest − 1e-4·zeros/nonzeros;
 * empty when all zero or when that eps ≥ 1, then KL = +Inf), normalised in float, and the KL is
 * {@code Σ p·log(p/q)} accumulated in float.
 *
 * <p>Cost: the per-candidate folds and group sums come from prefix arrays computed once (integer
 * sums, which are exact; the float folds only where float addition of the integer counts is exact,
 * i.e. while the total stays ≤ 2^24, otherwise the fold is replayed bin by bin). The O(window)
 * loops keep the tools' float order and are branch-free (smoothing by {@code max(c − eps1, eps)}
 * and a mask), the divisions run in a loop the JIT vectorises, and the float log is
 * {@link Float32Log}. Evaluating every candidate this way ({@link #runExact}) takes about 90 ms of
 * CPU for an 8001-bin histogram (16 M window bins, one log each). {@link #run} therefore screens:
 * each candidate's float sums P̂ and Q̂ are computed exactly in O(groups) ({@link #fastSums}) and
 * its float32 KL is bounded by the closed form of {@link KlScreen} in O(nq); only the candidates
 * whose lower bound does not exceed the smallest upper bound (one to a few) are evaluated bin by
 * bin, and the pick is taken over their exact values: the same threshold and KL as the exact
 * search, in about 40 ms. The curve holds the exact KL for those and the middle of the interval
 * (within about 5e-5 relative) for the others. Histograms with negative (wrapped) counts or
 * totals of 2^52 and more are searched bin by bin.
 */
final class MinimizeKl {
  /** How the tool hands the counts to C++. */
  enum Counts {
    /** MXNet: a float32 NDArray (counts above 2^24 are rounded). */
    FLOAT32,
    /** TVM: an int32 array (counts above 2^31 − 1 wrap). */
    INT32
  }

  /** How the minimum is taken. */
  enum Minimum {
    /** MXNet: strict {@code <} starting from FLT_MAX (the first minimum; NaN never wins). */
    STRICT_FROM_FLT_MAX,
    /** TVM: {@code std::min_element} (the first minimum, compared with {@code <}). */
    MIN_ELEMENT
  }

  private static final long EXACT_FLOAT_INTEGERS = 1L << 24;
  private static final int EPS_BITS = Float.floatToRawIntBits(SignedWindowKl.EPS);

  /** The outcome of one search. */
  static final class Search {
    final double[] thresholds;
    final double[] divergence;
    final int count;
    final int best;
    final boolean countsAltered;

    private Search(double[] thresholds, double[] divergence, int count, int best, boolean altered) {
      this.thresholds = thresholds;
      this.divergence = divergence;
      this.count = count;
      this.best = best;
      this.countsAltered = altered;
    }
  }

  private final int n;
  private final int nq;
  private final float[] hf;
  private final long[] hs;
  private final long[] slicePrefix;
  private final int[] nonzeroPrefix;
  private final float[] leftFold;
  private final long[] suffix;
  private final boolean exactFolds;
  private final boolean countsAltered;

  // Per-candidate scratch, reused (no allocation per candidate).
  private final float[] qb;
  private final float[] qv;
  private final float[] smoothedP;
  private final float[] smoothedQ;
  private final int[] zeroMask;
  private final boolean branchFree;
  /** Non-negative counts whose total is below 2^31: no int group sum wraps, every Q is positive. */
  private final boolean totalFitsInt;
  /** The first bin at or after j with a non-zero (resp. zero) count, n if none. */
  private final int[] nextNonzero;
  private final int[] nextZero;
  private final float hMax;

  // The prepared candidate (see prepare).
  private float cp0;
  private float cpLast;
  private int cm;
  private float cEps1p;
  private float cEps1q;

  private MinimizeKl(Histogram h, int nq, Counts counts) {
    this.n = h.binCount();
    this.nq = nq;
    this.hf = new float[n];
    this.hs = new long[n];
    boolean altered = false;
    for (int j = 0; j < n; j++) {
      long c = h.count(j);
      if (counts == Counts.FLOAT32) {
        float f = c;
        hf[j] = f;
        hs[j] = (long) f; // size_t sliced_nd_hist[...] = hist_ptr[j]
        altered |= hs[j] != c;
      } else {
        int v = (int) c; // std::vector<int> hist
        hf[j] = v;
        hs[j] = v;
        altered |= v != c;
      }
    }
    this.countsAltered = altered;
    this.slicePrefix = new long[n + 1];
    this.nonzeroPrefix = new int[n + 1];
    this.leftFold = new float[n];
    this.suffix = new long[n + 1];
    float acc = 0f;
    long exact = 0;
    for (int j = 0; j < n; j++) {
      slicePrefix[j + 1] = slicePrefix[j] + hs[j];
      nonzeroPrefix[j + 1] = nonzeroPrefix[j] + (hs[j] != 0 ? 1 : 0);
      acc += hf[j];
      leftFold[j] = acc;
      exact += (long) hf[j];
    }
    for (int j = n - 1; j >= 0; j--) {
      suffix[j] = suffix[j + 1] + (long) hf[j];
    }
    // Non-negative integers whose total is ≤ 2^24 add exactly in float in any order.
    this.exactFolds = exact >= 0 && exact <= EXACT_FLOAT_INTEGERS && allNonNegative();
    this.qb = new float[nq];
    this.qv = new float[nq];
    this.smoothedP = new float[n + 1];
    this.smoothedQ = new float[n + 1];
    this.zeroMask = new int[n];
    for (int j = 0; j < n; j++) {
      zeroMask[j] = hf[j] == 0f ? -1 : 0;
    }
    this.branchFree = allNonNegative();
    this.totalFitsInt = branchFree && slicePrefix[n] < Integer.MAX_VALUE;
    this.nextNonzero = new int[n + 1];
    this.nextZero = new int[n + 1];
    nextNonzero[n] = n;
    nextZero[n] = n;
    for (int j = n - 1; j >= 0; j--) {
      nextNonzero[j] = hf[j] != 0f ? j : nextNonzero[j + 1];
      nextZero[j] = hf[j] == 0f ? j : nextZero[j + 1];
    }
    float max = 0f;
    for (float v : hf) {
      max = Math.max(max, v);
    }
    this.hMax = max;
  }

  private boolean allNonNegative() {
    for (long v : hs) {
      if (v < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Runs the search over every candidate whose window fits in the histogram: screened (see {@link
   * #searchScreened}) when the closed form applies, otherwise bin by bin. The pick and its KL are
   * the same either way.
   */
  static Search run(Histogram h, int nq, Counts counts, Minimum minimum) {
    if (countsFitBoth(h)) {
      // Counts in [0, 2^24] are the same in MXNet's float32 and TVM's int32, so both tools run the
      // same screened search (whose pick, firstMinimum, is the same under both minimum rules):
      // within one TensorCalibrator call, entropy:mxnet and entropy:tvm share it.
      return SharedSearches.computeIfAbsent(
          new SharedKey(h, nq), () -> runOnce(h, nq, counts, minimum));
    }
    return runOnce(h, nq, counts, minimum);
  }

  private static Search runOnce(Histogram h, int nq, Counts counts, Minimum minimum) {
    MinimizeKl k = new MinimizeKl(h, nq, counts);
    return k.screenable() ? k.searchScreened(h, minimum) : k.search(h, minimum);
  }

  /** The key of a search whose counts both tools hold exactly (see {@link #run}). */
  private record SharedKey(Histogram histogram, int nq) {}

  /** Whether every count is in [0, 2^24]: then both {@link Counts} conversions keep it. */
  static boolean countsFitBoth(Histogram h) {
    for (int j = 0, n = h.binCount(); j < n; j++) {
      long c = h.count(j);
      if (c < 0 || c > EXACT_FLOAT_INTEGERS) {
        return false;
      }
    }
    return true;
  }

  /** The bin-by-bin search of every candidate (the reference the screened search must match). */
  static Search runExact(Histogram h, int nq, Counts counts, Minimum minimum) {
    return new MinimizeKl(h, nq, counts).search(h, minimum);
  }

  /**
   * The result for the tool's threshold {@code th → range}: curve, objective and the notes of the
   * quirks hit. {@code countsNote} names what the tool did to counts it cannot hold.
   */
  static CalibrationResult.Builder result(
      String method, Search s, ClipRange range, QuantSpec quant, int binCount, String countsNote) {
    CalibrationResult.Builder b = CalibrationResult.builder(method, range, quant);
    if (s.count > 0) {
      b.objective(s.divergence[s.best])
          .curve("kl", SignedWindowKl.curve(s.thresholds, s.divergence, s.count));
    }

    if (binCount % 2 == 0) {
      b.note(
          "even bin count: windows are [-i*w, (i+1)*w) and the last candidate (i = n/2), which"
              + " the tool reads past the edges for, is skipped");
    }

    if (s.countsAltered) {
      b.note(countsNote);
    }

    if (s.count > 0 && s.divergence[s.best] == Double.POSITIVE_INFINITY) {
      b.note("every candidate has KL = +Inf (all-zero Q): the first candidate was chosen, as the tool does");
    }
    return b;
  }

  /** The last candidate the tool can evaluate: {@code stop = zero + i + 1 ≤ n}. */
  static int lastCandidate(int binCount) {
    int zero = SignedWindowKl.zeroBin(binCount);
    return Math.min(zero, binCount - 1 - zero);
  }

  private Search search(Histogram h, Minimum minimum) {
    int zero = SignedWindowKl.zeroBin(n);
    int half = nq / 2;
    int count = SignedWindowKl.candidateCount(nq, lastCandidate(n));
    double[] thresholds = new double[count];
    double[] divergence = new double[count];
    for (int c = 0; c < count; c++) {
      int i = half + c;
      thresholds[c] = h.edge(zero + i + 1);
      divergence[c] = candidate(zero - i, zero + i + 1);
    }
    int best = 0;
    if (minimum == Minimum.STRICT_FROM_FLT_MAX) {
      float min = Float.MAX_VALUE;
      for (int c = 0; c < count; c++) {
        if (divergence[c] < min) {
          min = (float) divergence[c];
          best = c;
        }
      }
    } else {
      for (int c = 1; c < count; c++) {
        if (divergence[c] < divergence[best]) {
          best = c;
        }
      }
    }
    return new Search(thresholds, divergence, count, best, countsAltered);
  }

  /** Whether the closed-form screen applies: non-negative integer counts of modest total. */
  private boolean screenable() {
    if (!branchFree) {
      return false;
    }
    if (screen == null) {
      screen = new KlScreen(hf, nq);
      if (screen.usable() && slicePrefix[n] < Integer.MAX_VALUE) {
        // The tool's group Q: the int group sum, stored as float, over the non-zero count.
        classes =
            new GroupClassSums(slicePrefix, nonzeroPrefix, GroupClassSums.Tool.MXNET_CPP);
      }
    }
    return screen.usable();
  }

  private KlScreen screen;

  /**
   * The two-stage search. Stage 1 computes every candidate's float sums P̂ and Q̂ exactly in
   * O(groups) ({@link #fastSums}) and bounds its float32 KL from the closed form of {@link
   * KlScreen}; a candidate whose lower bound exceeds the smallest upper bound cannot be picked.
   * Stage 2 evaluates the others (a handful) bin by bin. The pick is then taken, by the tool's rule,
   * over exact values only: every dropped candidate is strictly above the survivors' minimum. A
   * dropped candidate's curve value is the middle of its interval, rounded to float.
   */
  private Search searchScreened(Histogram h, Minimum minimum) {
    int zero = SignedWindowKl.zeroBin(n);
    int half = nq / 2;
    int count = SignedWindowKl.candidateCount(nq, lastCandidate(n));
    double[] thresholds = new double[count];
    double[] divergence = new double[count];
    double[] lo = new double[count];
    boolean[] exact = new boolean[count];
    KlScreen sc = screen;
    double bound = Double.POSITIVE_INFINITY;
    // Seed the smallest upper bound from a sample of candidates, so that the quick bound of
    // KlScreen.interval rules most others out without a pass over their groups.
    for (int c = KlScreen.SEED_STRIDE / 2; c < count; c += KlScreen.SEED_STRIDE) {
      int i = half + c;
      int start = zero - i;
      int stop = zero + i + 1;
      if (prepare(start, stop) && loadScreen(sc, start, stop - start)) {
        fastSums(start, stop - start);
        sc.interval(KlScreen.Sums.LEFT_TO_RIGHT, true, sumP, sumQ);
        bound = Math.min(bound, sc.hi);
      }
    }
    for (int c = 0; c < count; c++) {
      int i = half + c;
      int start = zero - i;
      int stop = zero + i + 1;
      thresholds[c] = h.edge(stop);
      if (!prepare(start, stop)) {
        divergence[c] = Double.POSITIVE_INFINITY;
        exact[c] = true;
      } else if (classesCleared(sc, start, stop - start, bound)) {
        lo[c] = sc.lo;
        divergence[c] = (float) sc.estimate;
        if (intervals != null) {
          intervals[2 * c] = sc.lo;
          intervals[2 * c + 1] = sc.hi;
        }
      } else if (!loadScreen(sc, start, stop - start)) {
        divergence[c] = divergence(start, stop - start, cm, cp0, cpLast, cEps1p, cEps1q);
        exact[c] = true;
        bound = Math.min(bound, divergence[c]);
      } else {
        if (!sumsReady) {
          fastSums(start, stop - start);
        }
        sc.interval(KlScreen.Sums.LEFT_TO_RIGHT, true, sumP, sumQ, bound);
        lo[c] = sc.lo;
        divergence[c] = (float) sc.estimate;
        bound = Math.min(bound, sc.hi);
        if (intervals != null) {
          intervals[2 * c] = sc.lo;
          intervals[2 * c + 1] = sc.hi;
        }
      }
    }

    recomputed = 0;
    for (int c = 0; c < count; c++) {
      if (!exact[c] && !(lo[c] > bound)) { // NaN-safe: an unknown candidate survives
        int i = half + c;
        divergence[c] = candidate(zero - i, zero + i + 1);
        exact[c] = true;
        recomputed++;
      }
    }
    int best = firstMinimum(divergence, exact, count);
    return new Search(thresholds, divergence, count, best, countsAltered);
  }

  /** Number of candidates the last screened search evaluated bin by bin (for tests and tuning). */
  int recomputed;

  /** For tests: when set, receives each screened candidate's interval (lo, hi). */
  private double[] intervals;

  /** For tests: the screened search, each screened candidate's interval into {@code intervals}. */
  static Search runScreened(
      Histogram h, int nq, Counts counts, Minimum minimum, double[] intervals) {
    MinimizeKl k = new MinimizeKl(h, nq, counts);
    if (!k.screenable()) {
      throw new IllegalStateException("not screenable");
    }
    k.intervals = intervals;
    return k.searchScreened(h, minimum);
  }

  /**
   * For tests: every candidate's O(1) class interval ({@link #classesCleared} with no limit) into
   * {@code intervals} (lo, hi pairs; NaN where it does not apply); returns how many applied.
   */
  static int classIntervalsForTest(Histogram h, int nq, Counts counts, double[] intervals) {
    MinimizeKl k = new MinimizeKl(h, nq, counts);
    if (!k.screenable()) {
      return 0;
    }
    int zero = SignedWindowKl.zeroBin(k.n);
    int count = SignedWindowKl.candidateCount(nq, lastCandidate(k.n));
    int applied = 0;
    for (int c = 0; c < count; c++) {
      int i = nq / 2 + c;
      intervals[2 * c] = Double.NaN;
      intervals[2 * c + 1] = Double.NaN;
      if (k.prepare(zero - i, zero + i + 1)
          && k.classesCleared(k.screen, zero - i, 2 * i + 1, Double.NEGATIVE_INFINITY)) {
        intervals[2 * c] = k.screen.lo;
        intervals[2 * c + 1] = k.screen.hi;
        applied++;
      }
    }
    return applied;
  }

  /**
   * For tests: the number of candidates (of those that smooth) whose {@link #fastSums} differ from
   * the bin-by-bin {@link #sums}; always 0.
   */
  static int fastSumMismatches(Histogram h, int nq, Counts counts) {
    MinimizeKl k = new MinimizeKl(h, nq, counts);
    int zero = SignedWindowKl.zeroBin(k.n);
    int count = SignedWindowKl.candidateCount(nq, lastCandidate(k.n));
    int bad = 0;
    for (int c = 0; c < count; c++) {
      int i = nq / 2 + c;
      if (!k.prepare(zero - i, zero + i + 1) || !(k.cEps1p < 0.5f)) {
        continue;
      }
      k.sums(zero - i, 2 * i + 1);
      float p = k.sumP;
      float q = k.sumQ;
      k.fastSums(zero - i, 2 * i + 1);
      bad += p == k.sumP && q == k.sumQ ? 0 : 1;
    }
    return bad;
  }

  /**
   * The first minimum over the exact values, +Inf losing to any finite value and the first
   * candidate when none is finite: MXNet's strict {@code <} from FLT_MAX and TVM's {@code
   * min_element} agree on these values (no NaN).
   */
  private static int firstMinimum(double[] v, boolean[] exact, int count) {
    int best = -1;
    for (int c = 0; c < count; c++) {
      if (exact[c] && v[c] < Float.MAX_VALUE && (best < 0 || v[c] < v[best])) {
        best = c;
      }
    }
    return Math.max(best, 0);
  }

  /**
   * The interior groups' sums in O(1) ({@link GroupClassSums}), when every count is non-negative
   * and the total is below 2^31 (no int group sum wraps); null otherwise.
   */
  private GroupClassSums classes;

  /**
   * The quick screen of the prepared candidate from {@link KlScreen#loadClasses} (its two end
   * groups, the interior in O(1)) and the tool's exact float sums ({@link #fastSums}): true when
   * its interval clears {@code limit}, so the O(groups) {@link KlScreen#load} is not needed. The
   * interior groups' Q values are positive (a window with a non-zero bin sums to at least its
   * non-zero count), so their zeros are P's.
   */
  private boolean classesCleared(KlScreen sc, int start, int len, double limit) {
    sumsReady = false;
    int m = cm;
    if (classes == null || nq < 3 || m < 1 || !(limit < Double.POSITIVE_INFINITY)) {
      return false;
    }
    if (classes.width() != m) {
      // Tabulate every window the candidates with this m use: their starts run down to the
      // widest one's (windows are [zero − i, zero + i + 1), m = (2i + 1)/nq).
      int zero = SignedWindowKl.zeroBin(n);
      int iEnd = Math.min(lastCandidate(n), (nq * (m + 1) - 2) / 2);
      classes.width(m, zero - iEnd + m, start + (nq - 2) * m);
    }
    int a = (nq - 1) * m;
    sc.groupStart[0] = 0;
    sc.groupEnd[0] = m;
    sc.qNz[0] = qNonzero(0);
    sc.qZ[0] = SignedWindowKl.EPS;
    sc.groupStart[1] = a;
    sc.groupEnd[1] = len;
    sc.qNz[1] = qNonzero(nq - 1);
    sc.qZ[1] = SignedWindowKl.EPS;
    if (!sc.loadClasses(
        start, len, 2, cp0, cpLast, cEps1p, cEps1q, classes, start + m, start + (nq - 2) * m, nq - 2)) {
      return false;
    }
    fastSums(start, len);
    sumsReady = true;
    sc.interval(KlScreen.Sums.LEFT_TO_RIGHT, true, sumP, sumQ, limit);
    return sc.cleared();
  }

  /** Whether {@link #sumP} and {@link #sumQ} hold the current candidate's sums already. */
  private boolean sumsReady;

  /** Loads the prepared candidate's groups into the screen. */
  private boolean loadScreen(KlScreen sc, int start, int len) {
    int m = cm;
    for (int j = 0; j < nq; j++) {
      int a = j * m;
      sc.groupStart[j] = a;
      sc.groupEnd[j] = j == nq - 1 ? len : a + m;
      sc.qNz[j] = qv[j] == 0f ? SignedWindowKl.EPS : qv[j] - cEps1q;
      sc.qZ[j] = SignedWindowKl.EPS;
    }
    return sc.load(start, len, nq, cp0, cpLast, cEps1p);
  }

  private float sumP;
  private float sumQ;

  /**
   * The tool's float sums of the smoothed P and Q of the prepared candidate (pass 1 of {@link
   * #divergence}, same order, same operations, nothing stored).
   */
  private void sums(int start, int len) {
    float eps1p = cEps1p;
    float eps1q = cEps1q;
    float p0 = cp0;
    float pLast = cpLast;
    int m = cm;
    int[] zero = zeroMask;
    float pSum = 0f;
    float qSum = 0f;
    int last = len - 1;
    for (int j = 0; j < nq; j++) {
      int a = j * m;
      int b = j == nq - 1 ? len : a + m;
      float qNonzero = qv[j] == 0f ? SignedWindowKl.EPS : qv[j] - eps1q;
      int qBits = Float.floatToRawIntBits(qNonzero);
      int k = a;
      if (k == 0 && b > 0) {
        pSum += p0 == 0f ? SignedWindowKl.EPS : p0 - eps1p;
        qSum += p0 == 0f ? SignedWindowKl.EPS : qNonzero;
        k = 1;
      }
      int hi = Math.min(b, last);
      for (; k < hi; k++) {
        int bin = start + k;
        pSum += Math.max(hf[bin] - eps1p, SignedWindowKl.EPS);
        int z = zero[bin];
        qSum += Float.intBitsToFloat((z & EPS_BITS) | (~z & qBits));
      }
      if (b == len && last > 0) {
        pSum += pLast == 0f ? SignedWindowKl.EPS : pLast - eps1p;
        qSum += pLast == 0f ? SignedWindowKl.EPS : qNonzero;
      }
    }
    sumP = pSum;
    sumQ = qSum;
  }

  /** From this float sum on, adding EPS changes nothing: EPS &lt; ½ulp(2^11) = 2^-13. */
  private static final float EPS_ABSORBED = 2048f;

  /**
   * {@link #sums} in O(groups + binades·log n) instead of O(window), with the same float results.
   *
   * <p>Both sums start bin by bin until they reach 2^11, where EPS &lt; ½ulp and adding it is an
   * exact no-op. Then, inside one binade [2^E, 2^(E+1)) with E ≤ 23 (so the grid ulp = 2^(E−23)
   * divides 1): P adds s_k = fl(h_k − e) = h_k − e'_k, and when every e'_k ≤ e + ½ulp(h_max) is
   * below ½ulp the nearest grid point of acc + h_k − e'_k is acc + h_k, so a run of bins adds the
   * integer Σh exactly (found with the prefix sums, up to the binade's top; the crossing add is done
   * in float). Q adds the group's constant q at each non-zero position: on a binade's grid acc + q
   * rounds to acc + d with d the same for every acc of the binade (q rounded to the grid, unless q is
   * exactly half-way, then added one by one), so t adds are acc + t·d, again up to the top. A
   * binade where the conditions fail is summed bin by bin; a candidate with a non-positive Q value
   * (an int32 group sum that wrapped) entirely.
   */
  private void fastSums(int start, int len) {
    for (int j = 0; j < nq && !totalFitsInt; j++) {
      if (!(qNonzero(j) > 0f)) {
        sums(start, len); // a wrapped (negative) group sum: Q's float sum need not grow
        return;
      }
    }
    float eps1p = cEps1p;
    float p0 = cp0;
    float pLast = cpLast;
    int last = len - 1;
    // P.
    float acc = pAt(start, last, 0, p0, pLast, eps1p);
    int k = 1;
    // Bin by bin below 2^11, branch-free as pass 1 (a count c ≥ 1 gives c − e ≥ ½ > EPS); a long
    // run of empty bins adds EPS by addRepeated (exact for any acc), e.g. a sparse tail.
    for (int bin = start + 1; k < last && acc < EPS_ABSORBED; ) {
      if (hf[bin] == 0f) {
        int run = Math.min(nextNonzero[bin], start + last) - bin;
        if (run >= RUN) {
          acc = addRepeated(acc, SignedWindowKl.EPS, run);
          k += run;
          bin += run;
          continue;
        }
      }
      acc += Math.max(hf[bin] - eps1p, SignedWindowKl.EPS);
      k++;
      bin++;
    }
    double ePrime = ((double) eps1p + 0.5 * Math.ulp(hMax)) * (1 + 0x1p-40);
    while (k < last) {
      int ex = Math.getExponent(acc);
      double top = Math.scalb(1.0, ex + 1);
      if (ex <= 23 && ePrime < Math.scalb(1.0, ex - 24)) {
        long base = slicePrefix[start + k];
        double room = top - acc; // exact: both on the binade's grid
        int a = k;
        int b = last; // largest k1 in [k, last] with Σh[k, k1) < room
        while (a < b) {
          int mid = (a + b + 1) >>> 1;
          if (slicePrefix[start + mid] - base < room) {
            a = mid;
          } else {
            b = mid - 1;
          }
        }
        acc = (float) (acc + (double) (slicePrefix[start + a] - base));
        k = a;
        if (k < last) {
          acc += pAt(start, last, k, p0, pLast, eps1p);
          k++;
        }
      } else {
        acc += pAt(start, last, k, p0, pLast, eps1p);
        k++;
      }
    }
    if (k == last) {
      acc += pAt(start, last, k, p0, pLast, eps1p);
    }
    sumP = acc;

    // Q.
    int m = cm;
    int[] zero = zeroMask;
    acc = p0 == 0f ? SignedWindowKl.EPS : qNonzero(0);
    k = 1;
    // Bin by bin below 2^11, group by group (the remainder is in the last group), branch-free; a
    // long run of empty (EPS) or of non-empty (the group's q) positions by addRepeated.
    for (int j = 0; j < nq && k < last && acc < EPS_ABSORBED; j++) {
      int b = Math.min(j == nq - 1 ? len : (j + 1) * m, last);
      float qj = qNonzero(j);
      int qBits = Float.floatToRawIntBits(qj);
      while (k < b && acc < EPS_ABSORBED) {
        int bin = start + k;
        int z = zero[bin];
        int runEnd = Math.min(z != 0 ? nextNonzero[bin] : nextZero[bin], start + b) - start;
        if (runEnd - k >= RUN) {
          acc = addRepeated(acc, z != 0 ? SignedWindowKl.EPS : qj, runEnd - k);
          k = runEnd;
        } else {
          acc += Float.intBitsToFloat((z & EPS_BITS) | (~z & qBits));
          k++;
        }
      }
    }
    if (k == last && acc < EPS_ABSORBED) {
      acc += pLast == 0f ? SignedWindowKl.EPS : qNonzero(nq - 1);
      k++;
    }
    if (k < len) {
      // acc ≥ 2^11: binade [2^E, 2^(E+1)) with ulp u = 2^(E−23) ≥ 2^-12. Unless q/u is an exact
      // half (a tie, decided by acc's last bit), acc + q rounds to acc + d with d = u·rint(q/u) for
      // every acc of the binade (acc is a multiple of u, and so is top), so cnt adds that stay
      // below the top give acc + cnt·d: addRepeated's common case, without its float probes.
      int binade = -1;
      double u = 0;
      double invU = 0;
      double top = 0;
      for (int j = Math.min(k / m, nq - 1); j < nq; j++) {
        int b = j == nq - 1 ? len : (j + 1) * m;
        int from = Math.max(k, j * m);
        if (from >= b) {
          continue;
        }
        int lo = Math.max(from, 1);
        int hi = Math.min(b, last);
        int cnt = hi > lo ? nonzeroPrefix[start + hi] - nonzeroPrefix[start + lo] : 0;
        if (b == len && pLast != 0f) {
          cnt++;
        }
        float q = qNonzero(j);
        int bits = Float.floatToRawIntBits(acc) & 0x7F800000;
        if (bits != binade) {
          binade = bits;
          u = Float.intBitsToFloat(bits - (23 << 23));
          invU = 1 / u; // a power of two: q·invU is exact
          top = u * 0x1p24;
        }
        double t = q * invU;
        double r = Math.rint(t);
        if (Math.abs(t - r) != 0.5) {
          double d = r * u;
          if ((top - acc) - (cnt - 1) * d > q) {
            acc = (float) (acc + cnt * d);
            continue;
          }
        }
        acc = addRepeated(acc, q, cnt);
      }
    }
    sumQ = acc;
  }

  private float qNonzero(int j) {
    return qv[j] == 0f ? SignedWindowKl.EPS : qv[j] - cEps1q;
  }

  /** The smoothed P at window position k, as pass 1 computes it. */
  private float pAt(int start, int last, int k, float p0, float pLast, float eps1p) {
    float p = k == 0 ? p0 : k == last ? pLast : hf[start + k];
    return p == 0f ? SignedWindowKl.EPS : p - eps1p;
  }

  /** Runs at least this long are added by {@link #addRepeated} below 2^11. */
  private static final int RUN = 8;

  /** {@code cnt} float additions {@code acc += q} (acc a positive normal float, q &gt; 0), in O(binades). */
  static float addRepeated(float acc, float q, int cnt) {
    while (cnt > 0) {
      // ulp = 2^(E−23) for acc in [2^E, 2^(E+1)), E ≥ 11: the exponent field less 23.
      float ulp = Float.intBitsToFloat((Float.floatToRawIntBits(acc) & 0x7F800000) - (23 << 23));
      double top = ulp * 0x1p24; // 2^(E+1)
      float f = acc + q;
      double d = (double) f - acc; // exact
      if (d == 0) {
        return acc; // acc + q rounds back to acc, and so will every later add
      }
      // Common case: all cnt adds stay in the binade, d is the same for each (no tie). The
      // differences are exact: every term is a multiple of the binade's ulp.
      if ((top - acc) - (cnt - 1) * d > q) {
        float g = acc + ulp;
        if (((double) (g + q) - g) == d) { // no tie: acc and acc + ulp round alike
          return (float) (acc + cnt * d);
        }
      }
      if (!(top - acc > q)) { // this add leaves the binade: do it in float
        acc = f;
        cnt--;
        continue;
      }
      float g = acc + ulp;
      if (((double) (g + q) - g) != d) { // a tie: the rounding depends on acc's last bit
        acc = f;
        cnt--;
        continue;
      }
      // t adds stay in the binade while acc + j·d + q < top, j = 0 .. t − 1.
      long t = (long) Math.ceil(((top - acc) - q) / d);
      t = Math.max(t, 1);
      while (t > 1 && !(top - (acc + (t - 1) * d) > q)) {
        t--;
      }
      while (top - (acc + t * d) > q) {
        t++;
      }
      long steps = Math.min(t, cnt);
      acc = (float) (acc + steps * d);
      cnt -= (int) steps;
    }
    return acc;
  }

  /** P[last] = h[stop−1] + h[stop] + … + h[n−1], folded left to right in float. */
  private float rightFold(int stop) {
    if (exactFolds) {
      return suffix[stop - 1];
    }

    float acc = hf[stop - 1];
    for (int j = stop; j < n; j++) {
      acc += hf[j];
    }
    return acc;
  }

  /** Sum of slice[a, b) (slice[k] = hs[start + k], except slice[0] = 0), as the C++ int sum. */
  private int sliceSum(int start, int a, int b) {
    if (b <= a) {
      return 0;
    }

    long s = slicePrefix[start + b] - slicePrefix[start + a];
    if (a == 0) {
      s -= hs[start];
    }
    return (int) s;
  }

  private int sliceNonzeros(int start, int a, int b) {
    if (b <= a) {
      return 0;
    }

    int s = nonzeroPrefix[start + b] - nonzeroPrefix[start + a];
    if (a == 0 && hs[start] != 0) {
      s--;
    }
    return s;
  }

  /** Number of k in [a, b) with P[k] == 0. */
  private int pZeros(int start, int len, int a, int b, float p0, float pLast) {
    int lo = Math.max(a, 1);
    int hi = Math.min(b, len - 1);
    int zeros = hi > lo ? (hi - lo) - (nonzeroPrefix[start + hi] - nonzeroPrefix[start + lo]) : 0;
    if (a == 0 && p0 == 0f) {
      zeros++;
    }

    if (b == len && pLast == 0f) {
      zeros++;
    }
    return zeros;
  }

  private double candidate(int start, int stop) {
    return prepare(start, stop)
        ? divergence(start, stop - start, cm, cp0, cpLast, cEps1p, cEps1q)
        : Double.POSITIVE_INFINITY; // SmoothDistribution returned empty
  }

  /**
   * The O(nq) preamble of a candidate: the folds, group sums, Q values and both smoothing shifts
   * (into the {@code c*} fields and {@link #qv}); false when SmoothDistribution returns empty.
   */
  private boolean prepare(int start, int stop) {
    int len = stop - start;
    float p0 = leftFold[start];
    float pLast = rightFold(stop);
    int m = len / nq;
    for (int j = 0; j < nq; j++) {
      qb[j] = sliceSum(start, j * m, (j + 1) * m);
    }
    qb[nq - 1] += sliceSum(start, nq * m, len);

    int zerosP = pZeros(start, len, 0, len, p0, pLast);
    int zerosQ = 0;
    for (int j = 0; j < nq; j++) {
      int a = j * m;
      int b = j == nq - 1 ? len : a + m;
      int norm = sliceNonzeros(start, a, b);
      qv[j] = norm != 0 ? qb[j] / norm : 0f;
      zerosQ += qv[j] == 0f ? b - a : pZeros(start, len, a, b, p0, pLast);
    }

    float eps1p = smoothingShift(len, zerosP);
    float eps1q = smoothingShift(len, zerosQ);
    cp0 = p0;
    cpLast = pLast;
    cm = m;
    cEps1p = eps1p;
    cEps1q = eps1q;
    return !Float.isNaN(eps1q) && !Float.isNaN(eps1p);
  }

  /** SmoothDistribution's eps1 = eps·zeros/nonzeros in float, or NaN when it returns empty. */
  private static float smoothingShift(int len, int zeros) {
    int nonzeros = len - zeros;
    if (nonzeros == 0) {
      return Float.NaN;
    }

    float eps1 = SignedWindowKl.EPS * (float) zeros / (float) nonzeros;
    return eps1 >= 1.0f ? Float.NaN : eps1;
  }

  private double divergence(
      int start, int len, int m, float p0, float pLast, float eps1p, float eps1q) {
    if (!branchFree || !(eps1p < 0.5f)) {
      return divergenceBranchy(start, len, m, p0, pLast, eps1p, eps1q);
    }

    float[] ps = smoothedP;
    float[] qs = smoothedQ;
    int[] zero = zeroMask;
    // Pass 1: smoothed P and Q and their float sums, in the tool's order (index 0 upwards).
    // Branch-free: a count c ≥ 1 smooths to c − eps1 > 0.5 > eps, an empty bin to eps, so
    // max(c − eps1, eps) is exact; Q picks eps or the group's value by the empty-bin mask.
    float pSum = 0f;
    float qSum = 0f;
    int last = len - 1;
    for (int j = 0; j < nq; j++) {
      int a = j * m;
      int b = j == nq - 1 ? len : a + m;
      float qNonzero = qv[j] == 0f ? SignedWindowKl.EPS : qv[j] - eps1q;
      int qBits = Float.floatToRawIntBits(qNonzero);
      int k = a;
      if (k == 0 && b > 0) {
        float s0 = p0 == 0f ? SignedWindowKl.EPS : p0 - eps1p;
        float q0 = p0 == 0f ? SignedWindowKl.EPS : qNonzero;
        ps[0] = s0;
        qs[0] = q0;
        pSum += s0;
        qSum += q0;
        k = 1;
      }
      int hi = Math.min(b, last);
      for (; k < hi; k++) {
        int bin = start + k;
        float s = Math.max(hf[bin] - eps1p, SignedWindowKl.EPS);
        int z = zero[bin];
        float q = Float.intBitsToFloat((z & EPS_BITS) | (~z & qBits));
        ps[k] = s;
        qs[k] = q;
        pSum += s;
        qSum += q;
      }
      if (b == len && last > 0) {
        float sl = pLast == 0f ? SignedWindowKl.EPS : pLast - eps1p;
        float ql = pLast == 0f ? SignedWindowKl.EPS : qNonzero;
        ps[last] = sl;
        qs[last] = ql;
        pSum += sl;
        qSum += ql;
      }
    }

    // Pass 2: p = s/Σs, q = t/Σt and p/q as the tool divides (a plain loop the JIT vectorises),
    // then Σ p·log(p/q) accumulated in float in index order.
    for (int k = 0; k < len; k++) {
      float pn = ps[k] / pSum;
      ps[k] = pn;
      qs[k] = pn / (qs[k] / qSum);
    }
    float ret = 0f;
    float prev = Float.NaN;
    float prevLog = Float.NaN;
    for (int k = 0; k < len; k++) {
      float ratio = qs[k];
      if (ratio != prev) { // runs of empty bins share one ratio
        prev = ratio;
        prevLog = SignedWindowKl.logf(ratio);
      }
      ret += ps[k] * prevLog;
    }
    return ret;
  }

  /** The same, element by element with branches (counts that wrapped, or eps1 ≥ 0.5). */
  private double divergenceBranchy(
      int start, int len, int m, float p0, float pLast, float eps1p, float eps1q) {
    float[] ps = smoothedP;
    float[] qs = smoothedQ;
    float pSum = 0f;
    float qSum = 0f;
    for (int j = 0; j < nq; j++) {
      int a = j * m;
      int b = j == nq - 1 ? len : a + m;
      float qNonzero = qv[j] == 0f ? SignedWindowKl.EPS : qv[j] - eps1q;
      for (int k = a; k < b; k++) {
        float p = k == 0 ? p0 : k == len - 1 ? pLast : hf[start + k];
        float s = p == 0f ? SignedWindowKl.EPS : p - eps1p;
        float q = p == 0f ? SignedWindowKl.EPS : qNonzero;
        ps[k] = s;
        qs[k] = q;
        pSum += s;
        qSum += q;
      }
    }
    float ret = 0f;
    for (int k = 0; k < len; k++) {
      float pn = ps[k] / pSum;
      float qn = qs[k] / qSum;
      ret += pn * SignedWindowKl.logf(pn / qn);
    }
    return ret;
  }
}
