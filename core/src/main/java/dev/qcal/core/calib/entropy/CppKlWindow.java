package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.SharedSearches;
import dev.qcal.core.calib.screen.Screening;
import dev.qcal.core.calib.screen.TieRule;
import dev.qcal.core.histogram.Histogram;

/**
 * The C++ KL search of MXNet ≥ 1.6 ({@code calibrate.cc}, {@code CalibrateComputeCPU}) and TVM
 * relay ({@code calibrate.cc}, {@code MinimizeKL}, "adapted from MXNet") in the tool's float32
 * arithmetic (docs/design/algorithms.md §4.2, §4.3), folds and group sums from prefix arrays; the
 * screen uses the tool's float sums of P and Q, added bin by bin.
 */
final class CppKlWindow extends SignedWindowSearch {
  /** How the tool hands the counts to C++. */
  enum Counts {
    /** MXNet: a float32 NDArray (counts above 2^24 are rounded). */
    FLOAT32,
    /** TVM: an int32 array (counts above 2^31 − 1 wrap). */
    INT32
  }

  static final long EXACT_FLOAT_INTEGERS = 1L << 24;

  private final TieRule rule;
  private final float[] leftFold;
  private final boolean exactFolds;
  // The prepared candidate (see prepare).
  private int prepared = -1;
  private boolean smooths;
  private int m;
  private float eps1q;
  // Each group's Q: the tool's group sum over its non-zero count, then smoothed where P is not 0.
  private final float[] qNz;
  // The smoothed P's and Q's float sums (see smooth).
  private float sumP;
  private float sumQ;

  /** The search of {@code h} with {@code nq} groups, counts held as {@code counts}. */
  CppKlWindow(Histogram h, int nq, Counts counts, TieRule rule) {
    super(toolCounts(h, counts), nq, lastCandidate(h.binCount()), GroupClassSums.Tool.MXNET_CPP);
    this.rule = rule;
    this.leftFold = new float[n];
    float acc = 0f;
    for (int j = 0; j < n; j++) {
      countsAltered |= this.counts[j] != h.count(j);
      acc += hf[j];
      leftFold[j] = acc;
    }
    // Non-negative integers whose total is ≤ 2^24 add exactly in float in any order.
    this.exactFolds = nonNegative && prefix[n] <= EXACT_FLOAT_INTEGERS;
    this.qNz = new float[nq];
    this.groups = nq;
  }

  /**
   * The C++ search of {@code h}: counts in [0, 2^24] are the same as MXNet's float32 and TVM's
   * int32 and the two minimum rules agree (no NaN), so within one tensor the two share a search.
   */
  static Result search(Histogram h, int nq, Counts counts, TieRule rule) {
    if (countsFitBoth(h)) {
      return SharedSearches.computeIfAbsent(
          new SharedKey(h, nq), () -> new CppKlWindow(h, nq, counts, rule).run(h));
    }
    return new CppKlWindow(h, nq, counts, rule).run(h);
  }

  /** The key of a search whose counts both tools hold exactly (see {@link #search}). */
  private record SharedKey(Histogram histogram, int nq) {}

  private static boolean countsFitBoth(Histogram h) {
    for (int j = 0, n = h.binCount(); j < n; j++) {
      long c = h.count(j);
      if (c < 0 || c > EXACT_FLOAT_INTEGERS) {
        return false;
      }
    }
    return true;
  }

  /** The counts as the tool holds them (as floats they are the tool's float counts too). */
  private static long[] toolCounts(Histogram h, Counts counts) {
    long[] out = new long[h.binCount()];
    for (int j = 0; j < out.length; j++) {
      long c = h.count(j);
      // MXNet: size_t sliced_nd_hist[...] = hist_ptr[j] of a float NDArray; TVM: std::vector<int>.
      out[j] = counts == Counts.FLOAT32 ? (long) (float) c : (int) c;
    }
    return out;
  }

  /** The first minimum below FLT_MAX when screened (no NaN there), so MXNet and TVM share. */
  @Override
  public TieRule tieRule() {
    return screenable() ? TieRule.FIRST_BELOW_FLT_MAX : rule;
  }

  /** The folds, group sums, Q values and smoothing shifts of c; false when smoothing fails. */
  @Override
  boolean prepare(int c) {
    if (c == prepared) {
      return smooths;
    }
    prepared = c;
    int start = start(c);
    int len = end(c) - start;
    p0 = leftFold[start];
    pLast = rightFold(start + len);
    m = len / nq;
    int zerosP = len - nonzeros(start, len, 0, len);
    int zerosQ = 0;
    for (int j = 0; j < nq; j++) {
      int a = j * m;
      int b = groupEnd(j, len, m);
      float sum = sliceSum(start, a, a + m);
      if (j == nq - 1) {
        sum += sliceSum(start, nq * m, len); // the remainder, added in float
      }
      int norm = sliceNonzeros(start, a, b);
      qNz[j] = norm != 0 ? sum / norm : 0f;
      zerosQ += b - a - (qNz[j] == 0f ? 0 : nonzeros(start, len, a, b));
    }
    eP = smoothingShift(len, zerosP);
    eps1q = smoothingShift(len, zerosQ);
    for (int j = 0; j < nq; j++) {
      qNz[j] = qNz[j] == 0f ? EPS : qNz[j] - eps1q;
    }
    smooths = !Float.isNaN(eps1q) && !Float.isNaN(eP);
    return smooths;
  }

  /** Puts the prepared groups into the screen only here: the class screen takes two slots. */
  @Override
  boolean load(int c) {
    int len = end(c) - start(c);
    for (int j = 0; j < nq; j++) {
      screen.group(j, j * m, groupEnd(j, len, m), qNz[j], EPS);
    }
    return super.load(c);
  }

  /** {@link KlClosedForm#addClasses} against a finite limit: the end groups, the interior. */
  @Override
  boolean loadClasses(int c, double limit) {
    if (nq < 3 || !(limit < Double.POSITIVE_INFINITY) || !prepare(c) || m < 1) {
      return false;
    }
    int start = start(c);
    int len = end(c) - start;
    tabulate(c, m);
    screen.group(0, 0, m, qNz[0], EPS);
    screen.group(1, (nq - 1) * m, len, qNz[nq - 1], EPS);
    return screen.load(start, len, 2, p0, pLast, eP)
        && screen.addClasses(start + m, nq - 2, eps1q, classes);
  }

  /**
   * The interval from the tool's float sums P̂, Q̂, bin by bin (docs/design/entropy-screens.md §5).
   */
  @Override
  boolean interval(int c, double limit, Screening out) {
    smooth(start(c), end(c) - start(c));
    return screen.interval(KlScreen.Sums.LEFT_TO_RIGHT, sumP, sumQ, limit, out);
  }

  /** P[last] = h[stop−1] + h[stop] + … + h[n−1], folded left to right in float. */
  private float rightFold(int stop) {
    if (exactFolds) {
      return prefix[n] - prefix[stop - 1];
    }
    float acc = hf[stop - 1];
    for (int j = stop; j < n; j++) {
      acc += hf[j];
    }
    return acc;
  }

  /** Sum of slice[a, b) (slice[k] = counts[start + k], except slice[0] = 0), as the C++ int sum. */
  private int sliceSum(int start, int a, int b) {
    return (int) (prefix[start + b] - prefix[start + a] - (a == 0 ? counts[start] : 0));
  }

  /** Number of non-zero slice bins in [a, b) (slice[0] = 0). */
  private int sliceNonzeros(int start, int a, int b) {
    int first = a == 0 && counts[start] != 0 ? 1 : 0;
    return nonzeroPrefix[start + b] - nonzeroPrefix[start + a] - first;
  }

  /** SmoothDistribution's eps1 = eps·zeros/nonzeros in float, or NaN when it returns empty. */
  private static float smoothingShift(int len, int zeros) {
    int nonzeros = len - zeros;
    if (nonzeros == 0) {
      return Float.NaN;
    }
    float eps1 = EPS * (float) zeros / (float) nonzeros;
    return eps1 >= 1.0f ? Float.NaN : eps1;
  }

  /**
   * {@link SignedWindowSearch#smooth} from the prepared groups' Q rather than the screen's table
   * (the O(1) screen, which takes the float sums, does not load the groups), and the float sums of
   * P and Q, left to right as the tool adds them.
   */
  @Override
  void smooth(int start, int len) {
    float pSum = 0f;
    float qSum = 0f;
    for (int j = 0; j < nq; j++) {
      int b = groupEnd(j, len, m);
      float qNonzero = qNz[j];
      for (int k = j * m; k < b; k++) {
        float h = k == 0 ? p0 : k == len - 1 ? pLast : hf[start + k];
        float s = h == 0f ? EPS : h - eP;
        float q = h == 0f ? EPS : qNonzero;
        ps[k] = s;
        qs[k] = q;
        pSum += s;
        qSum += q;
      }
    }
    sumP = pSum;
    sumQ = qSum;
  }

  /** The tool's float32 KL: divisions vectorised, then Σ p·log(p/q) in index order. */
  @Override
  double kl(int len) {
    float pSum = sumP;
    float qSum = sumQ;
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
      if (ratio != prev) { // a run of equal ratios shares one log
        prev = ratio;
        prevLog = (float) Math.log(ratio);
      }
      ret += ps[k] * prevLog;
    }
    return ret;
  }
}
