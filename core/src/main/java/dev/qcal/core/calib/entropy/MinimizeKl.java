package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.SharedSearches;
import dev.qcal.core.calib.screen.Candidates;
import dev.qcal.core.calib.screen.ScreenedSearch;
import dev.qcal.core.calib.screen.Screening;
import dev.qcal.core.calib.screen.TieRule;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;

/**
 * The C++ KL search shared by MXNet ≥ 1.6 ({@code src/operator/quantization/calibrate.cc}, {@code
 * CalibrateComputeCPU}) and TVM relay ({@code src/relay/quantize/calibrate.cc}, {@code MinimizeKL},
 * "adapted from MXNet"), reproduced in float32 (docs/design/algorithms.md §4.2, §4.3): candidates
 * {@code i = nq/2 .. }{@link #lastCandidate}, window {@code [zero − i, zero + i + 1)}, each valued
 * by the tool's float32 KL ({@link CppKlWindow}).
 *
 * <p>Evaluating every candidate bin by bin takes about 90 ms of CPU for an 8001-bin histogram (16 M
 * window bins, one log each), so the search is screened ({@link ScreenedSearch}): each candidate's
 * float sums P̂ and Q̂ are computed exactly in O(groups) ({@link CppFloatSums}) and its float32 KL
 * is bounded by the closed form of {@link KlScreen}, first with the interior groups in O(1) ({@link
 * GroupClassSums}), then in O(nq) where that does not settle it; only the candidates that can still
 * be the minimum (one to a few) are evaluated bin by bin: the same threshold and KL as the
 * exhaustive search. Histograms with negative (wrapped) counts or totals of 2^52 and more are
 * searched bin by bin.
 */
final class MinimizeKl implements Candidates {
  /** How the tool hands the counts to C++. */
  enum Counts {
    /** MXNet: a float32 NDArray (counts above 2^24 are rounded). */
    FLOAT32,
    /** TVM: an int32 array (counts above 2^31 − 1 wrap). */
    INT32
  }

  /** The outcome of one search: every candidate's threshold and KL, and the pick. */
  record Search(
      double[] thresholds, double[] divergence, int count, int best, boolean countsAltered) {}

  private static final long EXACT_FLOAT_INTEGERS = 1L << 24;

  private final int n;
  private final int nq;
  private final int zero;
  private final TieRule rule;
  private final CppKlWindow window;

  /** Null when the counts are negative (the closed form needs non-negative integers). */
  private final KlScreen screen;

  /** The interior groups' sums in O(1); null unless every int group sum fits (total &lt; 2^31). */
  private final GroupClassSums classes;

  /** Whether the window's float sums are those of the candidate being screened. */
  private boolean sumsReady;

  /**
   * The search of {@code h} with {@code nq} groups, the counts held as {@code counts}, the minimum
   * taken by {@code rule} (MXNet: {@link TieRule#FIRST_BELOW_FLT_MAX}, TVM's {@code
   * std::min_element}: {@link TieRule#FIRST_MINIMUM}).
   */
  MinimizeKl(Histogram h, int nq, Counts counts, TieRule rule) {
    this.n = h.binCount();
    this.nq = nq;
    this.zero = SignedWindowKl.zeroBin(n);
    this.rule = rule;
    this.window = new CppKlWindow(h, nq, counts);
    this.screen = window.nonNegative() ? new KlScreen(window.values(), nq) : null;
    boolean fits = screen != null && window.countPrefix()[n] < Integer.MAX_VALUE;
    // The tool's group Q: the int group sum, stored as float, over the non-zero count.
    this.classes =
        fits && screen.usable()
            ? new GroupClassSums(
                window.countPrefix(), window.nonzeroPrefix(), GroupClassSums.Tool.MXNET_CPP)
            : null;
  }

  /**
   * Runs the search over every candidate whose window fits in the histogram, screened when the
   * closed form applies. Counts in [0, 2^24] are the same in MXNet's float32 and TVM's int32, and
   * there the two minimum rules pick the same (the values are never NaN), so within one {@link
   * dev.qcal.core.calib.TensorCalibrator} call entropy:mxnet and entropy:tvm share one search.
   */
  static Search run(Histogram h, int nq, Counts counts, TieRule rule) {
    if (countsFitBoth(h)) {
      return SharedSearches.computeIfAbsent(
          new SharedKey(h, nq), () -> runOnce(h, nq, counts, rule));
    }
    return runOnce(h, nq, counts, rule);
  }

  private static Search runOnce(Histogram h, int nq, Counts counts, TieRule rule) {
    MinimizeKl k = new MinimizeKl(h, nq, counts, rule);
    ScreenedSearch.Outcome o = ScreenedSearch.run(k);
    double[] thresholds = new double[o.count()];
    for (int c = 0; c < thresholds.length; c++) {
      thresholds[c] = h.edge(k.stop(c));
    }
    return new Search(thresholds, o.values(), o.count(), o.best(), k.window.countsAltered());
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

  /**
   * The result for the tool's threshold {@code th → range}: curve, objective and the notes of the
   * quirks hit. {@code countsNote} names what the tool did to counts it cannot hold.
   */
  static CalibrationResult.Builder result(
      String method, Search s, ClipRange range, QuantSpec quant, int binCount, String countsNote) {
    CalibrationResult.Builder b = CalibrationResult.builder(method, range, quant);
    double best = s.count() > 0 ? s.divergence()[s.best()] : Double.NaN;
    if (s.count() > 0) {
      b.objective(best)
          .curve("kl", SignedWindowKl.curve(s.thresholds(), s.divergence(), s.count()));
    }
    if (binCount % 2 == 0) {
      b.note(
          "even bin count: windows are [-i*w, (i+1)*w) and the last candidate (i = n/2), which"
              + " the tool reads past the edges for, is skipped");
    }
    if (s.countsAltered()) {
      b.note(countsNote);
    }
    if (best == Double.POSITIVE_INFINITY) {
      b.note(
          "every candidate has KL = +Inf (all-zero Q): the first candidate was chosen, as the tool"
              + " does");
    }
    return b;
  }

  /** The last candidate the tool can evaluate: {@code stop = zero + i + 1 ≤ n}. */
  static int lastCandidate(int binCount) {
    int zero = SignedWindowKl.zeroBin(binCount);
    return Math.min(zero, binCount - 1 - zero);
  }

  @Override
  public int count() {
    return SignedWindowKl.candidateCount(nq, lastCandidate(n));
  }

  /** Candidate c's window start, {@code zero − i}. */
  int start(int c) {
    return zero - (nq / 2 + c);
  }

  /** Candidate c's window end, {@code zero + i + 1} (exclusive). */
  int stop(int c) {
    return zero + nq / 2 + c + 1;
  }

  /** Whether the closed-form screen applies: non-negative integer counts of modest total. */
  @Override
  public boolean screenable() {
    return screen != null && screen.usable();
  }

  /**
   * The tool's rule, or the first minimum below FLT_MAX when screened: the same pick on the
   * screened histograms, whose values are never NaN, so that MXNet and TVM can share the search.
   */
  @Override
  public TieRule tieRule() {
    return screenable() ? TieRule.FIRST_BELOW_FLT_MAX : rule;
  }

  /** Candidate c's KL, bin by bin in the tool's float32 arithmetic. */
  @Override
  public double exact(int c) {
    return prepare(c)
        ? window.kl(start(c), stop(c) - start(c))
        : Double.POSITIVE_INFINITY; // SmoothDistribution returned empty
  }

  /** Prepares candidate c's window ({@link CppKlWindow#prepare}): false when its KL is +Inf. */
  boolean prepare(int c) {
    return window.prepare(start(c), stop(c));
  }

  /** The O(nq) screen with the tool's exact float sums (the O(1) one needs a limit). */
  @Override
  public void seed(int c, Screening out) {
    int start = start(c);
    int len = stop(c) - start;
    if (prepare(c) && loadScreen(start, len)) {
      window.floatSums(start, len);
      screen.leftToRight(window.sumP(), window.sumQ(), Double.POSITIVE_INFINITY, out);
    } else {
      out.unknown();
    }
  }

  @Override
  public void screen(int c, double limit, Screening out) {
    int start = start(c);
    int len = stop(c) - start;
    if (!prepare(c)) {
      out.exact(Double.POSITIVE_INFINITY);
    } else if (classScreen(c, limit, out)) {
      return;
    } else if (!loadScreen(start, len)) {
      out.evaluate();
    } else {
      if (!sumsReady) {
        window.floatSums(start, len);
      }
      screen.leftToRight(window.sumP(), window.sumQ(), limit, out);
    }
  }

  /**
   * The quick screen of the {@link #prepare}d candidate c: {@link KlClosedForm#loadClasses} (its
   * two end groups, the interior in O(1)) and the tool's exact float sums; true when its interval
   * clears {@code limit} (then in {@code out}), so the O(groups) {@link KlClosedForm#load} is not
   * needed. The interior groups' Q values are positive (a window with a non-zero bin sums to at
   * least its non-zero count), so their zeros are P's.
   */
  boolean classScreen(int c, double limit, Screening out) {
    sumsReady = false;
    int m = window.width();
    if (classes == null || nq < 3 || m < 1 || !(limit < Double.POSITIVE_INFINITY)) {
      return false;
    }
    int start = start(c);
    int len = stop(c) - start;
    if (classes.width() != m) {
      // Tabulate every window the candidates with this m use: their starts run down to the
      // widest one's (windows are [zero − i, zero + i + 1), m = (2i + 1)/nq).
      int iEnd = Math.min(lastCandidate(n), (nq * (m + 1) - 2) / 2);
      classes.width(m, zero - iEnd + m, start + (nq - 2) * m);
    }
    screen.group(0, 0, m, window.qNonzero(0), SignedWindowKl.EPS);
    screen.group(1, (nq - 1) * m, len, window.qNonzero(nq - 1), SignedWindowKl.EPS);
    if (!screen.loadClasses(
        start,
        len,
        2,
        window.p0(),
        window.pLast(),
        window.eps1p(),
        window.eps1q(),
        classes,
        start + m,
        start + (nq - 2) * m,
        nq - 2)) {
      return false;
    }
    window.floatSums(start, len);
    sumsReady = true;
    return screen.leftToRight(window.sumP(), window.sumQ(), limit, out);
  }

  /** Loads the prepared candidate's groups into the screen. */
  private boolean loadScreen(int start, int len) {
    int m = window.width();
    for (int j = 0; j < nq; j++) {
      int a = j * m;
      screen.group(j, a, j == nq - 1 ? len : a + m, window.qNonzero(j), SignedWindowKl.EPS);
    }
    return screen.load(start, len, nq, window.p0(), window.pLast(), window.eps1p());
  }
}
