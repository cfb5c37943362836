package dev.qcal.core.calib.entropy;

import dev.qcal.core.histogram.Histogram;

/**
 * One candidate window of the C++ KL search of MXNet ≥ 1.6 ({@code src/operator/quantization/
 * calibrate.cc}, {@code CalibrateComputeCPU}) and TVM relay ({@code src/relay/quantize/
 * calibrate.cc}, {@code MinimizeKL}), in the tool's float32 arithmetic: the histogram as the tool
 * holds it ({@link MinimizeKl.Counts}), a candidate's folds, group sums, Q values and smoothing
 * shifts ({@link #prepare}), its smoothed P and Q with their float sums, and its KL ({@link #kl}).
 *
 * <p>For the window [start, stop): P (float) has {@code P[0] = Σ_{j ≤ start} h[j]} (so h[start] is
 * in P[0]) and {@code P[last] = h[stop−1] + Σ_{j ≥ stop} h[j]}, each accumulated left to right in
 * float. The sliced integer array used for Q has {@code slice[0] = 0}. {@code nq} groups of {@code
 * m = len / nq} slice bins are summed in an {@code int} accumulator (the remainder into the last
 * group, added in float), each group's sum is divided by the number of non-zero slice bins of its
 * expansion range (the last one runs to the end) and written where P ≠ 0. Both are smoothed in
 * float (zeros + 1e-4, the rest − 1e-4·zeros/nonzeros; empty when all zero or when that eps ≥ 1,
 * then KL = +Inf), normalised in float, and the KL is {@code Σ p·log(p/q)} accumulated in float.
 *
 * <p>Cost: the folds and group sums come from prefix arrays computed once (integer sums, which are
 * exact; the float folds only where float addition of the integer counts is exact, i.e. while the
 * total stays ≤ 2^24, otherwise the fold is replayed bin by bin). The O(window) loops keep the
 * tool's float order and are branch-free (smoothing by {@code max(c − eps1, eps)} and a mask), the
 * divisions run in a loop the JIT vectorises, and the float log is {@link Float32Log}.
 *
 * <p>Not thread-safe (the prepared candidate and scratch); one instance per search.
 */
final class CppKlWindow {
  private static final long EXACT_FLOAT_INTEGERS = 1L << 24;
  private static final int EPS_BITS = Float.floatToRawIntBits(SignedWindowKl.EPS);

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
  private final boolean branchFree;
  private final int[] zeroMask;
  private final CppFloatSums fast;

  // Scratch, reused (no allocation per candidate).
  private final float[] qb;
  private final float[] qv;
  private final float[] ps;
  private final float[] qs;

  // The prepared candidate (see prepare).
  private float p0;
  private float pLast;
  private int m;
  private float eps1p;
  private float eps1q;

  /** The smoothed Q of each group's non-zero positions. */
  private final float[] qNz;

  private float sumP;
  private float sumQ;

  /** The histogram {@code h} as the tool holds it, for {@code nq} groups. */
  CppKlWindow(Histogram h, int nq, MinimizeKl.Counts counts) {
    this.n = h.binCount();
    this.nq = nq;
    this.hf = new float[n];
    this.hs = new long[n];
    boolean altered = false;
    boolean nonNegative = true;
    for (int j = 0; j < n; j++) {
      long c = h.count(j);
      if (counts == MinimizeKl.Counts.FLOAT32) {
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
      nonNegative &= hs[j] >= 0;
    }
    this.countsAltered = altered;
    this.branchFree = nonNegative;
    this.slicePrefix = new long[n + 1];
    this.nonzeroPrefix = new int[n + 1];
    this.leftFold = new float[n];
    this.suffix = new long[n + 1];
    this.zeroMask = new int[n];
    float acc = 0f;
    long exact = 0;
    for (int j = 0; j < n; j++) {
      slicePrefix[j + 1] = slicePrefix[j] + hs[j];
      nonzeroPrefix[j + 1] = nonzeroPrefix[j] + (hs[j] != 0 ? 1 : 0);
      acc += hf[j];
      leftFold[j] = acc;
      exact += (long) hf[j];
      zeroMask[j] = hf[j] == 0f ? -1 : 0;
    }
    for (int j = n - 1; j >= 0; j--) {
      suffix[j] = suffix[j + 1] + (long) hf[j];
    }
    // Non-negative integers whose total is ≤ 2^24 add exactly in float in any order.
    this.exactFolds = exact >= 0 && exact <= EXACT_FLOAT_INTEGERS && nonNegative;
    this.qb = new float[nq];
    this.qv = new float[nq];
    this.qNz = new float[nq];
    this.ps = new float[n + 1];
    this.qs = new float[n + 1];
    boolean totalFitsInt = nonNegative && slicePrefix[n] < Integer.MAX_VALUE;
    this.fast = new CppFloatSums(hf, slicePrefix, nonzeroPrefix, zeroMask, nq, totalFitsInt);
  }

  /** The number of bins. */
  int binCount() {
    return n;
  }

  /** The tool's integer counts (int32 or float32 truncated), as floats. */
  float[] values() {
    return hf;
  }

  /** Prefix sums of the tool's integer counts: {@code [0, j)} at j. */
  long[] countPrefix() {
    return slicePrefix;
  }

  /** Prefix counts of the non-zero bins: {@code [0, j)} at j. */
  int[] nonzeroPrefix() {
    return nonzeroPrefix;
  }

  /** Whether the tool's count type changed a count (above 2^24 in float32, 2^31 in int32). */
  boolean countsAltered() {
    return countsAltered;
  }

  /** Whether every count is non-negative (no int32 count wrapped). */
  boolean nonNegative() {
    return branchFree;
  }

  /** The prepared candidate's P[0]. */
  float p0() {
    return p0;
  }

  /** The prepared candidate's P[last]. */
  float pLast() {
    return pLast;
  }

  /** The prepared candidate's group width m. */
  int width() {
    return m;
  }

  /** The prepared candidate's P smoothing shift (eps1 of P, in float). */
  float eps1p() {
    return eps1p;
  }

  /** The prepared candidate's Q smoothing shift (eps1 of Q, in float). */
  float eps1q() {
    return eps1q;
  }

  /** The prepared candidate's smoothed Q at the non-zero positions of group j. */
  float qNonzero(int j) {
    return qNz[j];
  }

  /** P̂, the tool's float sum of the smoothed P (after {@link #floatSums}). */
  float sumP() {
    return sumP;
  }

  /** Q̂, the tool's float sum of the smoothed Q (after {@link #floatSums}). */
  float sumQ() {
    return sumQ;
  }

  /**
   * The O(nq) preamble of the candidate window [start, stop): the folds, group sums, Q values and
   * both smoothing shifts; false when SmoothDistribution returns empty (the tool's KL is +Inf).
   */
  boolean prepare(int start, int stop) {
    int len = stop - start;
    float first = leftFold[start];
    float last = rightFold(stop);
    int width = len / nq;
    for (int j = 0; j < nq; j++) {
      qb[j] = sliceSum(start, j * width, (j + 1) * width);
    }
    qb[nq - 1] += sliceSum(start, nq * width, len);

    int zerosP = pZeros(start, len, 0, len, first, last);
    int zerosQ = 0;
    for (int j = 0; j < nq; j++) {
      int a = j * width;
      int b = j == nq - 1 ? len : a + width;
      int norm = sliceNonzeros(start, a, b);
      qv[j] = norm != 0 ? qb[j] / norm : 0f;
      zerosQ += qv[j] == 0f ? b - a : pZeros(start, len, a, b, first, last);
    }
    p0 = first;
    pLast = last;
    m = width;
    eps1p = smoothingShift(len, zerosP);
    eps1q = smoothingShift(len, zerosQ);
    for (int j = 0; j < nq; j++) {
      qNz[j] = qv[j] == 0f ? SignedWindowKl.EPS : qv[j] - eps1q;
    }
    return !Float.isNaN(eps1q) && !Float.isNaN(eps1p);
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

  /** Number of non-zero slice bins in [a, b) (slice[0] = 0). */
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
  private int pZeros(int start, int len, int a, int b, float first, float last) {
    int lo = Math.max(a, 1);
    int hi = Math.min(b, len - 1);
    int zeros = hi > lo ? (hi - lo) - (nonzeroPrefix[start + hi] - nonzeroPrefix[start + lo]) : 0;
    if (a == 0 && first == 0f) {
      zeros++;
    }
    if (b == len && last == 0f) {
      zeros++;
    }
    return zeros;
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

  /**
   * P̂ and Q̂ of the prepared window [start, start + len) ({@link #sumP}, {@link #sumQ}): in
   * O(groups) by {@link CppFloatSums}, or bin by bin where that does not apply; the same floats.
   */
  void floatSums(int start, int len) {
    if (fast.sum(start, len, m, p0, pLast, eps1p, qNz)) {
      sumP = fast.p();
      sumQ = fast.q();
    } else {
      smooth(start, len);
    }
  }

  /**
   * The tool's smoothed P and Q of the prepared window into {@link #ps} and {@link #qs} and their
   * float sums, in the tool's order (index 0 upwards). Branch-free, for non-negative counts and
   * eps1 of P below ½: a count c ≥ 1 smooths to c − eps1 &gt; ½ &gt; eps, an empty bin to eps, so
   * max(c − eps1, eps) is exact; Q picks eps or the group's value by the empty-bin mask.
   */
  void smooth(int start, int len) {
    float pSum = 0f;
    float qSum = 0f;
    int last = len - 1;
    for (int j = 0; j < nq; j++) {
      int a = j * m;
      int b = j == nq - 1 ? len : a + m;
      float qNonzero = qNz[j];
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
        int z = zeroMask[bin];
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
    sumP = pSum;
    sumQ = qSum;
  }

  /** The same, element by element with branches (counts that wrapped, or eps1 of P ≥ ½). */
  private void smoothWithBranches(int start, int len) {
    float pSum = 0f;
    float qSum = 0f;
    for (int j = 0; j < nq; j++) {
      int a = j * m;
      int b = j == nq - 1 ? len : a + m;
      float qNonzero = qNz[j];
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
    sumP = pSum;
    sumQ = qSum;
  }

  /**
   * The tool's float32 KL of the prepared window [start, start + len): p = s/Σs, q = t/Σt and p/q
   * as the tool divides (a plain loop the JIT vectorises), then Σ p·log(p/q) accumulated in float
   * in index order (a run of empty bins shares one ratio, and one log).
   */
  double kl(int start, int len) {
    if (!branchFree || !(eps1p < 0.5f)) {
      smoothWithBranches(start, len);
    } else {
      smooth(start, len);
    }
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
      if (ratio != prev) {
        prev = ratio;
        prevLog = SignedWindowKl.logf(ratio);
      }
      ret += ps[k] * prevLog;
    }
    return ret;
  }
}
