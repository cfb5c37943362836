package dev.qcal.core.calib.entropy;

import dev.qcal.core.calib.CalibrationResult;
import dev.qcal.core.calib.ClipRange;
import dev.qcal.core.calib.HistogramCalibrator;
import dev.qcal.core.calib.NumpyPairwiseSum;
import dev.qcal.core.calib.TensorStatistics;
import dev.qcal.core.histogram.Domain;
import dev.qcal.core.histogram.Histogram;
import dev.qcal.core.quant.QuantSpec;

/**
 * {@code entropy:mxnet15}: MXNet ≤ 1.5's KL calibration in Python, {@code _get_optimal_threshold}
 * ({@code apache/mxnet} @ 5e5a59ec, {@code python/mxnet/contrib/quantization.py}), on the same
 * signed histogram (design notes algorithms.md §4.1, §4.4).
 *
 * <p>Reference behaviour, quirks included: candidates {@code i = nq/2 .. n/2}, window {@code [zero
 * − i, zero + i + 1)}, threshold {@code e[zero + i + 1] = (i + ½)·w}; P (int64) with both tails
 * folded; the group sums in an <b>int32</b> array (they wrap above 2^31 − 1); Q (float32) = group
 * sum / number of non-zero P of the group, the last group running to the end of the window, then
 * {@code Q[P == 0] = 0}; numpy's smoothing; {@code scipy.stats.entropy} (float32 normalisation and
 * sums in numpy's pairwise order, {@code rel_entr} in float64 rounded to float32); the first
 * argmin. <b>The NaN bug</b>: when Q is all zero (the window holds no data, all the mass is in the
 * folded tails), smoothing Q raises, the +Inf set in the {@code except} is overwritten by {@code
 * entropy(P, zeros)} = NaN, and {@code np.argmin} returns the first NaN; this is reproduced, with a
 * note. The layer range is {@code (0, th)} for a non-negative tensor with {@code uint8}/{@code
 * auto}, else {@code (−th, th)}; the search uses 255 quantized bins, {@code 2·255 + 1} in that
 * unsigned case. The method key takes {@code quantized_dtype} from the run's scheme: {@code
 * --scheme unsigned} is MXNet's uint8 (so a non-negative tensor gets {@code 2·255 + 1} levels and
 * the range (0, th)), every other scheme int8.
 *
 * <p>The search is screened (see {@link KlScreen}): every candidate is bounded in O(quantized bins)
 * and only those that can still be the minimum are evaluated bin by bin, so the threshold and the
 * objective are exactly the tool's; in the {@code kl} curve the other candidates carry the middle
 * of their interval, within about 5e-5 (relative) of their float32 KL.
 */
public final class Mxnet15EntropyCalibrator extends HistogramCalibrator {
  /** The method key. */
  public static final String NAME = "entropy:mxnet15";

  /** MXNet's {@code num_quantized_bins}. */
  public static final int DEFAULT_QUANTIZED_BINS = 255;

  private final MxnetQuantizedDtype dtype;
  private final int quantizedBins;

  /**
   * MXNet's defaults, 255 quantized bins, with {@code quantized_dtype} from the run's scheme
   * ({@link MxnetQuantizedDtype#SCHEME}): uint8 under {@code --scheme unsigned}, int8 otherwise.
   */
  public Mxnet15EntropyCalibrator() {
    this(MxnetQuantizedDtype.SCHEME, DEFAULT_QUANTIZED_BINS);
  }

  /** MXNet 1.5 with {@code quantized_dtype = dtype} and {@code num_quantized_bins = nq}. */
  public Mxnet15EntropyCalibrator(MxnetQuantizedDtype dtype, int quantizedBins) {
    super(NAME, Domain.SIGNED);
    if (dtype == null) {
      throw new IllegalArgumentException("Cannot build " + NAME + ": quantized dtype is null");
    }
    this.dtype = dtype;
    this.quantizedBins = SignedWindowKl.checkQuantizedBins(quantizedBins);
  }

  @Override
  protected CalibrationResult search(TensorStatistics stats, Histogram histogram, QuantSpec quant) {
    MxnetQuantizedDtype dtype = this.dtype.resolve(quant.scheme());
    double min = stats.range().min();
    int nq = dtype.quantizedBins(min, quantizedBins);
    int n = histogram.binCount();
    int zero = SignedWindowKl.zeroBin(n);
    int half = nq / 2;
    int count = SignedWindowKl.candidateCount(nq, MinimizeKl.lastCandidate(n));
    Scratch w = new Scratch(histogram, nq);
    double[] kl = new double[count];
    double[] thresholds = new double[count];
    int nans = 0;
    boolean assertion = false;
    int best;
    for (int c = 0; c < count; c++) {
      thresholds[c] = histogram.edge(zero + half + c + 1);
    }
    if (w.screen.usable()) {
      best = w.searchScreened(zero, half, count, kl);
      assertion = w.anyAssertion;
    } else {
      for (int c = 0; c < count; c++) {
        int i = half + c;
        kl[c] = w.divergence(zero - i, zero + i + 1);
        assertion |= w.assertionFailed;
      }
      best = SignedWindowKl.numpyArgmin(kl, count);
    }
    for (int c = 0; c < count; c++) {
      nans += Double.isNaN(kl[c]) ? 1 : 0;
    }
    double th = count > 0 ? thresholds[best] : histogram.edge(n);
    ClipRange range = dtype.range(min, th);
    CalibrationResult.Builder b = CalibrationResult.builder(NAME, range, quant);
    if (count > 0) {
      b.objective(kl[best]).curve("kl", SignedWindowKl.curve(thresholds, kl, count));
    } else {
      b.note(
          String.format(
              "histogram of %d bins has no candidate for %d quantized bins (MXNet fails):"
                  + " fell back to the whole histogram",
              n, nq));
    }

    if (nans > 0) {
      b.note(
          String.format(
              "MXNet 1.5 NaN bug: %d candidate(s) have an all-zero Q and KL = NaN%s",
              nans,
              Double.isNaN(kl[best])
                  ? "; np.argmin picked the first NaN, so the threshold collapsed to " + th
                  : "; a finite minimum came first"));
    }

    if (assertion) {
      b.note("some candidates smooth with eps1 >= 1 (MXNet's assertion fails there): their KL is +Inf");
    }

    if (n % 2 == 0) {
      b.note(
          "even bin count: windows are [-i*w, (i+1)*w) and the last candidate (i = n/2), which"
              + " MXNet indexes past the edges for, is skipped");
    }
    return b.build();
  }

  /**
   * For tests: every candidate's KL and the pick, bin by bin ({@code exact}) or screened; {@code
   * out} receives the KL values, the pick is returned.
   */
  static int searchForTest(Histogram histogram, int nq, boolean exact, double[] out) {
    return searchForTest(histogram, nq, exact, out, null);
  }

  /** The same, and each screened candidate's interval into {@code intervals} (lo, hi pairs). */
  static int searchForTest(
      Histogram histogram, int nq, boolean exact, double[] out, double[] intervals) {
    int n = histogram.binCount();
    int zero = SignedWindowKl.zeroBin(n);
    int half = nq / 2;
    int count = SignedWindowKl.candidateCount(nq, MinimizeKl.lastCandidate(n));
    Scratch w = new Scratch(histogram, nq);
    w.intervals = intervals;
    if (!exact) {
      return w.searchScreened(zero, half, count, out);
    }
    for (int c = 0; c < count; c++) {
      int i = half + c;
      out[c] = w.divergence(zero - i, zero + i + 1);
    }
    return SignedWindowKl.numpyArgmin(out, count);
  }

  /**
   * For tests: every candidate's O(1) class interval (the quick bound with no limit) into {@code
   * intervals} (lo, hi pairs; NaN where it does not apply); returns how many applied.
   */
  static int classIntervalsForTest(Histogram histogram, int nq, double[] intervals) {
    int n = histogram.binCount();
    int zero = SignedWindowKl.zeroBin(n);
    int count = SignedWindowKl.candidateCount(nq, MinimizeKl.lastCandidate(n));
    Scratch w = new Scratch(histogram, nq);
    int applied = 0;
    for (int c = 0; c < count; c++) {
      int i = nq / 2 + c;
      intervals[2 * c] = Double.NaN;
      intervals[2 * c + 1] = Double.NaN;
      if (w.classes != null && w.loadClasses(zero - i, zero + i + 1)) {
        w.screen.interval(KlScreen.Sums.PAIRWISE, false, 0f, 0f, Double.NEGATIVE_INFINITY);
        if (w.screen.cleared()) {
          intervals[2 * c] = w.screen.lo;
          intervals[2 * c + 1] = w.screen.hi;
          applied++;
        }
      }
    }
    return applied;
  }

  /** Scratch arrays for one search, reused across candidates. */
  private static final class Scratch {
    private final long[] counts;
    private final long[] prefix;
    private final int nq;
    private final float[] pf;
    private final float[] qf;
    private final float[] ps;
    private final float[] qs;
    private boolean assertionFailed;

    Scratch(Histogram h, int nq) {
      this.counts = h.counts();
      int n = counts.length;
      this.prefix = new long[n + 1];
      for (int j = 0; j < n; j++) {
        prefix[j + 1] = prefix[j] + counts[j];
      }
      this.nq = nq;
      this.pf = new float[n];
      this.qf = new float[n];
      this.ps = new float[n];
      this.qs = new float[n];
      float[] hv = new float[n];
      this.nonzeroPrefix = new int[n + 1];
      for (int j = 0; j < n; j++) {
        hv[j] = counts[j];
        nonzeroPrefix[j + 1] = nonzeroPrefix[j] + (counts[j] != 0 ? 1 : 0);
      }
      this.screen = new KlScreen(hv, nq);
      boolean fits = prefix[n] < Integer.MAX_VALUE;
      for (int j = 0; j < n && fits; j++) {
        fits = counts[j] >= 0;
      }
      // MXNet 1.5's group Q: (float)(int32 sum / non-zero count), numpy's float64 division.
      this.classes =
          fits && screen.usable()
              ? new GroupClassSums(prefix, nonzeroPrefix, GroupClassSums.Tool.MXNET15)
              : null;
    }

    private final int[] nonzeroPrefix;
    final KlScreen screen;
    boolean anyAssertion;
    /** For tests: when set, receives each screened candidate's interval (lo, hi). */
    double[] intervals;

    /**
     * The two-stage search (see {@link KlScreen}): every candidate is classified exactly (+Inf
     * when smoothing P fails or eps1 ≥ 1, NaN for the all-zero Q of the bug) and the others are
     * bounded in O(nq); those whose lower bound is not above the smallest upper bound are
     * evaluated bin by bin, and numpy's argmin (the first NaN, else the first minimum) is taken
     * over exact values (the others are strictly larger). A dropped candidate's value is the
     * middle of its interval, rounded to float.
     */
    int searchScreened(int zero, int half, int count, double[] kl) {
      double[] lo = new double[count];
      boolean[] exact = new boolean[count];
      double bound = Double.POSITIVE_INFINITY;
      // Seed the smallest upper bound from a sample of candidates, so that the quick bound of
      // KlScreen.interval rules most others out without a pass over their groups.
      for (int c = KlScreen.SEED_STRIDE / 2; c < count; c += KlScreen.SEED_STRIDE) {
        int i = half + c;
        int start = zero - i;
        int stop = zero + i + 1;
        if (prepare(start, stop) == 0 && screen.load(start, stop - start, nq, p0, pLast, eP)) {
          screen.interval(KlScreen.Sums.PAIRWISE, false, 0f, 0f);
          bound = Math.min(bound, screen.hi);
        }
      }
      anyAssertion = false;
      for (int c = 0; c < count; c++) {
        int i = half + c;
        int start = zero - i;
        int stop = zero + i + 1;
        if (classes != null && loadClasses(start, stop)) {
          screen.interval(KlScreen.Sums.PAIRWISE, false, 0f, 0f, bound);
          if (screen.cleared()) {
            lo[c] = screen.lo;
            kl[c] = (float) screen.estimate;
            if (intervals != null) {
              intervals[2 * c] = screen.lo;
              intervals[2 * c + 1] = screen.hi;
            }
            continue; // its upper bound is above the limit: the bound stays
          }
        }
        double special = prepare(start, stop);
        if (special != 0) {
          kl[c] = special;
          exact[c] = true;
        } else if (!screen.load(start, stop - start, nq, p0, pLast, eP)) {
          kl[c] = divergence(start, stop);
          exact[c] = true;
          bound = Math.min(bound, kl[c]);
        } else {
          screen.interval(KlScreen.Sums.PAIRWISE, false, 0f, 0f, bound);
          lo[c] = screen.lo;
          kl[c] = (float) screen.estimate;
          bound = Math.min(bound, screen.hi);
          if (intervals != null) {
            intervals[2 * c] = screen.lo;
            intervals[2 * c + 1] = screen.hi;
          }
        }
        anyAssertion |= assertionFailed;
      }
      for (int c = 0; c < count; c++) {
        if (!exact[c] && !(lo[c] > bound)) {
          int i = half + c;
          kl[c] = divergence(zero - i, zero + i + 1);
          exact[c] = true;
        }
      }
      int best = -1;
      for (int c = 0; c < count; c++) {
        if (exact[c] && Double.isNaN(kl[c])) {
          return c; // numpy's argmin: the first NaN wins
        }
        if (exact[c] && (best < 0 || kl[c] < kl[best])) {
          best = c;
        }
      }
      return Math.max(best, 0);
    }

    private float p0;
    private float pLast;
    private float eP;

    /**
     * The interior groups' sums in O(1) ({@link GroupClassSums}), when every count is non-negative
     * and the total is below 2^31 (no int32 group sum wraps); null otherwise.
     */
    private GroupClassSums classes;

    /**
     * {@link #prepare} in O(1) followed by {@link KlScreen#loadClasses}: the ends' folds, the two
     * end groups' Q (group 0 holds the folded P[0], the last group the remainder and the folded
     * P[last]), and the smoothing shifts. The interior groups' Q values are positive (a window with
     * a non-zero bin sums to at least its non-zero count, and nothing wraps), so they add no zero
     * to Q beyond P's. False when the candidate needs {@link #prepare}: a smoothing that fails, too
     * few groups, or a case loadClasses does not cover.
     */
    private boolean loadClasses(int start, int stop) {
      int len = stop - start;
      int m = len / nq;
      if (nq < 3 || m < 1) {
        return false;
      }
      long total = prefix[counts.length];
      p0 = counts[start] + prefix[start];
      pLast = counts[stop - 1] + total - prefix[stop];
      int nonzeroP = nonzeros(start, len, 0, len);
      int zerosQ = len - nonzeroP;
      int q0Norm = nonzeros(start, len, 0, m);
      int q0Sum = (int) (prefix[start + m] - prefix[start]);
      float q0 = q0Norm != 0 ? (float) ((double) q0Sum / q0Norm) : 0f;
      int a = (nq - 1) * m;
      int qLastNorm = nonzeros(start, len, a, len);
      int qLastSum = (int) (prefix[start + a + m] - prefix[start + a]);
      qLastSum = (int) ((long) qLastSum + (prefix[stop] - prefix[start + nq * m]));
      float qLast = qLastNorm != 0 ? (float) ((double) qLastSum / qLastNorm) : 0f;
      zerosQ += (q0 == 0f ? q0Norm : 0) + (qLast == 0f ? qLastNorm : 0);
      if (SignedWindowKl.numpySmoothing(len, len - nonzeroP) != SignedWindowKl.Smoothing.DONE
          || SignedWindowKl.numpySmoothing(len, zerosQ) != SignedWindowKl.Smoothing.DONE) {
        return false;
      }
      eP = -SignedWindowKl.numpyShift(len, len - nonzeroP);
      float shiftQ = SignedWindowKl.numpyShift(len, zerosQ);
      screen.groupStart[0] = 0;
      screen.groupEnd[0] = m;
      screen.qNz[0] = q0 == 0f ? SignedWindowKl.EPS : q0 + shiftQ;
      screen.qZ[0] = SignedWindowKl.EPS;
      screen.groupStart[1] = a;
      screen.groupEnd[1] = len;
      screen.qNz[1] = qLast == 0f ? SignedWindowKl.EPS : qLast + shiftQ;
      screen.qZ[1] = SignedWindowKl.EPS;
      if (classes.width() != m) {
        // Tabulate every window the candidates with this m use: their starts run down to the
        // widest one's (windows are [zero − i, zero + i + 1), m = (2i + 1)/nq).
        int zero = SignedWindowKl.zeroBin(counts.length);
        int iEnd = Math.min(MinimizeKl.lastCandidate(counts.length), (nq * (m + 1) - 2) / 2);
        classes.width(m, zero - iEnd + m, start + (nq - 2) * m);
      }
      return screen.loadClasses(
          start, len, 2, p0, pLast, eP, -shiftQ, classes, start + m, start + (nq - 2) * m, nq - 2);
    }

    /**
     * The candidate's O(nq) part, exactly as {@link #divergence} does it: the folds, the int32
     * group sums and float Q values, both smoothings, into the screen's group arrays. Returns 0
     * to screen the candidate, else its KL: +Inf (P all zero, or eps1 ≥ 1 with {@link
     * #assertionFailed}) or NaN (the all-zero Q bug).
     */
    private double prepare(int start, int stop) {
      assertionFailed = false;
      int len = stop - start;
      int m = len / nq;
      long total = prefix[counts.length];
      p0 = counts[start] + prefix[start];
      pLast = counts[stop - 1] + total - prefix[stop];
      int nonzeroP = nonzeros(start, len, 0, len);
      int zerosQ = len - nonzeroP;
      for (int j = 0; j < nq; j++) {
        int a = j * m;
        int b = j == nq - 1 ? len : a + m;
        int qb = (int) (prefix[start + a + m] - prefix[start + a]); // np.int32 array element
        if (j == nq - 1) {
          qb = (int) ((long) qb + (prefix[stop] - prefix[start + nq * m]));
        }
        int norm = nonzeros(start, len, a, b);
        float q = norm != 0 ? (float) ((double) qb / norm) : 0f;
        screen.groupStart[j] = a;
        screen.groupEnd[j] = b;
        screen.qNz[j] = q; // smoothed below
        screen.qZ[j] = SignedWindowKl.EPS;
        zerosQ += q == 0f ? norm : 0;
      }
      SignedWindowKl.Smoothing sp = SignedWindowKl.numpySmoothing(len, len - nonzeroP);
      if (sp != SignedWindowKl.Smoothing.DONE) {
        assertionFailed = sp == SignedWindowKl.Smoothing.EPS_TOO_LARGE;
        return Double.POSITIVE_INFINITY;
      }
      SignedWindowKl.Smoothing sq = SignedWindowKl.numpySmoothing(len, zerosQ);
      if (sq == SignedWindowKl.Smoothing.EPS_TOO_LARGE) {
        assertionFailed = true;
        return Double.POSITIVE_INFINITY;
      }
      if (sq == SignedWindowKl.Smoothing.ALL_ZERO) {
        return Double.NaN;
      }
      eP = -SignedWindowKl.numpyShift(len, len - nonzeroP);
      float shiftQ = SignedWindowKl.numpyShift(len, zerosQ);
      for (int j = 0; j < nq; j++) {
        float q = (float) screen.qNz[j];
        screen.qNz[j] = q == 0f ? SignedWindowKl.EPS : q + shiftQ;
      }
      return 0;
    }

    /** Number of non-zero P in window positions [a, b). */
    private int nonzeros(int start, int len, int a, int b) {
      int last = len - 1;
      int lo = Math.max(a, 1);
      int hi = Math.min(b, last);
      int nz = hi > lo ? nonzeroPrefix[start + hi] - nonzeroPrefix[start + lo] : 0;
      if (a == 0 && b > 0 && p0 != 0f) {
        nz++;
      }
      if (b == len && last > 0 && pLast != 0f) {
        nz++;
      }
      return nz;
    }

    double divergence(int start, int stop) {
      assertionFailed = false;
      int len = stop - start;
      int m = len / nq;
      for (int k = 0; k < len; k++) {
        pf[k] = counts[start + k];
        qf[k] = 0f;
      }
      pf[0] = counts[start] + prefix[start];
      pf[len - 1] = counts[stop - 1] + prefix[counts.length] - prefix[stop];
      // The original int64 P decides the zeros: (float) c == 0 exactly when c == 0.
      for (int j = 0; j < nq; j++) {
        int a = j * m;
        int b = j == nq - 1 ? len : a + m;
        int qb = (int) (prefix[start + a + m] - prefix[start + a]); // np.int32 array element
        if (j == nq - 1) {
          qb = (int) ((long) qb + (prefix[stop] - prefix[start + nq * m]));
        }
        int norm = 0;
        for (int k = a; k < b; k++) {
          norm += pf[k] != 0f ? 1 : 0;
        }
        if (norm != 0) {
          float q = (float) ((double) qb / norm);
          for (int k = a; k < b; k++) {
            qf[k] = pf[k] != 0f ? q : 0f; // q[p == 0] = 0
          }
        }
      }

      SignedWindowKl.Smoothing sp = SignedWindowKl.numpySmooth(pf, len, ps);
      if (sp != SignedWindowKl.Smoothing.DONE) {
        assertionFailed = sp == SignedWindowKl.Smoothing.EPS_TOO_LARGE;
        return Double.POSITIVE_INFINITY;
      }

      SignedWindowKl.Smoothing sq = SignedWindowKl.numpySmooth(qf, len, qs);
      if (sq == SignedWindowKl.Smoothing.EPS_TOO_LARGE) {
        assertionFailed = true;
        return Double.POSITIVE_INFINITY;
      }

      if (sq == SignedWindowKl.Smoothing.ALL_ZERO) {
        // The bug: the ValueError's +Inf is overwritten by entropy(P, zeros), where q/Σq is 0/0.
        return Double.NaN;
      }
      return scipyEntropy(len);
    }

    /** {@code scipy.stats.entropy(p, q)} on float32 arrays, a float32 result. */
    private float scipyEntropy(int len) {
      float pSum = NumpyPairwiseSum.sum(ps, 0, len);
      float qSum = NumpyPairwiseSum.sum(qs, 0, len);
      for (int k = 0; k < len; k++) {
        double pn = ps[k] / pSum;
        double qn = qs[k] / qSum;
        ps[k] = (float) relEntr(pn, qn);
      }
      return NumpyPairwiseSum.sum(ps, 0, len);
    }

    /** {@code scipy.special.rel_entr} in float64. */
    private static double relEntr(double x, double y) {
      if (Double.isNaN(x) || Double.isNaN(y)) {
        return Double.NaN;
      }

      if (x > 0 && y > 0) {
        return x * Math.log(x / y);
      }
      return x == 0 && y >= 0 ? 0 : Double.POSITIVE_INFINITY;
    }
  }
}
